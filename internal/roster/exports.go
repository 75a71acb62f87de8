package roster

import "zhiyuan/internal/apperr"

// DefaultConcurrentExports is how many spreadsheet exports are written at
// once by default. Each streams its rows (pages of the search, excelize's
// StreamWriter spilling to a temporary file, the zip written straight to
// the client), so its memory does not grow with its rows; the bound keeps
// a burst of exports from taking the server's memory and both cores (six
// exports of 300,000 volunteers at once took a server to 672 MB).
const DefaultConcurrentExports = 2

// exportRetrySeconds is the Retry-After of a refused export: a 300,000-row
// export takes about half a minute.
const exportRetrySeconds = 30

// SetConcurrentExports sets how many exports may be written at once (n < 1
// means the default). Call it before serving.
func (s *Service) SetConcurrentExports(n int) {
	if n < 1 {
		n = DefaultConcurrentExports
	}
	s.exports = make(chan struct{}, n)
}

// startExport takes an export's token, or refuses at once (429, with
// Retry-After) when as many exports as allowed are being written: waiting
// would hold the client's connection and a goroutine for no one.
func (s *Service) startExport() (done func(), err error) {
	select {
	case s.exports <- struct{}{}:
		return func() { <-s.exports }, nil
	default:
		e := apperr.New(apperr.Throttled, "export.busy").With(map[string]any{"Seconds": exportRetrySeconds})
		e.RetryAfter = exportRetrySeconds
		return nil, e
	}
}
