"""`ebconsole export`, `import` and `sync` between two workstations of one bank."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from ebconsole.db.session import Database
from ebconsole.sync.keys import create_key
from tests.cli.conftest import Cli
from tests.ebconsole.sync.conftest import Workstation, canonical, join
from tests.support.world import World, make_world


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
