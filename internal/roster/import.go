package roster

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// batchSize rows are checked against the register with one query each and
// written in one transaction.
const batchSize = 500

// maxListedErrors bounds the errors returned in the response; the report
// file holds all of them.
const maxListedErrors = 1000

// RowError is one problem of one row, in the caller's language.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Result is what an import did.
type Result struct {
	BatchID int64      `json:"batch_id"`
	Total   int        `json:"total"`
	Saved   int        `json:"saved"`
	Failed  int        `json:"failed"`
	Created int        `json:"created"`
	Joined  int        `json:"joined_existing"`
	Errors  []RowError `json:"errors"`
}

// pending is a valid row waiting for its batch.
type pending struct {
	row  sheet.Row
	prep volunteer.Prepared
}

// importer is the state of one import.
type importer struct {
	s        *Service
	ctx      context.Context
	team     team.Team
	lang     string
	report   *sheet.Report
	res      Result
	seenID   map[uint64]int // first 8 bytes of the ID hash → row number
	seenTel  map[uint64]int
	batch    []pending
	filename string
}

// Import reads an uploaded workbook into a team: every valid row is saved
// (a new, unclaimed volunteer record, or an existing volunteer added to the
// team) and every invalid row is reported with its reasons, never half a
// row. Importing the same file again adds nobody twice. Memory stays flat:
// the sheet is streamed and rows are written 500 at a time; only an 8-byte
// key per row is kept to find duplicates within the file.
func (s *Service) Import(ctx context.Context, p *auth.Principal, teamID int64, file io.ReaderAt, size int64, filename, lang string) (Result, error) {
	t, err := s.importable(ctx, p, teamID)
	if err != nil {
		return Result{}, err
	}
	rd, err := sheet.Open(file, size)
	if err != nil {
		return Result{}, s.fileError(err, lang)
	}
	defer rd.Close()
	report, err := sheet.NewReport(rd.Headers())
	if err != nil {
		return Result{}, apperr.Wrap(err, "roster: report")
	}
	defer report.Close()
	im := &importer{s: s, ctx: ctx, team: t, lang: lang, report: report, filename: filename,
		seenID: map[uint64]int{}, seenTel: map[uint64]int{}}
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return im.res, s.fileError(err, lang)
		}
		if err := im.take(row); err != nil {
			return im.res, err
		}
	}
	if err := im.flush(); err != nil {
		return im.res, err
	}
	return im.finish()
}

// CanImport checks, before an upload is read, that the principal may import
// into the team.
func (s *Service) CanImport(ctx context.Context, p *auth.Principal, teamID int64) error {
	_, err := s.importable(ctx, p, teamID)
	return err
}

func (s *Service) importable(ctx context.Context, p *auth.Principal, teamID int64) (team.Team, error) {
	t, err := s.teams.Manageable(ctx, p, teamID)
	if err != nil {
		return t, err
	}
	if t.State != team.StateApproved {
		return t, apperr.New(apperr.Conflict, "team.not_approved")
	}
	return t, nil
}

// fileError turns an unreadable upload into a 422 with the sheet's message.
func (s *Service) fileError(err error, lang string) error {
	return &apperr.Error{Kind: apperr.Invalid, Key: "import.bad_file", Args: map[string]any{"Detail": sheet.Message(err, lang)},
		Fields: map[string]apperr.Field{"file": {Code: "unreadable", Key: "import.bad_file", Args: map[string]any{"Detail": sheet.Message(err, lang)}}},
		Cause:  err}
}

func key8(h []byte) uint64 { return binary.BigEndian.Uint64(h[:8]) }

// take validates one row and queues it, or reports it.
func (im *importer) take(row sheet.Row) error {
	im.res.Total++
	in, probs := registration(row)
	if len(probs) == 0 {
		prep, err := im.s.volunteers.Prepare(im.ctx, in, volunteer.SourceImport)
		if err != nil {
			e := apperr.From(err)
			if e.Kind == apperr.Internal {
				return err
			}
			for name, fe := range e.Fields {
				field := sheetField[name]
				if field == "" {
					field = name
				}
				probs = append(probs, problem{field: field, key: fe.Key, args: fe.Args})
			}
		} else {
			if first, dup := im.seenID[key8(prep.IDHash)]; dup {
				probs = append(probs, problem{field: sheet.FieldIDNumber, key: "import.duplicate_id", args: map[string]any{"Row": first}})
			} else if first, dup := im.seenTel[key8(prep.PhoneHash)]; dup {
				probs = append(probs, problem{field: sheet.FieldPhone, key: "import.duplicate_phone", args: map[string]any{"Row": first}})
			} else {
				im.seenID[key8(prep.IDHash)] = row.Number
				im.seenTel[key8(prep.PhoneHash)] = row.Number
				im.batch = append(im.batch, pending{row: row, prep: prep})
				if len(im.batch) >= batchSize {
					return im.flush()
				}
				return nil
			}
		}
	}
	return im.fail(row, probs)
}

// fail reports a row with its problems.
func (im *importer) fail(row sheet.Row, probs []problem) error {
	im.res.Failed++
	var parts []string
	for _, p := range probs {
		msg := im.s.cat.T(im.lang, p.key, p.args)
		if len(im.res.Errors) < maxListedErrors {
			im.res.Errors = append(im.res.Errors, RowError{Row: row.Number, Field: p.field, Message: msg})
		}
		label := sheet.HeaderName(p.field)
		if im.lang == "en" || label == "" {
			label = p.field
		}
		parts = append(parts, label+"："+msg)
	}
	return apperr.Wrap(im.report.Add(row.Number, row.Raw, strings.Join(parts, "；")), "roster: report row")
}

// outcome of one queued row after its batch was written.
type outcome struct {
	created, joined bool
	probs           []problem
}

// flush writes the queued rows in one transaction. If that transaction
// fails, each row is retried alone, so one bad row cannot sink the others.
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	batch := im.batch
	im.batch = nil
	outs, err := im.write(batch)
	if err != nil {
		if apperr.From(err).Kind == apperr.Unavailable {
			return err
		}
		im.s.log.WarnContext(im.ctx, "import batch failed; retrying row by row", "team_id", im.team.ID, "err", err)
		outs = make([]outcome, len(batch))
		for i := range batch {
			one, err := im.write(batch[i : i+1])
			if err != nil {
				im.s.log.ErrorContext(im.ctx, "import row failed", "team_id", im.team.ID, "row", batch[i].row.Number, "err", err)
				outs[i] = outcome{probs: []problem{{field: "", key: "import.row_not_saved"}}}
				continue
			}
			outs[i] = one[0]
		}
	}
	for i, o := range outs {
		switch {
		case len(o.probs) > 0:
			if err := im.fail(batch[i].row, o.probs); err != nil {
				return err
			}
		default:
			im.res.Saved++
			if o.created {
				im.res.Created++
			} else if o.joined {
				im.res.Joined++
			}
		}
	}
	return nil
}

// write saves a batch in one transaction and says what happened to each row.
func (im *importer) write(batch []pending) ([]outcome, error) {
	ctx, vols := im.ctx, im.s.volunteers
	ids := make([][]byte, len(batch))
	phones := make([][]byte, len(batch))
	for i, p := range batch {
		ids[i], phones[i] = p.prep.IDHash, p.prep.PhoneHash
	}
	outs := make([]outcome, len(batch))
	batchID := im.res.BatchID
	err := im.s.db.Tx(ctx, func(tx db.Querier) error {
		if err := im.openBatch(tx, &batchID); err != nil {
			return err
		}
		track := &stats.Snapshot{}
		known, err := vols.Existing(ctx, tx, ids)
		if err != nil {
			return err
		}
		inUse, err := vols.PhonesInUse(ctx, tx, phones)
		if err != nil {
			return err
		}
		fresh := 0
		for i, p := range batch {
			if _, ok := known[string(p.prep.IDHash)]; !ok {
				if _, taken := inUse[string(phones[i])]; !taken {
					fresh++
				}
			}
		}
		numbers, err := vols.FreeNumbers(ctx, tx, fresh)
		if err != nil {
			return err
		}
		for i, p := range batch {
			if k, ok := known[string(p.prep.IDHash)]; ok {
				// Already registered: the register keeps its own phone number,
				// and a person with an account is invited rather than enrolled.
				added, err := im.s.teams.AddMemberTx(ctx, tx, im.team, k.ID)
				if err != nil {
					return err
				}
				outs[i] = outcome{joined: added}
				continue
			}
			if _, taken := inUse[string(phones[i])]; taken {
				outs[i] = outcome{probs: []problem{{field: sheet.FieldPhone, key: "volunteer.phone_taken"}}}
				continue
			}
			id, err := vols.InsertPrepared(ctx, tx, p.prep, numbers[0], im.team.ID, track)
			if err != nil {
				return err
			}
			numbers = numbers[1:]
			if err := im.s.teams.EnrolNewTx(ctx, tx, im.team, id); err != nil {
				return err
			}
			outs[i] = outcome{created: true}
		}
		if err := track.Apply(ctx, tx); err != nil {
			return err
		}
		return im.countSaved(tx, batchID, outs)
	})
	if err == nil {
		im.res.BatchID = batchID
	}
	return outs, err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
