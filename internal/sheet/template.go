package sheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// TemplateExampleID is the ID number in the template's example row (a valid
// test number). The import should refuse it, so that an example row left in
// the sheet is not saved as a volunteer.
const TemplateExampleID = "11010519491231002X"

// templateRows is how many rows the template's drop-down lists cover.
const templateRows = 10000

// example is the template's example row, by field.
var example = map[string]string{
	FieldRealName: "李梅", FieldIDNumber: TemplateExampleID, FieldPhone: "13800138000",
	FieldRegion: "120101001", FieldIDType: "居民身份证", FieldGender: "女",
	FieldBirthDate: "1949-12-31", FieldSkills: "急救、心理疏导", FieldCategories: "社区服务、应急救援",
	FieldTags: "党员",
}

// WriteTemplate writes the volunteer import template: a sheet with the
// import headers (required ones first and bold), every column formatted as
// text so that typed ID numbers are not mangled, drop-down lists for 证件类型
// and 性别, one example row, and a second sheet explaining each column in
// Chinese (lang "zh") or English (lang "en"). Headers are Chinese in both.
func WriteTemplate(w io.Writer, lang string) error {
	en := strings.HasPrefix(strings.ToLower(lang), "en")
	f := excelize.NewFile()
	defer f.Close()
	if err := fillTemplate(f, en); err != nil {
		return fmt.Errorf("sheet: building template: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheet: writing template: %w", err)
	}
	return nil
}

func fillTemplate(f *excelize.File, en bool) error {
	data, help := "志愿者", "填写说明"
	if en {
		data, help = "Volunteers", "Instructions"
	}
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	required, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	optional, err := f.NewStyle(&excelize.Style{NumFmt: 49, Fill: headerStyle().Fill})
	if err != nil {
		return err
	}
	sample, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Italic: true, Color: "#808080"}})
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(columns))
	if err = f.SetColStyle(data, "A:"+last, text); err != nil {
		return err
	}
	for i, c := range columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		style := optional
		if c.required {
			style = required
		}
		if err = f.SetCellStr(data, col+"1", c.header); err != nil {
			return err
		}
		if err = f.SetCellStyle(data, col+"1", col+"1", style); err != nil {
			return err
		}
		if err = f.SetColWidth(data, col, col, columnWidth(c.header)); err != nil {
			return err
		}
		if err = f.SetCellStr(data, col+"2", example[c.field]); err != nil {
			return err
		}
	}
	if err = f.SetCellStyle(data, "A2", last+"2", sample); err != nil {
		return err
	}
	if err = f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err = addDropDown(f, data, FieldIDType, idTypeNames); err != nil {
		return err
	}
	if err = addDropDown(f, data, FieldGender, []string{"男", "女"}); err != nil {
		return err
	}
	return writeInstructions(f, help, en)
}

// addDropDown offers values in the field's column, warning (not refusing)
// on other input so that pasted data is never blocked.
func addDropDown(f *excelize.File, sheet, field string, values []string) error {
	for i, c := range columns {
		if c.field != field {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, templateRows+1))
		if err := dv.SetDropList(values); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.header, "请从列表中选择 / choose from the list")
		return f.AddDataValidation(sheet, dv)
	}
	return nil
}
