package httpx

import (
	"net/http"
	"strconv"

	"zhiyuan/internal/apperr"
)

// SetRetryAfter gives a throttled answer (429) its Retry-After header, from
// the error's RetryAfter in seconds: the one place both surfaces send it.
func SetRetryAfter(w http.ResponseWriter, e *apperr.Error) {
	if e.Kind == apperr.Throttled && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
}
