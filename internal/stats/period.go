package stats

import (
	"fmt"
	"time"
)

// span is a run of rows of one grain: periods lo..hi inclusive.
type span struct {
	grain, lo, hi string
}

// spans covers the days from..to (inclusive, as dates) with whole months
// where it can and days at the edges, so a sum over a period reads at most
// a few dozen rows per dimension. The activity sets are kept by day and
// month, so they are read this way.
func spans(from, to time.Time) []span {
	if to.Before(from) {
		return nil
	}
	firstFull := from
	if from.Day() != 1 {
		firstFull = time.Date(from.Year(), from.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	lastFull := to // the last day covered by whole months
	if next := to.AddDate(0, 0, 1); next.Day() != 1 {
		lastFull = time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	}
	if lastFull.Before(firstFull) {
		return []span{{grainDay, date(from), date(to)}}
	}
	out := []span{{grainMonth, firstFull.Format("2006-01"), lastFull.Format("2006-01")}}
	if from.Before(firstFull) {
		out = append(out, span{grainDay, date(from), date(firstFull.AddDate(0, 0, -1))})
	}
	if lastFull.Before(to) {
		out = append(out, span{grainDay, date(lastFull.AddDate(0, 0, 1)), date(to)})
	}
	return out
}

// countSpans is spans with the whole years inside the run of months read
// as years: the counters are also kept by year, so a total since the
// beginning reads a row per year, not one per month.
func countSpans(from, to time.Time) []span {
	var out []span
	for _, s := range spans(from, to) {
		if s.grain != grainMonth {
			out = append(out, s)
			continue
		}
		first, _ := time.Parse("2006-01", s.lo)
		last, _ := time.Parse("2006-01", s.hi)
		firstYear := first.Year()
		if first.Month() != time.January {
			firstYear++
		}
		lastYear := last.Year()
		if last.Month() != time.December {
			lastYear--
		}
		if lastYear < firstYear {
			out = append(out, s)
			continue
		}
		out = append(out, span{grainYear, itoa4(firstYear), itoa4(lastYear)})
		if first.Year() < firstYear {
			out = append(out, span{grainMonth, s.lo, first.Format("2006") + "-12"})
		}
		if last.Year() > lastYear {
			out = append(out, span{grainMonth, last.Format("2006") + "-01", s.hi})
		}
	}
	return out
}

func itoa4(y int) string { return fmt.Sprintf("%04d", y) }

func date(t time.Time) string { return t.Format(time.DateOnly) }

// epoch is the first day of "since the beginning".
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
