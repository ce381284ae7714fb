"""`init`, `demo`, `obligations`: setting up a database and looking at its deadlines."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from ebconsole.cli.common import CliContext, fail, table
from ebconsole.i18n import _
from ebconsole.timeutil import format_local

if TYPE_CHECKING:
    from ebconsole.users.schemas import InstallationCreate


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "init",
        parents=[common],
        help=_("create or upgrade the database; set the site and the first administrator"),
    )
    p.add_argument("--site", metavar="CODE", help=_("site code of this workstation, e.g. BJ01A"))
    p.add_argument("--site-name", default="", help=_("name of the site, e.g. 北京分行"))
    p.add_argument("--workstation", metavar="NAME", help=_("name of this workstation"))
    p.add_argument("--branch", default="", help=_("default branch for intake"))
    p.add_argument(
        "--admin",
        metavar="USER",
        help=_(
            "first administrator's user name (default: admin; when joining, an account "
            "is created only if named here and not already in the bank's data)"
        ),
    )
    p.add_argument("--admin-name", metavar="NAME", help=_("first administrator's display name"))
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_(
            "read the administrator's password from standard input (else $EBCONSOLE_ADMIN_PASSWORD or a prompt)"
        ),
    )
    join = p.add_mutually_exclusive_group()
    join.add_argument(
        "--join-hub",
        metavar="URL",
        help=_(
            "join the bank's workstations: first take everything from this PostgreSQL hub, "
            "then set up this workstation (a new database only)"
        ),
    )
    join.add_argument(
        "--from-bundle",
        metavar="FILE.ebx",
        help=_(
            "join the bank's workstations from a bundle exported on another workstation "
            "(ebconsole export --out FILE.ebx), then set up this workstation"
        ),
    )
    p.add_argument(
        "--key-file",
        metavar="FILE",
        help=_(
            "with --from-bundle: the deployment key file (default: sync.key in the data folder)"
        ),
    )
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "demo", parents=[common], help=_("fill the database with a realistic demo dataset")
    )
    p.add_argument(
        "--incidents",
        type=int,
        default=300,
        metavar="N",
        help=_("number of incidents (up to 100000)"),
    )
    p.add_argument("--seed", type=int, default=2026, help=_("random seed"))
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser(
        "obligations", parents=[common], help=_("list reporting deadlines and other obligations")
    )
    p.add_argument("--overdue", action="store_true", help=_("only overdue obligations"))
    p.set_defaults(handler=cmd_obligations)


def _join(ctx: CliContext) -> int:
    """`init --join-hub URL` / `init --from-bundle FILE`: a new workstation of the bank."""
    from pathlib import Path

    from ebconsole.bootstrap import join
    from ebconsole.db.migrate import current_revision
    from ebconsole.users.enums import Role
    from ebconsole.users.schemas import UserCreate

    args = ctx.args
    if not args.site or not args.workstation:
        fail(_("a new database needs --site and --workstation"))
    db = ctx.database(prepare=False)
    admin = None
    if args.admin:
        admin = UserCreate(
            username=args.admin,
            display_name=args.admin_name or args.admin,
            role=Role.ADMINISTRATOR,
            password=_admin_password(args),
        )
    key = None
    if args.from_bundle:
        from ebconsole.sync.keys import load_key

        key = load_key(Path(args.key_file) if args.key_file else None)
    result = join(
        db,
        _installation(args),
        admin,
        hub_url=args.join_hub,
        bundle=Path(args.from_bundle) if args.from_bundle else None,
        key=key,
    )
    info = {
        "database": db.url,
        "site_code": result.actor.site_code,
        "schema": current_revision(db),
        "state": "joined",
        "received": result.received,
        "created_admin": result.created_admin,
    }
    human = _(
        "Database {url}: joined the bank's workstations with {count} changes (site {site}, "
        "schema {schema})"
    ).format(url=db.url, count=result.received, site=result.actor.site_code, schema=info["schema"])
    ctx.emit(info, human)
    return 0


def _installation(args: argparse.Namespace) -> InstallationCreate:
    """This workstation's installation as `init` names it (--site, --workstation, …)."""
    from ebconsole.users.schemas import InstallationCreate

    return InstallationCreate(
        site_code=args.site,
        workstation_name=args.workstation,
        site_name=args.site_name,
        default_branch=args.branch,
    )


def _admin_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    env = os.environ.get("EBCONSOLE_ADMIN_PASSWORD")
    if env:
        return env
    if sys.stdin.isatty():
        first = getpass.getpass(_("Password for {user}: ").format(user=args.admin))
        if getpass.getpass(_("Repeat the password: ")) != first:
            fail(_("the passwords do not match"))
        return first
    fail(_("no administrator password: use --password-stdin or $EBCONSOLE_ADMIN_PASSWORD"))


def cmd_init(ctx: CliContext) -> int:
    from ebconsole.bootstrap import initialise
    from ebconsole.db.migrate import current_revision, prepare
    from ebconsole.users import service as users
    from ebconsole.users.enums import Role
    from ebconsole.users.schemas import UserCreate

    args = ctx.args
    if args.join_hub or args.from_bundle:  # a new workstation of the bank
        return _join(ctx)
    args.admin = args.admin or "admin"
    db = ctx.database(prepare=False)
    result = prepare(db, backup_dir=ctx.backup_folder())  # the configured backup folder
    with db.session(readonly=True) as s:
        existing = users.get_installation(session=s)
        site = existing.site_code if existing else None
    if existing is None:
        if not args.site or not args.workstation:
            fail(_("a new database needs --site and --workstation"))
        actor = initialise(
            db,
            _installation(args),
            UserCreate(
                username=args.admin,
                display_name=args.admin_name or args.admin,
                role=Role.ADMINISTRATOR,
                password=_admin_password(args),
            ),
        )
        site = actor.site_code
        state, said = "created", _("created")
    else:
        from ebconsole.bootstrap import load_plan_defaults

        # set-up: adds only the shipped plan data that is missing, as the system
        with db.session(ctx.system_actor()) as s:
            load_plan_defaults(session=s)
        if result.upgraded_from:
            state, said = "upgraded", _("upgraded from {rev}").format(rev=result.upgraded_from)
        else:
            state, said = "up_to_date", _("up to date")
    info = {
        "database": db.url,
        "site_code": site,
        "schema": current_revision(db),
        "state": state,
        "backup": str(result.backup) if result.backup else None,
    }
    human = _("Database {url}: {state} (site {site}, schema {schema})").format(
        url=db.url, state=said, site=site, schema=info["schema"]
    )
    if result.backup:
        human += "\n" + _("Backup before upgrade: {path}").format(path=result.backup)
    ctx.emit(info, human)
    return 0


def cmd_demo(ctx: CliContext) -> int:
    from ebconsole.demo import generate

    if not 0 <= ctx.args.incidents <= 100_000:
        fail(_("--incidents must be between 0 and 100000"))
    db = ctx.database()
    summary = generate(db, _demo_actor(ctx), incidents=ctx.args.incidents, seed=ctx.args.seed)
    ctx.emit(summary, "\n".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


def _demo_actor(ctx: CliContext) -> Any:
    """The demo fills a database without incidents as the system (set-up, as `make demo`
    does after `init`); a database that has incidents only for an administrator."""
    from sqlalchemy import func, select

    from ebconsole.incidents.models import Incident
    from ebconsole.users.permissions import Permission, require

    with ctx.database().session(readonly=True) as s:
        empty = not s.scalar(select(func.count()).select_from(Incident))
    if empty and ctx.operator_name() is None:
        return ctx.system_actor()
    actor = ctx.actor()
    require(actor, Permission.MANAGE_SETTINGS)
    return actor


def cmd_obligations(ctx: CliContext) -> int:
    from ebconsole.obligations import service as obligations
    from ebconsole.obligations.serialize import obligation_to_dict

    db = ctx.database()
    with db.session(ctx.actor(), readonly=True) as s:
        rows = obligations.list_obligations(session=s, overdue_only=ctx.args.overdue)
        data = [obligation_to_dict(o) for o in rows]
    tr = ctx.tr
    human = (
        table(
            [_("Incident"), _("Obligation"), _("Due"), _("Done"), _("State")],
            [
                [
                    d["incident_reference"],
                    tr(d["kind_label"]),
                    format_local(d["due_at_dt"]),
                    format_local(d["done_at_dt"]),
                    tr(d["state_label"]),
                ]
                for d in data
            ],
        )
        if data
        else _("No obligations.")
    )
    for d in data:
        d.pop("due_at_dt", None)
        d.pop("done_at_dt", None)
    ctx.emit(data, human)
    return 0
