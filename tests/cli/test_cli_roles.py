"""The command line acts as a named, signed-in operator and obeys that operator's role."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.test_cli import FRAUD, OUTAGE
from tests.support.world import PASSWORD


def add_operators(cli) -> None:  # type: ignore[no-untyped-def]
    """A coordinator and a clerk of the Beijing branch, added by the administrator."""
    from ebconsole.db.session import Database
    from ebconsole.users import service as users
    from ebconsole.users.enums import Role
    from ebconsole.users.schemas import UserCreate

    db = Database(str(cli.db))
    try:
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)
            admin = users.actor_for(users.get_by_username("admin", session=s), inst)
        with db.session(admin) as s:
            for name, display, role in (
                ("coord", "李明", Role.COORDINATOR),
                ("clerk", "张丽", Role.CLERK),
            ):
                users.create(
                    UserCreate(
                        username=name,
                        display_name=display,
                        role=role,
                        password=PASSWORD,
                        branch="北京分行营业部",
                    ),
                    session=s,
                )
    finally:
        db.dispose()


@pytest.fixture
def roles_cli(ready_cli):  # type: ignore[no-untyped-def]
    add_operators(ready_cli)
    return ready_cli


def rows(cli, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(cli.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_clerk_records_intake_but_is_refused_the_response(roles_cli):
    cli = roles_cli
    added = cli("incident", "add", str(cli.write("o.json", OUTAGE)), "--json", user="clerk")
    assert added.code == 0, added.err
    ref = added.json()[0]
    # every sign-in updates the account (last login): count the other audit rows
    audit = "select count(*) from audit_entry where entity != 'user_account'"
    audit_before = rows(cli, audit)

    for args, action in (
        (("incident", "assess", ref, "--outage-minutes", "240"), "may not assess incidents"),
        (
            ("incident", "advance", ref, "--to", "dismissed", "--reason", "误报"),
            "may not drive the emergency response",
        ),
        (("report", "status", "--out", "s.pdf"), "may not generate reports"),
    ):
        r = cli(*args, user="clerk")
        assert r.code == 2, r.err
        assert action in r.err and "(Clerk)" in r.err
        assert r.err.strip().count("\n") == 0  # one clear line
    zh = cli("incident", "assess", ref, "--outage-minutes", "240", user="clerk", lang="zh_CN")
    assert zh.code == 2 and "柜员" in zh.err

    # nothing written: no assessment, the status unchanged, no audit row, no file
    assert rows(cli, "select count(*) from assessment") == [(0,)]
    assert rows(cli, "select status from incident") == [("reported",)]
    assert rows(cli, audit) == audit_before
    assert not (cli.tmp / "s.pdf").exists()


def test_a_coordinator_drives_the_response_and_reveals_what_a_clerk_may_not(roles_cli):
    cli = roles_cli
    ref = cli("incident", "add", str(cli.write("f.json", FRAUD)), "--json", user="clerk").json()[0]
    r = cli("incident", "assess", ref, "--outage-minutes", "240", "--json", user="coord")
    assert r.code == 0, r.err
    assert cli("incident", "advance", ref, "--to", "activated", user="coord").code == 0

    clerk_view = cli("incident", "show", ref, "--json", user="clerk")
    assert clerk_view.code == 0, clerk_view.err
    assert clerk_view.json()["fraud"]["id_number"] == "110***********002X"
    refused = cli("incident", "show", ref, "--reveal", user="clerk")
    assert refused.code == 2 and "may not reveal masked customer data" in refused.err

    revealed = cli("incident", "show", ref, "--reveal", "--json", user="coord")
    assert revealed.code == 0, revealed.err
    assert revealed.json()["fraud"]["id_number"] == "11010519491231002X"
    reveals = rows(cli, "select actor_name, after from audit_entry where action = 'reveal'")
    assert {name for name, _after in reveals} == {"coord"}
    assert any('"fraud.id_number"' in after for _name, after in reveals)
    assert all("11010519491231002X" not in after for _name, after in reveals)


def test_a_wrong_password_is_refused_and_counted(roles_cli):
    cli = roles_cli
    r = cli("incident", "list", user="coord", password="not-the-password")
    assert r.code == 2 and "wrong user name or password" in r.err
    assert rows(cli, "select failed_logins from user_account where username = 'coord'") == [(1,)]
    unknown = cli("incident", "list", user="nobody")
    assert unknown.code == 2 and "wrong user name or password" in unknown.err


def test_an_operator_is_needed_and_the_password_never_comes_from_the_command_line(roles_cli):
    cli = roles_cli
    r = cli("incident", "list", user="")
    assert r.code == 2 and "--user" in r.err and "EBCONSOLE_PASSWORD" in r.err
    # no terminal and no $EBCONSOLE_PASSWORD: a clear refusal, not a hanging prompt
    r = cli("incident", "list", user="coord", password=None)
    assert r.code == 2 and "EBCONSOLE_PASSWORD" in r.err
    assert cli("incident", "list", "--password", PASSWORD, user="coord").code == 2
