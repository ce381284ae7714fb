"""Test session set-up shared by the whole suite."""

from __future__ import annotations

import os

# Qt runs headless in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("EBCONSOLE_LANG", "zh_CN")
# Argon2 at its cheap declared profile: the suite hashes hundreds of passwords (and each
# CLI subprocess inherits it); tests/ebconsole/users/test_passwords.py covers both profiles.
os.environ["EBCONSOLE_PASSWORD_HASH_PROFILE"] = "test"
# never read or write the developer's own data folder (drafts, default database)
import tempfile as _tempfile

os.environ["EBCONSOLE_DATA_DIR"] = _tempfile.mkdtemp(prefix="ebconsole-test-data-")

import glob
import sys
from importlib.abc import MetaPathFinder

if os.environ.get("EBCONSOLE_BLOCK_QT"):
    # Prove the core needs no Qt: make PySide6 (and the ui package) unimportable, as on
    # a machine where they are not installed.
    class _NoQt(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "ui"):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked: core tests)")
            return None

    sys.meta_path.insert(0, _NoQt())

# Debian keeps the PostgreSQL server binaries off the PATH.
if not any(
    os.access(os.path.join(d, "initdb"), os.X_OK)
    for d in os.environ.get("PATH", "").split(os.pathsep)
):
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        os.environ["PATH"] = found + os.pathsep + os.environ.get("PATH", "")
        break

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for this test session, started and stopped here."""
    from tests.support.postgres import TempPostgres, binaries_available

    if not binaries_available():
        if os.environ.get("EBCONSOLE_REQUIRE_POSTGRES"):
            pytest.fail(
                "PostgreSQL binaries (initdb, pg_ctl, postgres) are required but not on PATH"
            )
        pytest.skip("no PostgreSQL binaries on PATH: shared-mode tests need initdb/pg_ctl/postgres")
    server = TempPostgres().start()
    yield server
    server.cleanup()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `slow` first (in their own order), then the rest: with several xdist
    workers, a long test started last would keep one core busy while the others idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
