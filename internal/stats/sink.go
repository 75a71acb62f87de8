package stats

import "zhiyuan/internal/clock"

// count is one counter's key in stat_counts.
type count struct {
	region, metric, grain, period, dim string
}

// mark is one id's presence in an active set.
type mark struct {
	region, kind, grain, period string
	id                          int64
}

// Sink receives a subject's contributions (Facts.Contribute), through
// Dated, Current, Daily and Active.
type Sink interface {
	add(c count, n int64)
	mark(m mark, sign int64)
}

// DayOf is the date in Beijing time of a unix time, as the counters name it.
func DayOf(unix int64) string { return clock.DayOfUnix(unix) }

// Dated adds n to a metric on a day, its month and its year, at every
// level of region.
func Dated(s Sink, region, metric, day, dim string, n int64) {
	for _, r := range levels(region) {
		s.add(count{r, metric, grainDay, day, dim}, n)
		s.add(count{r, metric, grainMonth, day[:7], dim}, n)
		s.add(count{r, metric, grainYear, day[:4], dim}, n)
	}
}

// Daily adds n to a metric on a day only, at every level of region.
func Daily(s Sink, region, metric, day, dim string, n int64) {
	for _, r := range levels(region) {
		s.add(count{r, metric, grainDay, day, dim}, n)
	}
}

// Current adds n to a metric without a period, at every level of region.
func Current(s Sink, region, metric, dim string, n int64) {
	for _, r := range levels(region) {
		s.add(count{r, metric, grainNone, "", dim}, n)
	}
}

// Active marks id of kind active on a day and in its month, at every level
// of region.
func Active(s Sink, region, kind, day string, id int64, sign int64) {
	for _, r := range levels(region) {
		s.mark(mark{r, kind, grainDay, day, id}, sign)
		s.mark(mark{r, kind, grainMonth, day[:7], id}, sign)
	}
}
