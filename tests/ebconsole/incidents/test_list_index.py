"""The list's totals read the index of unarchived incidents by status (migration 0006):
the unfiltered total and a status filter's total are counted from that small index, not
from every incident row. No full index on the same columns ties with it (0007), so the
choice does not hang on the order the indexes were created in; new and upgraded databases
hold the same indexes. The index holds the lists' whole order (report time, then the
reference: 0008), so a page of several statuses is sorted from the index alone."""

from __future__ import annotations

from sqlalchemy import event, inspect, text

from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import OPEN_STATUSES, Status
from ebconsole.incidents.schemas import IncidentFilter

INDEX = "ix_incident_unarchived_status"


def _count_plan(db, admin, flt: IncidentFilter) -> tuple[int, str]:
    """The total and SQLite's plan of the statement that counted it."""
    seen: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    with db.session(admin, readonly=True) as s:
        event.listen(s.get_bind(), "before_cursor_execute", note)
        try:
            total = incidents.count_incidents(flt, session=s)
        finally:
            event.remove(s.get_bind(), "before_cursor_execute", note)
        statement, parameters = next((q, p) for q, p in seen if "count(" in q.lower())
        raw = s.connection().connection.driver_connection
        plan = "\n".join(
            str(r[-1]) for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    return total, plan


def test_totals_are_counted_from_the_index_of_unarchived_incidents(db, admin, backend):
    if backend == "postgresql":  # the planner's choice depends on its statistics there
        with db.engine.connect() as conn:
            found = {i["name"]: i for i in inspect(conn).get_indexes("incident")}
            where = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"), {"n": INDEX}
            ).scalar_one()
        assert found[INDEX]["column_names"] == ["status", "reported_at", "reference"]
        assert "WHERE (archived_at IS NULL)" in where
        return
    for flt in (
        IncidentFilter(),
        IncidentFilter(statuses=OPEN_STATUSES),
        IncidentFilter(statuses=frozenset({Status.REVIEWED})),
    ):
        total, plan = _count_plan(db, admin, flt)
        assert total >= 0
        assert f"USING INDEX {INDEX}" in plan or f"USING COVERING INDEX {INDEX}" in plan, plan
        assert "SCAN incident\n" not in plan + "\n"  # never every incident row


def test_new_and_upgraded_databases_get_the_same_index(tmp_path):
    from alembic import command

    from ebconsole.db.migrate import alembic_config, prepare
    from ebconsole.db.session import Database

    made = Database(str(tmp_path / "made.sqlite3"))
    prepare(made)
    upgraded = Database(str(tmp_path / "upgraded.sqlite3"))
    cfg = alembic_config()
    with upgraded.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

    def indexes(db: Database) -> dict[str, str]:
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'incident' AND sql IS NOT NULL"
                )
            )
            return dict(rows.tuples().all())

    assert indexes(made) == indexes(upgraded)
    assert indexes(made)[INDEX] == (
        f"CREATE INDEX {INDEX} ON incident (status, reported_at, reference) "
        "WHERE archived_at IS NULL"
    )
    assert "ix_incident_status_reported" not in indexes(made)  # it tied with INDEX
    made.dispose()
    upgraded.dispose()


def _add(db, actor, n: int, first: int) -> None:
    """`n` open incidents of level IV, system failures, reported a minute apart."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from ebconsole.incidents.enums import Category, Channel, Severity
    from ebconsole.incidents.models import Incident

    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    rows = [
        {
            "reference": f"SH01-20261101-{first + i:05d}",
            "title": f"核心系统批处理延迟第{first + i}次",
            "category": Category.SYSTEM_FAILURE,
            "channel": Channel.SYSTEM_MONITORING,
            "reported_at": start + timedelta(minutes=first + i),
            "reporter_name": "系统监控",
            "severity": Severity.IV,
            "status": Status.HANDLING,
            "site_code": "SH01",
            "created_by": "system",
        }
        for i in range(n)
    ]
    with db.session(actor) as s:
        s.execute(insert(Incident), rows)


def test_a_sorted_page_reads_a_page_not_the_whole_group(db, admin, backend):
    """Sorting by severity, category or status breaks ties by the report time (the second
    column of those keys' indexes), then the reference: the page walks the index in order
    and stops, however many incidents share the first group's key."""
    from ebconsole.incidents.schemas import SortKey

    cases = [
        IncidentFilter(sort=SortKey.SEVERITY, descending=True, limit=5),
        IncidentFilter(sort=SortKey.CATEGORY, descending=True, limit=5),
        IncidentFilter(sort=SortKey.STATUS, descending=False, limit=5),
    ]

    def pages() -> tuple[list[list[str]], list[int]]:
        """Each case's page of references, and (SQLite) the virtual machine steps the
        page's statement took: the work, whatever the machine's speed."""
        refs: list[list[str]] = []
        steps: list[int] = []
        with db.session(admin, readonly=True) as s:
            raw = s.connection().connection.driver_connection if db.is_sqlite else None
            for flt in cases:
                counted = [0]

                def step(counted: list[int] = counted) -> int:
                    counted[0] += 1
                    return 0

                if raw is not None:
                    raw.set_progress_handler(step, 1)
                try:
                    refs.append([r.reference for r in incidents.list_rows(flt, session=s)])
                finally:
                    if raw is not None:
                        raw.set_progress_handler(None, 1)
                steps.append(counted[0])
        return refs, steps

    _add(db, admin, 40, 0)
    small_refs, small_steps = pages()
    _add(db, admin, 400, 40)
    big_refs, big_steps = pages()
    # the newest of the group first (descending), the oldest first (ascending)
    assert big_refs[0] == [f"SH01-20261101-{i:05d}" for i in range(439, 434, -1)]
    assert big_refs[1] == big_refs[0]
    assert big_refs[2] == [f"SH01-20261101-{i:05d}" for i in range(5)] == small_refs[2]
    if db.is_sqlite:
        # ten times the group, about the same work (a read of the whole group: ten times)
        for small, big in zip(small_steps, big_steps, strict=True):
            assert 0 < big < 1.5 * small, (small_steps, big_steps)
