"""The PostgreSQL `db` fixture's reset (tests/support/postgres.py, WorldDatabase) gives
each test what a fresh clone of the template would: the same rows, byte for byte, in every
table, after any writes, leftover connections or schema changes of the test before."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import inspect

from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from tests.ebconsole.incidents.samples import fraud_intake
from tests.support.world import World

pytestmark = pytest.mark.postgres


def _contents(server, name: str) -> dict[str, str]:
    """Every table's rows (as text, sorted) and every column's type, in `public`."""
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname={name}") as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        out = {
            t: conn.execute(
                f"SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') "
                f'FROM public."{t}" r'
            ).fetchone()[0]
            for t in tables
        }
        out["(columns)"] = "\n".join(
            f"{r[0]}.{r[1]} {r[2]} {r[3]}"
            for r in conn.execute(
                "SELECT table_name, column_name, data_type, ordinal_position "
                "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 4"
            )
        )
    return out


def test_writes_and_leftover_connections_are_undone(
    postgres_server, postgres_template, postgres_world
):
    from ebconsole.db.session import Database

    expected = _contents(postgres_server, postgres_template)
    assert len(expected) > 20 and expected["user_account"] and expected["audit_entry"]
    db = Database(postgres_server.url(postgres_world.fresh()))
    world = World.load(db)
    with db.session(world.clerk) as s:
        incidents.create(parse_intake(fraud_intake()), session=s)
    with db.engine.begin() as conn:  # a table grown past 1 MB is truncated, not deleted
        columns = [c["name"] for c in inspect(conn).get_columns("incident")]
        copies = {"id": "gen_random_uuid()", "reference": "reference || '-' || n"}
        conn.exec_driver_sql(
            f"INSERT INTO incident ({', '.join(columns)}) "
            f"SELECT {', '.join(copies.get(c, c) for c in columns)} "
            "FROM incident, generate_series(1, 8000) AS n"
        )
        assert conn.exec_driver_sql("SELECT pg_relation_size('incident')").scalar() > 1 << 20
    leftover = db.engine.connect()  # a test that forgot a connection, mid-transaction
    leftover.exec_driver_sql("DELETE FROM change_log")
    assert _contents(postgres_server, postgres_world.name) != expected
    clones = postgres_world.clones

    name = postgres_world.fresh()

    assert postgres_world.clones == clones  # reset in place, not cloned
    assert _contents(postgres_server, name) == expected
    leftover.invalidate()
    db.dispose()


def test_a_schema_change_gets_a_new_clone(postgres_server, postgres_template, postgres_world):
    expected = _contents(postgres_server, postgres_template)
    name = postgres_world.fresh()
    with psycopg.connect(
        f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname={name}"
    ) as conn:
        conn.execute("ALTER TABLE audit_entry DROP COLUMN hash")
        conn.execute("ALTER TABLE audit_entry ADD COLUMN hash text")  # same name, moved
    clones = postgres_world.clones

    name = postgres_world.fresh()

    assert postgres_world.clones == clones + 1
    assert _contents(postgres_server, name) == expected
