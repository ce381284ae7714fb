"""Backups: online copies while the console writes, private files, rotation, restores
that refuse every bad file before anything is replaced."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from sqlalchemy import text

from ebconsole.backup import service as backups
from ebconsole.db.migrate import head_revision, prepare
from ebconsole.db.session import Database
from ebconsole.errors import EbError, PermissionDenied
from ebconsole.i18n import translator
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from tests.ebconsole.incidents.samples import fraud_intake

ZH = translator("zh_CN")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _add_incident(db: Database, actor) -> str:
    with db.session(actor) as s:
        return incidents.create(parse_intake(fraud_intake()), session=s).reference


def _references(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("select reference from incident")}
    finally:
        con.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_taken_during_a_write_is_a_checked_private_snapshot(live, tmp_path):
    db, world = live
    saved = _add_incident(db, world.clerk)
    folder = tmp_path / "medium" / "backups"
    # another operator's transaction is open (and holds the write lock) while we copy
    with db.session(world.clerk) as s:
        pending = incidents.create(parse_intake(fraud_intake()), session=s).reference
        s.flush()
        info = backups.create_backup(db, folder, keep=5, label="auto")
    assert info.path.parent == folder
    assert info.path.name.startswith("ebconsole-BJ01-值班室-1-auto-")
    assert info.path.suffix == ".sqlite3" and info.revision == head_revision()
    assert _mode(info.path) == 0o600 and _mode(folder) == 0o700
    con = sqlite3.connect(info.path)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma journal_mode").fetchone()[0] == "delete"  # one file
    con.close()
    refs = _references(info.path)
    assert saved in refs and pending not in refs  # committed data only
    assert sorted(os.listdir(folder)) == [info.path.name]  # no -wal, -journal, .partial


def test_rotation_keeps_the_newest_of_its_kind_and_nothing_else_is_touched(live, tmp_path):
    db, _world = live
    folder = tmp_path / "backups"
    folder.mkdir()
    stranger = folder / "ebconsole-BJ01-值班室-1-auto-notes.txt"
    stranger.write_text("不是备份", encoding="utf-8")
    manual = backups.create_backup(db, folder, keep=2, label="manual")
    made = [backups.create_backup(db, folder, keep=3, label="auto") for _ in range(5)]
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([stranger.name, manual.path.name, *(m.path.name for m in made[-3:])])
    assert made[-1].removed == (made[-4].path,) or made[-1].removed == ()
    assert sum(len(m.removed) for m in made) == 2


def test_a_restore_brings_back_the_backup_and_keeps_a_safety_copy(live, tmp_path):
    db, world = live
    before = _add_incident(db, world.clerk)
    info = backups.create_backup(db, tmp_path / "backups")
    after = _add_incident(db, world.clerk)  # recorded after the backup
    db.dispose()

    result = backups.restore_backup(db.path, info.path, safety_folder=tmp_path / "safety")

    assert result.restored.revision == head_revision() and result.restored.site_code == "BJ01"
    refs = _references(db.path)
    assert before in refs and after not in refs
    assert result.safety_copy is not None and _mode(result.safety_copy) == 0o600
    assert after in _references(result.safety_copy)  # nothing is lost by a restore
    assert _mode(db.path) == 0o600
    leftovers = [p.name for p in db.path.parent.iterdir() if p.name.startswith((".", "ebconsole"))]
    assert leftovers == ["ebconsole.sqlite3"]
    # the console opens the restored file and carries on
    with db.session(world.clerk) as s:
        assert incidents.get_by_reference(before, session=s).reference == before


def test_a_restore_onto_a_new_workstation_needs_no_existing_database(live, tmp_path):
    db, _world = live
    info = backups.create_backup(db, tmp_path / "backups")
    target = tmp_path / "new-disk" / "ebconsole.sqlite3"
    result = backups.restore_backup(target, info.path)
    assert result.safety_copy is None
    fresh = Database(str(target))
    assert prepare(fresh).created is False
    fresh.dispose()


def _truncated(src, dest):
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2 + 100])


def _damaged(src, dest):
    data = bytearray(src.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for p in range(2, len(data) // page):  # scribble over every b-tree page header
        data[p * page : p * page + 12] = b"\xa5" * 12
    dest.write_bytes(bytes(data))


def _foreign(_src, dest):
    con = sqlite3.connect(dest)
    con.execute("create table customers (id integer primary key, name text)")
    con.commit()
    con.close()


def _newer(src, dest):
    dest.write_bytes(src.read_bytes())
    con = sqlite3.connect(dest)
    con.execute("update alembic_version set version_num = '9999_from_the_future'")
    con.commit()
    con.close()


def _text(_src, dest):
    dest.write_text("备份文件\n" * 200, encoding="utf-8")


def _binary(_src, dest):
    dest.write_bytes(os.urandom(64 * 1024))


def _empty(_src, dest):
    dest.write_bytes(b"")


def _header_only(src, dest):
    dest.write_bytes(src.read_bytes()[:100])


BAD_FILES = [
    ("missing", None, "restore_missing"),
    ("empty", _empty, "restore_not_sqlite"),
    ("text", _text, "restore_not_sqlite"),
    ("binary", _binary, "restore_not_sqlite"),
    ("header only", _header_only, "restore_truncated"),
    ("truncated", _truncated, "restore_truncated"),
    ("damaged", _damaged, "restore_corrupt"),
    ("foreign", _foreign, "restore_foreign"),
    ("newer", _newer, "restore_newer"),
]


@pytest.mark.parametrize(("case", "make", "code"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_restore_refuses_a_bad_backup_before_replacing_anything(live, tmp_path, case, make, code):
    db, world = live
    _add_incident(db, world.clerk)
    good = backups.create_backup(db, tmp_path / "backups")
    bad = tmp_path / "bad.sqlite3"
    if make is not None:
        make(good.path, bad)
    db.dispose()
    digest = _digest(db.path)
    listing = sorted(os.listdir(db.path.parent))

    with pytest.raises(EbError) as err:
        backups.check_backup(bad)
    assert err.value.code == code
    with pytest.raises(EbError) as err:
        backups.restore_backup(db.path, bad, safety_folder=tmp_path / "safety")
    assert err.value.code == code
    message = err.value.message(ZH)
    assert "bad.sqlite3" in message or code in ("restore_newer",)
    assert ZH(backups.messages.MESSAGES[code]) != backups.messages.MESSAGES[code]

    assert _digest(db.path) == digest  # not a byte changed
    assert sorted(os.listdir(db.path.parent)) == listing  # no temp file left behind
    assert not (tmp_path / "safety").exists()  # nothing was even started


def test_a_restore_is_refused_while_another_program_has_the_database_open(live, tmp_path):
    db, world = live
    info = backups.create_backup(db, tmp_path / "backups")
    _add_incident(db, world.clerk)  # the console (this engine) keeps its connection open
    digest = _digest(db.path)
    with pytest.raises(EbError) as err:
        backups.restore_backup(db.path, info.path, lock_timeout=0.2)
    assert err.value.code == "restore_in_use"
    assert "关闭" in err.value.message(ZH)
    assert _digest(db.path) == digest
    # once it is closed, the restore goes through
    db.dispose()
    assert backups.restore_backup(db.path, info.path).safety_copy is not None


def test_the_backup_file_itself_cannot_be_restored_over_the_database(live):
    db, _world = live
    with pytest.raises(EbError) as err:
        backups.restore_backup(db.path, db.path)
    assert err.value.code == "restore_same_file"


def test_only_sqlite_is_backed_up_here():
    with pytest.raises(EbError) as err:
        backups.create_backup("postgresql://duty@db.example/ebconsole")
    assert err.value.code == "backup_not_sqlite"
    assert "pg_dump" in err.value.message(ZH)


def test_who_may_back_up_and_restore(live):
    _db, world = live
    assert backups.may_back_up(world.coordinator) and backups.may_back_up(world.admin)
    assert not backups.may_back_up(world.clerk)
    assert backups.may_restore(world.admin) and not backups.may_restore(world.coordinator)
    for actor in (world.clerk, world.coordinator):
        with pytest.raises(PermissionDenied) as err:
            backups.require_restore(actor)
        assert "从备份恢复数据库" in err.value.message(ZH)


def test_a_new_database_and_its_wal_are_created_private(tmp_path):
    old = os.umask(0o022)
    try:
        db = Database(str(tmp_path / "fresh" / "ebconsole.sqlite3"))
        prepare(db)
        with db.session(readonly=True) as s:
            s.execute(text("select 1"))
        files = {p.name: _mode(p) for p in (tmp_path / "fresh").iterdir()}
        db.dispose()
    finally:
        os.umask(old)
    assert files["ebconsole.sqlite3"] == 0o600
    assert {name: mode for name, mode in files.items() if mode != 0o600} == {}
    assert {"ebconsole.sqlite3-wal", "ebconsole.sqlite3-shm"} <= set(files)


def test_an_old_world_readable_database_is_made_private_when_opened(live):
    db, _world = live
    db.dispose()
    os.chmod(db.path, 0o644)
    prepare(db)
    assert _mode(db.path) == 0o600
