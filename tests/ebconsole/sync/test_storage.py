"""The bulk jobs' shortcuts on SQLite (`sync.storage`) against the generic way: the same
stored values, the same databases after an apply and a baseline, the same payload lines."""

from __future__ import annotations

import io
import json
import random
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ebconsole.actor import Actor
from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from ebconsole.sync import bundle as bundles
from ebconsole.sync import storage
from ebconsole.sync.apply import apply_changes
from ebconsole.sync.baseline import FLAG, ensure_baseline
from ebconsole.sync.messages import SyncError
from ebconsole.sync.tables import replicated_tables, row_state


def _dump(path: Path, *, skip: frozenset[tuple[str, str]] = frozenset()) -> dict[str, list[Any]]:
    """Every table's rows exactly as SQLite stores them (values and their types)."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, list[Any]] = {}
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        for (name,) in names:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            keep = ", ".join(f'"{c}", typeof("{c}")' for c in cols if (name, c) not in skip)
            rows = conn.execute(f'SELECT {keep} FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def test_stored_values_are_what_sqlalchemy_reads_and_writes(ws_a):
    ws_a.note(ws_a.record_incident("核心系统批量作业延迟"), "已通知运维")
    with ws_a.db.session(readonly=True) as s:
        conn = s.connection()
        seen = 0
        for table in replicated_tables():
            cod = storage.codec(table, conn.dialect)
            stored = conn.exec_driver_sql(cod.select_all).all()
            rows = conn.execute(select(table)).mappings().all()
            assert len(stored) == len(rows)
            for raw, row in zip(stored, rows, strict=True):
                state = cod.json_row(raw)
                assert state == row_state(table, row)
                assert [cod.bind[n](state[n]) for n in cod.names] == list(raw)
                seen += 1
        assert seen > 100
        incident = next(t for t in replicated_tables() if t.name == "incident")
        cod = storage.codec(incident, conn.dialect)
        generic = {c.name: storage._generic_bind(c, conn.dialect) for c in incident.columns}
        some = str(uuid.uuid4())
        for name, value in (
            ("id", some.upper()),  # not the canonical text: the generic way
            ("id", some),
            ("occurred_at", "2026-03-01T08:30:00+08:00"),  # another zone
            ("occurred_at", "2026-03-01T00:30:00.000001+00:00"),
            ("occurred_at", None),
            ("affected_services", None),  # JSON null as SQLAlchemy stores it
            ("affected_services", ["网银", "手机银行"]),
            ("severity", list(incident.c.severity.type.enum_class)[-1].value),  # type: ignore[attr-defined]
            ("in_scope", True),
        ):
            assert cod.bind[name](value) == generic[name](value), (name, value)
        with pytest.raises(ValueError):  # refused as the generic way refuses it
            cod.bind["occurred_at"]("2026-03-01T08:30:00")


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "empty.sqlite3"
    db = Database(str(path))
    prepare(db)
    db.dispose()
    return path


def _apply(path: Path, batches: list[list[dict[str, Any]]]) -> list[int]:
    db = Database(str(path))
    try:
        conflicts = []
        for batch in batches:
            with db.session(Actor.system("BJ01C", "值班室-3")) as s:
                conflicts.append(apply_changes(s, batch).conflicts)
        return conflicts
    finally:
        db.dispose()


def test_applying_on_sqlite_stores_what_the_generic_way_stores(
    ws_a, empty_db, tmp_path, monkeypatch
):
    first = ws_a.log()
    a1 = ws_a.record_incident("自助设备批量离线")
    ws_a.note(a1, "已派工程师")
    ws_a.edit(a1, description="十二台设备离线")
    second = ws_a.log()[len(first) :]
    # two new users in one insert group, one of them with a username taken already
    user = next(c for c in first if c["entity"] == "user_account")
    stamp = max(c["stamp"] for c in second)
    for n, username in enumerate((user["state"]["username"], "duty_new")):
        rid = str(uuid.uuid4())
        second.append(
            {
                **user,
                "change_id": str(uuid.uuid4()),
                "record_id": rid,
                "state": {**user["state"], "id": rid, "username": username},
                "stamp": stamp,
                "origin": f"SH01/{n}",
            }
        )

    fast, generic = tmp_path / "fast.sqlite3", tmp_path / "generic.sqlite3"
    shutil.copyfile(empty_db, fast)
    shutil.copyfile(empty_db, generic)
    assert _apply(fast, [first, second]) == [0, 1]  # the taken username: one conflict
    monkeypatch.setattr(storage, "usable", lambda conn: False)
    assert _apply(generic, [first, second]) == [0, 1]
    skip = frozenset({("change_log", "received_at"), ("sync_conflict", "detected_at")})  # now
    assert _dump(fast, skip=skip) == _dump(generic, skip=skip)


def test_the_baseline_on_sqlite_records_what_the_generic_way_records(
    sqlite_template, tmp_path, monkeypatch
):
    """A database from before the change log: the baseline records every record."""
    paths = []
    for name in ("fast", "generic"):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM change_log")
        conn.execute("DELETE FROM sync_state WHERE key IN (?, 'hlc')", (FLAG,))
        # a blob where text belongs (never written by the program): its table the generic way
        conn.execute("UPDATE user_account SET display_name = X'00ff' WHERE rowid = 1")
        conn.commit()
        conn.close()
        paths.append(path)
    counts = []
    for path in paths:
        db = Database(str(path))
        with db.session(Actor.system("BJ01", "值班室-1")) as s:
            counts.append(ensure_baseline(session=s))
        db.dispose()
        monkeypatch.setattr(storage, "usable", lambda conn: False)  # the second: generic
    assert counts[0] == counts[1] > 100
    # ids are random and stamps read the clock: the rest is the same, row for row
    skip = frozenset(
        {("change_log", c) for c in ("change_id", "stamp", "received_at")}
        | {("sync_state", "value")}
    )
    assert _dump(paths[0], skip=skip) == _dump(paths[1], skip=skip)
    conn = sqlite3.connect(paths[0])
    ids = [uuid.UUID(hex=h) for (h,) in conn.execute("SELECT change_id FROM change_log")]
    conn.close()
    assert len(set(ids)) == len(ids) == counts[0]
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}


def _readline_lines(data: bytes, limit: int) -> Iterator[bytes]:
    """What the payload reader did before it read in chunks (the reference)."""
    f, total = io.BytesIO(data), 0
    while line := f.readline(bundles.MAX_LINE_BYTES + 1):
        total += len(line)
        if total > limit or len(line) > bundles.MAX_LINE_BYTES:
            raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)
        yield line


def _outcome(lines: Iterator[bytes]) -> tuple[list[bytes], str | None]:
    got: list[bytes] = []
    try:
        for line in lines:
            got.append(line)
    except SyncError as exc:
        return got, exc.code
    return got, None


def test_payload_lines_read_in_chunks_are_the_lines_readline_gives(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_LINE_BYTES", 40)
    monkeypatch.setattr(bundles, "READ_CHUNK", 16)
    rng = random.Random(7)
    cases = [b"", b"\n", b"abc", b"a\nb", b"x" * 40 + b"\n", b"x" * 41, b"x" * 41 + b"\nok\n"]
    for _ in range(400):
        lines = [b"y" * rng.choice((0, 1, 5, 15, 16, 17, 39, 40, 41, 90)) for _ in range(6)]
        cases.append(b"\n".join(lines) + rng.choice((b"", b"\n")))
    refused = 0
    for data in cases:
        for limit in (len(data), len(data) - 1, 100, 10**6):
            # the same lines, then the same refusal at the same place (or none)
            expected = _outcome(_readline_lines(data, limit))
            assert _outcome(bundles._lines(io.BytesIO(data), limit)) == expected, (data, limit)
            refused += expected[1] is not None
    assert 0 < refused < 4 * len(cases)


def test_payload_lines_are_what_the_json_encoder_writes(ws_a, tmp_path):
    ws_a.note(ws_a.record_incident('网点 "东四" 断网\\备用线路'), "已切换\t备用线路")
    key = b"k" * 32
    made = bundles.export_bundle(ws_a.db, tmp_path / "a.ebx", key=key, actor=ws_a.actor)
    with zipfile.ZipFile(made.path) as z:
        lines = z.read(bundles.PAYLOAD).splitlines(keepends=True)
    assert len(lines) == made.count > 100
    for line in lines:
        change = json.loads(line)
        head = bundles._dumps({k: v for k, v in change.items() if k != "state"})
        assert line.startswith(head[:-1].encode() + b',"state":'), line
        assert line.endswith(b"}\n")
