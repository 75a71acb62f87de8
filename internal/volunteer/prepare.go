package volunteer

import (
	"context"
	"fmt"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// Bulk registration, for imports: rows are validated and sealed up front
// (Prepare), checked against the register a batch at a time (Existing,
// PhonesInUse, FreeNumbers), and inserted inside the importer's transaction
// (InsertPrepared).

// Prepared is a validated, sealed registration ready to insert.
type Prepared struct {
	rec record
	// IDHash and PhoneHash identify the person without their numbers.
	IDHash, PhoneHash []byte
}

// Prepare validates a registration made on someone's behalf and seals its
// numbers; the error carries field errors as for Preregister.
func (s *Service) Prepare(ctx context.Context, in Registration, source string) (Prepared, error) {
	c, err := s.check(ctx, in, modeOnBehalf)
	if err != nil {
		return Prepared{}, err
	}
	r, err := s.record(c, source)
	if err != nil {
		return Prepared{}, apperr.Wrap(err, "volunteer: seal")
	}
	return Prepared{rec: r, IDHash: r.idHash, PhoneHash: r.phoneHash}, nil
}

// Known is an existing volunteer found by ID number.
type Known struct {
	ID        int64
	AccountID int64
	PhoneHash []byte
}

// inList returns the placeholders of a statement's n arguments, the only
// ones of the statement, comma-separated.
func (s *Service) inList(n int) string {
	var b strings.Builder
	b.Grow(n * 4)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(s.db.Dialect.Param(i))
	}
	return b.String()
}

// Existing looks a batch of ID hashes up in one query.
func (s *Service) Existing(ctx context.Context, q db.Querier, idHashes [][]byte) (map[string]Known, error) {
	out := map[string]Known{}
	if len(idHashes) == 0 {
		return out, nil
	}
	args := make([]any, len(idHashes))
	for i, h := range idHashes {
		args[i] = h
	}
	rows, err := q.QueryContext(ctx, `SELECT id_number_hash, id, COALESCE(account_id, 0), phone_hash FROM volunteers
		WHERE id_number_hash IN (`+s.inList(len(args))+`)`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "volunteer: existing")
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var k Known
		if err := rows.Scan(&h, &k.ID, &k.AccountID, &k.PhoneHash); err != nil {
			return nil, apperr.Wrap(err, "volunteer: existing")
		}
		out[string(h)] = k
	}
	return out, apperr.Wrap(rows.Err(), "volunteer: existing")
}

// PhonesInUse returns which of a batch of phone hashes belong to someone,
// mapped to that volunteer's id.
func (s *Service) PhonesInUse(ctx context.Context, q db.Querier, phoneHashes [][]byte) (map[string]int64, error) {
	out := map[string]int64{}
	if len(phoneHashes) == 0 {
		return out, nil
	}
	args := make([]any, len(phoneHashes))
	for i, h := range phoneHashes {
		args[i] = h
	}
	rows, err := q.QueryContext(ctx, `SELECT phone_hash, id FROM volunteers WHERE phone_hash IN (`+s.inList(len(args))+`)`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "volunteer: phones")
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var id int64
		if err := rows.Scan(&h, &id); err != nil {
			return nil, apperr.Wrap(err, "volunteer: phones")
		}
		out[string(h)] = id
	}
	return out, apperr.Wrap(rows.Err(), "volunteer: phones")
}

// FreeNumbers draws n unused volunteer numbers, checking them in one query.
func (s *Service) FreeNumbers(ctx context.Context, q db.Querier, n int) ([]string, error) {
	var out []string
	for tries := 0; len(out) < n && tries < 10; tries++ {
		want := n - len(out)
		cand := make([]string, 0, want)
		seen := map[string]bool{}
		for len(cand) < want {
			no, err := newNumber()
			if err != nil {
				return nil, err
			}
			if !seen[no] && !contains(out, no) {
				seen[no] = true
				cand = append(cand, no)
			}
		}
		args := make([]any, len(cand))
		for i, c := range cand {
			args[i] = c
		}
		rows, err := q.QueryContext(ctx, `SELECT volunteer_no FROM volunteers WHERE volunteer_no IN (`+s.inList(len(args))+`)`, args...)
		if err != nil {
			return nil, apperr.Wrap(err, "volunteer: numbers")
		}
		taken := map[string]bool{}
		for rows.Next() {
			var no string
			if err := rows.Scan(&no); err != nil {
				rows.Close()
				return nil, apperr.Wrap(err, "volunteer: numbers")
			}
			taken[no] = true
		}
		rows.Close()
		for _, c := range cand {
			if !taken[c] {
				out = append(out, c)
			}
		}
	}
	if len(out) < n {
		return nil, apperr.Wrap(fmt.Errorf("no free numbers"), "volunteer: numbers")
	}
	return out, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// InsertPrepared writes a prepared volunteer with the given number, as
// registered by teamID, inside the caller's transaction, and adds it to the
// caller's statistics snapshot, which the caller applies once for the whole
// batch before committing.
func (s *Service) InsertPrepared(ctx context.Context, tx db.Querier, p Prepared, no string, teamID int64, track *stats.Snapshot) (int64, error) {
	r := p.rec
	r.no, r.teamID = no, teamID
	now := s.now().Unix()
	id, err := insertVolunteer(ctx, tx, r, now)
	if err != nil {
		return 0, fmt.Errorf("volunteer: insert: %w", err)
	}
	track.Added(addedFacts(r.region, now, string(r.gender), r.birthDate, r.tagIDs))
	return id, nil
}

// insertChunk is how many volunteers one INSERT statement writes: 25
// parameters a row stays far below both engines' limits (SQLite 32,766,
// PostgreSQL 65,535) while a statement costs one parse and one round trip
// for many rows.
const insertChunk = 100

// InsertPreparedMany writes prepared volunteers with the given numbers
// (one each, in order), as registered by teamID, inside the caller's
// transaction, several rows per statement, and adds them to the caller's
// statistics snapshot. It returns their ids in the order of ps.
func (s *Service) InsertPreparedMany(ctx context.Context, tx db.Querier, ps []Prepared, nos []string, teamID int64, track *stats.Snapshot) ([]int64, error) {
	if len(nos) != len(ps) {
		return nil, fmt.Errorf("volunteer: insert: %d numbers for %d volunteers", len(nos), len(ps))
	}
	now := s.now().Unix()
	ids := make([]int64, 0, len(ps))
	var lists listRows
	for from := 0; from < len(ps); from += insertChunk {
		to := min(from+insertChunk, len(ps))
		got, err := insertVolunteers(ctx, tx, s.db.Dialect, ps[from:to], nos[from:to], teamID, now)
		if err != nil {
			return nil, fmt.Errorf("volunteer: insert: %w", err)
		}
		for i, id := range got {
			r := &ps[from+i].rec
			lists.add(id, r.region, r.tagIDs, r.categoryIDs, r.skills)
		}
		ids = append(ids, got...)
	}
	if err := lists.insert(ctx, tx, s.db.Dialect); err != nil {
		return nil, fmt.Errorf("volunteer: insert lists: %w", err)
	}
	for _, p := range ps {
		r := &p.rec
		track.Added(addedFacts(r.region, now, string(r.gender), r.birthDate, r.tagIDs))
	}
	return ids, nil
}
