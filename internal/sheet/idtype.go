package sheet

import (
	"strings"

	"zhiyuan/internal/pii"
)

// idTypes lists the document types the template offers for 证件类型, with
// their official names first and the names people also write.
var idTypes = []struct {
	t     pii.IDType
	names []string
}{
	{pii.IDResident, []string{"居民身份证", "身份证", "二代身份证"}},
	{pii.IDPassport, []string{"护照"}},
	{pii.IDHKMacaoPermit, []string{"港澳居民来往内地通行证", "回乡证"}},
	{pii.IDTaiwanPermit, []string{"台湾居民来往大陆通行证", "台胞证"}},
	{pii.IDHKMTResidence, []string{"港澳台居民居住证"}},
	{pii.IDForeignPermanent, []string{"外国人永久居留身份证", "外国人永久居留证"}},
}

// idTypeNames are the official names, as the template's drop-down offers them.
var idTypeNames = func() []string {
	names := make([]string, len(idTypes))
	for i, t := range idTypes {
		names[i] = t.names[0]
	}
	return names
}()

// IDTypeFromName maps a 证件类型 cell to the pii document type: an official
// name as the template offers it ("居民身份证", "港澳居民来往内地通行证" …), a
// common short name ("身份证", "回乡证", "台胞证"), or pii's own value
// ("resident", "passport" …). It reports false for anything else, including
// a blank cell, whose meaning the caller decides.
func IDTypeFromName(name string) (pii.IDType, bool) {
	name = strings.ReplaceAll(Clean(name), " ", "")
	for _, t := range idTypes {
		if strings.EqualFold(name, string(t.t)) {
			return t.t, true
		}
		for _, n := range t.names {
			if name == n {
				return t.t, true
			}
		}
	}
	return "", false
}
