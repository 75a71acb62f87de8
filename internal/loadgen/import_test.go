package loadgen

import (
	"testing"

	"zhiyuan/internal/pii"
)

// Import people are valid and distinct, including across the edges of
// their birth-date, sequence and region ranges, and a work directory hands
// each run the next block.
func TestImportPeopleDistinct(t *testing.T) {
	ids, phones := map[string]int{}, map[string]int{}
	done := map[int]bool{}
	check := func(g int) {
		if done[g] {
			return
		}
		done[g] = true
		_, id, phone := importPerson(g)
		if _, err := pii.ParseID(pii.IDResident, id); err != nil {
			t.Fatalf("person %d: ID %s: %v", g, id, err)
		}
		if len(phone) != 11 {
			t.Fatalf("person %d: phone %s", g, phone)
		}
		if o, dup := ids[id]; dup {
			t.Fatalf("persons %d and %d share ID %s", o, g, id)
		}
		if o, dup := phones[phone]; dup {
			t.Fatalf("persons %d and %d share phone %s", o, g, phone)
		}
		ids[id], phones[phone] = g, g
	}
	for _, edge := range []int{0, 15000, 15_000_000, 30_000_000, importSpace - 20000} {
		for g := max(edge-10000, 0); g < edge+10000 && g < importSpace; g++ {
			check(g)
		}
	}
	dir := t.TempDir()
	a, err := importNonce(dir, 500_000)
	if err != nil {
		t.Fatal(err)
	}
	b, err := importNonce(dir, 500_000)
	if err != nil {
		t.Fatal(err)
	}
	if b != (a+1)%(importSpace/500_000) {
		t.Fatalf("second run took block %d after %d", b, a)
	}
}
