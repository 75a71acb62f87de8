package auth

import (
	"sync"
	"time"
)

// Every signed-in request looks up its session and the account's grants.
// This process keeps what it read for a few seconds, keyed by the token's
// hash, and forgets it at once when this process ends the session or
// changes the account (logout, password change, a grant given or taken,
// disabled, language). With several processes on one database, a change
// made by another process is seen here within SessionCacheTTL.

// SessionCacheTTL is how long a looked-up session is reused unread.
const SessionCacheTTL = 5 * time.Second

const sessionCacheMax = 8192

type cachedSession struct {
	row    sessionRow
	grants []Grant
	read   time.Time
}

type sessionCache struct {
	mu  sync.Mutex
	gen uint64 // counts forgets, so a lookup that raced one is not kept
	m   map[string]*cachedSession
}

// get returns a copy of the entry for key if it is fresh at now.
func (c *sessionCache) get(key string, now time.Time) (cachedSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return cachedSession{}, false
	}
	if age := now.Sub(e.read); age < 0 || age >= SessionCacheTTL {
		delete(c.m, key)
		return cachedSession{}, false
	}
	return *e, true
}

// generation is read before a lookup and handed to put.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a lookup unless something was forgotten since it began.
func (c *sessionCache) put(key string, e cachedSession, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil {
		c.m = map[string]*cachedSession{}
	}
	if len(c.m) >= sessionCacheMax {
		for k, old := range c.m {
			if e.read.Sub(old.read) >= SessionCacheTTL || len(c.m) >= sessionCacheMax {
				delete(c.m, k)
			}
		}
	}
	c.m[key] = &e
}

// seen records a new last-seen time written for the session.
func (c *sessionCache) seen(key string, at int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		e.row.lastSeen = at
	}
}

// forgetToken drops one session.
func (c *sessionCache) forgetToken(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, key)
}

// forgetAccount drops every session of an account (0: of every account).
func (c *sessionCache) forgetAccount(accountID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if accountID == 0 || e.row.account.ID == accountID {
			delete(c.m, k)
		}
	}
}
