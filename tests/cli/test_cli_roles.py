"""The command line acts as a named, signed-in operator and obeys that operator's role.

`GUARDED` lists every command that acts as an operator with the permission it needs; the
expectation for each role comes from the core's one table
(`ebconsole.users.permissions.has`), so the test follows the rules instead of repeating
them. Every command × every role: a role without the permission is refused with one
translated line naming the action and the role, exit code 2, and the database and the
folder are left as they were; a role with it succeeds. A test checks that every
sub-command of the parser is in the table or known to need no operator, so a new command
cannot slip past.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from ebconsole.cli import build_parser
from ebconsole.cli.commands_report import KINDS
from ebconsole.i18n import translator
from ebconsole.reports.builders.registry import CLERK_REPORTS
from ebconsole.users.enums import ROLE_LABELS, Role
from ebconsole.users.permissions import PERMISSION_LABELS, Permission, has
from tests.cli.conftest import Cli
from tests.cli.test_cli import FRAUD, OUTAGE
from tests.support.world import PASSWORD

P = Permission
ROLES = {"clerk": Role.CLERK, "coord": Role.COORDINATOR, "admin": Role.ADMINISTRATOR}


@dataclass(frozen=True)
class Guarded:
    """A command line (placeholders: {ref} the clerk's incident, {tmp} the test's
    folder, {backup} a checked backup, {bundle} a signed bundle, {key} its key) and the
    permission it needs."""

    args: tuple[str, ...]
    permission: Permission

    @property
    def id(self) -> str:
        words = [a for a in self.args if a.isascii() and not a.startswith("{") and "/" not in a]
        return "-".join(words[:4])


def _report_args(kind: str, params: tuple[str, ...]) -> tuple[str, ...]:
    values = {"ref": "{ref}", "year": "2026"}
    options = [x for p in params for x in (f"--{p}", values[p])]
    return ("report", kind, *options, "--out", "{tmp}/report.pdf")


GUARDED: tuple[Guarded, ...] = (
    Guarded(("incident", "add", "{tmp}/outage.json"), P.RECORD_INTAKE),
    Guarded(("incident", "list"), P.VIEW_INCIDENTS),
    Guarded(("incident", "show", "{ref}"), P.VIEW_INCIDENTS),
    Guarded(("incident", "show", "{ref}", "--reveal"), P.REVEAL_CUSTOMER_DATA),
    Guarded(("incident", "assess", "{ref}", "--outage-minutes", "240"), P.ASSESS),
    Guarded(("incident", "advance", "{ref}", "--to", "assessing"), P.DRIVE_RESPONSE),
    Guarded(("incident", "log", "{ref}"), P.VIEW_INCIDENTS),
    Guarded(
        ("incident", "log", "{ref}", "--add", "已电话回访客户", "--kind", "note"), P.RECORD_INTAKE
    ),
    Guarded(("obligations",), P.VIEW_INCIDENTS),
    *(
        Guarded(
            _report_args(kind, params),
            P.PRINT_OWN_INCIDENT_REPORT if kind in CLERK_REPORTS else P.PRINT_REPORTS,
        )
        for kind, params in KINDS.items()
    ),
    Guarded(("backup", "--to", "{tmp}/介质"), P.BACK_UP),
    Guarded(("restore", "{backup}", "--yes"), P.RESTORE_BACKUP),
    Guarded(("demo", "--incidents", "0"), P.MANAGE_SETTINGS),  # the database has incidents
    Guarded(("sync", "--status"), P.SYNC),
    Guarded(("export", "--out", "{tmp}/out.ebx", "--key-file", "{key}"), P.SYNC),
    Guarded(("import", "{bundle}", "--key-file", "{key}"), P.SYNC),
)
# commands that act as no operator: set-up, the read-only checks (no customer data)
NO_OPERATOR = {("init",), ("gui",), ("diagnostics",), ("audit", "verify")}


def leaf_commands(parser=None, prefix=()) -> set[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    parser = parser or build_parser()
    found: set[tuple[str, ...]] = set()
    subs = getattr(parser, "_subparsers", None)
    if subs is None:
        return {prefix}
    for action in subs._group_actions:
        for name, child in getattr(action, "choices", {}).items():
            found |= leaf_commands(child, (*prefix, name))
    return found


def test_every_command_is_in_the_table_or_needs_no_operator():
    leaves = leaf_commands()

    def command(args: tuple[str, ...]) -> tuple[str, ...]:  # the longest prefix that is one
        return next(args[:n] for n in range(len(args), 0, -1) if args[:n] in leaves)

    in_table = {command(g.args) for g in GUARDED}
    assert leaves == in_table | NO_OPERATOR, "a new command: add it to GUARDED or NO_OPERATOR"
    assert {g.args[1] for g in GUARDED if g.args[0] == "report"} == set(KINDS)


# -- one world for every case, copied per test -------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict[str, Path | str]:
    """The test world with an incident a clerk of the branch recorded, a backup, a key
    and a signed bundle."""
    from ebconsole.backup.service import create_backup
    from ebconsole.db.session import Database
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.intake import parse_intake
    from ebconsole.sync.bundle import export_bundle
    from ebconsole.sync.keys import create_key, load_key
    from tests.support.world import World, make_world

    folder = tmp_path_factory.mktemp("roles")
    path = folder / "ebconsole.sqlite3"
    db = Database(str(path))
    try:
        make_world(db)
        world = World.load(db)
        with db.session(world.clerk) as s:
            ref = incidents.create(parse_intake(FRAUD), session=s).reference
        backup = create_backup(db, folder / "backups", keep=None).path
        key = folder / "bank.key"
        create_key(key)
        bundle = folder / "bundle.ebx"
        export_bundle(db, bundle, key=load_key(key), actor=world.coordinator)
    finally:
        db.dispose()
    return {"db": path, "ref": ref, "backup": backup, "key": key, "bundle": bundle}


@pytest.fixture
def site(template, tmp_path) -> Cli:
    path = tmp_path / "ebconsole.sqlite3"
    shutil.copyfile(template["db"], path)
    cli = Cli(path, tmp_path)
    cli.write("outage.json", OUTAGE)
    return cli


def rows(cli, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(cli.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def database_state(cli: Cli) -> dict[str, object]:
    """Rows per table, and the audit rows and replicated changes other than sign-ins (a
    sign-in, even one whose command is then refused, records the account's last login)."""
    con = sqlite3.connect(cli.db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not in ('audit_entry', 'change_log')"
            )
        ]
        state: dict[str, object] = {
            t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables
        }
        state["audit"] = con.execute(
            "select count(*), max(at) from audit_entry where entity != 'user_account'"
        ).fetchone()
        # the change log replicates every change, the sign-in's and its audit row's too
        state["changes"] = con.execute(
            "select count(*) from change_log where entity not in ('user_account', 'audit_entry')"
        ).fetchone()
        state["incident rows"] = con.execute(
            "select reference, status, severity, updated_at from incident order by reference"
        ).fetchall()
        return state
    finally:
        con.close()


def files(cli: Cli) -> set[str]:
    return {
        str(p.relative_to(cli.tmp))
        for p in cli.tmp.rglob("*")
        if not p.name.endswith(("-wal", "-shm", "-journal"))
    }


CASES = [pytest.param(g, user, id=f"{g.id}-{user}") for g in GUARDED for user in ROLES]


@pytest.mark.parametrize(("guarded", "user"), CASES)
def test_each_role_is_refused_exactly_what_the_table_denies(template, site, guarded, user):
    role = ROLES[user]
    values = {
        "ref": str(template["ref"]),
        "tmp": str(site.tmp),
        "backup": str(template["backup"]),
        "bundle": str(template["bundle"]),
        "key": str(template["key"]),
    }
    args = [a.format(**values) for a in guarded.args]
    before, seen = database_state(site), files(site)
    r = site(*args, user=user, lang="zh_CN")
    if has(role, guarded.permission):
        assert r.code == 0, f"{user} refused {args}: {r.err}"
        return
    tr = translator("zh_CN")
    assert r.code == 2, r.err
    assert r.err.startswith("ebconsole: 错误: ") and r.err.count("\n") == 1  # one line
    assert tr(PERMISSION_LABELS[guarded.permission]) in r.err, r.err
    assert tr(ROLE_LABELS[role]) in r.err, r.err
    assert r.out == ""
    assert database_state(site) == before  # nothing written
    assert files(site) == seen  # no report, backup or bundle left behind


def test_a_refusal_in_english_names_the_action_and_the_role(template, site):
    r = site("incident", "assess", str(template["ref"]), "--outage-minutes", "240", user="clerk")
    assert r.code == 2
    assert "may not assess incidents" in r.err and "(Clerk)" in r.err


# -- the operator --------------------------------------------------------------------------
def test_a_coordinator_reveals_what_a_clerk_may_not_and_it_is_audited(template, site):
    ref = str(template["ref"])
    clerk_view = site("incident", "show", ref, "--json", user="clerk")
    assert clerk_view.code == 0, clerk_view.err
    assert clerk_view.json()["fraud"]["id_number"] == "110***********002X"

    revealed = site("incident", "show", ref, "--reveal", "--json", user="coord")
    assert revealed.code == 0, revealed.err
    assert revealed.json()["fraud"]["id_number"] == "11010519491231002X"
    reveals = rows(site, "select actor_name, after from audit_entry where action = 'reveal'")
    assert {name for name, _after in reveals} == {"coord"}
    assert any('"fraud.id_number"' in after for _name, after in reveals)
    assert all("11010519491231002X" not in after for _name, after in reveals)
    assert site("audit", "verify").code == 0  # the reveals joined the chain


def test_a_wrong_password_is_refused_and_counted(site):
    r = site("incident", "list", user="coord", password="not-the-password")
    assert r.code == 2 and "wrong user name or password" in r.err
    assert rows(site, "select failed_logins from user_account where username = 'coord'") == [(1,)]
    unknown = site("incident", "list", user="nobody")
    assert unknown.code == 2 and "wrong user name or password" in unknown.err


def test_an_operator_is_needed_and_the_password_never_comes_from_the_command_line(site):
    r = site("incident", "list", user="")
    assert r.code == 2 and "--user" in r.err and "EBCONSOLE_PASSWORD" in r.err
    assert site("incident", "list", "--password", PASSWORD, user="coord").code == 2
    # $EBCONSOLE_USER names the operator as --user does
    r = site("incident", "list", "--json", user="", env={"EBCONSOLE_USER": "clerk"})
    assert r.code == 0, r.err
    assert [i["reference"] for i in r.json()] == [
        str(rows(site, "select reference from incident")[0][0])
    ]
