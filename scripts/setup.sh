#!/usr/bin/env bash
# Sets up everything ebconsole needs on a fresh Debian/Ubuntu machine (or any machine
# with Python 3.11+): system packages when run as root, a virtual environment in .venv
# with the project installed (editable) and its GUI and dev extras, compiled translations.
# Safe to run again: it skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # fonts: CJK glyphs in the UI and embedded in PDFs; poppler: PDF checks in tests;
  # xvfb + xcb libraries: Qt's real window for screenshots; postgresql: shared-mode tests.
  for p in fonts-wqy-microhei poppler-utils xvfb xauth libxcb-icccm4 libxcb-keysyms1 \
           libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 \
           libxcb-xkb1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 \
           libdbus-1-3 fakeroot dpkg-dev; do
    have_pkg "$p" || need_apt+=("$p")
  done
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need_apt+=(postgresql)
  fi
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  fi
  # the PostgreSQL server refuses root: the throwaway test clusters run as this user
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.ebconsole-installed"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing ebconsole and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[gui,dev]"
  echo "$want" > "$stamp"
fi
"$VENV/bin/python" scripts/translations.py compile >/dev/null
echo "setup: ready ($VENV)"
