"""Schema versions: create-and-stamp, back up then upgrade, refuse a newer database, and
the migration scripts describe exactly the models."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ebconsole.db.migrate import (
    MIGRATIONS,
    _latest_file_revision,
    alembic_config,
    current_revision,
    head_revision,
    prepare,
)
from ebconsole.db.session import Database
from ebconsole.errors import DatabaseVersionError
from ebconsole.incidents import search
from ebconsole.models import Base


def _fresh(tmp_path: Path, name: str = "db.sqlite3") -> Database:
    return Database(str(tmp_path / name))


def test_new_database_is_created_and_stamped_at_head(tmp_path):
    db = _fresh(tmp_path)
    result = prepare(db)
    assert result.created and current_revision(db) == head_revision()
    assert prepare(db).created is False  # second open: nothing to do
    mode = (tmp_path / "db.sqlite3").stat().st_mode & 0o777
    assert mode == 0o600  # readable by its owner only


def _schema_diff(db: Database) -> list:
    def described(name, _type, _parent) -> bool:  # the text index is not in the models
        return not search.is_search_object(name)

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": False, "include_name": described}
        )
        return compare_metadata(ctx, Base.metadata)


def test_newest_migration_file_is_the_head():
    # prepare() recognises a current database by the newest file's name, without Alembic
    assert _latest_file_revision() == head_revision()


def test_new_and_upgraded_databases_get_the_same_text_index(tmp_path):
    made = _fresh(tmp_path, "made.sqlite3")
    prepare(made)
    upgraded = _fresh(tmp_path, "upgraded.sqlite3")
    cfg = alembic_config()
    with upgraded.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

    def objects(db: Database) -> list[tuple[str, str, str | None]]:
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'incident_search%'")
            ).all()
        return sorted((r[0], r[1], r[2]) for r in rows)

    # the migration's frozen statements and the live module's create the same objects
    assert objects(made) == objects(upgraded)
    assert "incident_search_au" in [name for _type, name, _sql in objects(made)]


def test_migration_scripts_build_exactly_the_models(tmp_path):
    db = _fresh(tmp_path)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert _schema_diff(db) == []


@pytest.mark.postgres
def test_migration_scripts_build_exactly_the_models_on_postgresql(postgres_server):
    db = Database(postgres_server.url(postgres_server.create_database()))
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert _schema_diff(db) == []
    db.dispose()


def test_database_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    db = _fresh(tmp_path)
    prepare(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d_from_the_future'"))
    db.dispose()  # checkpoint the WAL so the file alone holds the database
    before = (tmp_path / "db.sqlite3").read_bytes()
    db = _fresh(tmp_path)
    with pytest.raises(DatabaseVersionError) as err:
        prepare(db)
    assert err.value.code == "db_newer"
    assert "newer" in str(err.value)
    db.dispose()
    assert (tmp_path / "db.sqlite3").read_bytes() == before


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("create table customers (id integer)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseVersionError) as err:
        prepare(Database(str(path)))
    assert err.value.code == "db_unknown"


NEXT_REVISION = '''"""a later release adds a column"""
import sqlalchemy as sa
from alembic import op

revision = "9999_later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("later_field", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("later_field")
'''


def test_older_database_is_backed_up_then_upgraded(tmp_path, world_db_path):
    """A database made by this release, opened by a later one with one more migration."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts)
    (scripts / "versions" / "9999_later.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(world_db_path, path)
    db = Database(str(path))
    with db.session(readonly=True) as s:
        users_before = s.execute(text("select count(*) from user_account")).scalar_one()

    result = prepare(db, scripts=scripts, backup_dir=tmp_path / "backups")

    assert result.upgraded_from == head_revision() and result.backup is not None
    assert current_revision(db) == "9999_later"
    with db.session(readonly=True) as s:
        columns = [r[1] for r in s.execute(text("pragma table_info(incident)"))]
        assert "later_field" in columns
        assert s.execute(text("select count(*) from user_account")).scalar_one() == users_before
    backup = sqlite3.connect(result.backup)
    assert backup.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert (
        backup.execute("select version_num from alembic_version").fetchone()[0] == head_revision()
    )
    assert backup.execute("select count(*) from user_account").fetchone()[0] == users_before
    db.dispose()


def test_upgrade_backup_goes_to_the_configured_backup_folder(tmp_path, world_db_path):
    """A caller that names no folder (the first-run wizard, a script) still honours the
    database's backup-folder setting: the copy lands on the configured medium."""
    from ebconsole.settings import BACKUP_FOLDER, DatabaseSettings

    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts)
    (scripts / "versions" / "9999_later.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(world_db_path, path)
    medium = tmp_path / "备份介质"
    store = DatabaseSettings.for_database(path)
    assert store is not None
    store.set(BACKUP_FOLDER, str(medium))
    db = Database(str(path))

    result = prepare(db, scripts=scripts)

    assert result.backup is not None and result.backup.parent == medium
    assert not (tmp_path / "backups").exists()
    db.dispose()
