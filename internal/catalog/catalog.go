// Package catalog holds the managed catalogues: service categories (服务类别)
// and volunteer tags (党员, 青年, 巾帼 …). The API gives and takes items by
// name; rows refer to them by id.
package catalog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"zhiyuan/internal/db"
)

// Kind is a catalogue.
type Kind string

// The catalogues.
const (
	ServiceCategory Kind = "service_category"
	Tag             Kind = "tag"
)

// Item is one entry of a catalogue.
type Item struct {
	ID     int64
	Kind   Kind
	Name   string
	NameEn string
	Active bool
}

// Catalog reads the catalogues, caching them briefly: they change rarely and
// are read on every registration and search.
type Catalog struct {
	db *db.DB

	mu     sync.Mutex
	items  []Item
	loaded time.Time
}

// New returns the catalogue service.
func New(d *db.DB) *Catalog { return &Catalog{db: d} }

// cacheFor bounds how stale another server process's view may be.
const cacheFor = 30 * time.Second

func (c *Catalog) all(ctx context.Context) ([]Item, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items != nil && time.Since(c.loaded) < cacheFor {
		return c.items, nil
	}
	rows, err := c.db.Read().QueryContext(ctx, `SELECT id, kind, name, name_en, active FROM catalog_items ORDER BY kind, sort, id`)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		var active int
		if err := rows.Scan(&it.ID, &it.Kind, &it.Name, &it.NameEn, &active); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		it.Active = active != 0
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c.items, c.loaded = items, time.Now()
	return items, nil
}

// List returns the active items of a catalogue, in display order.
func (c *Catalog) List(ctx context.Context, k Kind) ([]Item, error) {
	all, err := c.all(ctx)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, it := range all {
		if it.Kind == k && it.Active {
			out = append(out, it)
		}
	}
	return out, nil
}

// Resolve maps names (Chinese or English, case-insensitive for English) to
// items. It returns the items found and the names it did not know.
func (c *Catalog) Resolve(ctx context.Context, k Kind, names []string) (found []Item, unknown []string, err error) {
	items, err := c.List(ctx, k)
	if err != nil {
		return nil, nil, err
	}
	seen := map[int64]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var hit *Item
		for i := range items {
			if items[i].Name == n || strings.EqualFold(items[i].NameEn, n) {
				hit = &items[i]
				break
			}
		}
		if hit == nil {
			unknown = append(unknown, n)
			continue
		}
		if !seen[hit.ID] {
			seen[hit.ID] = true
			found = append(found, *hit)
		}
	}
	return found, unknown, nil
}

// Names returns the names of items by id, in catalogue order.
func (c *Catalog) Names(ctx context.Context, ids []int64) ([]string, error) {
	all, err := c.all(ctx)
	if err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []string
	for _, it := range all {
		if want[it.ID] {
			out = append(out, it.Name)
		}
	}
	return out, nil
}

// SplitList splits a list typed by a person: 、，,；; and whitespace separate.
func SplitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', '，', ',', '；', ';', '/', '|', '\n', '\t':
			return true
		}
		return false
	})
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
