package apptest

import (
	"context"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

// NewProject is a valid project of the demo team (team 1) in 花园路社区
// (120101001001), running from today (Beijing time) for days days.
func NewProject(name, address string, recruit, days int) project.NewProject {
	today := time.Now().In(clock.Zone)
	return project.NewProject{TeamID: 1, Name: name, Category: "社区服务", Content: "服务内容", RegionCode: "120101001001",
		Address: address, RecruitCount: recruit, StartsOn: today.Format("2006-01-02"),
		EndsOn: today.AddDate(0, 0, days).Format("2006-01-02"), ContactName: "王建国", ContactPhone: "13800138000"}
}

// Publish drafts np as the demo team's leader, submits it and approves it,
// failing the test on any error.
func (e *Env) Publish(np project.NewProject) project.Project {
	e.T.Helper()
	ctx := context.Background()
	leader, err := e.App.Auth.Authenticate(ctx, e.Token("team-admin"), auth.SessionAPI)
	if err != nil {
		e.T.Fatal(err)
	}
	pr, err := e.App.Projects.Create(ctx, leader, np)
	if err != nil {
		e.T.Fatal(err)
	}
	if _, err := e.App.Projects.Submit(ctx, leader, pr.ID); err != nil {
		e.T.Fatal(err)
	}
	pr, err = e.App.Projects.ReviewProject(ctx, auth.System, pr.ID, project.Review{Decision: "approve"})
	if err != nil || pr.State != project.StatePublished {
		e.T.Fatalf("approve %s: %v %s", np.Name, err, pr.State)
	}
	return pr
}
