package project

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/db"
)

// feedGenerationQuery reads a volunteer's calendar feed generation (no row:
// 0), by the table's primary key.
const feedGenerationQuery = `SELECT generation FROM calendar_feeds WHERE volunteer_id = $1`

// feedGeneration returns the volunteer's calendar feed generation.
func feedGeneration(ctx context.Context, q db.Querier, volunteerID int64) (int64, error) {
	var gen int64
	err := q.QueryRowContext(ctx, feedGenerationQuery, volunteerID).Scan(&gen)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return gen, err
}

// nextFeedGeneration moves the volunteer's feed to its next generation and
// returns it.
func nextFeedGeneration(ctx context.Context, tx db.Querier, volunteerID int64, now time.Time) (int64, error) {
	var gen int64
	err := tx.QueryRowContext(ctx, `INSERT INTO calendar_feeds (volunteer_id, generation, renewed_at) VALUES ($1, 1, $2)
		ON CONFLICT (volunteer_id) DO UPDATE SET generation = calendar_feeds.generation + 1, renewed_at = excluded.renewed_at
		RETURNING generation`, volunteerID, now.Unix()).Scan(&gen)
	return gen, err
}
