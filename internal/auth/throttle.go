package auth

import (
	"context"
	"time"

	"zhiyuan/internal/db"
)

// Login throttling, kept in the database so that every server process behind
// a load balancer sees the same counts.
const (
	throttleWindow  = 15 * time.Minute
	throttleLockFor = 15 * time.Minute
	// MaxFailuresPerAccount locks an account's logins for throttleLockFor.
	MaxFailuresPerAccount = 5
	// MaxFailuresPerIP locks logins from one address for throttleLockFor; it is
	// higher than per account because a whole office may share one address.
	MaxFailuresPerIP = 50
)

func userKey(username string) string { return "user:" + username }
func ipKey(ip string) string         { return "ip:" + ip }

// lockedUntil returns the latest lock among the keys that is still in force.
func lockedUntil(ctx context.Context, q db.Querier, now int64, keys ...string) (int64, error) {
	var until int64
	for _, k := range keys {
		_, _, locked, err := throttleRow(ctx, q, k)
		if err != nil {
			return 0, err
		}
		if locked > now && locked > until {
			until = locked
		}
	}
	return until, nil
}

// recordFailure counts one failed login against key and locks it once the
// count reaches limit within the window.
func recordFailure(ctx context.Context, q db.Querier, key string, limit int, now int64) error {
	failures, start, locked, err := throttleRow(ctx, q, key)
	if err != nil {
		return err
	}
	if start <= now-int64(throttleWindow/time.Second) {
		failures, start = 0, now
	}
	failures++
	if failures >= limit {
		locked = now + int64(throttleLockFor/time.Second)
		failures, start = 0, now
	}
	return putThrottle(ctx, q, key, failures, start, locked)
}
