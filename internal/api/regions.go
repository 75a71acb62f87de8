package api

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/region"
)

type regionJSON struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

type regionList struct {
	Parent *regionJSON  `json:"parent"`
	Items  []regionJSON `json:"items"`
}

func toRegionJSON(r region.Region) regionJSON {
	return regionJSON{Code: r.Code, Name: r.Name, Level: r.Level.String()}
}

// regions lists the children of ?parent= (the provinces when absent).
func (s *Server) regions(w http.ResponseWriter, r *http.Request) {
	parent := r.URL.Query().Get("parent")
	out := regionList{Items: []regionJSON{}}
	if parent != "" {
		reg, ok := region.Lookup(parent)
		if !ok {
			s.fail(w, r, &apperr.Error{Kind: apperr.NotFound, Key: "region.unknown",
				Fields: map[string]apperr.Field{"parent": {Code: "unknown", Key: "region.unknown"}}})
			return
		}
		p := toRegionJSON(reg)
		out.Parent = &p
	}
	for _, c := range region.Children(parent) {
		out.Items = append(out.Items, toRegionJSON(c))
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, out)
}
