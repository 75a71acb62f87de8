// Package volunteer is the register of real-name volunteers: registration
// (by the person, or on their behalf as an unclaimed record), claiming,
// profiles, scoped search, the audited reveal of ID and phone numbers, and
// the Excel import and export of volunteers.
//
// What a viewer sees of a volunteer is decided in one place, shown.go: the
// person themself and those who may reveal the numbers see the birth date
// and the ID number's first six and last four; everyone else sees the age
// in years and the last four only (the table is in the pii package doc).
//
// # Claiming a record registered on one's behalf
//
// A team (or an office) may register a person who has no account; the
// person later takes the record over, with every hour recorded for them. A
// claim is something a guesser of ID and phone numbers cannot finish:
//
//  1. ClaimRecord (POST /claim, POST /api/v1/volunteers/claim) takes the ID
//     and phone numbers and the password of the account to be. With the
//     right numbers it opens a claim, pending, and answers 202 with the
//     claim's unguessable id; nobody is signed in and the record is not
//     linked. A record that does not exist and a wrong phone number get the
//     same 404, and both are audited ("claim_failed", with the address,
//     never the numbers). A newer claim of the same record cancels the older.
//  2. The claim draws a six-digit one-time code, kept sealed (to show it) and
//     as a keyed hash (to check it), never in clear. Until codes go out by
//     SMS, the registering team's admins see the pending claims and their
//     codes (TeamClaims: /teams/{id}/claims, GET /api/v1/teams/{id}/claims,
//     each viewing audited) and hand the code over in person.
//  3. The claim completes in one of two ways, each in one transaction that
//     creates the account, links the record and ends the claim:
//     ConfirmClaim (POST /claim/{id}/confirm, POST
//     /api/v1/volunteers/claims/{id}/confirm) with the code: state
//     "confirmed"; or ApproveClaim by an admin of the registering team (for a
//     record an office registered, one who may register volunteers in its
//     region) who has seen the person: state "approved". Either way the
//     person then signs in with their phone or volunteer number and the
//     password chosen when claiming (or the one given with the code).
//  4. A claim expires after ClaimLifetime (24 hours), and dies ("expired")
//     at the MaxClaimAttempts-th (5th) wrong code; each try is counted before
//     the code is compared, and wrong codes are audited.
//
// States: pending → confirmed | approved | expired | cancelled.
//
// # Rate limits
//
// Counted in the database (auth.Take), so every server process shares them,
// and apart from the login's: claims per address (10 an hour) and per ID
// number from any address (5 a day), code confirmations per address (30 an
// hour), self-registrations per address (20 an hour, the serve setting
// --register-per-hour), and registration answers that tell whether a number
// is on the register ("already registered", "registered by a team", "phone
// taken": 10 an hour per address and per ID number). Past a limit the answer
// is 429 with Retry-After. A call with no address (the command line, the
// demo) counts against the per-address limits of no one.
package volunteer
