package project_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/project"
)

// The seat holder and the first on the waiting list cancel at once: the
// seat holder's cancellation may promote the other, whose cancellation must
// then cancel the seat it was promoted to, not answer "already cancelled"
// and leave a seat the volunteer believes given up.
func TestCancelWhilePromoted(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	pr := published(t, env)
	people := volunteers(t, env, 2)
	holder, waiting := people[0], people[1]
	const rounds = 25
	for i := range rounds {
		sh := shiftAt(t, env, pr, time.Duration(i)*3*time.Hour, time.Duration(i)*3*time.Hour+2*time.Hour, 1, 1)
		seat, err := env.App.Projects.SignUp(ctx, holder, sh.ID)
		if err != nil || seat.Status != project.SignupConfirmed {
			t.Fatalf("seat: %+v %v", seat, err)
		}
		place, err := env.App.Projects.SignUp(ctx, waiting, sh.ID)
		if err != nil || place.Status != project.SignupWaitlisted {
			t.Fatalf("waiting place: %+v %v", place, err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for j, c := range []struct {
			who *auth.Principal
			id  int64
		}{{holder, seat.ID}, {waiting, place.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[j] = env.App.Projects.Cancel(ctx, c.who, c.id)
			}()
		}
		close(start)
		wg.Wait()
		for j, err := range errs {
			if err != nil {
				t.Fatalf("round %d: cancellation %d: %v", i, j, err)
			}
		}
		got, err := env.App.Projects.Shift(ctx, nil, sh.ID)
		if err != nil || got.Taken != 0 || got.Waiting != 0 {
			t.Fatalf("round %d: taken %d waiting %d (%v), want 0 and 0", i, got.Taken, got.Waiting, err)
		}
		mine, err := env.App.Projects.MyShifts(ctx, waiting, false)
		if err != nil || len(mine) != 0 {
			t.Fatalf("round %d: the waiting volunteer still holds %+v (%v)", i, mine, err)
		}
	}
}
