package volunteer

import "testing"

func TestNewNumbersAreValidAndSpread(t *testing.T) {
	seen := map[string]bool{}
	lead := map[byte]int{}
	for range 5000 {
		no, err := newNumber()
		if err != nil {
			t.Fatal(err)
		}
		if !ValidNo(no) {
			t.Fatalf("%q is not a valid volunteer number", no)
		}
		if seen[no] {
			t.Fatalf("%q drawn twice in 5,000", no)
		}
		seen[no] = true
		lead[no[0]]++
	}
	// Each first digit 1 to 9 is drawn about 5,000/9 ≈ 556 times.
	for d := byte('1'); d <= '9'; d++ {
		if n := lead[d]; n < 400 || n > 720 {
			t.Errorf("first digit %c drawn %d times of 5,000", d, n)
		}
	}
}
