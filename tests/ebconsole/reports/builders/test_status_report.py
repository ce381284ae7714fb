"""The status report (情况通报): the situation now, from the demo's plan data and
incidents, and a 1 000-incident report that spans many pages."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
from sqlalchemy import event, update

from ebconsole.db.session import Database
from ebconsole.demo import generate as demo
from ebconsole.i18n import translator
from ebconsole.incidents.enums import OPEN_STATUSES, Category, Severity, Status
from ebconsole.incidents.models import Incident
from ebconsole.reports.builders import BuildOptions, gather, generate
from ebconsole.reports.builders.status import INCIDENT_COLUMNS
from tests.ebconsole.reports.builders import scenario
from tests.ebconsole.reports.builders.conftest import check_pdf, customer_secrets
from tests.support.world import World

pytestmark = pytest.mark.slow


def test_status_report(db, demo_world, fraud_case, tmp_path):
    open_ref = scenario.running_outage(db, demo_world.coordinator)
    data = gather(db, "status", {})
    assert open_ref in {i.reference for i in data.open_incidents} and data.on_duty
    out = tmp_path / "情况通报.pdf"
    result = generate(db, "status", {}, out, BuildOptions("zh_CN", author="李明"))
    texts = check_pdf(
        out,
        pages=result.pages,
        expected=(
            "电子银行突发事件情况通报",
            "数据截至",
            "工作站 值班室-1",
            "一、总览",
            "按事件类别和级别统计",
            "未结事件按类别和级别分布",
            "按级别列出的未结事件",
            open_ref,
            scenario.OUTAGE_TITLE,
            "已持续",
            "逾期报告事项",
            "当前值班",
            data.on_duty[0].name,
            "应急资源检查逾期",
            "到期的培训与演练",
            "系统故障类事件",
            "网络攻击类事件",
        ),
        forbidden=(*customer_secrets(db), *scenario.SECRETS),
    )
    # the duty phone is printed in full: it is to be dialled
    assert data.on_duty[0].phone and data.on_duty[0].phone in "".join("".join(texts).split())
    # the reviewed fraud case is closed: not in the list of open incidents
    assert fraud_case.reference not in "".join(texts)


def test_status_report_in_english(db, demo_world, tmp_path):
    out = tmp_path / "status.pdf"
    result = generate(db, "status", {}, out, BuildOptions("en"))
    check_pdf(
        out,
        pages=result.pages,
        expected=("E-banking emergency status report", "Open incidents by severity", "On duty now"),
    )


# -- 1 000 open incidents -----------------------------------------------------------------


THOUSAND = 1000
SHORT_TITLES = (
    "手机银行登录失败",
    "网银转账交易超时",
    "短信验证码发送延迟",
    "客户遭冒充客服诈骗",
    "网点自助设备批量故障",
    "网上银行遭受流量攻击",
)


@pytest.fixture
def crowded_db(sqlite_template, tmp_path):
    """1 000 incidents, all of them still open (SQLite only: the layout is the test).

    The demo's plan data, then two incidents recorded through the real services (the
    reviewed fraud case, the running outage); SQLite then copies them to 1 000 incidents
    (new id, reference, short title, time, category and severity; one copy in four with
    its reporting deadlines), much as the demo generator would have written them.
    """
    path = tmp_path / "crowded.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = Database(str(path))
    world = World.load(database)
    demo(database, world.admin, incidents=0, seed=11)
    scenario.fraud_incident(database, world.coordinator, world.admin)
    scenario.running_outage(database, world.coordinator)
    database.dispose()
    with sqlite3.connect(path) as con:
        seeds = con.execute("SELECT count(*) FROM incident").fetchone()[0]
        # copy n of seed s: its id's first 8 hex digits replaced by n's (ids are 32 hex)
        copy_id = "printf('%08x', n.i) || substr({}, 9)"
        columns = [row[1] for row in con.execute("PRAGMA table_info(incident)")]
        categories = ", ".join(f"'{c.value}'" for c in Category)
        severities = ", ".join(f"'{s.value}'" for s in Severity)
        titles = ", ".join(f"'{t}'" for t in SHORT_TITLES)
        varied = {
            "id": copy_id.format("seed.id").replace("n.i", "seed.i"),
            # BJ01-YYYYMMDD-NNN, the k-th copy: 200 a day from 2025-01-01 (seeds: today)
            "reference": "'BJ01-202501' || printf('%02d', 1 + k / 200) || '-' "
            "|| printf('%03d', 1 + k % 200)",
            # one line in the title column, as the demo's titles
            "title": f"json_extract(json_array({titles}), '$[' || (k % 6) || ']')",
            "reported_at": "datetime(seed.reported_at, printf('-%d minutes', 7 * seed.i))",
            "category": f"json_extract(json_array({categories}), '$[' || (seed.i % 5) || ']')",
            "severity": f"json_extract(json_array({severities}), '$[' || (seed.i % 4) || ']')",
        }
        picked = ", ".join(varied.get(c, f"seed.{c}") for c in columns)
        numbers = (
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            f"WHERE i < {THOUSAND // seeds})"
        )
        con.execute(
            f"{numbers} INSERT INTO incident ({', '.join(columns)}) "
            f"SELECT {picked} FROM (SELECT n.i, seed.*, "
            f"row_number() OVER (ORDER BY n.i, seed.id) - 1 AS k FROM n, incident AS seed) AS seed "
            f"ORDER BY seed.k LIMIT {THOUSAND - seeds}"
        )
        columns = [row[1] for row in con.execute("PRAGMA table_info(obligation)")]
        varied = {"id": copy_id.format("o.id"), "incident_id": copy_id.format("o.incident_id")}
        picked = ", ".join(varied.get(c, f"o.{c}") for c in columns)
        con.execute(
            f"{numbers} INSERT INTO obligation ({', '.join(columns)}) "
            f"SELECT {picked} FROM n, obligation AS o WHERE n.i % 4 = 0 "  # a deadline: 1 in 4
            f"AND {copy_id.format('o.incident_id')} IN (SELECT id FROM incident)"
        )
    database = Database(str(path))
    with database.session(world.admin) as s:
        s.execute(
            update(Incident)
            .where(Incident.status.not_in(sorted(OPEN_STATUSES)))
            .values(status=Status.HANDLING, closed_at=None, in_scope=True)
        )
    yield database
    database.dispose()


def test_a_thousand_open_incidents_span_pages_with_repeated_headers(crowded_db, tmp_path):
    statements: list[str] = []
    event.listen(crowded_db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    data = gather(crowded_db, "status", {})
    assert len(data.open_incidents) == THOUSAND
    assert len(statements) <= 25, "the status report must not query once per incident"

    out = tmp_path / "status-1000.pdf"
    result = generate(crowded_db, "status", {}, out, BuildOptions("zh_CN"))
    texts = check_pdf(out, pages=result.pages, forbidden=customer_secrets(crowded_db))
    assert result.pages > 30
    flat = ["".join(t.split()) for t in texts]
    start = next(i for i, t in enumerate(flat) if "二、按级别列出的未结事件" in t)
    end = next(i for i, t in enumerate(flat) if "三、逾期报告事项" in t)
    assert end - start > 25
    t = translator("zh_CN")
    titles = [t(c) for c in INCIDENT_COLUMNS]
    reference = re.compile(r"BJ01-\d{8}-\d{3}")
    for page in range(start, end):
        assert reference.search(flat[page]), f"page {page + 1} lists no incident"
        for title in titles:
            assert title in flat[page], f"page {page + 1} lacks the column title {title}"
    # every open incident is listed once
    listed = set(reference.findall("".join(flat[start : end + 1])))
    assert listed == {i.reference for i in data.open_incidents}
