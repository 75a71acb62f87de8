package generate

import (
	"testing"

	"zhiyuan/internal/project"
)

// The burst project runs long enough for the benchmark's rush shifts, even
// when the team's current project ends tomorrow; without such a project it
// is the current one.
func TestBurstProjectRunsPastTheRushShifts(t *testing.T) {
	const now = 1_800_000_000
	ending := &proj{id: 1, state: project.StatePublished, from: now - 30*day, to: now + day}
	closed := &proj{id: 2, state: project.StateClosed, from: now - 30*day, to: now + 60*day}
	future := &proj{id: 3, state: project.StatePublished, from: now + day, to: now + 90*day}
	long := &proj{id: 4, state: project.StatePublished, from: now - 10*day, to: now + 40*day}
	tp := &teamPlan{current: 1, projects: []*proj{ending, closed, future, long}}
	if p := tp.burstProject(now); p != long {
		t.Fatalf("burst project %d, want 4 (published, under way, 40 more days)", p.id)
	}
	tp.projects = []*proj{ending, closed, future}
	if p := tp.burstProject(now); p != ending {
		t.Fatalf("burst project %v, want the current project 1 when none runs long enough", p)
	}
}
