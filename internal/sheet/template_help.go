package sheet

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// help holds the template's explanation of one column: Chinese, English.
type help struct{ zh, en string }

// columnHelp explains each import column in the template.
var columnHelp = map[string]help{
	FieldRealName: {"与证件上的姓名一致。", "As on the identity document."},
	FieldIDNumber: {"本列已设为文本格式，请输入完整号码。从其他表格复制时请用“选择性粘贴→值”；如果单元格显示为 1.10105E+17 或末尾几位变成 0，说明号码已被 Excel 改坏，需要重新输入。末位 X 大小写均可。",
		"This column is formatted as text: type the full number. When copying from another sheet use Paste Special → Values. A cell showing 1.10105E+17, or a number whose last digits turned to 0, has been damaged by Excel and must be typed again. A final X may be upper or lower case."},
	FieldPhone: {"11 位手机号码，可带 +86 和空格；也可填写固定电话，如 022-23456789。",
		"An 11-digit mobile number, +86 and spaces allowed; or a landline such as 022-23456789."},
	FieldRegion: {"填写区划代码（12 位社区、9 位街道或 6 位区县代码），或完整名称，如“天津市和平区劝业场街道”。",
		"An administrative division code (12-digit community, 9-digit street or 6-digit county) or the full name, such as 天津市和平区劝业场街道."},
	FieldIDType: {"可选值：" + strings.Join(idTypeNames, "、") + "。",
		"One of: " + strings.Join(idTypeNames, ", ") + " (resident ID card, passport, Hong Kong/Macao travel permit, Taiwan travel permit, HK/Macao/Taiwan residence permit, foreign permanent resident ID card)."},
	FieldGender:     {"填写“男”或“女”。", "男 (male) or 女 (female)."},
	FieldBirthDate:  {"格式如 1949-12-31。", "Written like 1949-12-31."},
	FieldSkills:     {"多项用顿号（、）、逗号（,）或分号（;）分隔。", "Separate several with 、 or , or ;."},
	FieldCategories: {"多项用顿号（、）、逗号（,）或分号（;）分隔。", "Separate several with 、 or , or ;."},
	FieldTags:       {"多项用顿号（、）、逗号（,）或分号（;）分隔。", "Separate several with 、 or , or ;."},
}

// generalHelp are the notes under the column table.
var generalHelp = []help{
	{"第一行是表头，请勿修改列名；列的顺序可以调整，其他列导入时会被忽略。", "The first row holds the headers: keep their names. Columns may be reordered; other columns are ignored."},
	{"标有（必填）的列每行都要填写。", "Columns marked (必填) are required on every row."},
	{"第 2 行是示例，导入前请删除。", "Row 2 is an example: delete it before importing."},
	{"每位志愿者只填一行。导入后会生成结果表，有错误的行会注明原因，改正后可以再次导入。", "One row per volunteer. The import returns a report naming the problem in each rejected row; fix them and import again."},
}

// writeInstructions adds the sheet explaining the template.
func writeInstructions(f *excelize.File, sheet string, en bool) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	pick := func(h help) string {
		if en {
			return h.en
		}
		return h.zh
	}
	head := []any{"列名", "是否必填", "填写说明", "示例"}
	if en {
		head = []any{"Column", "Required", "How to fill in", "Example"}
	}
	rows := [][]any{head}
	for _, c := range columns {
		req := "选填"
		if en {
			req = "optional"
		}
		if c.required {
			req = "（必填）"
			if en {
				req = "（必填） required"
			}
		}
		rows = append(rows, []any{c.header, req, pick(columnHelp[c.field]), example[c.field]})
	}
	rows = append(rows, []any{})
	for _, g := range generalHelp {
		rows = append(rows, []any{pick(g)})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err = f.SetCellStyle(sheet, "A1", "D1", bold); err != nil {
		return err
	}
	if err = f.SetCellStyle(sheet, "A2", fmt.Sprintf("D%d", len(columns)+1), wrap); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 12, "B": 14, "C": 60, "D": 24} {
		if err = f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
