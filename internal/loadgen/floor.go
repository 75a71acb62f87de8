package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"zhiyuan/internal/db"
)

// The floor is what the check-in target allows on this machine at best: a
// plain Go HTTP server whose handler reads a scan's JSON body, commits one
// row (BEGIN, INSERT, COMMIT on the database's write connection, as the
// "DB limit" is measured) and answers, with no sign-in, no code to check,
// no audit entry and no record, driven by as many clients as the burst has
// scanners. It runs inside the load program (one Go runtime for server and
// clients, which if anything flatters it). A check-in does all that the
// floor leaves out, in the same transaction, so it cannot be faster; the
// floor's share of the DB limit is the most any check-in could show here.

// floorServer serves the floor on a free local port until Close.
type floorServer struct {
	URL string
	srv *http.Server
	d   *db.DB
}

// floorTable is the floor's scratch table, dropped on Close.
const floorTable = "bench_floor"

func startFloor(ctx context.Context, dsn string) (*floorServer, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ddl := `CREATE TABLE ` + floorTable + ` (id INTEGER PRIMARY KEY, code TEXT NOT NULL, at BIGINT NOT NULL)`
	if d.Dialect == db.Postgres {
		ddl = `CREATE TABLE ` + floorTable + ` (id BIGSERIAL PRIMARY KEY, code TEXT NOT NULL, at BIGINT NOT NULL)`
	}
	_, _ = d.Write().ExecContext(ctx, `DROP TABLE IF EXISTS `+floorTable)
	if _, err := d.Write().ExecContext(ctx, ddl); err != nil {
		d.Close()
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		d.Close()
		return nil, err
	}
	f := &floorServer{URL: "http://" + l.Addr().String(), d: d}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.scan), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

// scan is the floor's whole handler.
func (f *floorServer) scan(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code string `json:"code"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil || in.Code == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	if err := f.commit(r.Context(), in.Code); err != nil {
		http.Error(w, `{"error":"`+err.Error()+`"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (f *floorServer) commit(ctx context.Context, code string) error {
	tx, err := f.d.WritePool().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+floorTable+` (code, at) VALUES ($1, $2)`, code, time.Now().Unix()); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// rows counts the floor's committed rows in the database itself.
func (f *floorServer) rows(ctx context.Context) (int64, error) {
	var n int64
	err := f.d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+floorTable).Scan(&n)
	return n, err
}

// Close stops the server and drops its table.
func (f *floorServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := f.srv.Shutdown(ctx)
	_, derr := f.d.Write().ExecContext(ctx, `DROP TABLE `+floorTable)
	return errors.Join(err, derr, f.d.Close())
}

// floor drives the floor server like the check-in burst's scanners: each
// client its own connection, POSTing a scan's JSON body, for the scale's
// duration.
func (r *run) floor(ctx context.Context, limit float64) (Row, error) {
	f, err := startFloor(ctx, r.c.DB)
	if err != nil {
		return Row{}, fmt.Errorf("floor server: %w", err)
	}
	defer f.Close()
	n := r.c.Scale.Scanners
	c := newAPI(f.URL)
	body := map[string]string{"code": "floor-scan-code-of-the-same-length-as-a-real-one"}
	rec := &recorder{}
	wall := drive(ctx, n, r.c.Scale.Duration, func(ctx context.Context, _, _ int) bool {
		_ = rec.time(func() error { _, err := c.do(ctx, "POST", "/", body, nil, 200); return err })
		return false
	})
	row := Row{DBLimit: limit, inLoad: true}
	fill(&row, rec, n, wall)
	got, err := f.rows(ctx)
	if err != nil {
		return Row{}, fmt.Errorf("floor server: %w", err)
	}
	if want := int64(row.Requests - row.Errors); got != want {
		return Row{}, fmt.Errorf("floor server: %d rows committed for %d answered scans", got, want)
	}
	row.Note = fmt.Sprintf("the most a check-in could reach here: a Go HTTP server in the load program reading a scan's JSON and committing one row (BEGIN, INSERT, COMMIT), no sign-in, code check, audit or record; %d clients for %s; its CPU is in load CPU/req",
		n, r.c.Scale.Duration)
	return row, nil
}
