// Package stats keeps the figures of the dashboards: rollup tables updated in
// the transaction of every write that changes a figure, read in
// milliseconds for any region and period, and rebuilt from the raw tables
// on demand (`zhiyuan stats rebuild`).
//
// The package is the engine: the rollup tables, counters and active sets,
// levels and dates, the rebuild driver, the cache and the readers. Each
// domain declares its part (a Contribution: its facts, what they add, its
// rebuild statements) in its own figures.go, registered when the app is
// wired. A store that changes a subject takes a Snapshot of it before the
// change and applies it after, in the same transaction: the snapshot
// reloads the subjects' facts and writes the difference of their
// contributions. A contribution's Facts and its Rebuild are two statements
// of the same rules; a test keeps every registered one equal.
package stats

// Metrics of stat_counts the readers (figures.go) show, written by the
// domains' contributions under the same names (their figures.go).
const (
	mVolunteers        = "volunteers"         // by registration day, dim ""
	mVolunteerTags     = "volunteer_tags"     // by registration day, dim tag id
	mVolunteerPeople   = "volunteer_people"   // by registration day, dim "gender:birth year"
	mVolunteerHours    = "volunteer_hours"    // grain T, dim whole confirmed hours
	mTeams             = "teams"              // by founding day, dim status
	mProjects          = "projects"           // by creation day, dim state
	mProjectCategories = "project_categories" // by creation day, dim category id
	mMinutes           = "minutes"            // confirmed minutes by service day, dim category id
	mRecords           = "records"            // confirmed records by service day, dim ""
	mTeamMinutes       = "team_minutes"       // grain T, confirmed minutes, dim team id
	mAwaiting          = "awaiting"           // pending records by due day (grain D only)
)

// Grains of a period.
const (
	grainDay   = "D"
	grainMonth = "M"
	grainYear  = "Y"
	grainNone  = "T"
)

// Kinds of stat_active the readers show (written by package record's
// contribution).
const (
	kindVolunteer = "volunteer"
	kindTeam      = "team"
)

// levelWidths are the lengths of region codes from the province down.
var levelWidths = [...]int{2, 4, 6, 9, 12}

// levels returns a region code's prefixes at every level, itself included:
// "120101001" gives 12, 1201, 120101, 120101001.
func levels(code string) []string {
	out := make([]string, 0, len(levelWidths))
	for _, w := range levelWidths {
		if w <= len(code) {
			out = append(out, code[:w])
		}
	}
	return out
}
