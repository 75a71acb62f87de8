package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// The volunteers' counters (read by the dashboard, internal/stats).
const (
	metricVolunteers = "volunteers"       // by registration day, dim ""
	metricTags       = "volunteer_tags"   // by registration day, dim tag id
	metricPeople     = "volunteer_people" // by registration day, dim "gender:birth year"
	metricHours      = "volunteer_hours"  // no period, dim whole confirmed hours
)

// maxHoursBucket caps the hours histogram: star levels above it are not
// told apart.
const maxHoursBucket = 5000

const figuresKind = "volunteer"

// FiguresOf names volunteer id as a subject of the figures.
func FiguresOf(id int64) stats.Subject { return stats.Of(figuresKind, id) }

// Figures is the volunteers' contribution to the figures.
var Figures = stats.Contribution{
	Kind:  figuresKind,
	Facts: volunteerFacts,
	Dated: []string{metricVolunteers, metricTags, metricPeople},
	Rebuild: []string{
		`SELECT region_code, 'volunteers', 'D', {day:created_at}, '', COUNT(*) FROM volunteers GROUP BY 1, 4`,
		`SELECT v.region_code, 'volunteer_tags', 'D', {day:v.created_at}, CAST(t.tag_id AS TEXT), COUNT(*)
			FROM volunteer_tags t JOIN volunteers v ON v.id = t.volunteer_id GROUP BY 1, 4, 5`,
		`SELECT region_code, 'volunteer_people', 'D', {day:created_at},
			gender || ':' || CASE WHEN length(birth_date) >= 4 THEN substr(birth_date, 1, 4) ELSE '' END, COUNT(*)
			FROM volunteers GROUP BY 1, 4, 5`,
		`SELECT v.region_code, 'volunteer_hours', 'T', '',
			CAST(CASE WHEN h.confirmed_minutes / 60 > 5000 THEN 5000 ELSE h.confirmed_minutes / 60 END AS TEXT), COUNT(*)
			FROM volunteer_hours h JOIN volunteers v ON v.id = h.volunteer_id WHERE h.confirmed_minutes >= 60 GROUP BY 1, 5`,
	},
}

// facts is what the figures know of a volunteer.
type facts struct {
	region           string
	createdAt        int64
	gender           string
	birthYear        string
	tags             []int64
	confirmedMinutes int64
}

func volunteerFacts(ctx context.Context, q db.Querier, id int64) (stats.Facts, bool, error) {
	var v facts
	err := q.QueryRowContext(ctx, `SELECT v.region_code, v.created_at, v.gender, v.birth_date, COALESCE(h.confirmed_minutes, 0)
		FROM volunteers v LEFT JOIN volunteer_hours h ON h.volunteer_id = v.id WHERE v.id = $1`, id).
		Scan(&v.region, &v.createdAt, &v.gender, &v.birthYear, &v.confirmedMinutes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v.birthYear = birthYear(v.birthYear)
	v.tags, err = db.QueryAll(ctx, q, scanTagID, `SELECT tag_id FROM volunteer_tags WHERE volunteer_id = $1 ORDER BY tag_id`, id)
	return v, err == nil, err
}

// Contribute counts the volunteer on their registration day, by tag, gender
// and birth year, and in the hours histogram.
func (v facts) Contribute(s stats.Sink, sign int64) {
	day := stats.DayOf(v.createdAt)
	stats.Dated(s, v.region, metricVolunteers, day, "", sign)
	for _, t := range v.tags {
		stats.Dated(s, v.region, metricTags, day, strconv.FormatInt(t, 10), sign)
	}
	stats.Dated(s, v.region, metricPeople, day, v.gender+":"+v.birthYear, sign)
	if h := min(v.confirmedMinutes/60, maxHoursBucket); h > 0 {
		stats.Current(s, v.region, metricHours, strconv.FormatInt(h, 10), sign)
	}
}

// addedFacts are a volunteer inserted in this transaction, as the caller
// holds them (an import's row): a new volunteer has no confirmed hours.
func addedFacts(region string, createdAt int64, gender, birthDate string, tagIDs []int64) stats.Facts {
	return facts{region: region, createdAt: createdAt, gender: gender, birthYear: birthYear(birthDate), tags: tagIDs}
}

func scanTagID(row db.Scanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}

// birthYear is the year of a YYYY-MM-DD birth date, or "" when unknown.
func birthYear(date string) string {
	if len(date) < 4 {
		return ""
	}
	if _, err := strconv.Atoi(date[:4]); err != nil {
		return ""
	}
	return date[:4]
}
