"""Test session set-up shared by the whole suite."""

from __future__ import annotations

import os

# Qt runs headless in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("EBCONSOLE_LANG", "zh_CN")

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for this test session, started and stopped here."""
    from tests.support.postgres import TempPostgres, binaries_available

    if not binaries_available():
        if os.environ.get("EBCONSOLE_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl, postgres) are required but not on PATH")
        pytest.skip("no PostgreSQL binaries on PATH: shared-mode tests need initdb/pg_ctl/postgres")
    server = TempPostgres().start()
    yield server
    server.cleanup()
