"""A throwaway PostgreSQL cluster for the shared-mode tests.

The server binaries refuse to run as root, so as root the cluster belongs to the
`postgres` system user (created by scripts/setup.sh) and is driven through `runuser`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def binaries_available() -> bool:
    return all(shutil.which(b) for b in ("initdb", "pg_ctl", "postgres"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ebconsole-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def _initdb_once(self) -> Path:
        """A fresh cluster's data folder, made by initdb once for every cluster the test
        run starts (each xdist worker and phase copies it: cheaper than initdb)."""
        args = ("-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        version = subprocess.run(
            ["initdb", "--version"], check=True, capture_output=True, text=True
        ).stdout
        key = hashlib.sha256(repr((version, args)).encode()).hexdigest()[:12]
        cache = Path(tempfile.gettempdir()) / f"ebconsole-pg-initdb-{os.geteuid()}-{key}"
        with open(f"{cache}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one worker runs initdb, the others wait
            if not (cache / "PG_VERSION").is_file():
                shutil.rmtree(cache, ignore_errors=True)
                work = Path(tempfile.mkdtemp(prefix="ebconsole-pg-initdb-"))
                if self._as_root:
                    shutil.chown(work, "postgres")
                self._run("initdb", "-D", str(work / "data"), *args)
                (work / "data").rename(cache)  # complete, or not there at all
                shutil.rmtree(work, ignore_errors=True)
        return cache

    def _options(self) -> str:
        # a throwaway cluster: no fsync, minimal WAL (commits stay synchronous: the test that
        # stops the hub mid-push relies on a confirmed commit surviving an immediate stop),
        # no JIT compiling of the few big test queries
        return (
            f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off "
            "-c wal_level=minimal -c max_wal_senders=0 -c jit=off -c max_connections=200"
        )

    def start(self) -> TempPostgres:
        self.sock.mkdir(parents=True)
        if self._as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self._run("cp", "-a", str(self._initdb_once()), str(self.data))
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            self._options(),
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            self._options(),
            "-w",
            "start",
        )

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def drop_database(self, name: str) -> None:
        """Drop a test's database at once, so the cluster stays small through the session."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_database(self, template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            tpl = f" TEMPLATE {template}" if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{tpl}')
        return name


class WorldDatabase:
    """One database per test session (per xdist worker), handed to each test exactly as a
    fresh clone of `template` would be, for a fraction of CREATE DATABASE's cost.

    Before each test, in one round trip: the test's leftover connections are ended, every
    row of every table in `public` (alembic_version included) is deleted and the
    template's rows are copied back from private snapshot tables (schema `_world`, off the
    search path), and any sequence is set back to the template's value. Row data are thus
    byte-identical to the template's (audit chain, change log, sync state and all).

    A test that changes the schema itself (a migration test, say) is noticed by an event
    trigger that fires on every DDL command in the database; the next test then gets a
    new clone of the template instead of a reset.
    """

    GUARD = "_world"  # the snapshot tables, the DDL counter and its event trigger

    def __init__(self, server: TempPostgres, template: str) -> None:
        self.server = server
        self.template = template
        self.name: str | None = None
        self._reset_sql = ""
        self._conn: psycopg.Connection | None = None
        self.clones = 0  # how many times the database was (re)built from the template
        self.resets = 0

    def _connect(self) -> psycopg.Connection:
        assert self.name is not None
        return psycopg.connect(
            f"host=127.0.0.1 port={self.server.port} user=postgres dbname={self.name}"
        )

    def _clone(self) -> None:
        self.close()
        if self.name is not None:
            self.server.drop_database(self.name)
        self.name = self.server.create_database(template=self.template)
        self.clones += 1
        g = self.GUARD
        with self._connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            sequences = conn.execute(
                "SELECT sequencename, start_value, last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"
            ).fetchall()
            conn.execute(f"CREATE SCHEMA {g}")
            for t in tables:
                conn.execute(f'CREATE TABLE {g}."{t}" AS TABLE public."{t}"')
            conn.execute(f"CREATE SEQUENCE {g}.ddl")
            conn.execute(
                f"CREATE FUNCTION {g}.ddl_seen() RETURNS event_trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN PERFORM nextval('{g}.ddl'); END $$"
            )
            conn.execute(
                f"CREATE EVENT TRIGGER {g}_ddl ON ddl_command_end EXECUTE FUNCTION {g}.ddl_seen()"
            )
            conn.commit()
        names = "ARRAY[" + ", ".join(f"'{t}'" for t in tables) + "]::text[]"
        statements = [
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
            f"""DO $$
DECLARE
    t text;
    big text[] := ARRAY[]::text[];
BEGIN
    -- a schema change since the snapshot: refuse (the caller clones instead)
    IF (SELECT is_called FROM {g}.ddl) THEN
        RAISE EXCEPTION 'schema changed';
    END IF;
    -- foreign keys are not checked while the rows are emptied and copied back
    PERFORM set_config('session_replication_role', 'replica', true);
    -- a table a test filled (100 000 incidents, say) is truncated, the rest deleted
    FOREACH t IN ARRAY {names} LOOP
        IF pg_relation_size(format('public.%I', t)) > 1048576 THEN
            big := big || format('public.%I', t);
        END IF;
    END LOOP;
    IF cardinality(big) > 0 THEN
        EXECUTE 'TRUNCATE ' || array_to_string(big, ', ') || ' CASCADE';
    END IF;
    FOREACH t IN ARRAY {names} LOOP
        EXECUTE format('DELETE FROM public.%I', t);
    END LOOP;
    FOREACH t IN ARRAY {names} LOOP
        EXECUTE format('INSERT INTO public.%I SELECT * FROM {g}.%I', t, t);
    END LOOP;
END $$""",
            *(
                f"SELECT setval('public.\"{name}\"', {start if last is None else last}, "
                f"{last is not None})"
                for name, start, last in sequences
            ),
        ]
        self._reset_sql = ";\n".join(statements)

    def fresh(self) -> str:
        """The database's name, its contents now exactly the template's."""
        if self.name is None:
            self._clone()
            return self.name  # type: ignore[return-value]
        for attempt in range(2):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = self._connect()
                self._conn.execute(self._reset_sql)  # type: ignore[arg-type]
                self._conn.commit()
                self.resets += 1
                return self.name
            except psycopg.errors.RaiseException:
                break  # the schema was changed: clone anew
            except psycopg.OperationalError:
                self.close()  # the server was restarted under us: try once more
                if attempt:
                    raise
        self._clone()
        return self.name  # type: ignore[return-value]

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
