"""The rotating log file and the diagnostics text: written where the data folder says,
rotated, and free of customer data even when an incident's ID number passed by."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ebconsole import __version__, logs
from ebconsole.db.session import Database

ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
ACCOUNT = "6222 0202 0000 1234 567"
CARD = "6217000010012345678"
REFERENCE = "BJ01-20261128-001"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EBCONSOLE_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    level = root.level
    yield tmp_path / "data"
    logs.stop_logging()
    root.setLevel(level)


def test_log_file_is_created_in_the_data_folder_and_rotates(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 4_000)
    handler = logs.setup_logging(respect_existing=False)
    assert handler is not None
    assert logs.setup_logging(respect_existing=False) is None  # once per file
    path = data_dir / "logs" / "ebconsole.log"
    assert logs.log_file() == path

    log = logging.getLogger("ebconsole.test")
    for n in range(400):
        log.info("shift handover %03d", n)
    handler.flush()

    assert path.exists()
    rotated = sorted(p.name for p in path.parent.glob("ebconsole.log.*"))
    assert rotated == [f"ebconsole.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)]
    assert path.stat().st_size <= 4_000
    tail = logs.recent_lines(50)
    assert len(tail) == 50 and tail[-1].endswith("shift handover 399")


def test_diagnostics_have_the_version_and_no_customer_data(
    data_dir: Path, world_db_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "ebconsole.sqlite3"
    shutil.copy(world_db_path, copy)
    db = Database(str(copy))
    handler = logs.setup_logging(respect_existing=False)
    assert handler is not None
    log = logging.getLogger("ebconsole.incidents")
    try:
        log.info(
            "incident %s saved: customer %s, phone %s, account %s",
            REFERENCE,
            ID_NUMBER,
            PHONE,
            ACCOUNT,
        )
        # a database error quotes its SQL parameters: the traceback is redacted too
        try:
            with db.engine.connect() as conn:
                conn.execute(
                    text("SELECT :id_number, :card FROM no_such_table"),
                    {"id_number": ID_NUMBER, "card": CARD},
                )
        except OperationalError:
            log.exception("intake of %s failed", REFERENCE)
        handler.flush()

        written = (data_dir / "logs" / "ebconsole.log").read_text(encoding="utf-8")
        report = logs.diagnostics(db)
    finally:
        db.dispose()

    assert "no_such_table" in written and REFERENCE in written  # the entries are there
    for secret in (ID_NUMBER, PHONE, ACCOUNT, CARD, "0000 1234"):
        assert secret not in written, secret
        assert secret not in report, secret
    assert f"ebconsole: {__version__}" in report
    assert f"Database: sqlite:///{copy}" in report
    assert "Schema revision:" in report and "(current)" in report
    assert f"Log file: {data_dir / 'logs' / 'ebconsole.log'}" in report
    assert "Sync" in report
    assert f"intake of {REFERENCE} failed" in report  # recent log lines, redacted
    assert logs.REDACTED in report


def test_diagnostics_never_show_the_database_password(data_dir: Path) -> None:
    report = logs.diagnostics(url="postgresql://duty:S3cret-pw@hub.bank.local/ebconsole")
    assert "S3cret-pw" not in report
    assert "postgresql+psycopg://duty:***@hub.bank.local/ebconsole" in report


def test_redact_keeps_references_and_times() -> None:
    line = (
        f"2026-11-28 14:57:47,123 INFO 4242 ebconsole: RPT-BJ01-20261128225820 "
        f"{REFERENCE} id {ID_NUMBER} tel +86 138-0013-8000 land 010-62345678"
    )
    out = logs.redact(line)
    assert out == (
        f"2026-11-28 14:57:47,123 INFO 4242 ebconsole: RPT-BJ01-20261128225820 "
        f"{REFERENCE} id [redacted] tel [redacted] land [redacted]"
    )
