#!/usr/bin/env bash
# The whole test suite, as CI runs it. The core's tests run with PySide6 made
# unimportable (proof that the core needs no Qt); the rest run with Qt offscreen.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export QT_QPA_PLATFORM=offscreen
# shared-mode tests need PostgreSQL: in CI a missing server is a failure, not a skip
if [ -n "${CI:-}" ]; then export EBCONSOLE_REQUIRE_POSTGRES=1; fi

# Python may write its bytecode caches: with PYTHONDONTWRITEBYTECODE set, every worker of
# both phases (and every subprocess a test starts) compiles the code and rewrites the
# asserts of every test module again: ~15 s of CPU per worker
unset PYTHONDONTWRITEBYTECODE
# files the run builds once for both phases and all workers (the migrated test world, an
# initialised CLI database, …: tests/support/shared.py); new for each run, removed after it
EBCONSOLE_TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/ebconsole-test-cache-XXXXXX")
export EBCONSOLE_TEST_CACHE
trap 'rm -rf "$EBCONSOLE_TEST_CACHE"' EXIT

# one worker per core (pytest-xdist). worksteal: each worker starts on one half of the
# tests, in file order (so a file's module fixtures are mostly built once), and a worker
# that runs dry takes half of what the other has left, so both cores stay busy to the
# end. Tests marked `slow` run first (tests/conftest.py), so none is left for the end.
WORKERS=(-n "${EBCONSOLE_TEST_WORKERS:-auto}" --dist worksteal)

status=0
echo "== core (Qt blocked) =="
EBCONSOLE_BLOCK_QT=1 "$PY" -m pytest tests/ebconsole -p no:pytest-qt -q "${WORKERS[@]}" "$@" \
  || status=$?
echo "== console, CLI and the rest =="
"$PY" -m pytest tests --ignore=tests/ebconsole -q "${WORKERS[@]}" "$@"
rc=$?
# pytest exits 5 when it collected nothing; that is not a failure of the suite
[ $rc -eq 5 ] && rc=0
[ $rc -ne 0 ] && status=$rc
exit $status
