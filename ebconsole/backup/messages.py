"""Error codes of backups and restores (English source strings)."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

MESSAGES = {
    "backup_not_sqlite": N_(
        "only the embedded SQLite database can be backed up here; back up a shared "
        "PostgreSQL database with the server's own tools (pg_dump)"
    ),
    "backup_no_database": N_("there is no database file at '{path}'"),
    "backup_write_failed": N_("the backup could not be written to '{path}': {detail}"),
    "backup_check_failed": N_(
        "the copy failed its integrity check ({detail}); it was deleted, the database is unchanged"
    ),
    "restore_missing": N_("the backup file '{path}' does not exist"),
    "restore_not_sqlite": N_("'{path}' is not an SQLite database file; nothing was replaced"),
    "restore_truncated": N_(
        "the backup '{path}' is incomplete (truncated: {size} of {expected} bytes); "
        "nothing was replaced"
    ),
    "restore_corrupt": N_("the backup '{path}' is damaged ({detail}); nothing was replaced"),
    "restore_foreign": N_(
        "'{path}' is not an ebconsole database (missing: {missing}); nothing was replaced"
    ),
    "restore_newer": N_(
        "the backup was written by a newer ebconsole (schema {found}); this version knows up "
        "to {known}. Nothing was replaced"
    ),
    "restore_in_use": N_(
        "the database is in use by another program (a console or a command on this "
        "workstation); close it and try again. Nothing was replaced"
    ),
    "restore_same_file": N_("the backup file is the database itself; choose a backup file"),
}

LABELS = {
    "backup": N_("Backup"),
    "backup_folder": N_("Backup folder"),
}

register_messages(MESSAGES)
register_labels(LABELS)
