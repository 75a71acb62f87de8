package project_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/project"
)

// Sign-up and cancellation read the shift, its project, the sign-up and
// the principal's own volunteer record in one query; each refusal still
// says what it said when they were read one by one, in the same order.
func TestSignUpAndCancelRefusals(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	pr := published(t, env)
	open := shiftAt(t, env, pr, 0, 2*time.Hour, 5, 0)
	hidden, err := env.App.Projects.Create(ctx, env.Principal("team-admin"), draft(30))
	if err != nil {
		t.Fatal(err)
	}
	inDraft := shiftAt(t, env, hidden, 3*time.Hour, 4*time.Hour, 5, 0)
	people := volunteers(t, env, 2)
	vol, other := people[0], people[1]
	office := env.Principal("heping-office") // no volunteer record

	for _, c := range []struct {
		name  string
		who   string
		shift int64
		want  string
	}{
		{"not a volunteer", "office", open.ID, "team.need_volunteer_record"},
		{"not a volunteer, no such shift", "office", 1 << 40, "team.need_volunteer_record"},
		{"no such shift", "vol", 1 << 40, "shift.not_found"},
		{"a draft project's shift", "vol", inDraft.ID, "shift.not_found"},
	} {
		p := vol
		if c.who == "office" {
			p = office
		}
		if _, err := env.App.Projects.SignUp(ctx, p, c.shift); apperr.From(err).Key != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}

	su, err := env.App.Projects.SignUp(ctx, vol, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	if su.VolunteerID == 0 || su.Status != project.SignupConfirmed {
		t.Fatalf("sign-up: %+v", su)
	}
	if err := env.App.Projects.Cancel(ctx, vol, 1<<40); apperr.From(err).Key != "signup.not_found" {
		t.Errorf("no such sign-up: %v", err)
	}
	if err := env.App.Projects.Cancel(ctx, other, su.ID); apperr.From(err).Key != "signup.not_found" {
		t.Errorf("another volunteer's sign-up: %v", err)
	}
	if err := env.App.Projects.Cancel(ctx, env.Principal("hedong-office"), su.ID); apperr.From(err).Key != "signup.not_found" {
		t.Errorf("another district's office: %v", err)
	}
	// The team that runs the project may cancel anyone's seat; once is enough.
	if err := env.App.Projects.Cancel(ctx, env.Principal("team-admin"), su.ID); err != nil {
		t.Fatalf("the project's team: %v", err)
	}
	if err := env.App.Projects.Cancel(ctx, vol, su.ID); apperr.From(err).Key != "signup.already_cancelled" {
		t.Errorf("cancelled twice: %v", err)
	}
	got, err := env.App.Projects.Shift(ctx, nil, open.ID)
	if err != nil || got.Taken != 0 {
		t.Fatalf("seats taken after the cancellation: %d (%v), want 0", got.Taken, err)
	}
}
