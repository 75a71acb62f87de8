package httpx

import (
	"net/http"
	"strconv"
)

// PathID reads the path value name as a row id: 0 when it is not a positive
// integer. No row has id 0, so a service asked for it answers not found; a
// handler that must refuse before asking compares with 0.
func PathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
