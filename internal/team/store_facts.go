package team

import (
	"context"
	"database/sql"
	"errors"

	"zhiyuan/internal/db"
)

// Facts is what another package reads of a team: who issues in its name,
// where it is and whether it may work.
type Facts struct {
	Name               string
	RegionCode         string
	ContactName        string
	ContactPhoneMasked string
	Status             string
}

// FactsOf reads team id's facts through q (a transaction's or the read
// pool); db.ErrNotFound when there is no such team.
func FactsOf(ctx context.Context, q db.Querier, id int64) (Facts, error) {
	var f Facts
	err := q.QueryRowContext(ctx, `SELECT name, region_code, contact_name, contact_phone_masked, status FROM teams WHERE id = $1`, id).
		Scan(&f.Name, &f.RegionCode, &f.ContactName, &f.ContactPhoneMasked, &f.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return f, db.ErrNotFound
	}
	return f, err
}
