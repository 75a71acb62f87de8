package catalog_test

import (
	"context"
	"slices"
	"testing"

	"zhiyuan/internal/catalog"
	"zhiyuan/internal/dbtest"
)

func TestResolveFindsActiveItemsOfTheKindByEitherName(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	// 退役 is a retired tag; 社区服务 is a category, not a tag.
	if _, err := d.Write().ExecContext(ctx, `INSERT INTO catalog_items (kind, name, name_en, sort, active) VALUES ('tag', '退役', 'Retired', 99, 0)`); err != nil {
		t.Fatal(err)
	}
	c := catalog.New(d)
	found, unknown, err := c.Resolve(ctx, catalog.Tag, []string{" 党员 ", "youth", "党员", "退役", "社区服务", ""})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range found {
		if it.Kind != catalog.Tag || !it.Active {
			t.Errorf("found %+v", it)
		}
		names = append(names, it.Name)
	}
	if !slices.Equal(names, []string{"党员", "青年"}) || !slices.Equal(unknown, []string{"退役", "社区服务"}) {
		t.Fatalf("found %v, unknown %v; want [党员 青年], [退役 社区服务]", names, unknown)
	}
	found, unknown, err = c.Resolve(ctx, catalog.ServiceCategory, nil)
	if err != nil || found != nil || unknown != nil {
		t.Fatalf("no names: %v, %v, %v", found, unknown, err)
	}
}
