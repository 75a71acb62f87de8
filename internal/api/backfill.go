package api

import (
	"io"
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/record"
)

var errNoUpload = &apperr.Error{Kind: apperr.Invalid, Key: "record.upload_required",
	Fields: map[string]apperr.Field{"file": {Code: "required", Key: "record.upload_required"}}}

type uploadJSON struct {
	ID int64 `json:"id"`
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	file, header, err := httpx.FormFile(r, "file", record.MaxUpload, errNoUpload)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, record.MaxUpload+1))
	if err != nil {
		s.fail(w, r, errNoUpload)
		return
	}
	id, err := s.Records.Upload(r.Context(), httpx.Principal(r), header.Filename, data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, uploadJSON{ID: id})
}

func (s *Server) backfill(w http.ResponseWriter, r *http.Request) {
	var in record.Backfill
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := s.Records.CreateBackfill(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toRecordJSON(x))
}

func (s *Server) recordApprove(w http.ResponseWriter, r *http.Request) {
	x, err := s.Records.Approve(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRecordJSON(x))
}

func (s *Server) recordAmend(w http.ResponseWriter, r *http.Request) {
	var in record.Amendment
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := s.Records.Amend(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRecordJSON(x))
}

func (s *Server) recordCorrection(w http.ResponseWriter, r *http.Request) {
	var in reasonRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Records.RequestCorrection(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) manualAttendance(w http.ResponseWriter, r *http.Request) {
	var in attendance.ManualAttendance
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := s.Attendance.EnterAttendance(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toScanJSON(sc))
}

func (s *Server) overdueRecords(w http.ResponseWriter, r *http.Request) {
	list, err := s.Records.Overdue(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]recordJSON, 0, len(list))
	for _, x := range list {
		items = append(items, toRecordJSON(x))
	}
	writeJSON(w, http.StatusOK, page[recordJSON]{Items: items})
}
