#!/usr/bin/env bash
# extract.sh writes internal/certificate/font/wqy-microhei.ttf, the font that
# certificate PDFs embed: the first face (WenQuanYi Micro Hei, not the Mono
# face) of Debian's fonts-wqy-microhei collection, saved as a plain TrueType
# file. See README.md. Needs Debian's fonts-wqy-microhei and python3-fonttools
# (installed with apt-get when run as root).
#
# Usage: tools/certfont/extract.sh [--subset]
#   --subset  keep only ASCII, CJK punctuation and the GB2312 character set;
#             done anyway when the full face is larger than 6 MB.
set -euo pipefail

VERSION=0.2.0-beta-3.1 # the fonts-wqy-microhei version the committed file came from
TTC=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
PY=/usr/bin/python3 # Debian's python, where python3-fonttools lives
LIMIT=$((6 * 1024 * 1024))

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/internal/certificate/font/wqy-microhei.ttf
subset=0
[[ ${1:-} == --subset ]] && subset=1

if [[ ! -e $TTC ]] || ! $PY -c 'import fontTools' 2>/dev/null; then
	if [[ $(id -u) != 0 ]]; then
		echo "install fonts-wqy-microhei and python3-fonttools (as root)" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei python3-fonttools >/dev/null
fi
have=$(dpkg-query -W -f '${Version}' fonts-wqy-microhei)
if [[ $have != "$VERSION" ]]; then
	echo "note: fonts-wqy-microhei is $have, README.md records $VERSION; update both" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# recalcTimestamp=False keeps head.modified as shipped, so the output is
# byte-for-byte reproducible.
$PY - "$TTC" "$work/full.ttf" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
TTCollection(sys.argv[1], recalcTimestamp=False).fonts[0].save(sys.argv[2])
EOF

size=$(stat -c %s "$work/full.ttf")
if [[ $subset == 1 || $size -gt $LIMIT ]]; then
	# Every GB2312 character: rows 0xA1-0xF7, cells 0xA1-0xFE, decoded with
	# Python's gb2312 codec (undefined code points are skipped).
	$PY - >"$work/chars.txt" <<'EOF'
chars = set(chr(c) for c in range(0x20, 0x7F))           # ASCII
chars |= set(chr(c) for c in range(0x3000, 0x3040))      # CJK symbols and punctuation
chars |= set(chr(c) for c in range(0xFF00, 0xFFF0))      # full-width forms
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
print("".join(sorted(chars)))
EOF
	$PY -m fontTools.subset "$work/full.ttf" --text-file="$work/chars.txt" \
		--output-file="$work/out.ttf" --layout-features='*' --no-hinting \
		--name-IDs='*' --name-languages='*' --notdef-outline
	echo "subset: $(wc -m <"$work/chars.txt") characters requested"
else
	mv "$work/full.ttf" "$work/out.ttf"
fi

mkdir -p "$(dirname "$out")"
cp "$work/out.ttf" "$out"
echo "wrote $out: $(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -d' ' -f1)"
