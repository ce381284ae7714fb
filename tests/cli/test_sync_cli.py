"""`ebconsole export`, `import` and `sync` between two workstations of one bank."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.sync.keys import create_key
from tests.cli.conftest import Cli
from tests.ebconsole.sync.conftest import Workstation, canonical, join
from tests.support.world import PASSWORD, World, make_world


@pytest.fixture(scope="module")
def world_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("world") / "a.sqlite3"
    db = Database(str(path))
    make_world(db)
    db.dispose()
    return path


@pytest.fixture
def two_sites(world_file, tmp_path):
    a_path = tmp_path / "a" / "ebconsole.sqlite3"
    a_path.parent.mkdir()
    shutil.copyfile(world_file, a_path)
    a_db = Database(str(a_path))
    a = Workstation("A", a_db, World.load(a_db).coordinator)
    (tmp_path / "b").mkdir()
    b = join(tmp_path / "b" / "ebconsole.sqlite3", a, "BJ01B", "值班室-2")
    yield a, b, Cli(a_path, tmp_path / "a"), Cli(b.db.path, tmp_path / "b")
    a_db.dispose()
    b.db.dispose()


def test_export_then_import_moves_the_changes_once(two_sites, tmp_path):
    a, b, cli_a, cli_b = two_sites
    key = tmp_path / "bank.key"
    create_key(key)
    a.record_incident("网银登录失败（A站）")
    bundle = tmp_path / "U盘" / "a-to-b.ebx"

    r = cli_a(
        "export",
        "--out",
        str(bundle),
        "--peer",
        "BJ01B",
        "--key-file",
        str(key),
        "--json",
        user="coord",
    )
    assert r.code == 0, r.err
    sent = r.json()["count"]
    assert sent > 0 and bundle.exists()

    r = cli_b("import", str(bundle), "--key-file", str(key), "--json", user="coord")
    assert r.code == 0, r.err
    assert r.json()["applied"] > 0 and r.json()["origin"] == "BJ01/值班室-1"
    assert canonical(b.db)["incident"] == canonical(a.db)["incident"]

    r = cli_b("import", str(bundle), "--key-file", str(key), lang="zh_CN", user="coord")
    assert r.code == 0, r.err
    assert "已应用 0 条变更" in r.out


def test_refused_bundles_and_missing_rights_say_why(two_sites, tmp_path):
    _a, b, cli_a, cli_b = two_sites
    key = tmp_path / "bank.key"
    create_key(key)
    bundle = tmp_path / "a.ebx"
    assert cli_a("export", "--out", str(bundle), "--key-file", str(key), user="coord").code == 0

    forged = tmp_path / "forged.ebx"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(forged, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = data.replace(b'"origin"', b'"origin" ', 1)
            zout.writestr(info.filename, data)
    before = canonical(b.db)
    r = cli_b("import", str(forged), "--key-file", str(key), lang="zh_CN", user="coord")
    assert r.code == 2 and "签名与部署密钥不符" in r.err

    r = cli_b("import", str(bundle), "--key-file", str(tmp_path / "none.key"), user="coord")
    assert r.code == 2 and "no deployment key" in r.err

    r = cli_b("import", str(bundle), "--key-file", str(key), user="clerk")
    assert r.code == 2 and "exchange data with other sites" in r.err
    after = canonical(b.db)
    for table in ("incident", "timeline_entry", "obligation"):  # logins do write to accounts
        assert after[table] == before[table]

    r = cli_a("export", "--out", str(tmp_path / "x.zip"), "--key-file", str(key), user="coord")
    assert r.code == 2 and ".ebx" in r.err


def test_sync_reports_an_unreachable_hub_and_the_status(two_sites):
    import socket

    _a, _b, cli_a, _cli_b = two_sites
    r = cli_a("sync", user="coord")
    assert r.code == 2 and "--hub" in r.err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = cli_a(
        "sync", "--hub", f"postgresql://postgres@127.0.0.1:{port}/hub", lang="zh_CN", user="coord"
    )
    assert r.code == 3 and "无法连接中心库" in r.out and "起离线" in r.out
    r = cli_a("sync", "--status", "--json", user="coord")
    assert r.code == 0, r.err
    status = r.json()
    assert status["offline_since"] and status["pending"] > 0 and status["last_push"] is None


# -- workstations that each ran their own `init`, and new workstations that join ---------
@pytest.fixture(scope="module")
def inited(tmp_path_factory) -> dict[str, Path]:
    """Two workstations set up separately with `ebconsole init` (real files, each its
    own shipped plan data and administrator), made once and copied per test."""
    folder = tmp_path_factory.mktemp("inits")
    out = {}
    for name, site, ws in (("a", "BJ01A", "北京值班室"), ("b", "SH01A", "上海值班室")):
        path = folder / f"{name}.sqlite3"
        r = Cli(path, folder)(
            "init", "--site", site, "--workstation", ws, "--admin", f"admin_{name}",
            "--password-stdin", stdin=PASSWORD, user=None,
        )  # fmt: skip
        assert r.code == 0, r.err
        out[name] = path
    return out


def _station(inited: dict[str, Path], name: str, tmp_path: Path) -> tuple[Workstation, Cli]:
    from ebconsole.users.login import login

    folder = tmp_path / name
    folder.mkdir()
    path = folder / "ebconsole.sqlite3"
    shutil.copyfile(inited[name], path)
    db = Database(str(path))
    return Workstation(name, db, login(db, f"admin_{name}", PASSWORD)), Cli(path, folder)


def _open_conflicts(db: Database) -> int:
    from tests.ebconsole.sync.conftest import conflicts

    return len(conflicts(db))


def _hub_sync(*stations: Workstation, hub_url: str) -> None:
    from ebconsole.sync.hub import HubSync

    for ws in stations:
        sync = HubSync(ws.db, hub_url, actor=ws.actor)
        try:
            result = sync.run_once()
        finally:
            sync.close()
        assert result.ok and result.conflicts == 0, result.error


def test_separately_initialised_workstations_exchange_bundles_without_conflicts(inited, tmp_path):
    from ebconsole.sync.bundle import export_bundle, import_bundle

    a, _cli_a = _station(inited, "a", tmp_path)
    b, _cli_b = _station(inited, "b", tmp_path)
    key = create_key(tmp_path / "bank.key")
    # the shipped plan data is the same records on both, not two sets of them
    assert canonical(a.db)["emergency_group"] == canonical(b.db)["emergency_group"]
    assert canonical(a.db)["responsibility_cell"] == canonical(b.db)["responsibility_cell"]
    a1 = a.record_incident("柜面系统宕机（北京）")
    a.note(a1, "已启用应急柜台")
    b1 = b.record_incident("手机银行无法登录（上海）")

    # (in this process, with the operators signed in once: a CLI login is a change too)
    for src, dst in ((a, b), (b, a)):
        bundle = export_bundle(src.db, tmp_path / f"from-{src.name}.ebx", key=key, actor=src.actor)
        result = import_bundle(dst.db, bundle.path, key=key, actor=dst.actor)  # no FK failure
        assert result.applied.applied > 0 and result.applied.conflicts == 0
    assert canonical(a.db) == canonical(b.db)
    assert _open_conflicts(a.db) == _open_conflicts(b.db) == 0
    with b.db.session(readonly=True) as s:
        assert incidents.get(a1, session=s).title == "柜面系统宕机（北京）"
    with a.db.session(readonly=True) as s:
        assert incidents.get(b1, session=s).title == "手机银行无法登录（上海）"
    a.db.dispose()
    b.db.dispose()


def test_separately_initialised_workstations_converge_through_the_hub(
    inited, tmp_path, postgres_server
):
    hub_url = postgres_server.url(postgres_server.create_database())
    a, _cli_a = _station(inited, "a", tmp_path)
    b, _cli_b = _station(inited, "b", tmp_path)
    a.record_incident("网银证书过期（北京）")
    b.record_incident("自助设备批量离线（上海）")
    _hub_sync(a, b, a, hub_url=hub_url)
    hub = Database(hub_url)
    try:
        assert canonical(a.db) == canonical(b.db) == canonical(hub)
        assert _open_conflicts(a.db) == _open_conflicts(b.db) == _open_conflicts(hub) == 0
    finally:
        hub.dispose()
        a.db.dispose()
        b.db.dispose()


def test_a_new_workstation_joins_from_the_hub_or_a_bundle(inited, tmp_path, postgres_server):
    from ebconsole.users.login import login

    hub_url = postgres_server.url(postgres_server.create_database())
    a, cli_a = _station(inited, "a", tmp_path)
    a1 = a.record_incident("核心系统批处理延迟（北京）")
    _hub_sync(a, hub_url=hub_url)

    # from the hub: no administrator of its own, the bank's accounts arrive
    c_path = tmp_path / "c" / "ebconsole.sqlite3"
    c_path.parent.mkdir()
    cli_c = Cli(c_path, c_path.parent)
    r = cli_c(
        "init", "--site", "GZ01A", "--workstation", "广州值班室", "--join-hub", hub_url,
        "--json", user=None,
    )  # fmt: skip
    assert r.code == 0, r.err
    assert r.json()["state"] == "joined" and r.json()["received"] > 0
    c_db = Database(str(c_path))
    c = Workstation("c", c_db, login(c_db, "admin_a", PASSWORD))
    assert c.actor.site_code == "GZ01A"
    with c_db.session(readonly=True) as s:
        assert incidents.get(a1, session=s).title == "核心系统批处理延迟（北京）"
    c.record_incident("网点打印机故障（广州）")
    _hub_sync(c, a, c, hub_url=hub_url)
    assert canonical(a.db) == canonical(c_db)
    assert _open_conflicts(a.db) == _open_conflicts(c_db) == 0

    # a database that is set up already cannot join
    r = cli_c("init", "--site", "GZ01A", "--workstation", "x", "--join-hub", hub_url, user=None)
    assert r.code == 2 and "only a new database can join" in r.err

    # from a bundle, with an administrator of its own
    key = tmp_path / "bank.key"
    create_key(key)
    bundle = tmp_path / "all.ebx"
    assert cli_a("export", "--out", str(bundle), "--key-file", str(key), user="admin_a").code == 0
    d_path = tmp_path / "d" / "ebconsole.sqlite3"
    d_path.parent.mkdir()
    r = Cli(d_path, d_path.parent)(
        "init", "--site", "SZ01A", "--workstation", "深圳值班室", "--from-bundle", str(bundle),
        "--key-file", str(key), "--admin", "admin_d", "--password-stdin", "--json",
        stdin=PASSWORD, user=None,
    )  # fmt: skip
    assert r.code == 0, r.err
    assert r.json()["created_admin"] is True
    d_db = Database(str(d_path))
    try:
        d = canonical(d_db)
        a_now = canonical(a.db)
        for table in ("incident", "timeline_entry", "emergency_group", "responsibility_cell"):
            assert d[table] == a_now[table]
        assert login(d_db, "admin_d", PASSWORD).site_code == "SZ01A"
        assert _open_conflicts(d_db) == 0
    finally:
        d_db.dispose()
        c_db.dispose()
        a.db.dispose()
