package volunteer

import (
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/pii"
)

// What a viewer sees of a volunteer is decided here and nowhere else: every
// exported method that returns a Volunteer to a principal passes it through
// shownTo. The person themself and those who may reveal the numbers
// (auth.PermVolunteerReveal in the volunteer's scope) see the birth date and
// the stored mask (first six and last four of an 18-digit ID); anyone else
// sees the age in years and pii.MaskIDTail (the last four only), because the
// first six, the last four and the birth date together are the whole number.

// SeesBirthDate reports whether p sees v's birth date and the stored ID mask:
// p is the person, or may reveal v's numbers.
func SeesBirthDate(p *auth.Principal, v Volunteer) bool {
	if p == nil {
		return false
	}
	if v.AccountID != 0 && v.AccountID == p.AccountID {
		return true
	}
	return auth.Can(p, auth.PermVolunteerReveal, target(v))
}

// shownTo returns v as p may see it on the day of now. v is a copy: the
// memo's volunteer is never changed.
func shownTo(p *auth.Principal, v Volunteer, now time.Time) Volunteer {
	v.Age = ageOf(v.BirthDate, now)
	if !SeesBirthDate(p, v) {
		v.BirthDate = ""
		v.IDNumberMasked = pii.MaskIDTail(v.IDNumberMasked)
	}
	return v
}

// ownView is v as the person sees it, for the moments before they are
// signed in (registering, claiming).
func ownView(v Volunteer, now time.Time) Volunteer {
	v.Age = ageOf(v.BirthDate, now)
	return v
}

// ageOf is the age in whole years, in Asia/Shanghai, of someone born on the
// date birth ("2006-01-02"); 0 when the birth date is unknown.
func ageOf(birth string, now time.Time) int {
	b, err := time.ParseInLocation(time.DateOnly, birth, clock.Zone)
	if err != nil {
		return 0
	}
	return pii.AgeOn(b, now.In(clock.Zone))
}
