package project

import (
	"sync"
	"time"
)

// openTTL bounds how long a cached open-shift list is served without being
// read again. Within this process every write that changes the list (a
// sign-up, a cancellation, a new shift, a project's state) forgets it at
// once; the bound is for writes by another process on the same database.
const openTTL = 2 * time.Second

// openCacheMax bounds the cached queries (filters and pages); when full the
// cache starts over.
const openCacheMax = 256

// OpenList is one page of open shifts as read at one moment. It is shared
// between requests and must not be changed.
type OpenList struct {
	Shifts []Shift
	until  time.Time // read again after this (the TTL, or the first start)
	memo   sync.Map  // renderings of this list (see Memo)
}

// Memo returns what build makes of the list under key, building it once
// per list: a view keeps its rendering here, and it is dropped with the list
// when a write changes the open shifts. An empty result is not kept.
func (l *OpenList) Memo(key string, build func() string) string {
	if v, ok := l.memo.Load(key); ok {
		return v.(string)
	}
	b := build()
	if b == "" {
		return "" // failed: not kept
	}
	v, _ := l.memo.LoadOrStore(key, b)
	return v.(string)
}

// openCache keeps the open-shift lists recently read, keyed by query.
type openCache struct {
	mu    sync.Mutex
	gen   uint64 // bumped by every forget
	lists map[OpenQuery]*OpenList
}

// get returns the cached list for q if it is still good at now, and the
// generation to hand to put after reading it afresh.
func (c *openCache) get(q OpenQuery, now time.Time) (*OpenList, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.lists[q]; ok && now.Before(l.until) {
		return l, c.gen
	}
	return nil, c.gen
}

// put keeps l for q unless a write was forgotten since gen was taken (the
// list may have been read before that write committed).
func (c *openCache) put(q OpenQuery, l *OpenList, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.lists == nil || len(c.lists) >= openCacheMax {
		c.lists = map[OpenQuery]*OpenList{}
	}
	c.lists[q] = l
}

// forget drops every cached list; writes call it after they commit.
func (c *openCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.lists = nil
}
