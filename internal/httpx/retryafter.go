package httpx

import (
	"net/http"
	"strconv"

	"zhiyuan/internal/apperr"
)

// SetRetryAfter gives a throttled answer (429) its Retry-After header, from
// the error's RetryAfter argument in seconds (auth.Throttled sets it).
func SetRetryAfter(w http.ResponseWriter, e *apperr.Error) {
	if e.Kind != apperr.Throttled {
		return
	}
	switch n := e.Args["RetryAfter"].(type) {
	case int64:
		w.Header().Set("Retry-After", strconv.FormatInt(n, 10))
	case int:
		w.Header().Set("Retry-After", strconv.Itoa(n))
	}
}
