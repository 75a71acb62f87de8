package roster

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// batchSize valid rows are checked against the register with one query
// each and written in one transaction, several rows per statement. Batches of
// 2,000 were not shown to help on a loaded machine and would hold SQLite's
// one writer four times as long.
const batchSize = 500

// chunkRows bounds the rows (valid or not) read ahead of the writer in one
// chunk, so a sheet of mostly bad rows still moves in bounded steps.
const chunkRows = 4 * batchSize

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

// importer is the state of one import, owned by the writing goroutine.
type importer struct {
	s        *Service
	ctx      context.Context
	team     team.Team
	lang     string
	report   *sheet.Report
	res      Result
	batch    []pending
	filename string
}

// item is one row as read and checked: queued for writing (probs empty) or
// failed with its problems.
type item struct {
	row   sheet.Row
	prep  volunteer.Prepared
	probs []problem
}

// chunk is a run of read rows handed to the writer; err, if set, stops the
// import at the end of the rows read before it (which are not written):
// an unreadable sheet (badFile) or a failure of the server.
type chunk struct {
	items   []item
	err     error
	badFile bool
}

// reader is the state of the reading goroutine: it validates and seals
// rows and finds duplicates within the file while the writer saves the
// previous chunk.
type reader struct {
	s       *Service
	ctx     context.Context
	seenID  map[uint64]int // first 8 bytes of the ID hash → row number
	seenTel map[uint64]int
}

// Import reads an uploaded workbook into a team: every valid row is saved
// (a new, unclaimed volunteer record, or an existing volunteer added to the
// team) and every invalid row is reported with its reasons, never half a
// row. Importing the same file again adds nobody twice. Memory stays flat:
// the sheet is streamed, read and checked one chunk ahead of the writer,
// and rows are written 500 at a time; only an 8-byte key per row is kept to
// find duplicates within the file.
func (s *Service) Import(ctx context.Context, p *auth.Principal, teamID int64, file io.ReaderAt, size int64, filename, lang string) (Result, error) {
	t, err := s.importable(ctx, p, teamID)
	if err != nil {
		return Result{}, err
	}
	rd, err := sheet.OpenLimited(file, size, s.SheetLimits)
	if err != nil {
		return Result{}, s.fileError(err, lang)
	}
	defer rd.Close()
	report, err := sheet.NewReport(rd.Headers())
	if err != nil {
		return Result{}, apperr.Wrap(err, "roster: report")
	}
	defer report.Close()
	im := &importer{s: s, ctx: ctx, team: t, lang: lang, report: report, filename: filename}
	if err := s.db.Dialect.SetWriterUse(ctx, s.db.Write(), db.BulkInserts); err != nil {
		return Result{}, apperr.Wrap(err, "roster: bulk writing")
	}
	defer func() {
		if err := s.db.Dialect.SetWriterUse(context.WithoutCancel(ctx), s.db.Write(), db.ShortWrites); err != nil {
			s.log.WarnContext(ctx, "import: write connection settings not restored", "err", err)
		}
	}()
	// One chunk is read and checked while the previous one is written: at
	// most three chunks are alive, whatever the size of the sheet.
	rctx, stop := context.WithCancel(ctx)
	chunks := make(chan chunk, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&reader{s: s, ctx: rctx, seenID: map[uint64]int{}, seenTel: map[uint64]int{}}).run(rd, chunks)
	}()
	defer func() {
		stop()
		for range chunks { // let the reader see the cancel and finish
		}
		<-done
	}()
	for c := range chunks {
		if c.err != nil {
			if c.badFile {
				return im.res, s.fileError(c.err, lang)
			}
			return im.res, c.err
		}
		if err := im.take(c.items); err != nil {
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

// run reads the sheet into chunks until its end, an error or the cancel.
func (r *reader) run(rd *sheet.Reader, out chan<- chunk) {
	defer close(out)
	var c chunk
	valid := 0
	send := func() bool {
		select {
		case out <- c:
			c, valid = chunk{items: make([]item, 0, len(c.items))}, 0
			return true
		case <-r.ctx.Done():
			return false
		}
	}
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.err, c.badFile = err, true
			send()
			return
		}
		if err := r.ctx.Err(); err != nil {
			return
		}
		it, err := r.check(row)
		if err != nil {
			c.err = err
			send()
			return
		}
		c.items = append(c.items, it)
		if len(it.probs) == 0 {
			valid++
		}
		if (valid >= batchSize || len(c.items) >= chunkRows) && !send() {
			return
		}
	}
	if len(c.items) > 0 {
		send()
	}
}

// check validates and seals one row and looks for an earlier row of the
// file with the same person; the error is for failures that stop the import.
func (r *reader) check(row sheet.Row) (item, error) {
	in, probs := registration(row)
	if len(probs) > 0 {
		return item{row: row, probs: probs}, nil
	}
	prep, err := r.s.volunteers.Prepare(r.ctx, in, volunteer.SourceImport)
	if err != nil {
		e := apperr.From(err)
		if e.Kind == apperr.Internal {
			return item{}, err
		}
		for name, fe := range e.Fields {
			field := sheetField[name]
			if field == "" {
				field = name
			}
			probs = append(probs, problem{field: field, key: fe.Key, args: fe.Args})
		}
		return item{row: row, probs: probs}, nil
	}
	if first, dup := r.seenID[key8(prep.IDHash)]; dup {
		return item{row: row, probs: []problem{{field: sheet.FieldIDNumber, key: "import.duplicate_id", args: map[string]any{"Row": first}}}}, nil
	}
	if first, dup := r.seenTel[key8(prep.PhoneHash)]; dup {
		return item{row: row, probs: []problem{{field: sheet.FieldPhone, key: "import.duplicate_phone", args: map[string]any{"Row": first}}}}, nil
	}
	r.seenID[key8(prep.IDHash)] = row.Number
	r.seenTel[key8(prep.PhoneHash)] = row.Number
	return item{row: row, prep: prep}, nil
}

// take counts and reports a chunk's rows and queues the valid ones,
// writing a batch whenever one is full.
func (im *importer) take(items []item) error {
	for _, it := range items {
		im.res.Total++
		if len(it.probs) > 0 {
			if err := im.fail(it.row, it.probs); err != nil {
				return err
			}
			continue
		}
		im.batch = append(im.batch, pending{row: it.row, prep: it.prep})
		if len(im.batch) >= batchSize {
			if err := im.flush(); err != nil {
				return err
			}
		}
	}
	return nil
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
	defer func() { clear(batch); im.batch = batch[:0] }() // the next batch reuses the array
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
	err := im.s.db.TxAlone(ctx, func(tx db.Querier) error {
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
		var fresh []int // rows of batch that register someone new
		for i, p := range batch {
			if k, ok := known[string(p.prep.IDHash)]; ok {
				// Already registered: the register keeps its own phone number,
				// and a person with an account is invited rather than enrolled.
				added, err := im.s.teams.AddMemberTx(ctx, tx, im.team, k.ID)
				if errors.Is(err, team.ErrOthersRecord) {
					// Another team's unclaimed record: nobody here may speak for it.
					outs[i] = outcome{probs: []problem{{field: sheet.FieldIDNumber, key: "import.others_record"}}}
					continue
				}
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
			fresh = append(fresh, i)
		}
		if len(fresh) > 0 {
			// New rows go in in the order of their ID hash, with their
			// (random) numbers in ascending order: two of the volunteers'
			// four random indexes are then written from left to right,
			// not at 500 random places (tenth scale: 68.9 to 64.7 s of
			// server CPU for 500,000 rows).
			slices.SortFunc(fresh, func(a, b int) int { return bytes.Compare(batch[a].prep.IDHash, batch[b].prep.IDHash) })
			numbers, err := vols.FreeNumbers(ctx, tx, len(fresh))
			if err != nil {
				return err
			}
			slices.Sort(numbers) // all of NoLength digits: text order is number order
			preps := make([]volunteer.Prepared, len(fresh))
			for j, i := range fresh {
				preps[j] = batch[i].prep
			}
			ids, err := vols.InsertPreparedMany(ctx, tx, preps, numbers, im.team.ID, track)
			if err != nil {
				return err
			}
			if err := im.s.teams.EnrolNewManyTx(ctx, tx, im.team, ids); err != nil {
				return err
			}
			for _, i := range fresh {
				outs[i] = outcome{created: true}
			}
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
