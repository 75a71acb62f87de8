package project

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// The projects' counters (read by the dashboard, internal/stats).
const (
	metricProjects   = "projects"           // by creation day, dim state
	metricCategories = "project_categories" // by creation day, dim category id
)

const figuresKind = "project"

// FiguresOf names project id as a subject of the figures.
func FiguresOf(id int64) stats.Subject { return stats.Of(figuresKind, id) }

// Figures is the projects' contribution to the figures.
var Figures = stats.Contribution{
	Kind:  figuresKind,
	Facts: projectFacts,
	Dated: []string{metricProjects, metricCategories},
	Rebuild: []string{
		`SELECT region_code, 'projects', 'D', {day:created_at}, state, COUNT(*) FROM projects GROUP BY 1, 4, 5`,
		`SELECT region_code, 'project_categories', 'D', {day:created_at}, CAST(category_id AS TEXT), COUNT(*)
			FROM projects GROUP BY 1, 4, 5`,
	},
}

// facts is what the figures know of a project.
type facts struct {
	region    string
	createdAt int64
	state     string
	category  int64
}

func projectFacts(ctx context.Context, q db.Querier, id int64) (stats.Facts, bool, error) {
	var p facts
	err := q.QueryRowContext(ctx, `SELECT region_code, created_at, state, category_id FROM projects WHERE id = $1`, id).
		Scan(&p.region, &p.createdAt, &p.state, &p.category)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return p, err == nil, err
}

// Contribute counts the project on its creation day, by state and category.
func (p facts) Contribute(s stats.Sink, sign int64) {
	day := stats.DayOf(p.createdAt)
	stats.Dated(s, p.region, metricProjects, day, p.state, sign)
	stats.Dated(s, p.region, metricCategories, day, strconv.FormatInt(p.category, 10), sign)
}
