package auth

import (
	"context"
	"errors"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
)

// Login throttling, kept in the database (table login_throttle) so that every
// server process behind a load balancer sees the same counts.
//
// Every attempt is counted before its password is checked, in one
// transaction with the check that it may be made at all, so a burst of
// simultaneous attempts gets no more guesses than one after the other. Two
// counters slow guessing down, neither locks the owner out:
//
//   - the (account, address) pair: PairFreeAttempts failed attempts, then a
//     wait before each further one of 1 s, 2 s, 4 s … up to MaxLoginWait;
//     a successful login clears it. The owner on another address is let in
//     at once.
//   - the address: Service.AddressFreeAttempts (default
//     AddressFreeAttempts) attempts on any accounts, failed or still being
//     checked, then the same growing waits; a successful login takes its own
//     attempt back off the count, so only failures add up. It is high
//     because a whole office, or a load test, may share one address, and
//     its simultaneous logins count until each is checked.
//
// A refused attempt is answered at once (429 with Retry-After): the server
// never sleeps on it. Counts start again ThrottleWindow after the first.
const (
	// PairFreeAttempts is how many attempts one address makes on one
	// account before waits begin.
	PairFreeAttempts = 5
	// AddressFreeAttempts is how many attempts one address makes, on any
	// accounts, failed or under way, before waits begin (the default of
	// Service.AddressFreeAttempts).
	AddressFreeAttempts = 300
	// MaxLoginWait is the longest wait ever imposed between attempts.
	MaxLoginWait = time.Minute
	// ThrottleWindow is how long counts last from their first attempt.
	ThrottleWindow = 15 * time.Minute
)

// throttleRule is one counter: its key and how many attempts are free.
type throttleRule struct {
	key  string
	free int
}

// The key prefixes of the login counters in login_throttle.
const (
	pairPrefix = "pair:"
	ipPrefix   = "ip:"
)

func pairKey(username, ip string) string { return pairPrefix + username + "|" + ip }
func ipKey(ip string) string             { return ipPrefix + ip }

func (s *Service) loginRules(username, ip string) []throttleRule {
	return []throttleRule{{pairKey(username, ip), PairFreeAttempts}, {ipKey(ip), s.AddressFreeAttempts}}
}

// loginWait is the wait imposed after the n-th counted attempt of a counter
// whose first free attempts cost nothing: 0 before, then 1 s, 2 s, 4 s …,
// never more than MaxLoginWait.
func loginWait(n, free int) int64 {
	if n < free {
		return 0
	}
	maxWait := int64(MaxLoginWait / time.Second)
	if n-free >= 6 { // 2^6 s is past the cap
		return maxWait
	}
	return min(int64(1)<<(n-free), maxWait)
}

// errWait is how a transaction that refused an attempt rolls back.
var errWait = errors.New("auth: throttled")

// takeAttempts counts one attempt against every rule, or none of them if
// any still imposes a wait; then it returns how many seconds remain.
func takeAttempts(ctx context.Context, d *db.DB, rules []throttleRule, now int64) (retryAfter int64, err error) {
	err = d.Tx(ctx, func(tx db.Querier) error {
		for _, r := range rules {
			n, ok, err := countAttempt(ctx, tx, r.key, now, now-int64(ThrottleWindow/time.Second))
			if err != nil {
				return err
			}
			if !ok {
				_, _, until, err := throttleRow(ctx, tx, r.key)
				if err != nil {
					return err
				}
				retryAfter = max(retryAfter, until-now, 1)
				continue
			}
			if w := loginWait(n, r.free); w > 0 {
				if err := setThrottleWait(ctx, tx, r.key, now+w); err != nil {
					return err
				}
			}
		}
		if retryAfter > 0 {
			return errWait
		}
		return nil
	})
	if errors.Is(err, errWait) {
		return retryAfter, nil
	}
	return 0, err
}

// throttledError is the answer to a refused attempt.
func throttledError(retryAfter int64) error {
	e := apperr.New(apperr.Throttled, "auth.login_wait").With(map[string]any{"Seconds": retryAfter})
	e.RetryAfter = int(retryAfter)
	return e
}

// loginSucceeded clears the pair's count and takes the attempt back off the
// address's, inside the session's transaction.
func (s *Service) loginSucceeded(ctx context.Context, tx db.Querier, username, ip string) error {
	if err := deleteThrottle(ctx, tx, pairKey(username, ip)); err != nil {
		return err
	}
	return uncountAttempt(ctx, tx, ipKey(ip), s.AddressFreeAttempts)
}

// purgeLoginCounts deletes the login counters whose window has passed and
// whose wait is over: they would start afresh at the next attempt anyway.
func purgeLoginCounts(ctx context.Context, q db.Querier, now int64) error {
	return deleteStaleThrottles(ctx, q, []string{pairPrefix, ipPrefix}, now-int64(ThrottleWindow/time.Second), now)
}
