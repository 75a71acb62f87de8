package project

import (
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
)

// checkedProject is a valid NewProject with parsed values.
type checkedProject struct {
	NewProject
	phone      string
	start, end time.Time
}

func textField(f apperr.Fields, name, value string, min, max int) string {
	value = strings.TrimSpace(value)
	switch n := utf8.RuneCountInString(value); {
	case n < min && min > 0 && n == 0:
		f.Add(name, "required", "project."+name+"_required")
	case n < min || n > max:
		f.AddArgs(name, "length", "project.length", map[string]any{"Min": min, "Max": max})
	}
	return value
}

// validate checks a new project; category resolution is the service's.
func validate(in NewProject, today time.Time) (checkedProject, error) {
	c := checkedProject{NewProject: in}
	f := apperr.Fields{}
	if in.TeamID <= 0 {
		f.Add("team_id", "required", "project.team_id_required")
	}
	c.Name = textField(f, "name", in.Name, 2, 60)
	c.Content = textField(f, "content", in.Content, 1, 2000)
	c.Address = textField(f, "address", in.Address, 1, 200)
	c.ContactName = textField(f, "contact_name", in.ContactName, 1, 40)
	c.Requirements = textField(f, "requirements", in.Requirements, 0, 1000)
	c.Risks = textField(f, "risks", in.Risks, 0, 1000)
	c.Protections = textField(f, "protections", in.Protections, 0, 1000)
	c.Theme = textField(f, "theme", in.Theme, 0, 40)
	if c.RegionCode = strings.TrimSpace(in.RegionCode); !region.Valid(c.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	} else if lvl, _ := region.LevelOf(c.RegionCode); lvl < region.LevelCounty {
		f.Add("region_code", "too_coarse", "project.region_too_coarse")
	}
	if in.RecruitCount < 1 || in.RecruitCount > 100000 {
		f.Add("recruit_count", "range", "project.recruit_count_range")
	}
	var err error
	if c.phone, err = pii.NormalizePhone(in.ContactPhone); err != nil {
		f.Add("contact_phone", "format", "volunteer.phone_format")
	}
	if (in.Lat == nil) != (in.Lng == nil) || (in.Lat != nil && (*in.Lat < 3 || *in.Lat > 54 || *in.Lng < 73 || *in.Lng > 136)) {
		f.Add("lat", "range", "project.coordinates")
	}
	c.start, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(in.StartsOn), clock.Zone)
	if err != nil {
		f.Add("starts_on", "format", "project.date_format")
	}
	var err2 error
	c.end, err2 = time.ParseInLocation("2006-01-02", strings.TrimSpace(in.EndsOn), clock.Zone)
	if err2 != nil {
		f.Add("ends_on", "format", "project.date_format")
	}
	if err == nil && err2 == nil {
		switch {
		case c.end.Before(c.start):
			f.Add("ends_on", "before_start", "project.ends_before_start")
		case c.end.Sub(c.start) > MaxSpan:
			f.Add("ends_on", "too_long", "project.span_too_long")
		case c.end.Before(today):
			f.Add("ends_on", "past", "project.already_ended")
		}
	}
	return c, f.Err()
}

// checkedShift is a valid NewShift.
type checkedShift struct {
	start, end, opens, closes time.Time
	capacity, waitlist        int
	place                     string
	lat, lng                  *float64
	radius                    int
}

// validateShift checks a shift against its project's dates. A shift may
// cross midnight; it must start on a day of the project.
func validateShift(in NewShift, p Project, now time.Time) (checkedShift, error) {
	f := apperr.Fields{}
	var c checkedShift
	var err1, err2 error
	c.start, err1 = time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
	if err1 != nil {
		f.Add("starts_at", "format", "project.time_format")
	}
	c.end, err2 = time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
	if err2 != nil {
		f.Add("ends_at", "format", "project.time_format")
	}
	if err1 == nil && err2 == nil {
		day := c.start.In(clock.Zone).Format("2006-01-02")
		switch {
		case !c.end.After(c.start):
			f.Add("ends_at", "before_start", "project.shift_ends_before_start")
		case c.end.Sub(c.start) > MaxShiftLength:
			f.Add("ends_at", "too_long", "project.shift_too_long")
		case !c.start.After(now):
			f.Add("starts_at", "past", "project.shift_in_past")
		case c.start.After(now.Add(MaxShiftAhead)):
			f.Add("starts_at", "too_far", "project.shift_too_far")
		case day < p.StartsOn || day > p.EndsOn:
			f.Add("starts_at", "outside_project", "project.shift_outside_project")
		}
	}
	if in.Capacity < 1 || in.Capacity > 10000 {
		f.Add("capacity", "range", "project.capacity_range")
	}
	if in.Waitlist < 0 || in.Waitlist > 10000 {
		f.Add("waitlist", "range", "project.waitlist_range")
	}
	c.capacity, c.waitlist = in.Capacity, in.Waitlist
	c.place = strings.TrimSpace(in.Place)
	if utf8.RuneCountInString(c.place) > 200 {
		f.AddArgs("place", "length", "project.length", map[string]any{"Min": 0, "Max": 200})
	}
	if in.GeofenceRadius != 0 || in.GeofenceLat != nil || in.GeofenceLng != nil {
		if in.GeofenceLat == nil || in.GeofenceLng == nil || *in.GeofenceLat < 3 || *in.GeofenceLat > 54 ||
			*in.GeofenceLng < 73 || *in.GeofenceLng > 136 || in.GeofenceRadius < 50 || in.GeofenceRadius > 5000 {
			f.Add("geofence_radius", "range", "project.geofence")
		}
		c.lat, c.lng, c.radius = in.GeofenceLat, in.GeofenceLng, in.GeofenceRadius
	}
	c.opens, c.closes = time.Time{}, c.start
	if s := strings.TrimSpace(in.SignupOpensAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			f.Add("signup_opens_at", "format", "project.time_format")
		}
		c.opens = t
	}
	if s := strings.TrimSpace(in.SignupClosesAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil || (err1 == nil && t.After(c.start)) {
			f.Add("signup_closes_at", "format", "project.signup_window")
		}
		c.closes = t
	}
	return c, f.Err()
}
