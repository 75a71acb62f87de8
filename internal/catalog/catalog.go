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
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
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
// The cached items are searched in place (an import resolves two lists a
// row, most of them empty).
func (c *Catalog) Resolve(ctx context.Context, k Kind, names []string) (found []Item, unknown []string, err error) {
	if len(names) == 0 {
		return nil, nil, nil
	}
	items, err := c.all(ctx)
	if err != nil {
		return nil, nil, err
	}
	var seen map[int64]bool
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var hit *Item
		for i := range items {
			if it := &items[i]; it.Kind == k && it.Active && (it.Name == n || strings.EqualFold(it.NameEn, n)) {
				hit = it
				break
			}
		}
		if hit == nil {
			unknown = append(unknown, n)
			continue
		}
		if !seen[hit.ID] {
			if seen == nil {
				seen = map[int64]bool{}
			}
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

// AddItem adds (or re-activates) an item, for a platform admin.
func (c *Catalog) AddItem(ctx context.Context, p *auth.Principal, k Kind, name, nameEn string) (Item, error) {
	if !auth.Can(p, auth.PermCatalogManage, auth.Target{}) {
		return Item{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 20 {
		f := apperr.Fields{}
		f.Add("name", "length", "catalog.name_length")
		return Item{}, f.Err()
	}
	var it Item
	err := c.db.Tx(ctx, func(tx db.Querier) error {
		var err error
		if it, err = c.add(ctx, tx, k, name, nameEn); err != nil {
			return apperr.Wrap(err, "catalog: add")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "create", Entity: "catalog", EntityID: string(k) + ":" + it.Name})
	})
	return it, err
}

// RemoveItem deactivates an item, for a platform admin.
func (c *Catalog) RemoveItem(ctx context.Context, p *auth.Principal, k Kind, name string) error {
	if !auth.Can(p, auth.PermCatalogManage, auth.Target{}) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return c.db.Tx(ctx, func(tx db.Querier) error {
		ok, err := c.deactivate(ctx, tx, k, name)
		if err != nil {
			return apperr.Wrap(err, "catalog: remove")
		}
		if !ok {
			return apperr.New(apperr.NotFound, "catalog.not_found")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "disable", Entity: "catalog", EntityID: string(k) + ":" + name})
	})
}

// add appends an item to a catalogue (or re-activates one of that name).
func (c *Catalog) add(ctx context.Context, q db.Querier, k Kind, name, nameEn string) (Item, error) {
	name, nameEn = strings.TrimSpace(name), strings.TrimSpace(nameEn)
	var it Item
	err := q.QueryRowContext(ctx, `INSERT INTO catalog_items (kind, name, name_en, sort, active, created_at)
		VALUES ($1, $2, $3, 1000, 1, $4)
		ON CONFLICT (kind, name) DO UPDATE SET active = 1, name_en = excluded.name_en
		RETURNING id, kind, name, name_en`, k, name, nameEn, time.Now().Unix()).Scan(&it.ID, &it.Kind, &it.Name, &it.NameEn)
	if err != nil {
		return it, fmt.Errorf("catalog: add: %w", err)
	}
	it.Active = true
	c.invalidate()
	return it, nil
}

// deactivate hides an item from new choices; records that use it keep it.
func (c *Catalog) deactivate(ctx context.Context, q db.Querier, k Kind, name string) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE catalog_items SET active = 0 WHERE kind = $1 AND name = $2 AND active = 1`, k, strings.TrimSpace(name))
	if err != nil {
		return false, fmt.Errorf("catalog: deactivate: %w", err)
	}
	n, _ := res.RowsAffected()
	c.invalidate()
	return n == 1, nil
}

func (c *Catalog) invalidate() {
	c.mu.Lock()
	c.items = nil
	c.mu.Unlock()
}

// IDs returns the ids of items.
func IDs(items []Item) []int64 {
	out := make([]int64, 0, len(items))
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// ByID returns every item, retired ones included, by id: for naming the
// categories and tags of past figures.
func (c *Catalog) ByID(ctx context.Context) (map[int64]Item, error) {
	all, err := c.all(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Item, len(all))
	for _, it := range all {
		out[it.ID] = it
	}
	return out, nil
}
