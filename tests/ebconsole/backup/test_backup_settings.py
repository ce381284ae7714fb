"""The backup settings are kept next to the database, where the console writes them and
the `ebconsole` command and the backup service read them."""

from __future__ import annotations

import json
import stat

import pytest

from ebconsole.backup import service as backups
from ebconsole.settings import (
    BACKUP_FOLDER,
    BACKUP_INTERVAL_HOURS,
    BACKUP_KEEP,
    LANGUAGE,
    DatabaseSettings,
)


def test_database_settings_are_typed_private_and_written_whole(tmp_path):
    store = DatabaseSettings.for_database(tmp_path / "ebconsole.sqlite3")
    assert store is not None and store.path == tmp_path / "ebconsole.sqlite3.settings.json"
    assert DatabaseSettings.for_database("postgresql://duty@hub/ebconsole") is None
    assert store.get(BACKUP_KEEP) == 14 and store.get(BACKUP_FOLDER) == ""  # defaults

    store.update({BACKUP_FOLDER: "/media/备份盘", BACKUP_KEEP: "3", BACKUP_INTERVAL_HOURS: 0})
    assert (store.get(BACKUP_FOLDER), store.get(BACKUP_KEEP)) == ("/media/备份盘", 3)
    assert store.get(BACKUP_INTERVAL_HOURS) == 0
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [store.path.name]  # no temporary left
    # another reader (the command line) sees what was saved, in plain JSON
    assert json.loads(store.path.read_text(encoding="utf-8"))[BACKUP_KEEP] == 3

    store.set(BACKUP_KEEP, 5000)  # out of range: the default, as for every setting
    assert store.get(BACKUP_KEEP) == 14
    with pytest.raises(KeyError):
        store.set(LANGUAGE, "en")  # a user's own setting is not kept with the database


def test_an_unreadable_file_gives_the_defaults(tmp_path):
    store = DatabaseSettings(tmp_path / "x.sqlite3.settings.json")
    store.path.write_text('{"storage/backup_keep": 3', encoding="utf-8")  # cut short
    assert store.get(BACKUP_KEEP) == 14
    store.path.write_text('["not", "an", "object"]', encoding="utf-8")
    assert store.get(BACKUP_KEEP) == 14
    store.set(BACKUP_KEEP, 4)  # saving repairs it
    assert store.get(BACKUP_KEEP) == 4


def test_a_backup_without_a_folder_goes_to_the_configured_one(live, tmp_path):
    db, _world = live
    assert db.path is not None
    medium = tmp_path / "备份介质"
    DatabaseSettings.for_database(db).update({BACKUP_FOLDER: str(medium), BACKUP_KEEP: 2})
    assert backups.configured_folder(db.path) == medium and backups.configured_keep(db.path) == 2
    info = backups.create_backup(db, label="auto")
    assert info.path.parent == medium
    assert not (db.path.parent / "backups").exists()
