"""Property: whatever the workstations do and however they exchange (hub or bundles, in
any order), after a final round of syncs every replica holds the same state, the same
conflicts and every change any of them made.

Each example starts three workstations from copies of prepared files and a hub holding
exactly the prepared hub's rows (one database per module, its rows put back before each
example: tests/support/postgres.py, WorldDatabase), so the examples are few
(max_examples=15) and the operations per example short (at most 6).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from ebconsole.incidents.models import Incident
from ebconsole.sync.bundle import export_bundle, import_bundle
from ebconsole.sync.hub import HubSync
from ebconsole.sync.keys import create_key
from tests.ebconsole.sync.conftest import (
    Workstation,
    canonical,
    change_ids,
    conflicts,
    join,
)
from tests.support.postgres import WorldDatabase
from tests.support.world import World

NAMES = ("A", "B", "C")
PEERS = ("BJ01", "BJ01B", "SH01A")


@pytest.fixture(scope="module")
def hub_template(postgres_server) -> str:
    name = postgres_server.create_database()
    db = Database(postgres_server.url(name))
    prepare(db)
    db.dispose()
    return name


@pytest.fixture(scope="module")
def seeds(sqlite_template, tmp_path_factory, postgres_server, hub_template) -> Path:
    """Three workstations of one bank that share one incident and are in sync with the
    hub template, as files to copy (each example starts from copies of both)."""
    d = tmp_path_factory.mktemp("seeds")
    shutil.copyfile(sqlite_template, d / "A.sqlite3")
    a_db = Database(str(d / "A.sqlite3"))
    a = Workstation("A", a_db, World.load(a_db).coordinator)
    a.record_incident("网银系统整体中断（共享）")
    dbs = [a_db]
    for name, site, station in (("B", "BJ01B", "值班室-2"), ("C", "SH01A", "上海值班室")):
        dbs.append(join(d / f"{name}.sqlite3", a, site, station).db)
    for _round in range(2):
        for db in dbs:
            hub = HubSync(db, postgres_server.url(hub_template))
            assert hub.run_once().ok
            hub.close()
    for db in dbs:
        db.dispose()
    return d


@pytest.fixture(scope="module")
def hub_pool(seeds, postgres_server, hub_template):
    """One hub database for the module, reset to the hub template's rows (as the seeds
    left them: in sync with the three workstations) before each example. The schema stays
    at head, so HubSync's memory of hubs it already brought up to date remains true."""
    pool = WorldDatabase(postgres_server, hub_template)
    yield pool
    pool.close()


def _open(seeds: Path, where: Path) -> list[Workstation]:
    out = []
    for name in NAMES:
        shutil.copyfile(seeds / f"{name}.sqlite3", where / f"{name}.sqlite3")
        db = Database(str(where / f"{name}.sqlite3"))
        w = World.load(db)
        out.append(Workstation(name, db, w.coordinator))
    return out


def _incidents(ws: Workstation) -> list:
    with ws.db.session(readonly=True) as s:
        return list(s.scalars(select(Incident.id).order_by(Incident.reference)))


def _sync(ws: Workstation, hub_url: str) -> None:
    hub = HubSync(ws.db, hub_url)
    try:
        result = hub.run_once()
    finally:
        hub.close()
    assert result.ok, result.error


station = st.integers(0, 2)
text = st.sampled_from(["已联系运维", "已升级处置", "客户已安抚", "系统已恢复", "仍在排查"])
operation = st.one_of(
    st.tuples(st.just("create"), station, text),
    st.tuples(st.just("edit"), station, st.integers(0, 5), text),
    st.tuples(st.just("note"), station, st.integers(0, 5), text),
    st.tuples(st.just("hub"), station),
    st.tuples(st.just("bundle"), station, station),
)


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=2, max_size=6))
def test_replicas_converge_whatever_the_order_of_exchange(
    seeds, hub_pool, postgres_server, tmp_path_factory, ops
):
    where = tmp_path_factory.mktemp("example")
    stations = _open(seeds, where)
    hub_url = postgres_server.url(hub_pool.fresh())
    key = create_key(where / "sync.key")
    made: set[str] = set()
    try:
        for n, op in enumerate(ops):
            ws = stations[op[1]]
            if op[0] == "create":
                ws.record_incident(f"{op[2]}（{ws.name}{n}）")
            elif op[0] in ("edit", "note"):
                known = _incidents(ws)
                target = known[op[2] % len(known)]
                if op[0] == "edit":
                    ws.edit(target, description=f"{op[3]}（{ws.name}{n}）")
                else:
                    ws.note(target, op[3])
            elif op[0] == "hub":
                _sync(ws, hub_url)
            else:
                dest = stations[op[2]]
                if dest is ws:
                    continue
                path = where / f"{n}.ebx"
                export_bundle(ws.db, path, key=key, actor=ws.actor, peer=PEERS[op[2]])
                import_bundle(dest.db, path, key=key, actor=dest.actor)
            for w in stations:
                made |= change_ids(w.db)
        # everyone pushes (and pulls); then the first two pull what the last pushed
        for w in (*stations, stations[0], stations[1]):
            _sync(w, hub_url)
        first = canonical(stations[0].db)
        for w in stations[1:]:
            assert canonical(w.db) == first
            assert conflicts(w.db) == conflicts(stations[0].db)
        hub = Database(hub_url)
        try:
            assert canonical(hub) == first
            assert change_ids(hub) >= made
        finally:
            hub.dispose()
        for w in stations:
            assert change_ids(w.db) >= made  # no change lost anywhere
    finally:
        for w in stations:
            w.db.dispose()
