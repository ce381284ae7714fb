#!/usr/bin/env bash
# Build the Linux bundle (PyInstaller, one folder) and the .deb, then check the
# installed package (packaging/smoke_test.sh). `make package` runs this.
#
#   bash packaging/build.sh              # bundle + .deb + smoke test
#   SKIP_SMOKE=1 bash packaging/build.sh # bundle + .deb only
#
# Output: dist/ebconsole/ (the bundle) and dist/ebconsole_<version>_<arch>.deb.
# The version is the one in pyproject.toml. Build on the OLDEST distribution the
# package must run on: the bundle needs the glibc of the build machine or newer
# (the control file says which, see Depends: libc6).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PY:-$ROOT/.venv/bin/python}
DIST=$ROOT/dist
WORK=$ROOT/build

VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
echo "== ebconsole $VERSION ($ARCH)"

# --- 1. the PyInstaller bundle ---------------------------------------------------------
"$PY" -m PyInstaller --version >/dev/null 2>&1 || {
    echo "PyInstaller is missing: pip install -e '.[gui,dev]'" >&2
    exit 1
}
"$PY" scripts/translations.py compile
rm -rf "$DIST/ebconsole"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$DIST" --workpath "$WORK/pyinstaller" packaging/ebconsole.spec

BUNDLE=$DIST/ebconsole
got=$("$BUNDLE/ebconsole" --version)
if [ "$got" != "ebconsole $VERSION" ]; then
    echo "the bundle says '$got', pyproject.toml says $VERSION" >&2
    exit 1
fi
# reportlab imports its C accelerator by name at run time: without it every report
# falls back to the slow pure-Python code, so a bundle missing it is a broken build
if ! find "$BUNDLE" -name '_rl_accel*.so' | grep -q .; then
    echo "the bundle lacks reportlab's C accelerator (_rl_accel): see packaging/ebconsole.spec" >&2
    exit 1
fi
echo "== bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"

# --- 2. the .deb -----------------------------------------------------------------------
PKG=$WORK/deb/ebconsole_${VERSION}_${ARCH}
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/doc/ebconsole"
cp -a "$BUNDLE" "$PKG/opt/ebconsole"
install -m 0755 packaging/linux/wrapper.sh "$PKG/usr/bin/ebconsole"
install -m 0644 packaging/linux/ebconsole.desktop "$PKG/usr/share/applications/ebconsole.desktop"
install -m 0644 resources/icons/app.svg "$PKG/usr/share/icons/hicolor/scalable/apps/ebconsole.svg"
install -m 0644 packaging/linux/copyright "$PKG/usr/share/doc/ebconsole/copyright"
install -m 0644 docs/install.md "$PKG/usr/share/doc/ebconsole/install.md"
# files readable by all, directories and programs executable; nothing group/world-writable
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG/opt" -type f -exec chmod go-w,a+r {} +

# The newest glibc symbol version any bundled file needs: the bundle's real libc6 floor.
GLIBC=$(find "$PKG/opt" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)+' \
    | sed 's/GLIBC_//' | sort -V | tail -1)
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)

# What the bundle takes from the system. PyInstaller copies most libraries into the
# bundle but never libc, OpenGL/EGL and libxcb itself; the xcb/xkb helpers Qt's xcb
# platform plugin loads are listed too, so that a bundle built on a machine without
# them still runs. Fonts: Chinese needs a CJK font (TrueType, so reports embed it).
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: ebconsole
Version: $VERSION
Architecture: $ARCH
Maintainer: ebconsole developers <ebconsole@localhost>
Installed-Size: $INSTALLED_SIZE
Section: misc
Priority: optional
Depends: libc6 (>= $GLIBC), libgl1, libegl1, libxcb1, libx11-6, libx11-xcb1,
 libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0,
 libxcb-render-util0, libxcb-shape0, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0,
 libxkbcommon-x11-0, libfontconfig1, libfreetype6, libdbus-1-3,
 libglib2.0-0t64 | libglib2.0-0
Recommends: fonts-wqy-microhei | fonts-wqy-zenhei | fonts-arphic-uming, libcups2t64 | libcups2
Suggests: postgresql-client
Description: e-banking emergency response console (电子银行突发事件应急预案控制台)
 Desktop console and command line for a bank's e-banking emergency response plan:
 incident intake and grading, response and reporting deadlines, responsibility
 matrix, resources, duty roster, drills and PDF reports. Works offline on an
 embedded SQLite database or with a shared PostgreSQL hub.
 .
 Self-contained: Python, Qt and all libraries are bundled in /opt/ebconsole.
 Data, backups and logs live in each user's folders (~/.local/share/ebconsole,
 ~/.local/state/ebconsole/log) and survive upgrades and removal.
CONTROL

# Menus and the icon cache are refreshed by the desktop-file-utils and
# hicolor-icon-theme dpkg triggers; no maintainer scripts are needed.
DEB=$DIST/ebconsole_${VERSION}_${ARCH}.deb
rm -f "$DEB"
dpkg-deb --root-owner-group -Zgzip --build "$PKG" "$DEB"
dpkg-deb --info "$DEB" | sed -n '1,12p'
echo "== package: $DEB ($(du -h "$DEB" | cut -f1))"

# --- 3. install it in a scratch root and run it ------------------------------------------
if [ "${SKIP_SMOKE:-0}" != "1" ]; then
    bash packaging/smoke_test.sh "$DEB"
fi
