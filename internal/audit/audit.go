// Package audit writes and reads the audit log: who did what to which record,
// when and from where. Entries are written in the transaction of the change.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"zhiyuan/internal/db"
)

// Actor is who is acting, taken from the request (or the command line).
type Actor struct {
	AccountID int64
	Username  string
	IP        string
	RequestID string
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or a zero Actor.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Entry is one change or sensitive read. Detail must never hold an ID number
// or a phone number in clear.
type Entry struct {
	Action     string
	Entity     string
	EntityID   string
	RegionCode string
	Detail     map[string]any
}

// Record is a stored entry with its actor and time.
type Record struct {
	ID         int64
	At         time.Time
	AccountID  int64
	Username   string
	Action     string
	Entity     string
	EntityID   string
	RegionCode string
	IP         string
	RequestID  string
	Detail     string
}

// Write appends an entry by the context's actor using q, which should be the
// transaction of the change it records.
func Write(ctx context.Context, q db.Querier, e Entry) error {
	a := ActorFrom(ctx)
	detail := "{}"
	if len(e.Detail) > 0 {
		b, err := marshalDetail(e.Detail)
		if err != nil {
			return fmt.Errorf("audit: detail: %w", err)
		}
		detail = string(b)
	}
	var accountID any
	if a.AccountID != 0 {
		accountID = a.AccountID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log
		(at, account_id, username, action, entity, entity_id, region_code, ip, request_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		time.Now().Unix(), accountID, a.Username, e.Action, e.Entity, e.EntityID, e.RegionCode, a.IP, a.RequestID, detail)
	if err != nil {
		return fmt.Errorf("audit: write %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}

// Filter selects entries: within region prefixes (unless All), optionally of
// one entity, newest first, before the cursor id.
type Filter struct {
	All      bool
	Regions  []string
	Entity   string
	EntityID string
	Before   int64
	Limit    int
}

// List returns entries matching f, newest first.
func List(ctx context.Context, q db.Querier, f Filter) ([]Record, error) {
	var c db.Conds
	if !f.All && !c.Scope("region_code", f.Regions, "id", nil) {
		return nil, nil
	}
	if f.Entity != "" {
		c.Eq("entity", f.Entity)
		if f.EntityID != "" {
			c.Eq("entity_id", f.EntityID)
		}
	}
	if f.Before > 0 {
		c.Add("id < " + c.Arg(f.Before))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT id, at, COALESCE(account_id, 0), username, action, entity, entity_id,
		region_code, ip, request_id, detail FROM audit_log WHERE `+c.SQL()+` ORDER BY id DESC LIMIT `+c.Arg(limit), c.Args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.AccountID, &r.Username, &r.Action, &r.Entity, &r.EntityID,
			&r.RegionCode, &r.IP, &r.RequestID, &r.Detail); err != nil {
			return nil, fmt.Errorf("audit: scan: %w", err)
		}
		r.At = time.Unix(at, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}

// marshalDetail is json.Marshal of a detail, written directly when every
// key and value is a plain word or an integer (a check-in's, on every scan)
// and by encoding/json otherwise; the bytes are the same either way.
func marshalDetail(m map[string]any) ([]byte, error) {
	if len(m) > 8 {
		return json.Marshal(m)
	}
	var keys [8]string
	n := 0
	for k, v := range m {
		switch x := v.(type) {
		case int, int64:
		case string:
			if !plainWord(x) {
				return json.Marshal(m)
			}
		default:
			return json.Marshal(m)
		}
		if !plainWord(k) {
			return json.Marshal(m)
		}
		keys[n] = k
		n++
	}
	slices.Sort(keys[:n])
	b := make([]byte, 0, 64)
	b = append(b, '{')
	for i, k := range keys[:n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
		switch x := m[k].(type) {
		case int:
			b = strconv.AppendInt(b, int64(x), 10)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case string:
			b = append(b, '"')
			b = append(b, x...)
			b = append(b, '"')
		}
	}
	return append(b, '}'), nil
}

// plainWord reports whether s is made of ASCII letters, digits, '_', '-'
// and '.' only: JSON escapes none of them.
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
