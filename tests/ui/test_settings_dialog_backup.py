"""The console's settings dialog saves the backup settings next to the database, where
`ebconsole backup` (run here through its in-process runner) finds them."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QLabel

from ebconsole.settings import BACKUP_FOLDER, BACKUP_INTERVAL_HOURS, BACKUP_KEEP, DatabaseSettings
from tests.cli.conftest import _environment, run_in_process
from tests.support.world import PASSWORD
from ui.dialogs.settings_dialog import SettingsDialog


def test_the_dialog_saves_backup_settings_where_the_command_reads_them(make_context, db, tmp_path):
    medium = tmp_path / "U盘" / "备份"
    dialog = SettingsDialog(make_context())  # the administrator
    dialog.set_value(BACKUP_FOLDER, str(medium))
    dialog.set_value(BACKUP_KEEP, 3)
    dialog.accept()

    saved = DatabaseSettings.for_database(db)
    assert saved is not None and saved.path.parent == db.path.parent
    assert (saved.get(BACKUP_FOLDER), saved.get(BACKUP_KEEP)) == (str(medium), 3)
    shown = dialog.findChild(QLabel, "database_settings_file")
    assert shown is not None and str(saved.path) in shown.text()  # the dialog says where

    r = run_in_process(
        ["backup", "--db", str(db.path), "--user", "coord", "--lang", "zh_CN", "--json"],
        environ=_environment(PASSWORD, None),
        cwd=tmp_path,
        stdin=None,
    )
    assert r.code == 0, r.err
    assert os.path.dirname(r.json()["path"]) == str(medium)


def test_values_saved_before_in_the_users_settings_are_carried_over(
    make_context, settings_store, db
):
    settings_store.set(BACKUP_INTERVAL_HOURS, 8)  # as an older console kept it (QSettings)
    settings_store.sync()
    ctx = make_context()
    assert ctx.settings.use_database(db) is not None
    assert ctx.settings.get(BACKUP_INTERVAL_HOURS) == 8
    saved = DatabaseSettings.for_database(db)
    assert saved is not None and saved.get(BACKUP_INTERVAL_HOURS) == 8  # the command sees it
