#!/usr/bin/env bash
# Install the .deb into a scratch root and run the installed, frozen ebconsole:
# --version, init, a headless status report, and Chinese text in the PDF.
#
#   bash packaging/smoke_test.sh [dist/ebconsole_<version>_<arch>.deb]
#
# Runs at the end of `make package` (packaging/build.sh). Needs dpkg-deb and
# pdftotext (poppler-utils); no root, no network, the user's data is not touched.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
DEB=${1:-$(ls -t "$ROOT"/dist/ebconsole_"$VERSION"_*.deb | head -1)}

SCRATCH=$(mktemp -d /tmp/ebconsole-smoke.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
INSTALL=$SCRATCH/root
export EBCONSOLE_DATA_DIR=$SCRATCH/data
export QT_QPA_PLATFORM=offscreen
unset EBCONSOLE_DATABASE_URL EBCONSOLE_RESOURCES EBCONSOLE_USER PYTHONPATH
export LANG=C.UTF-8

step() { echo "-- $*"; }
die() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }

step "unpack $(basename "$DEB") into $INSTALL"
dpkg-deb --extract "$DEB" "$INSTALL"
for f in usr/bin/ebconsole opt/ebconsole/ebconsole usr/share/applications/ebconsole.desktop \
    usr/share/icons/hicolor/scalable/apps/ebconsole.svg; do
    [ -e "$INSTALL/$f" ] || die "$f is not in the package"
done
grep -q '^Categories=Office;Finance;$' "$INSTALL/usr/share/applications/ebconsole.desktop" \
    || die "desktop entry without Categories=Office;Finance;"
dpkg-deb --field "$DEB" Version | grep -qx "$VERSION" || die "package version is not $VERSION"

EB=$INSTALL/usr/bin/ebconsole  # the command on the PATH, as installed

step "ebconsole --version"
got=$("$EB" --version)
echo "$got"
[ "$got" = "ebconsole $VERSION" ] || die "--version printed '$got', expected 'ebconsole $VERSION'"

step "ebconsole init (data in $EBCONSOLE_DATA_DIR)"
EBCONSOLE_ADMIN_PASSWORD='Smoke-Test-2026!' "$EB" --lang zh_CN init \
    --site BJ01 --site-name 北京分行 --workstation smoke-ws --admin admin

step "ebconsole report status (headless, frozen build; as the administrator)"
PDF=$SCRATCH/status.pdf
EBCONSOLE_PASSWORD='Smoke-Test-2026!' "$EB" --lang zh_CN --user admin report status --out "$PDF"
[ -s "$PDF" ] || die "no PDF written"

step "Chinese text in the PDF"
TEXT=$(pdftotext -enc UTF-8 "$PDF" -)
for words in 情况通报 北京分行; do
    grep -q "$words" <<<"$TEXT" || die "'$words' is not in the PDF text"
done
echo "$TEXT" | grep -m3 -E '情况通报|北京分行'
if command -v pdffonts >/dev/null; then pdffonts "$PDF" | sed -n '1,6p'; fi

step "a signed bundle written and read back (the frozen build parses it with orjson)"
export EBCONSOLE_PASSWORD='Smoke-Test-2026!'
"$EB" --lang en --user admin export --out "$SCRATCH/smoke.ebx" --key-file "$SCRATCH/sync.key"
got=$("$EB" --lang en --user admin import "$SCRATCH/smoke.ebx" --key-file "$SCRATCH/sync.key")
echo "$got"
grep -Eq '0 changes applied, [1-9][0-9]* already here' <<<"$got" \
    || die "the bundle was not read back: $got"
unset EBCONSOLE_PASSWORD

step "ebconsole diagnostics, and the log file in the data folder's log directory"
"$EB" diagnostics | sed -n '1,8p'
[ -s "$EBCONSOLE_DATA_DIR/logs/ebconsole.log" ] || die "no log file"
grep -q "ebconsole $VERSION: report" "$EBCONSOLE_DATA_DIR/logs/ebconsole.log" \
    || die "the report run is not in the log"

echo "SMOKE TEST PASSED: ebconsole $VERSION from $(basename "$DEB")"
