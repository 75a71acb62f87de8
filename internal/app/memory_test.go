package app

import (
	"runtime/metrics"
	"testing"
)

// The runtime knows every metric returnAfterBursts reads (it stops at an
// unknown one).
func TestBurstMetricsExist(t *testing.T) {
	known := map[string]bool{}
	for _, d := range metrics.All() {
		known[d.Name] = d.Kind == metrics.KindUint64
	}
	for _, name := range burstMetrics {
		if !known[name] {
			t.Errorf("%s: not a uint64 metric of this runtime", name)
		}
	}
}

func TestBurstOver(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		name             string
		free, held, live uint64
		calmed, want     bool
	}{
		{"steady load: free is what the heap grows into", 18 * mb, 40 * mb, 18 * mb, false, false},
		{"after logins, under load: 90 MB freed", 90 * mb, 120 * mb, 18 * mb, false, true},
		{"logins over, now quiet: garbage not yet collected", 2 * mb, 130 * mb, 76 * mb, true, true},
		{"quiet for a while (not just calmed)", 2 * mb, 130 * mb, 76 * mb, false, false},
		{"just calmed, little held", 1 * mb, 20 * mb, 18 * mb, true, false},
	} {
		if got := burstOver(c.free, c.held, c.live, c.calmed, 24*mb); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}
