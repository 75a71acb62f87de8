package stats

import (
	"context"
	"fmt"
	"sync"

	"zhiyuan/internal/db"
)

// Contribution is a domain's part of the figures, declared beside its store
// (internal/<domain>/figures.go) and registered when the app is wired: how
// one of its rows (a subject) moves the rollups, and how the rollups are
// computed again from its tables.
type Contribution struct {
	// Kind names the domain's subjects (Of).
	Kind string
	// Facts reads what the figures know of one subject; ok is false when
	// it does not exist.
	Facts func(ctx context.Context, q db.Querier, id int64) (f Facts, ok bool, err error)
	// Rebuild are statements giving the domain's counters at the region
	// codes as stored: region_code, metric, grain, period, dim, n, in that
	// order; {day:column} is the Beijing date of a unix-time column. The
	// levels above, and the months and years of the Dated metrics, are
	// summed from them.
	Rebuild []string
	// Dated are the metrics of Rebuild kept by day, month and year.
	Dated []string
	// Activity is how the domain's active sets are read from its tables;
	// nil when it marks none.
	Activity *Activity
}

// Activity is where a contribution's active sets come from: rows that make
// ids active on a day, in a region.
type Activity struct {
	// Kinds are the kinds of stat_active the rows make active.
	Kinds []string
	// Codes gives the distinct region codes of such rows.
	Codes string
	// Rows gives, for the region code $1, the Beijing day ({day:column})
	// and then one id per kind, in the order of Kinds.
	Rows string
	// Still tells whether id of kind is still active in the regions
	// [regionLo, regionHi) between the unix times [from, to), on the rows as
	// they are now in q.
	Still func(ctx context.Context, q db.Querier, kind string, id, from, to int64, regionLo, regionHi string) (bool, error)
}

// Facts are what the figures know of one subject.
type Facts interface {
	// Contribute adds the subject's counters and marks to s, with sign +1
	// for the facts after a change and -1 for the facts before it.
	Contribute(s Sink, sign int64)
}

var registry struct {
	sync.RWMutex
	byKind map[string]Contribution
	order  []string
}

// Register adds contributions to the figures; registering a kind again
// replaces it.
func Register(cs ...Contribution) {
	registry.Lock()
	defer registry.Unlock()
	if registry.byKind == nil {
		registry.byKind = map[string]Contribution{}
	}
	for _, c := range cs {
		if _, ok := registry.byKind[c.Kind]; !ok {
			registry.order = append(registry.order, c.Kind)
		}
		registry.byKind[c.Kind] = c
	}
}

// Registered returns the contributions registered, in the order of
// registration.
func Registered() []Contribution {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]Contribution, len(registry.order))
	for i, k := range registry.order {
		out[i] = registry.byKind[k]
	}
	return out
}

func contribution(kind string) (Contribution, error) {
	registry.RLock()
	defer registry.RUnlock()
	c, ok := registry.byKind[kind]
	if !ok {
		return c, fmt.Errorf("stats: no contribution registered for %q", kind)
	}
	return c, nil
}

// activityOf is the contribution whose rows make ids of kind active.
func activityOf(kind string) (*Activity, error) {
	for _, c := range Registered() {
		if c.Activity == nil {
			continue
		}
		for _, k := range c.Activity.Kinds {
			if k == kind {
				return c.Activity, nil
			}
		}
	}
	return nil, fmt.Errorf("stats: no contribution marks %q", kind)
}
