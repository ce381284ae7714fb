"""What every report says about where its data comes from and how fresh it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebconsole.audit.models import AuditEntry
from ebconsole.audit.verify import ChainHead, chain_heads
from ebconsole.sync.models import ChangeLog
from ebconsole.timeutil import utcnow
from ebconsole.users.models import Installation


@dataclass(frozen=True)
class Origin:
    """The installation, the database and the time of its last write."""

    site_code: str
    site_name: str
    workstation: str
    data_as_of: datetime | None  # the latest write in the database
    shared_database: bool  # False: this workstation's own (SQLite) file
    database_host: str  # the PostgreSQL server of a shared database
    audit_entries: int
    last_audit_id: str | None
    last_audit_at: datetime | None
    gathered_at: datetime  # when this data was read
    audit_heads: tuple[ChainHead, ...] = ()  # each origin's latest audit row, printed


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


_audit = AuditEntry.__table__
_change = ChangeLog.__table__
_inst = Installation.__table__
# built once; run as Core statements on the session's connection
_FRESHNESS = select(
    select(func.max(_audit.c.at)).scalar_subquery(),
    select(func.count()).select_from(_audit).scalar_subquery(),
    select(_audit.c.id).order_by(_audit.c.at.desc()).limit(1).scalar_subquery(),
    select(_change.c.received_at).order_by(_change.c.local_seq.desc()).limit(1).scalar_subquery(),
)
_INSTALLATION = select(_inst.c.site_code, _inst.c.site_name, _inst.c.workstation_name).limit(1)


def load_origin(*, session: Session) -> Origin:
    """The installation and the data's freshness: the latest of the audit trail (every
    write through a service, and one entry for each bulk write such as the demo
    generator's) and of the change log (every change written here or received from
    another site by a sync). Both are read through an index, so the cost does not grow
    with the size of the database (the incident and timeline tables' own change times
    have none: reading their maxima scanned every row, seconds on 100 000 incidents).
    Three queries: the audit trail and change log figures in one, the installation's
    names, and each origin's audit chain head."""
    conn = session.connection()
    audit_at, audit_count, last_id, change_at = conn.execute(_FRESHNESS).one()
    inst = conn.execute(_INSTALLATION).first()
    bind = session.get_bind()
    shared = bind.dialect.name != "sqlite"
    host = bind.engine.url.host if shared and hasattr(bind, "engine") else None
    return Origin(
        site_code=inst.site_code if inst else "",
        site_name=inst.site_name if inst else "",
        workstation=inst.workstation_name if inst else "",
        data_as_of=_latest(audit_at, change_at),
        shared_database=shared,
        database_host=host or "",
        audit_entries=int(audit_count or 0),
        last_audit_id=str(last_id) if last_id is not None else None,
        last_audit_at=audit_at,  # the latest entry's time
        gathered_at=utcnow(),
        audit_heads=tuple(chain_heads(session=session)),
    )
