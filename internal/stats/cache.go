package stats

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// CacheFor is how long a region's figures for a period are served again
// before they are read anew: many offices and the big screens of a command
// centre open the same dashboard at once. The page shows when the figures
// were read (Figures.AsOf), so the lag is never hidden.
const CacheFor = 10 * time.Second

// maxCached bounds the cache; past it, it starts again empty.
const maxCached = 4096

type cacheKey struct {
	region   string
	from, to time.Time
}

// figureCache holds recent figures; one read runs per key at a time.
type figureCache struct {
	mu      sync.Mutex
	entries map[cacheKey]Figures
	flight  singleflight.Group
}

// get returns the figures for key, reading them with load when none fresh
// enough are held.
func (c *figureCache) get(ctx context.Context, key cacheKey, now time.Time, load func(context.Context) (Figures, error)) (Figures, error) {
	c.mu.Lock()
	f, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(f.AsOf) < CacheFor && !f.AsOf.After(now) {
		return f, nil
	}
	v, err, _ := c.flight.Do(key.region+"|"+date(key.from)+"|"+date(key.to), func() (any, error) {
		f, err := load(ctx)
		if err != nil {
			return f, err
		}
		c.mu.Lock()
		if c.entries == nil || len(c.entries) >= maxCached {
			c.entries = map[cacheKey]Figures{}
		}
		c.entries[key] = f
		c.mu.Unlock()
		return f, nil
	})
	return v.(Figures), err
}
