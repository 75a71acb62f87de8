package volunteer_test

import (
	"context"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/volunteer"
)

// Inside a memo a volunteer is read once; outside, every read sees the
// latest write.
func TestMemoReadsOncePerRequest(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	p := env.Principal("volunteer")
	vs := env.App.Volunteers
	memo := volunteer.WithMemo(ctx)
	before, err := vs.Mine(memo, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Tags) == 1 && before.Tags[0] == "退役军人" {
		t.Fatal("the demo volunteer already has the tag this test sets")
	}
	if id, err := vs.MyID(memo, p); err != nil || id != before.ID {
		t.Fatalf("MyID in memo = %d %v, want %d", id, err, before.ID)
	}
	if _, err := vs.UpdateProfile(ctx, p, volunteer.ProfileUpdate{RegionCode: before.RegionCode, Tags: []string{"退役军人"}}); err != nil {
		t.Fatal(err)
	}
	again, _ := vs.Get(memo, p, before.ID)
	if len(again.Tags) != len(before.Tags) || (len(again.Tags) == 1 && again.Tags[0] == "退役军人") {
		t.Fatalf("memo read the volunteer again: %v then %v", before.Tags, again.Tags)
	}
	fresh, _ := vs.Get(ctx, p, before.ID)
	if len(fresh.Tags) != 1 || fresh.Tags[0] != "退役军人" {
		t.Fatalf("read outside the memo: %v", fresh.Tags)
	}
}

// Inside a memo the principal's own id is looked up once: a page asking
// for it from two services reads it once.
func TestMemoKeepsMyID(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	p := env.Principal("volunteer")
	vs := env.App.Volunteers
	memo := volunteer.WithMemo(ctx)
	id, err := vs.MyID(memo, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.DB.Write().ExecContext(ctx, `UPDATE volunteers SET account_id = NULL WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if again, err := vs.MyID(memo, p); err != nil || again != id {
		t.Fatalf("MyID in memo after the link changed = %d %v, want %d kept", again, err, id)
	}
	if _, err := vs.MyID(ctx, p); err == nil {
		t.Fatal("MyID outside the memo still finds the unlinked volunteer")
	}
}
