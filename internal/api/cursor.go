package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
)

// Lists take ?limit=&cursor= and answer {"items":[…],"next_cursor":"…"}. A
// cursor is the opaque encoding of the last id seen.

const (
	defaultLimit = 50
	maxLimit     = 200
)

// page is a list response.
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 4 || string(b[:3]) != "id:" {
		return 0, errBadCursor
	}
	id, err := strconv.ParseInt(string(b[3:]), 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadCursor
	}
	return id, nil
}

// pageParams reads limit and cursor from the query.
func pageParams(r *http.Request) (limit int, after int64, err error) {
	limit = defaultLimit
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, errBadCursor
		}
		limit = min(n, maxLimit)
	}
	after, err = decodeCursor(r.URL.Query().Get("cursor"))
	return limit, after, err
}

// newPage builds a page; a full page gets a cursor past its last item.
func newPage[T any](items []T, limit int, lastID func(T) int64) page[T] {
	p := page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) == limit && limit > 0 {
		p.NextCursor = encodeCursor(lastID(items[len(items)-1]))
	}
	return p
}
