package roster

import (
	"bytes"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/db"
)

// The import batch row is written, with its audit entry, in the same
// transaction as the first rows it saves, and its saved_rows grows in the
// transaction of each later write: whenever the server stops, even killed
// between two writes, a batch's saved_rows is exactly the rows it saved and
// no saved row lacks its batch. finish completes the counts and the report.

// openBatch inserts the batch row and its audit entry in tx, once.
func (im *importer) openBatch(tx db.Querier, id *int64) error {
	if *id != 0 {
		return nil
	}
	var acc any
	if a := audit.ActorFrom(im.ctx).AccountID; a != 0 {
		acc = a
	}
	if err := tx.QueryRowContext(im.ctx, `INSERT INTO import_batches (team_id, account_id, filename, total_rows, saved_rows,
		failed_rows, region_code, created_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7) RETURNING id`,
		im.team.ID, acc, truncate(im.filename, 200), im.res.Total, im.res.Failed, im.team.RegionCode,
		time.Now().Unix()).Scan(id); err != nil {
		return apperr.Wrap(err, "roster: batch")
	}
	return audit.Write(im.ctx, tx, audit.Entry{Action: "import", Entity: "team", EntityID: strconv.FormatInt(im.team.ID, 10),
		RegionCode: im.team.RegionCode, Detail: map[string]any{"batch_id": *id, "filename": truncate(im.filename, 200)}})
}

// countSaved adds a write's saved rows to its batch, in the write's tx.
func (im *importer) countSaved(tx db.Querier, id int64, outs []outcome) error {
	saved := 0
	for _, o := range outs {
		if len(o.probs) == 0 {
			saved++
		}
	}
	_, err := tx.ExecContext(im.ctx, `UPDATE import_batches SET saved_rows = saved_rows + $1, total_rows = $2 WHERE id = $3`,
		saved, im.res.Total, id)
	return apperr.Wrap(err, "roster: batch count")
}

// finish writes the batch's final counts and error report (opening the
// batch if no row was saved at all).
func (im *importer) finish() (Result, error) {
	var report []byte
	if im.res.Failed > 0 {
		var buf bytes.Buffer
		if _, err := im.report.WriteTo(&buf); err != nil {
			return im.res, apperr.Wrap(err, "roster: report")
		}
		report = buf.Bytes()
	}
	id := im.res.BatchID
	err := im.s.db.Tx(im.ctx, func(tx db.Querier) error {
		if err := im.openBatch(tx, &id); err != nil {
			return err
		}
		var rep any
		if report != nil {
			sealed, err := im.s.keys.Seal(string(report), reportAAD(id))
			if err != nil {
				return apperr.Wrap(err, "roster: seal report")
			}
			rep = sealed
		}
		_, err := tx.ExecContext(im.ctx, `UPDATE import_batches SET total_rows = $1, saved_rows = $2, failed_rows = $3, report = $4
			WHERE id = $5`, im.res.Total, im.res.Saved, im.res.Failed, rep, id)
		return apperr.Wrap(err, "roster: batch")
	})
	if err == nil {
		im.res.BatchID = id
	}
	if im.res.Errors == nil {
		im.res.Errors = []RowError{}
	}
	return im.res, err
}
