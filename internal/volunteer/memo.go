package volunteer

import (
	"context"
	"sync"
)

// A page that only reads asks for the same volunteer several times: each
// service it calls checks access by loading the volunteer. WithMemo lets
// one such request load each volunteer once. Never use it for a request
// that changes a volunteer: it would read its own stale copy.

type memoKey struct{}

type memo struct {
	mu        sync.Mutex
	byID      map[int64]Volunteer
	byAccount map[int64]int64 // account id → volunteer id
}

// WithMemo returns a context in which volunteers loaded once are reused.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{byID: map[int64]Volunteer{}, byAccount: map[int64]int64{}})
}

func memoOf(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}

func (m *memo) volunteer(id int64) (Volunteer, bool) {
	if m == nil {
		return Volunteer{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.byID[id]
	return v, ok
}

func (m *memo) idOf(accountID int64) (int64, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byAccount[accountID]
	return id, ok
}

func (m *memo) keep(v Volunteer) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID[v.ID] = v
	if v.AccountID != 0 {
		m.byAccount[v.AccountID] = v.ID
	}
}

// keepID remembers whose account an id is, for a page that asks for the
// principal's own id from several services.
func (m *memo) keepID(accountID, id int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byAccount[accountID] = id
}
