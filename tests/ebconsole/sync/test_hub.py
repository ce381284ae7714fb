"""Shared mode: workstations on their own SQLite files sync through a PostgreSQL hub."""

from __future__ import annotations

import subprocess

from sqlalchemy import func, select

from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.sync import service as sync
from ebconsole.sync.hub import HubSync
from ebconsole.sync.models import ChangeLog
from tests.ebconsole.sync.conftest import canonical, change_ids, conflicts


def sync_all(hub_url, *stations, rounds: int = 2) -> None:
    for _ in range(rounds):
        for ws in stations:
            hub = HubSync(ws.db, hub_url)
            result = hub.run_once()
            hub.close()
            assert result.ok, result.error


def test_offline_workstations_catch_up_through_the_hub(ws_a, ws_b, empty_hub_url):
    """On a truly empty database: the first sync builds the hub."""
    hub_url = empty_hub_url
    # both record while cut off from the hub
    a1 = ws_a.record_incident("网银登录缓慢（A站记录）")
    ws_a.note(a1, "已通知运维值班")
    b1 = ws_b.record_incident("手机银行转账失败（B站记录）")
    ws_b.record_incident("短信验证码延迟（B站记录）")
    ws_b.edit(b1, description="影响约两百名客户")

    sync_all(hub_url, ws_a, ws_b)

    hub = Database(hub_url)
    try:
        dumps = [canonical(ws_a.db), canonical(ws_b.db), canonical(hub)]
        assert dumps[0] == dumps[1] == dumps[2]
        titles = {i["title"] for i in dumps[0]["incident"]}
        assert {
            "网银登录缓慢（A站记录）",
            "手机银行转账失败（B站记录）",
            "短信验证码延迟（B站记录）",
        } <= titles
        assert change_ids(ws_a.db) == change_ids(ws_b.db) == change_ids(hub)
        with hub.session(readonly=True) as s:  # every change exactly once, numbered
            n, numbered = s.execute(
                select(func.count(), func.count(func.distinct(ChangeLog.hub_seq)))
            ).one()
            assert n == numbered
    finally:
        hub.dispose()
    with ws_b.db.session(readonly=True) as s:
        status = sync.sync_status(session=s)
        assert status.pending == 0 and status.online and status.last_pull is not None
        assert incidents.get(a1, session=s).timeline[-1].text == "已通知运维值班"


def test_same_incident_edited_at_two_sites_gives_one_winner_and_a_conflict(ws_a, ws_b, hub_url):
    inc = ws_a.record_incident("核心系统批处理延迟")
    sync_all(hub_url, ws_a, ws_b)
    # both edit the same version while offline; B's edit is the later one
    ws_a.edit(inc, description="A站：批处理已恢复")
    ws_b.edit(inc, description="B站：仍在排查")
    sync_all(hub_url, ws_a, ws_b)

    hub = Database(hub_url)
    try:
        assert canonical(ws_a.db) == canonical(ws_b.db) == canonical(hub)
        assert conflicts(ws_a.db) == conflicts(ws_b.db) == conflicts(hub)
    finally:
        hub.dispose()
    with ws_a.db.session(readonly=True) as s:
        assert incidents.get(inc, session=s).description == "B站：仍在排查"
        [c] = sync.list_conflicts(session=s)
        assert c.entity == "incident" and c.loser_state["description"] == "A站：批处理已恢复"
        assert ("description", "B站：仍在排查", "A站：批处理已恢复") in c.differences()
        assert sync.sync_status(session=s).open_conflicts == 1

    # a coordinator at B keeps the losing version: it becomes current everywhere
    with ws_b.db.session(ws_b.actor) as s:
        resolved = sync.resolve_conflict(c.id, keep="loser", session=s, actor=ws_b.actor)
        assert resolved.resolution == "loser" and not resolved.open
    sync_all(hub_url, ws_b, ws_a)
    for ws in (ws_a, ws_b):
        with ws.db.session(readonly=True) as s:
            assert incidents.get(inc, session=s).description == "A站：批处理已恢复"
            assert sync.list_conflicts(session=s) == []
            assert sync.sync_status(session=s).open_conflicts == 0
    assert canonical(ws_a.db) == canonical(ws_b.db)
    assert conflicts(ws_a.db) == conflicts(ws_b.db)


def _start(server) -> None:
    # TempPostgres.restart() stops first; the server is already down here
    server._run(
        "pg_ctl",
        "-D",
        str(server.data),
        "-l",
        str(server.root / "server.log"),
        "-o",
        f"-p {server.port} -k {server.sock} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c full_page_writes=off -c max_connections=200",
        "-w",
        "start",
    )


def test_hub_stopped_in_the_middle_of_a_push_loses_and_doubles_nothing(
    ws_a, postgres_server, hub_url
):
    for n in range(6):
        ws_a.record_incident(f"网点终端故障 {n + 1}")
    stopped = []

    def stop_after_first_batch(phase, done, total):
        if phase == "push" and done > 0 and not stopped:
            stopped.append(done)
            postgres_server.stop()  # the hub goes away between two batches

    hub = HubSync(ws_a.db, hub_url, batch_size=40, progress=stop_after_first_batch)
    try:
        result = hub.run_once()
    finally:
        _start(postgres_server)
    assert stopped and result.offline and not result.ok
    assert 0 < result.pushed < len(ws_a.log())
    with ws_a.db.session(readonly=True) as s:
        status = sync.sync_status(session=s)
    assert status.offline_since is not None and status.pending > 0

    # the workstation keeps working, then the next sync completes
    ws_a.record_incident("网点终端故障 7")
    again = HubSync(ws_a.db, hub_url, batch_size=40).run_once()
    assert again.ok, again.error
    hub_db = Database(hub_url)
    try:
        assert canonical(hub_db) == canonical(ws_a.db)
        assert change_ids(hub_db) == change_ids(ws_a.db)
        with hub_db.session(readonly=True) as s:
            assert s.execute(select(func.count()).select_from(ChangeLog)).scalar_one() == len(
                ws_a.log()
            )
    finally:
        hub_db.dispose()
    with ws_a.db.session(readonly=True) as s:
        status = sync.sync_status(session=s)
    assert status.online and status.pending == 0 and status.last_push is not None


def test_unreachable_hub_reports_offline_and_work_goes_on(ws_a, postgres_server):
    dead = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nohub"
    result = HubSync(ws_a.db, dead).run_once()
    assert result.offline and result.status is not None
    first = result.status.offline_since
    assert first is not None
    ws_a.record_incident("断网期间记录的事件")
    later = HubSync(ws_a.db, dead).run_once()
    assert later.offline and later.status is not None
    assert later.status.offline_since == first  # "offline since" the first failure
    assert later.status.pending == len(ws_a.log())


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


del subprocess
