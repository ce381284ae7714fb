"""The list's totals read the index of unarchived incidents by status (migration 0006):
the unfiltered total and a status filter's total are counted from that small index, not
from every incident row. No full index on the same columns ties with it (0007), so the
choice does not hang on the order the indexes were created in; new and upgraded databases
hold the same indexes."""

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
        assert found[INDEX]["column_names"] == ["status", "reported_at"]
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
        f"CREATE INDEX {INDEX} ON incident (status, reported_at) WHERE archived_at IS NULL"
    )
    assert "ix_incident_status_reported" not in indexes(made)  # it tied with INDEX
    made.dispose()
    upgraded.dispose()
