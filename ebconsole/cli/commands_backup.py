"""`backup [--to FOLDER] [--keep N]` and `restore FILE [--yes]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ebconsole.cli.common import CliContext, fail
from ebconsole.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backup",
        parents=[common],
        help=_("back up the SQLite database (an online copy, checked, older ones rotated)"),
    )
    p.add_argument(
        "--to",
        metavar="FOLDER",
        help=_(
            "write the backup here (default: the backup folder set in the console's "
            "settings, else the 'backups' folder next to the database)"
        ),
    )
    p.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help=_(
            "keep the N newest manual backups in the folder, delete older ones (0: keep all; "
            "default: the console's setting)"
        ),
    )
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help=_(
            "replace the database by a backup, after checking it; the current database "
            "is kept as a safety copy (administrators only)"
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.set_defaults(handler=cmd_restore)


def _sqlite_file(ctx: CliContext) -> Path:
    from ebconsole.backup.service import database_path

    return database_path(ctx.url)


def cmd_backup(ctx: CliContext) -> int:
    from ebconsole.backup import service as backups

    db_path = _sqlite_file(ctx)
    if not db_path.is_file():
        fail(_("there is no database at {path}").format(path=db_path))
    actor = ctx.actor()
    backups.require_back_up(actor)
    keep = backups.configured_keep(db_path) if ctx.args.keep is None else ctx.args.keep
    # without --to: the database's backup folder setting (the one the console uses)
    info = backups.create_backup(
        ctx.database(), ctx.args.to, keep=keep if keep > 0 else None, label="manual"
    )
    data = {
        "path": str(info.path),
        "size": info.size,
        "revision": info.revision,
        "created_at": info.created_at.isoformat(),
        "removed": [str(p) for p in info.removed],
    }
    human = _("Backup written and checked: {path} ({size} KB)").format(
        path=info.path, size=max(1, info.size // 1024)
    )
    if info.removed:
        human += "\n" + _("Older backups removed: {count}").format(count=len(info.removed))
    ctx.emit(data, human)
    return 0


def cmd_restore(ctx: CliContext) -> int:
    from ebconsole.backup import service as backups

    db_path = _sqlite_file(ctx)
    check = backups.check_backup(ctx.args.file)  # a bad file is refused before anything else
    if db_path.is_file() and db_path.stat().st_size > 0:
        # Replacing an existing database is an administrator's decision. A missing
        # database (a new or rebuilt workstation) has nothing to protect.
        ctx.database(prepare=False)
        backups.require_restore(ctx.actor())
    ctx.close()  # this command's own connections must not hold the database
    summary = _(
        "Backup {path}: schema {revision}, site {site}, workstation {workstation}, "
        "{incidents} incidents."
    ).format(
        path=check.path,
        revision=check.revision,
        site=check.site_code or "-",
        workstation=check.workstation or "-",
        incidents=check.incidents,
    )
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            fail(summary + " " + _("Add --yes to replace the database {db}.").format(db=db_path))
        sys.stdout.write(summary + "\n")
        answer = input(_("Replace the database {db} with this backup? [y/N] ").format(db=db_path))
        if answer.strip().lower() not in ("y", "yes", "是"):
            fail(_("nothing was replaced"))
    result = backups.restore_backup(db_path, check.path)  # safety copy: the backup folder
    data = {
        "database": str(result.database),
        "restored_from": str(check.path),
        "revision": check.revision,
        "site": check.site_code,
        "workstation": check.workstation,
        "incidents": check.incidents,
        "safety_copy": str(result.safety_copy) if result.safety_copy else None,
    }
    human = _("Database {db} restored from {path}.").format(db=result.database, path=check.path)
    if result.safety_copy:
        human += "\n" + _("The previous database was kept as {path}").format(
            path=result.safety_copy
        )
    ctx.emit(data, human)
    return 0
