package stats

import (
	"strconv"
)

// count is one counter's key in stat_counts.
type count struct {
	region, metric, grain, period, dim string
}

// mark is one id's presence in an active set.
type mark struct {
	region, kind, grain, period string
	id                          int64
}

// sink receives a subject's contributions with a sign: +1 for the facts
// after a change, -1 for the facts before it.
type sink interface {
	add(c count, n int64)
	mark(m mark, sign int64)
}

// dated adds n to a metric on a day, its month and its year, at every
// level of region.
func dated(s sink, region, metric, day, dim string, n int64) {
	for _, r := range levels(region) {
		s.add(count{r, metric, grainDay, day, dim}, n)
		s.add(count{r, metric, grainMonth, day[:7], dim}, n)
		s.add(count{r, metric, grainYear, day[:4], dim}, n)
	}
}

// current adds n to a metric without a period, at every level of region.
func current(s sink, region, metric, dim string, n int64) {
	for _, r := range levels(region) {
		s.add(count{r, metric, grainNone, "", dim}, n)
	}
}

// active marks id active on a day and in its month, at every level of region.
func active(s sink, region, kind, day string, id int64, sign int64) {
	for _, r := range levels(region) {
		s.mark(mark{r, kind, grainDay, day, id}, sign)
		s.mark(mark{r, kind, grainMonth, day[:7], id}, sign)
	}
}

func (v volunteerFacts) contribute(s sink, sign int64) {
	day := dayOf(v.createdAt)
	dated(s, v.region, mVolunteers, day, "", sign)
	for _, t := range v.tags {
		dated(s, v.region, mVolunteerTags, day, strconv.FormatInt(t, 10), sign)
	}
	dated(s, v.region, mVolunteerPeople, day, v.gender+":"+v.birthYear, sign)
	if h := hoursBucket(v.confirmedMinutes); h > 0 {
		current(s, v.region, mVolunteerHours, strconv.FormatInt(h, 10), sign)
	}
}

// hoursBucket is whole confirmed hours, capped.
func hoursBucket(minutes int64) int64 {
	return min(minutes/60, maxHoursBucket)
}

func (t teamFacts) contribute(s sink, sign int64) {
	dated(s, t.region, mTeams, dayOf(t.createdAt), t.status, sign)
}

func (p projectFacts) contribute(s sink, sign int64) {
	day := dayOf(p.createdAt)
	dated(s, p.region, mProjects, day, p.state, sign)
	dated(s, p.region, mProjectCategories, day, strconv.FormatInt(p.category, 10), sign)
}

// Record states the figures know (kept equal to package record's).
const (
	recordConfirmed = "confirmed"
	recordPending   = "pending"
)

func (r recordFacts) contribute(s sink, sign int64) {
	switch r.state {
	case recordConfirmed:
		day := dayOf(r.startsAt)
		dated(s, r.region, mMinutes, day, strconv.FormatInt(r.category, 10), sign*r.minutes)
		dated(s, r.region, mRecords, day, "", sign)
		current(s, r.region, mTeamMinutes, strconv.FormatInt(r.teamID, 10), sign*r.minutes)
		active(s, r.region, kindVolunteer, day, r.volunteerID, sign)
		active(s, r.region, kindTeam, day, r.teamID, sign)
	case recordPending:
		if r.dueAt > 0 {
			for _, reg := range levels(r.region) {
				s.add(count{reg, mAwaiting, grainDay, dayOf(r.dueAt), ""}, sign)
			}
		}
	}
}

// contributor is a subject's facts.
type contributor interface {
	contribute(s sink, sign int64)
}
