package pii

import "testing"

func BenchmarkParseID(b *testing.B) {
	for b.Loop() {
		if _, err := ParseID(IDResident, "11010519491231002x"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	k := testKeyring(b)
	for b.Loop() {
		if _, err := k.Seal("11010519491231002X", "volunteer.id_number"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	k := testKeyring(b)
	sealed, err := k.Seal("11010519491231002X", "volunteer.id_number")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.Open(sealed, "volunteer.id_number"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookupHash(b *testing.B) {
	k := testKeyring(b)
	for b.Loop() {
		k.LookupHash("id:resident", "11010519491231002X")
	}
}
