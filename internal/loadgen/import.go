package loadgen

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/region"
)

// writeWorkbook writes an import sheet of n valid, distinct people living
// in the district's streets with excelize's streaming writer, or reuses the
// one already written.
func writeWorkbook(path, district string, n int) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
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
	base := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		// Born in Beijing (110106) and on phones starting 145: apart from
		// the generated people and from the registration scenario.
		id := residentID("110106", base.AddDate(0, 0, i%15000), i/15000)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("导入志愿者%d", i), id, fmt.Sprintf("145%08d", i), streets[i%len(streets)],
			tags[i%len(tags)], "急救"}); err != nil {
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
	path := filepath.Join(r.c.WorkDir, fmt.Sprintf("import-%s-%d.xlsx", r.m.District, n))
	if err := writeWorkbook(path, r.m.District, n); err != nil {
		return Row{}, fmt.Errorf("workbook: %w", err)
	}
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
	row.PerSec = float64(out.Saved) / wall.Seconds()
	row.Errors += out.Failed
	if out.Saved != n && row.Errors == 0 {
		row.Errors++
	}
	if len(out.Errors) > 0 && row.FirstErr == "" {
		row.FirstErr = fmt.Sprintf("row %d: %s", out.Errors[0].Row, out.Errors[0].Message)
	}
	row.Note = fmt.Sprintf("one upload of %d rows (%.1f MB): %d saved, %d created, %d failed in %.1f s", n, fileMB(path), out.Saved, out.Created, out.Failed, wall.Seconds())
	return row, nil
}

func fileMB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1e6
}
