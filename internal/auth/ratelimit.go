package auth

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
)

// Limit is at most Max attempts per key in each Window (a fixed window that
// starts at the key's first attempt after the previous one ended).
type Limit struct {
	Max    int
	Window time.Duration
}

// Take counts one attempt against key in the database table rate_limits and
// says whether it is within the limit; if not, retry is how long until the
// window ends. The attempt is counted before the caller acts, in one
// statement committed in a transaction of its own, so concurrent attempts
// (on any number of server processes) cannot together pass the limit, and a
// failed attempt stays counted. Keys carry their use as a prefix
// ("claim:ip:", "register:ip:", …); they are counted apart from logins.
func Take(ctx context.Context, d *db.DB, key string, l Limit, now time.Time) (ok bool, retry time.Duration, err error) {
	if l.Max <= 0 {
		return true, 0, nil
	}
	t, win := now.Unix(), int64(l.Window/time.Second)
	var hits, start int64
	err = d.Tx(ctx, func(tx db.Querier) error {
		return tx.QueryRowContext(ctx, `INSERT INTO rate_limits (limit_key, hits, window_start) VALUES ($1, 1, $2)
			ON CONFLICT (limit_key) DO UPDATE SET
			hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
			RETURNING hits, window_start`, key, t, t-win).Scan(&hits, &start)
	})
	if err != nil {
		return false, 0, apperr.Wrap(err, "auth: rate limit")
	}
	if hits <= int64(l.Max) {
		return true, 0, nil
	}
	retry = time.Duration(start+win-t) * time.Second
	if retry < time.Second {
		retry = time.Second
	}
	return false, retry, nil
}

// Throttled is the 429 answer to an attempt over a limit: the message says
// in how many minutes to try again, and RetryAfter (seconds) becomes the
// response's Retry-After header.
func Throttled(key string, retry time.Duration) error {
	secs := int64((retry + time.Second - 1) / time.Second)
	e := apperr.New(apperr.Throttled, key).With(map[string]any{"Minutes": (secs + 59) / 60})
	e.RetryAfter = int(secs)
	return e
}
