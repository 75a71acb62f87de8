package project

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

const shiftColumns = `s.id, s.project_id, p.name, s.region_code, s.starts_at, s.ends_at, s.place, s.capacity, s.waitlist,
	s.taken, s.waiting, s.signup_opens_at, s.signup_closes_at, COALESCE(s.geofence_lat_e6, 0), COALESCE(s.geofence_lng_e6, 0), s.geofence_m`

func scanShift(row db.Scanner) (Shift, error) {
	var sh Shift
	var start, end, opens, closes, lat, lng int64
	err := row.Scan(&sh.ID, &sh.ProjectID, &sh.ProjectName, &sh.RegionCode, &start, &end, &sh.Place, &sh.Capacity,
		&sh.Waitlist, &sh.Taken, &sh.Waiting, &opens, &closes, &lat, &lng, &sh.GeofenceRadius)
	sh.GeofenceLat, sh.GeofenceLng = float64(lat)/1e6, float64(lng)/1e6
	sh.StartsAt, sh.EndsAt = time.Unix(start, 0), time.Unix(end, 0)
	if opens > 0 {
		sh.SignupOpensAt = time.Unix(opens, 0)
	}
	sh.SignupClosesAt = time.Unix(closes, 0)
	return sh, err
}

func shiftByID(ctx context.Context, q db.Querier, id int64) (Shift, error) {
	sh, err := scanShift(q.QueryRowContext(ctx, `SELECT `+shiftColumns+` FROM shifts s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, db.ErrNotFound
	}
	return sh, err
}

var errShiftNotFound = apperr.New(apperr.NotFound, "shift.not_found")

// AddShift adds a shift to a project the principal manages.
func (s *Service) AddShift(ctx context.Context, p *auth.Principal, projectID int64, in NewShift) (Shift, error) {
	pr, err := s.manageable(ctx, p, projectID)
	if err != nil {
		return Shift{}, err
	}
	if pr.State == StateClosed || pr.State == StateRejected {
		return Shift{}, apperr.New(apperr.Conflict, "project.wrong_state").With(map[string]any{"State": pr.State})
	}
	if pr.TeamSuspended {
		return Shift{}, errTeamSuspended
	}
	c, err := validateShift(in, pr, s.Now())
	if err != nil {
		return Shift{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		db.AfterCommit(tx, s.open.forget)
		var opens int64
		if !c.opens.IsZero() {
			opens = c.opens.Unix()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO shifts (project_id, region_code, starts_at, ends_at, place, capacity, waitlist,
			signup_opens_at, signup_closes_at, created_by, created_at, geofence_lat_e6, geofence_lng_e6, geofence_m)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			pr.ID, pr.RegionCode, c.start.Unix(), c.end.Unix(), c.place, c.capacity, c.waitlist, opens, c.closes.Unix(),
			db.NullID(p.AccountID), s.Now().Unix(), microdegrees(c.lat), microdegrees(c.lng), c.radius).Scan(&id); err != nil {
			return apperr.Wrap(err, "project: insert shift")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "create", Entity: "shift", EntityID: strconv.FormatInt(id, 10),
			RegionCode: pr.RegionCode, Detail: map[string]any{"project_id": pr.ID, "capacity": c.capacity}})
	})
	if err != nil {
		return Shift{}, err
	}
	return s.Shift(ctx, p, id)
}

// Shift returns a shift of a project the principal may see.
func (s *Service) Shift(ctx context.Context, p *auth.Principal, id int64) (Shift, error) {
	sh, err := shiftByID(ctx, s.db.Read(), id)
	if errors.Is(err, db.ErrNotFound) {
		return sh, errShiftNotFound
	}
	if err != nil {
		return sh, apperr.Wrap(err, "project: shift")
	}
	if _, err := s.Get(ctx, p, sh.ProjectID); err != nil {
		return Shift{}, apperr.Mask(err, errShiftNotFound)
	}
	return sh, nil
}

// Shifts lists a project's shifts in time order.
func (s *Service) Shifts(ctx context.Context, p *auth.Principal, projectID int64) ([]Shift, error) {
	if _, err := s.Get(ctx, p, projectID); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+shiftColumns+` FROM shifts s JOIN projects p ON p.id = s.project_id
		WHERE s.project_id = $1 ORDER BY s.starts_at, s.id`, projectID)
	if err != nil {
		return nil, apperr.Wrap(err, "project: shifts")
	}
	defer rows.Close()
	var out []Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "project: shifts")
		}
		out = append(out, sh)
	}
	return out, apperr.Wrap(rows.Err(), "project: shifts")
}
