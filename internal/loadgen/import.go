package loadgen

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/region"
)

// importSpace is how many distinct import people exist: one phone number
// 145xxxxxxxx each, and a Beijing-born ID number that no generated
// (Tianjin) volunteer and no registration scenario (110105) has.
const importSpace = 100_000_000

// importPerson returns the name, ID number and phone of import person g
// (0 ≤ g < importSpace); distinct g give distinct ID numbers and phones.
func importPerson(g int) (name, id, phone string) {
	base := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	region6 := fmt.Sprintf("1101%02d", 20+g/15_000_000)
	id = residentID(region6, base.AddDate(0, 0, g%15000), g/15000%1000)
	return fmt.Sprintf("导入志愿者%d", g), id, fmt.Sprintf("145%08d", g)
}

// importNonce picks this run's block of n import people: the block after
// the one the last run in this work directory used (kept in a small file),
// or, in a fresh work directory, a block chosen by the clock. So repeated
// runs on one database import people not yet registered; the row's note
// says how many were created and how many already existed.
func importNonce(dir string, n int) (int, error) {
	blocks := importSpace / max(n, 1)
	path := filepath.Join(dir, "import-nonce")
	nonce := int(time.Now().Unix() % int64(blocks))
	if b, err := os.ReadFile(path); err == nil {
		if last, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			nonce = (last + 1) % blocks
		}
	}
	return nonce, os.WriteFile(path, []byte(strconv.Itoa(nonce)+"\n"), 0o644)
}

// writeWorkbook writes an import sheet of n valid, distinct people of block
// nonce living in the district's streets, with excelize's streaming writer.
func writeWorkbook(path, district string, n, nonce int) error {
	streets := []string{district}
	for _, s := range region.Children(district) {
		streets = append(streets, s.Code)
	}
	if len(streets) > 1 {
		streets = streets[1:]
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"姓名", "证件号码", "手机号码", "居住区域", "标签", "技能"}); err != nil {
		return err
	}
	tags := []string{"党员", "青年", "巾帼", ""}
	for i := 0; i < n; i++ {
		name, id, phone := importPerson(nonce*n + i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{name, id, phone, streets[i%len(streets)], tags[i%len(tags)], "急救"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	tmp := path + ".tmp.xlsx"
	if err := f.SaveAs(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// importSheet uploads the workbook to the leader's team import, streaming
// the multipart body, and reports rows per second.
func (r *run) importSheet(ctx context.Context, leader *apiClient) (Row, error) {
	n := r.c.Scale.ImportRows
	nonce, err := importNonce(r.c.WorkDir, n)
	if err != nil {
		return Row{}, fmt.Errorf("workbook: %w", err)
	}
	path := filepath.Join(r.c.WorkDir, fmt.Sprintf("import-%s-%d-%d.xlsx", r.m.District, n, nonce))
	if err := writeWorkbook(path, r.m.District, n, nonce); err != nil {
		return Row{}, fmt.Errorf("workbook: %w", err)
	}
	defer os.Remove(path) // a workbook is never uploaded twice
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		defer f.Close()
		part, err := mw.CreateFormFile("file", "名单.xlsx")
		if err == nil {
			_, err = io.Copy(part, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/teams/%d/imports", leader.base, r.m.LeaderTeamID), pr)
	if err != nil {
		return Row{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out struct {
		Total   int `json:"total"`
		Saved   int `json:"saved"`
		Failed  int `json:"failed"`
		Created int `json:"created"`
		Joined  int `json:"joined_existing"`
		Errors  []struct {
			Row     int    `json:"row"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	rec := &recorder{}
	start := time.Now()
	_ = rec.time(func() error { _, err := leader.send(req, &out, 200); return err })
	wall := time.Since(start)
	row := Row{Unit: "rows", Target: target{text: "≥ 20,000 rows/s, RSS < 300 MB", minPS: 20000, rss: 300}}
	fill(&row, rec, 1, wall)
	// Only new people count: a row that found its person already registered
	// costs a fraction of one that registers them.
	row.PerSec = float64(out.Created) / wall.Seconds()
	row.Errors += out.Failed
	if out.Created != n && row.Errors == 0 {
		row.Errors++
	}
	if len(out.Errors) > 0 && row.FirstErr == "" {
		row.FirstErr = fmt.Sprintf("row %d: %s", out.Errors[0].Row, out.Errors[0].Message)
	}
	row.Note = fmt.Sprintf("one upload of %d rows (%.1f MB, people block %d): %d saved, %d created new, %d joined existing, %d failed in %.1f s; rows/s = created / wall time",
		n, fileMB(path), nonce, out.Saved, out.Created, out.Joined, out.Failed, wall.Seconds())
	return row, nil
}

func fileMB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1e6
}
