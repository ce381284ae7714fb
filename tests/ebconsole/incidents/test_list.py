"""Lists: filters, free text, sorting and paging, in one query, fast at 100 000 rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, inspect

from ebconsole.errors import ValidationFailed
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Severity, Status
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.models import Incident
from ebconsole.incidents.schemas import IncidentFilter, IncidentUpdate, SortKey
from ebconsole.users import service as users
from tests.ebconsole.incidents.samples import ddos_intake, fraud_intake, outage_intake


@pytest.fixture
def sample(db, coordinator, clerk):
    """Seven incidents over three days, of every kind the filters look at."""
    rows = [
        ("a", clerk, fraud_intake(reported_at="2026-11-20T10:00:00", occurred_at=None)),
        ("b", clerk, outage_intake(reported_at="2026-11-20T23:30:00", occurred_at=None)),
        ("c", coordinator, ddos_intake(reported_at="2026-11-21T08:00:00", occurred_at=None)),
        (
            "d",
            coordinator,
            outage_intake(
                title="核心系统数据库主备切换失败",
                subcategory="database_crash",
                reported_at="2026-11-21T09:15:00",
                occurred_at=None,
                branch="上海分行营业部",
            ),
        ),
        (
            "e",
            clerk,
            fraud_intake(
                title="客户接到冒充公检法电话后转账",
                subcategory="telecom_fraud",
                reported_at="2026-11-22T11:00:00",
                occurred_at=None,
            ),
        ),
        (
            "f",
            coordinator,
            outage_intake(
                title="机房空调故障导致服务器过热",
                subcategory="hardware_failure",
                reported_at="2026-11-22T14:00:00",
                occurred_at=None,
                description="广州分行机房温度超过35度",
            ),
        ),
        (
            "g",
            clerk,
            {
                "title": "台风导致营业部停电",
                "category": "natural_disaster",
                "subcategory": "typhoon",
                "channel": "employee_report",
                "reporter": {"name": "陈静"},
                "branch": "深圳分行营业部",
                "reported_at": "2026-11-22T16:00:00",
            },
        ),
    ]
    rows[4][2]["fraud"]["customer_name"] = "欧阳娜"
    ids = {}
    for key, actor, raw in rows:
        with db.session(actor) as s:
            ids[key] = incidents.create(parse_intake(raw), session=s).id
    with db.session(coordinator) as s:
        owner = users.get_by_username("coord", session=s)
        incidents.assign_owner(ids["c"], owner.id, session=s)
        incidents.assign_owner(ids["d"], owner.id, session=s)
        incidents.update(ids["c"], IncidentUpdate(severity=Severity.II), session=s)
        incidents.update(ids["d"], IncidentUpdate(severity=Severity.I), session=s)
        incidents.update(ids["f"], IncidentUpdate(severity=Severity.IV), session=s)
        for key in ("c", "d"):
            incidents.advance(ids[key], Status.ASSESSING, session=s)
            incidents.advance(ids[key], Status.ACTIVATED, session=s)
        incidents.advance(ids["b"], Status.ASSESSING, session=s)
        incidents.advance(ids["b"], Status.DISMISSED, session=s, reason="监控误报")
        incidents.archive(ids["b"], session=s)
    ids["owner"] = owner.id
    return ids


def keys(db, sample, **kwargs) -> list[str]:
    names = {v: k for k, v in sample.items()}
    with db.session(readonly=True) as s:
        flt = IncidentFilter(**kwargs)
        found = [names[i.id] for i in incidents.list_incidents(flt, session=s)]
        # the incidents table's lean rows: the same incidents in the same order
        assert [names[r.id] for r in incidents.list_rows(flt, session=s)] == found
        if kwargs.get("offset", 0) == 0 and "limit" not in kwargs:
            assert incidents.count_incidents(flt, session=s) == len(found)
        return found


def test_newest_first_without_archived(db, sample):
    assert keys(db, sample) == ["g", "f", "e", "d", "c", "a"]
    assert keys(db, sample, include_archived=True) == ["g", "f", "e", "d", "c", "b", "a"]


def test_status_category_and_severity_sets(db, sample):
    assert keys(db, sample, statuses={Status.ACTIVATED}) == ["d", "c"]
    assert keys(
        db, sample, statuses={Status.REPORTED, Status.DISMISSED}, include_archived=True
    ) == ["g", "f", "e", "b", "a"]
    assert keys(db, sample, categories={Category.CUSTOMER_FRAUD, Category.NATURAL_DISASTER}) == [
        "g",
        "e",
        "a",
    ]
    assert keys(db, sample, severities={Severity.I, Severity.II}) == ["d", "c"]
    assert keys(db, sample, severities={None}) == ["g", "e", "a"]
    assert keys(db, sample, severities={Severity.IV, None}) == ["g", "f", "e", "a"]


def test_date_range_on_local_days(db, sample):
    assert keys(db, sample, date_from=date(2026, 11, 21), date_to=date(2026, 11, 21)) == ["d", "c"]
    assert keys(db, sample, date_to=date(2026, 11, 20), include_archived=True) == ["b", "a"]
    assert keys(db, sample, date_from=date(2026, 11, 22)) == ["g", "f", "e"]


def test_free_text_over_reference_title_description_branch_and_customer(db, sample):
    assert keys(db, sample, text="数据库") == ["d"]  # title
    assert keys(db, sample, text="35度") == ["f"]  # description
    assert keys(db, sample, text="上海分行") == ["d", "c"]  # branch
    assert keys(db, sample, text="深圳分行营业部") == ["g"]  # branch
    assert keys(db, sample, text="欧阳") == ["e"]  # customer name
    assert keys(db, sample, text="6222021234567890123") == ["e", "a"]  # customer account
    with db.session(readonly=True) as s:
        ref = s.get(Incident, sample["c"]).reference
    assert keys(db, sample, text=ref.lower()) == ["c"]
    assert keys(db, sample, text="100%") == []
    assert keys(db, sample, text="_") == []


def test_free_text_follows_edits_of_the_indexed_text(db, sample, coordinator):
    # the SQLite trigram index is kept by triggers: a changed title is found by its new
    # words only; two-character queries take the scan, with the same answers
    with db.session(coordinator) as s:
        incidents.update(sample["d"], IncidentUpdate(title="核心账务系统批处理超时"), session=s)
    assert keys(db, sample, text="批处理超时") == ["d"]
    assert keys(db, sample, text="主备切换") == []
    assert keys(db, sample, text="账务") == ["d"]
    assert keys(db, sample, text='"批处理') == []  # quotes are text, not query syntax


def test_owner_filter(db, sample):
    assert keys(db, sample, owner_id=sample["owner"]) == ["d", "c"]
    assert keys(db, sample, owner_id=uuid.uuid4()) == []


def test_sorting(db, sample):
    assert keys(db, sample, sort=SortKey.REPORTED_AT, descending=False) == [
        "a",
        "c",
        "d",
        "e",
        "f",
        "g",
    ]
    # severity: gravest first, the unassessed last either way
    assert keys(db, sample, sort=SortKey.SEVERITY, descending=False)[:3] == ["d", "c", "f"]
    assert keys(db, sample, sort=SortKey.SEVERITY, descending=True)[:3] == ["f", "c", "d"]
    assert keys(db, sample, sort=SortKey.REFERENCE, descending=False) == [
        "a",
        "c",
        "d",
        "e",
        "f",
        "g",
    ]


def test_ties_within_a_grouping_key_go_by_report_time_then_reference(db, sample, clerk):
    # a fraud reported at 09:00 but recorded after the 11:00 one of the same day: its
    # reference comes later, its report time earlier
    with db.session(clerk) as s:
        raw = fraud_intake(reported_at="2026-11-22T09:00:00", occurred_at=None)
        sample["h"] = incidents.create(parse_intake(raw), session=s).id
    with db.session(readonly=True) as s:
        assert s.get(Incident, sample["h"]).reference > s.get(Incident, sample["e"]).reference
    fraud = {Category.CUSTOMER_FRAUD}
    by_class = {"categories": fraud, "sort": SortKey.CATEGORY}
    assert keys(db, sample, **by_class, descending=False) == ["a", "h", "e"]
    assert keys(db, sample, **by_class, descending=True) == ["e", "h", "a"]
    by_level = {"categories": fraud, "sort": SortKey.SEVERITY}  # none assessed: one group
    assert keys(db, sample, **by_level, descending=True) == ["e", "h", "a"]


def test_paging(db, sample):
    assert keys(db, sample, limit=2) == ["g", "f"]
    assert keys(db, sample, limit=2, offset=2) == ["e", "d"]
    assert keys(db, sample, limit=2, offset=6) == []
    with db.session(readonly=True) as s:
        assert incidents.count_incidents(IncidentFilter(limit=2, offset=4), session=s) == 6


def test_from_cli_strings_and_every_bad_value(db, sample):
    flt = IncidentFilter.from_cli(
        statuses=["reported,activated"],
        categories=["customer_fraud"],
        severities=None,
        date_from="2026-11-20",
        date_to="2026-11-22",
        text="客户",
        limit=50,
    )
    assert flt.statuses == {Status.REPORTED, Status.ACTIVATED}
    assert keys(db, sample, **flt.model_dump()) == ["e", "a"]
    with pytest.raises(ValidationFailed) as err:
        IncidentFilter.from_cli(
            statuses=["closed"], severities=["V"], date_from="2026-02-30", limit=0
        )
    assert {e.field: e.code for e in err.value.errors} == {
        "statuses": "invalid_choice",
        "severities": "invalid_choice",
        "date_from": "invalid_date",
        "limit": "not_in_range",
    }


@contextmanager
def statements_of(db) -> Iterator[list[str]]:
    """The statements run on `db` inside the block, BEGIN aside."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_page_is_one_query_and_leaves_the_timeline_unloaded(db, sample):
    with db.session(readonly=True) as s, statements_of(db) as statements:
        rows = incidents.list_incidents(IncidentFilter(), session=s)
        assert len(statements) == 1
        assert rows[2].fraud is not None and rows[2].fraud.customer_name == "欧阳娜"
        assert rows[0].owner is None and rows[3].owner.username == "coord"
        assert len(statements) == 1
        assert all("timeline" in inspect(r).unloaded for r in rows)


def test_the_tables_rows_are_one_query_of_plain_values(db, sample, clerk):
    with db.session(readonly=True) as s:
        with statements_of(db) as statements:
            rows = incidents.list_rows(IncidentFilter(), session=s)
        assert len(statements) == 1
        full = {
            i.id: (
                i.reference,
                i.reported_at,
                i.category,
                i.severity,
                i.status,
                i.title,
                i.branch,
                i.owner.display_name if i.owner is not None else "",
                i.fraud is not None,
            )
            for i in incidents.list_incidents(IncidentFilter(), session=s)
        }
    assert [r.id for r in rows] == [sample[k] for k in ("g", "f", "e", "d", "c", "a")]
    for r in rows:
        assert full[r.id] == (
            r.reference,
            r.reported_at,
            r.category,
            r.severity,
            r.status,
            r.title,
            r.branch,
            r.owner,
            r.has_fraud,
        )
        assert r.reported_at.tzinfo is not None
    by_id = {r.id: r for r in rows}
    assert (by_id[sample["d"]].owner, by_id[sample["d"]].severity) == ("李明", Severity.I)
    assert by_id[sample["a"]].owner == "" and by_id[sample["a"]].has_fraud
    assert not by_id[sample["g"]].has_fraud
    # a clerk's table: their branch's incidents and those they recorded, as in the list
    with db.session(clerk, readonly=True) as s:
        mine = [r.id for r in incidents.list_rows(IncidentFilter(), session=s)]
        assert mine == [i.id for i in incidents.list_incidents(IncidentFilter(), session=s)]
    assert sample["d"] not in mine and sample["a"] in mine


# -- scale ---------------------------------------------------------------------------------------
N = 100_000

_COLUMNS = (
    "id, reference, title, category, channel, reported_at, reporter_name, branch, "
    "description, affected_services, severity, status, site_code, created_by, "
    "in_scope, created_at, updated_at, version"
)
_VALUES = {
    "category": "CASE i % 5 WHEN 0 THEN 'system_failure' WHEN 1 THEN 'network_attack' "
    "WHEN 2 THEN 'natural_disaster' WHEN 3 THEN 'customer_fraud' ELSE 'other' END",
    "severity": "CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN 'II' WHEN 2 THEN 'III' ELSE 'IV' END",
    "status": "CASE i % 3 WHEN 0 THEN 'reported' WHEN 1 THEN 'handling' ELSE 'reviewed' END",
}


def _bulk(db, actor) -> None:
    """100 000 incidents (a fifth of them fraud) made by the database itself, in seconds."""
    sqlite = db.is_sqlite
    if sqlite:
        numbers = (
            f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {N - 1})"
        )
        new_id = "lower(hex(randomblob(16)))"
        at = "strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (i * 5 + 10) || ' minutes') || '.000000'"
        day = "strftime('%Y%m%d', 'now', '-' || (i * 5 + 10) || ' minutes')"
        text = "CAST(i AS TEXT)"
        source = "n"
    else:
        numbers = ""
        new_id = "gen_random_uuid()"
        at = "now() - (i * 5 + 10) * interval '1 minute'"
        day = f"to_char({at}, 'YYYYMMDD')"
        text = "i::text"
        source = f"generate_series(0, {N - 1}) AS n(i)"
    t = "TRUE" if not sqlite else "1"
    incidents_sql = f"""{numbers}
        INSERT INTO incident ({_COLUMNS})
        SELECT {new_id}, 'SH01-' || {day} || '-' || {text}, '网银交易异常第' || {text} || '号',
               {_VALUES["category"]}, 'system_monitoring', {at}, '系统监控',
               '第' || (i % 300) || '支行', '监控告警：交易成功率下降，' || {text},
               '["网上银行"]', {_VALUES["severity"]}, {_VALUES["status"]}, 'SH01', 'system',
               {t}, {at}, {at}, 1
        FROM {source}"""
    fraud_sql = f"""
        INSERT INTO fraud_report (id, incident_id, customer_name, account_number,
                                  stop_payment_extensions, created_at, updated_at, version)
        SELECT {new_id}, id, '客户' || title,
               '6222020200112233', 0, created_at,
               created_at, 1
        FROM incident WHERE category = 'customer_fraud'"""
    from sqlalchemy import text as sql

    with db.session(actor) as s:
        s.execute(sql(incidents_sql))
        s.execute(sql(fraud_sql))


def _plan(s, flt: IncidentFilter) -> str:
    from sqlalchemy import text as sql

    compiled = incidents.page_query(flt, "sqlite").compile(
        dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    return "\n".join(str(r[-1]) for r in s.execute(sql(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.mark.slow
def test_lists_stay_fast_at_100000_incidents(db, coordinator):
    _bulk(db, coordinator)
    cases = [
        IncidentFilter(),
        IncidentFilter(offset=50_000, limit=100),
        IncidentFilter(statuses={Status.HANDLING}, severities={Severity.II, None}),
        IncidentFilter(categories={Category.CUSTOMER_FRAUD}, sort=SortKey.SEVERITY),
        IncidentFilter(date_from=date.today() - timedelta(days=30), date_to=date.today()),
        IncidentFilter(text="客户网银交易异常第9998号"),  # a customer name
        IncidentFilter(text="第17支行", sort=SortKey.REFERENCE, descending=False),
    ]
    with db.session(readonly=True) as s:
        assert incidents.count_incidents(IncidentFilter(), session=s) == N
        assert incidents.count_incidents(IncidentFilter(text="第9999号"), session=s) == 1
        for flt in cases:
            # speed is the benchmark's business (tests/perf); here: a page and its count
            # are a fixed number of statements whatever the size, never a load of the table
            with statements_of(db) as statements:
                rows = incidents.list_incidents(flt, session=s)
                total = incidents.count_incidents(flt, session=s)
            assert rows and total >= len(rows), (flt.text, flt.statuses, flt.date_from)
            assert len(rows) <= flt.limit
            # on SQLite a text of three characters or more first asks the trigram index
            # whether the word is common (one short read)
            probe = db.is_sqlite and len(flt.text or "") >= 3
            assert len(statements) == (3 if probe else 2), statements
        if db.is_sqlite:
            # the newest page walks the reported_at index instead of sorting the table
            assert "USING INDEX ix_incident_reported_at" in _plan(s, IncidentFilter())
