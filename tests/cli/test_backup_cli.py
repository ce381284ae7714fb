"""`ebconsole backup` and `ebconsole restore` as a duty-room administrator uses them."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from tests.cli.conftest import Cli
from tests.ebconsole.incidents.samples import fraud_intake
from tests.support.world import World, make_world


@pytest.fixture
def site_cli(tmp_path) -> Cli:
    """The test world (admin, coord, clerk) in a SQLite file, driven through the CLI."""
    path = tmp_path / "ebconsole.sqlite3"
    db = Database(str(path))
    make_world(db)
    db.dispose()
    return Cli(path, tmp_path)


def _incidents(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("select count(*) from incident").fetchone()[0]
    finally:
        con.close()


def test_backup_then_restore_through_the_command_line(site_cli, tmp_path):
    medium = tmp_path / "U盘" / "备份"
    r = site_cli("backup", "--to", str(medium), "--json", user="coord")
    assert r.code == 0, r.err
    made = r.json()
    backup = medium / os.path.basename(made["path"])
    assert backup.is_file() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert "BJ01" in backup.name and made["revision"]

    r = site_cli("backup", user="clerk", lang="zh_CN")
    assert r.code == 2 and "柜员" in r.err and "备份数据库" in r.err

    # after the backup the branch records an incident; then the database has to go back
    db = Database(str(site_cli.db))
    with db.session(World.load(db).clerk) as s:
        incidents.create(parse_intake(fraud_intake()), session=s)
    db.dispose()
    assert _incidents(site_cli.db) == 1

    r = site_cli("restore", str(backup), "--yes", user="coord", lang="zh_CN")
    assert r.code == 2 and "协调员" in r.err and "恢复" in r.err

    r = site_cli("restore", str(backup), "--yes", "--json", user="admin")
    assert r.code == 0, r.err
    done = r.json()
    assert done["restored_from"] == str(backup) and done["site"] == "BJ01"
    assert done["safety_copy"] and os.path.exists(done["safety_copy"])
    assert _incidents(site_cli.db) == 0


def test_restore_refuses_a_damaged_backup_and_changes_nothing(site_cli, tmp_path):
    bad = tmp_path / "ebconsole-BJ01-坏的.sqlite3"
    good = site_cli.db.read_bytes()
    bad.write_bytes(good[: len(good) // 3])
    before = site_cli.db.read_bytes()
    r = site_cli("restore", str(bad), "--yes", user="admin", lang="zh_CN")
    assert r.code == 2, r.err
    assert "不完整" in r.err and "未替换" in r.err
    assert site_cli.db.read_bytes() == before
    assert not (tmp_path / "backups").exists()  # not even a safety copy was started


def test_backup_without_to_uses_the_folder_and_keep_set_for_the_database(site_cli, tmp_path):
    """The console's settings dialog saves the backup folder next to the database
    (tests/ui/test_settings_dialog_backup.py); `ebconsole backup` reads it from there."""
    from ebconsole.settings import BACKUP_FOLDER, BACKUP_KEEP, DatabaseSettings

    medium = tmp_path / "备份介质"
    store = DatabaseSettings.for_database(site_cli.db)
    assert store is not None
    store.update({BACKUP_FOLDER: str(medium), BACKUP_KEEP: 2})
    made = []
    for _ in range(3):
        r = site_cli("backup", "--json", user="coord")
        assert r.code == 0, r.err
        made.append(r.json()["path"])
    assert all(os.path.dirname(p) == str(medium) for p in made)
    assert sorted(str(p) for p in medium.iterdir()) == sorted(made[1:])  # kept 2
    assert not (tmp_path / "backups").exists()
    # --to and --keep still win for one backup
    r = site_cli("backup", "--to", str(tmp_path / "别处"), "--keep", "0", "--json", user="coord")
    assert r.code == 0 and os.path.dirname(r.json()["path"]) == str(tmp_path / "别处")
