package team

import (
	"context"
	"database/sql"
	"errors"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// metricTeams counts teams by founding day, dim status (read by the
// dashboard, internal/stats).
const metricTeams = "teams"

const figuresKind = "team"

// FiguresOf names team id as a subject of the figures.
func FiguresOf(id int64) stats.Subject { return stats.Of(figuresKind, id) }

// Figures is the teams' contribution to the figures.
var Figures = stats.Contribution{
	Kind:    figuresKind,
	Facts:   teamFacts,
	Dated:   []string{metricTeams},
	Rebuild: []string{`SELECT region_code, 'teams', 'D', {day:created_at}, status, COUNT(*) FROM teams GROUP BY 1, 4, 5`},
}

// facts is what the figures know of a team.
type facts struct {
	region    string
	createdAt int64
	status    string
}

func teamFacts(ctx context.Context, q db.Querier, id int64) (stats.Facts, bool, error) {
	var t facts
	err := q.QueryRowContext(ctx, `SELECT region_code, created_at, status FROM teams WHERE id = $1`, id).
		Scan(&t.region, &t.createdAt, &t.status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return t, err == nil, err
}

// Contribute counts the team on its founding day, by status.
func (t facts) Contribute(s stats.Sink, sign int64) {
	stats.Dated(s, t.region, metricTeams, stats.DayOf(t.createdAt), t.status, sign)
}
