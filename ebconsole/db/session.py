"""Engines and sessions: one transaction per user action.

db = Database(url)
with db.session(actor) as s:       # commits on success, rolls back on error
    incidents.service.create(data, session=s)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ebconsole.actor import Actor
from ebconsole.audit import recorder  # noqa: F401  (registers the audit hook)
from ebconsole.paths import user_data_dir

DB_ENV = "EBCONSOLE_DATABASE_URL"
DB_FILENAME = "ebconsole.sqlite3"


def default_database_url() -> str:
    env = os.environ.get(DB_ENV)
    if env:
        return env
    return sqlite_url(user_data_dir() / DB_FILENAME)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def normalize_url(url: str) -> str:
    """Accept a plain file path as well as a URL; use psycopg 3 for PostgreSQL."""
    if "://" not in url:
        return sqlite_url(url)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _create_private(path: Path) -> None:
    """Create a new database file readable by its owner only, before SQLite opens it
    (SQLite gives its -wal and -shm files the database file's permissions)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # SQLite reports what is wrong when it opens the file
    os.close(fd)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit the user was told about survives a power cut.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front (IMMEDIATE) so two writers wait for each
        # other instead of failing half-way; readers stay DEFERRED and never block.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        # every mapper must be known before the first query resolves relationships by name
        import ebconsole.models  # noqa: F401

        self.url = normalize_url(url or default_database_url())
        self.engine = engine or make_engine(self.url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def session(self, actor: Actor | None = None, *, readonly: bool = False) -> Iterator[Session]:
        """One unit of work. Writes need an actor: the audit trail names who acted."""
        s = self._factory()
        s.info["actor"] = actor
        try:
            if self.is_sqlite and not readonly:
                s.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield s
            if readonly:
                s.rollback()
            else:
                s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        self.engine.dispose()


def actor_of(session: Session) -> Actor:
    actor = session.info.get("actor")
    if actor is None:
        raise RuntimeError("a write needs an actor: open the session with db.session(actor)")
    return actor
