package certificate

import "strconv"

// Record table geometry in points.
const (
	cellSize = 9.5  // font size in the table
	cellLead = 14.0 // line distance in a cell
	cellPadX = 5.0
	cellPadY = 6.0
	headH    = 24.0
)

// column is one column of the record table.
type column struct {
	title string
	width float64
	align int // alignLeft, alignCenter or alignRight
}

const (
	alignLeft = iota
	alignCenter
	alignRight
)

var columns = []column{
	{"序号", 32, alignCenter},
	{"服务日期", 72, alignCenter},
	{"服务项目", 118, alignLeft},
	{"服务内容", contentW - 32 - 72 - 118 - 64, alignLeft},
	{"时长（小时）", 64, alignRight},
}

// restColumns are the columns of the summary of the records not listed.
var restColumns = []column{
	{"年度", 56, alignCenter},
	{"记录团队", contentW - 56 - 64 - 64, alignLeft},
	{"记录条数", 64, alignRight},
	{"时长（小时）", 64, alignRight},
}

// restTable draws the summary, by year and team, of the records not listed
// one by one (they are the oldest).
func (r *renderer) restTable() {
	if len(r.d.Rest) == 0 {
		return
	}
	n := 0
	for _, l := range r.d.Rest {
		n += l.Records
	}
	r.paragraph("另有 " + strconv.Itoa(n) + " 条较早的服务记录，按年度和团队汇总如下：")
	r.y += 2
	for i, l := range r.d.Rest {
		row := r.cellsOf(restColumns, l.Year, l.Team, strconv.Itoa(l.Records), FormatHours(l.Minutes))
		h := rowHeight(row)
		if r.y+h > contentEnd || i == 0 && r.y+headH+h > contentEnd {
			r.addPage()
		}
		if i == 0 || r.y == continuedTop {
			r.headerRowOf(restColumns)
		}
		r.rowOf(restColumns, row, h, false)
	}
	r.y += bodyLead / 2
}

// table draws the records, starting a new page (with the header row again)
// whenever the next row does not fit, and a total row at the end.
func (r *renderer) table() {
	if len(r.d.Records) == 0 {
		return
	}
	rows := make([][][]string, 0, len(r.d.Records)+1)
	for i, rec := range r.d.Records {
		rows = append(rows, r.cellsOf(columns, strconv.Itoa(i+1), rec.Date, rec.Project, rec.Content, FormatHours(rec.Minutes)))
	}
	r.y += 2
	for i, row := range rows {
		h := rowHeight(row)
		if r.y+h > contentEnd || i == 0 && r.y+headH+h > contentEnd {
			r.addPage()
		}
		if i == 0 || r.y == continuedTop {
			r.headerRowOf(columns)
		}
		r.rowOf(columns, row, h, false)
	}
	total := r.cellsOf(columns, "", "", "", "合计", FormatHours(r.d.TotalMinutes))
	if h := rowHeight(total); r.y+h > contentEnd {
		r.addPage()
		r.headerRowOf(columns)
	}
	r.rowOf(columns, total, rowHeight(total), true)
}

// cellsOf wraps each value to its column.
func (r *renderer) cellsOf(cols []column, vals ...string) [][]string {
	out := make([][]string, len(vals))
	for i, v := range vals {
		out[i] = r.lines(v, cellSize, cols[i].width-2*cellPadX, 0)
	}
	return out
}

func rowHeight(row [][]string) float64 {
	n := 1
	for _, c := range row {
		n = max(n, len(c))
	}
	return float64(n)*cellLead - (cellLead - cellSize) + 2*cellPadY
}

// headerRowOf draws the shaded column titles.
func (r *renderer) headerRowOf(columns []column) {
	p := r.pdf
	p.SetStrokeColor(110, 110, 110)
	p.SetLineWidth(0.6)
	x := marginX
	for _, c := range columns {
		p.SetFillColor(238, 238, 238) // text colour shares the fill colour
		p.RectFromUpperLeftWithStyle(x, r.y, c.width, headH, "FD")
		r.textCenter(x+c.width/2, r.y+(headH-cellSize)/2, cellSize, black, c.title)
		x += c.width
	}
	r.y += headH
}

// rowOf draws one row of wrapped cells; a total row (of the record table)
// spans its first four columns and shows its label right-aligned.
func (r *renderer) rowOf(columns []column, row [][]string, h float64, total bool) {
	p := r.pdf
	p.SetStrokeColor(110, 110, 110)
	p.SetLineWidth(0.6)
	x := marginX
	for i, c := range columns {
		w := c.width
		align := c.align
		if total && i < 3 {
			x += w
			continue
		}
		if total && i == 3 {
			w = c.width + columns[0].width + columns[1].width + columns[2].width
			x = marginX
			align = alignRight
		}
		p.RectFromUpperLeftWithStyle(x, r.y, w, h, "D")
		lines := row[i]
		y := r.y + (h-(float64(len(lines))*cellLead-(cellLead-cellSize)))/2
		for _, l := range lines {
			switch align {
			case alignCenter:
				r.textCenter(x+w/2, y, cellSize, black, l)
			case alignRight:
				r.textRight(x+w-cellPadX, y, cellSize, black, l)
			default:
				r.text(x+cellPadX, y, cellSize, black, l)
			}
			y += cellLead
		}
		x += w
	}
	r.y += h
}
