"""`sync`, `export`, `import`: moving changes between workstations (hub or USB bundle)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime, time
from pathlib import Path
from typing import Any

from ebconsole.cli.common import CliContext, fail
from ebconsole.i18n import _
from ebconsole.timeutil import as_utc, format_local


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    key_help = _(
        "the deployment key file (default: $EBCONSOLE_SYNC_KEY_FILE or sync.key in the data folder)"
    )
    p = sub.add_parser(
        "sync",
        parents=[common],
        help=_("push this workstation's changes to the hub and pull the others'"),
    )
    p.add_argument(
        "--hub", metavar="URL", help=_("PostgreSQL URL of the hub (default: $EBCONSOLE_HUB_URL)")
    )
    p.add_argument(
        "--status",
        action="store_true",
        help=_("only show the sync status (last push and pull, pending changes, conflicts)"),
    )
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser(
        "export",
        parents=[common],
        help=_("write changes into a signed bundle (.ebx) for a site without network"),
    )
    p.add_argument("--out", metavar="FILE.ebx", required=True, help=_("bundle file to write"))
    p.add_argument(
        "--since",
        metavar="DATE",
        help=_("only changes made since this day (YYYY-MM-DD, workstation time)"),
    )
    p.add_argument(
        "--peer",
        metavar="NAME",
        help=_("the site the bundle is for: only changes not yet exported to it (remembered)"),
    )
    p.add_argument("--key-file", metavar="FILE", help=key_help)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import",
        parents=[common],
        help=_("check a bundle (.ebx) and apply all its changes, or none"),
    )
    p.add_argument("file", metavar="FILE.ebx", help=_("bundle file to read"))
    p.add_argument("--key-file", metavar="FILE", help=key_help)
    p.set_defaults(handler=cmd_import)


def _allowed(ctx: CliContext) -> Any:
    from ebconsole.users.permissions import Permission, require

    actor = ctx.actor()
    require(actor, Permission.SYNC)
    return actor


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    from ebconsole.sync.messages import SyncError

    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise SyncError.one("since_invalid", "since", value=raw) from None
    return as_utc(datetime.combine(day, time.min))


def _when(value: datetime | None) -> str:
    return format_local(value, seconds=True) if value else _("never")


def _status_lines(status: Any) -> list[str]:
    lines = [
        _("Last push: {at}").format(at=_when(status.last_push)),
        _("Last pull: {at}").format(at=_when(status.last_pull)),
        _("Changes not yet on the hub: {n}").format(n=status.pending),
        _("Open conflicts: {n}").format(n=status.open_conflicts),
    ]
    if status.offline_since is not None:
        lines.append(_("Offline since {at}").format(at=_when(status.offline_since)))
    return lines


def _status_dict(status: Any) -> dict[str, Any]:
    return {
        "last_push": status.last_push,
        "last_pull": status.last_pull,
        "pending": status.pending,
        "open_conflicts": status.open_conflicts,
        "offline_since": status.offline_since,
        "last_error": status.last_error,
        "hub": status.hub_url,
    }


def cmd_sync(ctx: CliContext) -> int:
    from ebconsole.sync.hub import HUB_ENV, HubSync
    from ebconsole.sync.messages import SyncError
    from ebconsole.sync.service import sync_status

    db = ctx.database()
    actor = _allowed(ctx)
    if ctx.args.status:
        with db.session(readonly=True) as s:
            status = sync_status(session=s)
        ctx.emit(_status_dict(status), "\n".join(_status_lines(status)))
        return 0
    url = ctx.args.hub or os.environ.get(HUB_ENV)
    if not url:
        raise SyncError.one("hub_not_configured", "hub")
    hub = HubSync(db, url, actor=ctx.system_actor())
    try:
        result = hub.run_once()
    finally:
        hub.close()
    del actor
    assert result.status is not None
    data = {
        "pushed": result.pushed,
        "pulled": result.pulled,
        "conflicts": result.conflicts,
        "offline": result.offline,
        "error": result.error,
        **_status_dict(result.status),
    }
    lines = [
        _("Sent {pushed} changes, received {pulled}, new conflicts: {conflicts}").format(
            pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts
        )
    ]
    lines += _status_lines(result.status)
    if result.offline:
        lines.insert(
            0,
            _(
                "The hub cannot be reached ({error}); changes stay here and are "
                "sent on the next sync"
            ).format(error=result.error),
        )
    elif result.error:
        lines.insert(0, _("Sync failed: {error}").format(error=result.error))
    ctx.emit(data, "\n".join(lines))
    return 0 if result.ok else 3


def _key(ctx: CliContext, *, create: bool) -> bytes:
    from ebconsole.sync.keys import load_key

    return load_key(Path(ctx.args.key_file) if ctx.args.key_file else None, create=create)


def cmd_export(ctx: CliContext) -> int:
    from ebconsole.sync.bundle import SUFFIX, export_bundle

    out = Path(ctx.args.out)
    if out.suffix.lower() != SUFFIX:
        fail(_("the bundle file must end in {suffix}").format(suffix=SUFFIX), 2)
    since = _since(ctx.args.since)
    db = ctx.database()
    actor = _allowed(ctx)
    result = export_bundle(
        db, out, key=_key(ctx, create=True), actor=actor, peer=ctx.args.peer, since=since
    )
    ctx.emit(
        {"file": str(result.path), "count": result.count, "manifest": result.manifest},
        _("Wrote {count} changes to {path}").format(count=result.count, path=result.path),
    )
    return 0


def cmd_import(ctx: CliContext) -> int:
    from ebconsole.sync.bundle import import_bundle

    db = ctx.database()
    actor = _allowed(ctx)
    result = import_bundle(db, Path(ctx.args.file), key=_key(ctx, create=False), actor=actor)
    a = result.applied
    ctx.emit(
        {
            "origin": result.manifest.get("origin"),
            "received": a.received,
            "applied": a.applied,
            "skipped": a.skipped,
            "conflicts": a.conflicts,
        },
        _(
            "Bundle from {origin}: {applied} changes applied, {skipped} already here, "
            "new conflicts: {conflicts}"
        ).format(
            origin=result.manifest.get("origin"),
            applied=a.applied,
            skipped=a.skipped,
            conflicts=a.conflicts,
        ),
    )
    return 0
