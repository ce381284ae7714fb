"""Incidents: intake, lifecycle, timeline and the fraud report.

Module-level functions with a keyword-only session; they check every rule (rules.py),
raise ebconsole.errors exceptions and flush, never commit: the caller's
`with db.session(actor) as s:` is the one transaction of the user's action.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from ebconsole.actor import Actor
from ebconsole.db import new_rows
from ebconsole.db.session import actor_of
from ebconsole.errors import FieldError, InvalidTransition, NotFound, StaleRecord, ValidationFailed
from ebconsole.i18n import _
from ebconsole.incidents import lifecycle, rules, search
from ebconsole.incidents.enums import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    Category,
    Channel,
    Severity,
    Status,
    TimelineKind,
)
from ebconsole.incidents.messages import ENTITY_INCIDENT, ENTITY_USER
from ebconsole.incidents.models import (
    FraudReport,
    FraudTransaction,
    Incident,
    IncidentSubtype,
    TimelineEntry,
)
from ebconsole.incidents.reference import next_reference, normalize_reference
from ebconsole.incidents.rules import MAX, Subtype, SubtypeIndex
from ebconsole.incidents.schemas import (
    FraudReportInput,
    IncidentCreate,
    IncidentFilter,
    IncidentListRow,
    IncidentReview,
    IncidentUpdate,
    SortKey,
    TimelineEntryCreate,
    TransactionInput,
)
from ebconsole.paths import resources_dir
from ebconsole.timeutil import as_utc, format_local, local_zone, utcnow
from ebconsole.users.models import User  # also resolves Incident.owner for the mapper
from ebconsole.users.permissions import (
    Permission,
    authorize,
    denied,
    may_see_incident,
    sees_all_incidents,
)
from ebconsole.validation import Checker

MAX_STOP_PAYMENT_EXTENSIONS = 2
USER_KINDS = (
    TimelineKind.ACTION,
    TimelineKind.DECISION,
    TimelineKind.NOTIFICATION,
    TimelineKind.NOTE,
)


# -- plan defaults: subtypes ---------------------------------------------------------------------
def categories_path() -> Any:
    return resources_dir() / "plan" / "categories.json"


def load_defaults(*, session: Session) -> None:
    """Load the subtypes of resources/plan/categories.json. Idempotent: a subtype that
    exists (also edited or archived) is left as it is."""
    document = json.loads(categories_path().read_text(encoding="utf-8"))
    existing = {(s.category, s.code) for s in session.scalars(select(IncidentSubtype))}
    for name, items in document["categories"].items():
        category = Category(name)
        for position, item in enumerate(items):
            if (category, item["code"]) in existing:
                continue
            session.add(
                IncidentSubtype(
                    category=category,
                    code=item["code"],
                    label_zh=item["zh"],
                    label_en=item["en"],
                    position=position,
                )
            )
    session.flush()


def list_subtypes(
    category: Category, *, session: Session, include_archived: bool = False
) -> list[IncidentSubtype]:
    q = (
        select(IncidentSubtype)
        .where(IncidentSubtype.category == category)
        .order_by(IncidentSubtype.position, IncidentSubtype.code)
    )
    if not include_archived:
        q = q.where(IncidentSubtype.archived_at.is_(None))
    return list(session.scalars(q))


_SUBTYPES = IncidentSubtype.__table__.c
# read on every intake: plain columns on the connection, the statement built once
_ACTIVE_SUBTYPES = (
    select(_SUBTYPES.category, _SUBTYPES.code, _SUBTYPES.label_zh, _SUBTYPES.label_en)
    .where(_SUBTYPES.archived_at.is_(None))
    .order_by(_SUBTYPES.category, _SUBTYPES.position, _SUBTYPES.code)
)


def subtype_index(*, session: Session) -> SubtypeIndex:
    """The active subtypes by category (read on every intake: plain columns, no objects)."""
    index = SubtypeIndex()
    for category, code, label_zh, label_en in session.connection().execute(_ACTIVE_SUBTYPES):
        index.by_category.setdefault(category, []).append(Subtype(code, label_zh, label_en))
    return index


# -- reading -------------------------------------------------------------------------------------
def _visible(incident: Incident, session: Session) -> Incident:
    """The incident, or PermissionDenied for a clerk of another branch."""
    check_visible(incident.branch, incident.created_by, session=session)
    return incident


def check_visible(branch: str | None, created_by: str | None, *, session: Session) -> None:
    """PermissionDenied unless the session's actor may see an incident of `branch`
    recorded by `created_by` (for readers that load the incident's columns themselves)."""
    actor = authorize(session, Permission.VIEW_INCIDENTS)
    if not may_see_incident(actor, branch, created_by):
        assert actor is not None
        raise denied(actor, Permission.VIEW_ALL_INCIDENTS)


def visibility(session: Session) -> list[ColumnElement[bool]]:
    """The extra condition of a clerk's lists: their branch and what they recorded."""
    actor = authorize(session, Permission.VIEW_INCIDENTS)
    if sees_all_incidents(actor):
        return []
    assert actor is not None
    mine = Incident.created_by == actor.username[:40]
    if actor.branch:
        return [or_(Incident.branch == actor.branch, mine)]
    return [mine]


def get(incident_id: uuid.UUID, *, session: Session) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound.one("not_found", None, entity_label=ENTITY_INCIDENT, key=str(incident_id))
    return _visible(incident, session)


def get_by_reference(reference: str, *, session: Session) -> Incident:
    ref = normalize_reference(reference)
    incident = session.scalars(select(Incident).where(Incident.reference == ref)).first()
    if incident is None:
        raise NotFound.one("not_found", None, entity_label=ENTITY_INCIDENT, key=ref[:40])
    return _visible(incident, session)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# How the free text is matched (see `_text_condition`)
SETS = "sets"  # the matching ids are collected first: counts, and rare words' pages
WALK = "walk"  # each row is checked as the list walks its sort order: common words' pages
RARE = 2000  # a word the trigram index finds in at most this many incidents is "rare"


def _conditions(
    flt: IncidentFilter, dialect: str = "", text_mode: str = SETS
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if not flt.include_archived:
        conds.append(Incident.archived_at.is_(None))
    if flt.statuses:
        conds.append(Incident.status.in_(sorted(flt.statuses)))
    if flt.categories:
        conds.append(Incident.category.in_(sorted(flt.categories)))
    if flt.severities:
        levels = sorted(s for s in flt.severities if s is not None)
        parts = [Incident.severity.in_(levels)] if levels else []
        if None in flt.severities:
            parts.append(Incident.severity.is_(None))
        conds.append(or_(*parts))
    if flt.date_from is not None:
        conds.append(Incident.reported_at >= _local_midnight(flt.date_from.toordinal()))
    if flt.date_to is not None:
        conds.append(Incident.reported_at < _local_midnight(flt.date_to.toordinal() + 1))
    if flt.reported_from is not None:
        conds.append(Incident.reported_at >= as_utc(flt.reported_from))
    if flt.reported_to is not None:
        conds.append(Incident.reported_at < as_utc(flt.reported_to))
    if flt.branches:
        conds.append(Incident.branch.in_(sorted(flt.branches)))
    if flt.owner_id is not None:
        conds.append(Incident.owner_id == flt.owner_id)
    text = (flt.text or "").strip()
    if text:
        conds.append(_text_condition(text, dialect, text_mode))
    return conds


def _text_condition(text: str, dialect: str, mode: str) -> ColumnElement[bool]:
    """Reference, title, branch or description hold `text`, or the customer's name or
    account in the fraud report does.

    SETS: the matching incidents are found first (the trigram index; the fraud reports
    searched once by an uncorrelated IN), which is what a count needs and what a page of
    a rare word needs. WALK: the page walks its sort order's index and checks each row
    (against the index's matches, taken once, and the row's own fraud report), and stops
    when the page is full: a common word fills a page after a few hundred rows, where
    collecting and sorting all its matches would grow with the table.
    """
    pattern = _like(text)

    def matches(column: Any) -> ColumnElement[bool]:
        # SQLite's LIKE ignores ASCII case already; ilike would call lower() per row
        if dialect == "sqlite":
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    customer = or_(matches(FraudReport.customer_name), matches(FraudReport.account_number))
    fraud: ColumnElement[bool]
    if mode == WALK:
        fraud = (
            select(FraudReport.id).where(FraudReport.incident_id == Incident.id, customer).exists()
        )
    else:
        fraud = Incident.id.in_(select(FraudReport.incident_id).where(customer))
    fts = search.phrase(text) if dialect == "sqlite" else None
    if fts is None:
        # PostgreSQL: ILIKE, served by the pg_trgm indexes; SQLite: a query too short
        # for the trigram index is checked row by row
        columns = (Incident.reference, Incident.title, Incident.branch, Incident.description)
        return or_(*(matches(c) for c in columns), fraud)
    # the trigram index (ebconsole.incidents.search); a unary + keeps the walk on the
    # sort order's index instead of looking the matches up one by one
    rowid: ColumnElement[Any] = literal_column(
        "+incident.rowid" if mode == WALK else "incident.rowid"
    )
    indexed = rowid.in_(
        select(literal_column("rowid"))
        .select_from(table(search.TABLE))
        .where(literal_column(search.TABLE).op("MATCH")(fts))
    )
    return or_(indexed, fraud)


def _text_mode(flt: IncidentFilter, session: Session) -> str:
    """WALK for a common word, SETS for a rare one: the trigram index says which, from
    at most RARE + 1 of its entries (one short read)."""
    fts = search.phrase((flt.text or "").strip()) if _dialect(session) == "sqlite" else None
    if fts is None:
        return WALK if (flt.text or "").strip() else SETS
    probe = (
        select(literal_column("rowid"))
        .select_from(table(search.TABLE))
        .where(literal_column(search.TABLE).op("MATCH")(fts))
        .limit(RARE + 1)
        .subquery()
    )
    found = session.execute(select(func.count()).select_from(probe)).scalar_one()
    return WALK if found > RARE else SETS


def _local_midnight(ordinal: int) -> datetime:
    day = datetime.fromordinal(ordinal)
    return as_utc(day.replace(tzinfo=local_zone()))


_SORT = {
    SortKey.REPORTED_AT: Incident.reported_at,
    SortKey.OCCURRED_AT: Incident.occurred_at,
    SortKey.REFERENCE: Incident.reference,
    SortKey.TITLE: Incident.title,
    SortKey.CATEGORY: Incident.category,
    SortKey.SEVERITY: Incident.severity,
    SortKey.STATUS: Incident.status,
    SortKey.BRANCH: Incident.branch,
    SortKey.UPDATED_AT: Incident.updated_at,
}


# sort keys with an index on (key, reported_at): ties within the key are broken by the
# report time first, so a page walks that index in order instead of reading and sorting
# the key's whole first group by reference (a descending severity sort of 100 000
# incidents read and sorted all 58 000 of level IV for 50 rows)
_BY_KEY_THEN_TIME = (SortKey.CATEGORY, SortKey.SEVERITY, SortKey.STATUS)


def _order(flt: IncidentFilter) -> list[ColumnElement[Any]]:
    """The list's ORDER BY: the sort key, (for a grouping key, the report time,) then the
    reference, all in the same direction: every order is total."""
    column = _SORT[flt.sort]
    order = column.desc() if flt.descending else column.asc()
    if flt.sort in (SortKey.OCCURRED_AT, SortKey.SEVERITY, SortKey.BRANCH):
        order = order.nulls_last()
    then: list[Any] = [Incident.reported_at] if flt.sort in _BY_KEY_THEN_TIME else []
    then.append(Incident.reference)
    return [order, *(c.desc() if flt.descending else c.asc() for c in then)]


def _page_ids(
    flt: IncidentFilter,
    dialect: str,
    extra: Sequence[ColumnElement[bool]],
    text_mode: str,
) -> Subquery:
    """The ids of the filter's page, picked from the indexes (a deep offset skips bare
    ids, not joined rows)."""
    return (
        select(Incident.id)
        .where(*_conditions(flt, dialect, text_mode), *extra)
        .order_by(*_order(flt))
        .offset(flt.offset)
        .limit(flt.limit)
        .subquery()
    )


def page_query(
    flt: IncidentFilter,
    dialect: str = "",
    extra: Sequence[ColumnElement[bool]] = (),
    text_mode: str = WALK,
) -> Select[Any]:
    """The one statement of a list page: the page's ids are picked from the indexes first
    (a deep offset skips bare ids, not joined rows), then those rows are read with their
    owner and fraud report joined. The timeline and transactions load only when asked for."""
    page = _page_ids(flt, dialect, extra, text_mode)
    return (
        select(Incident)
        .join(page, Incident.id == page.c.id)
        .options(joinedload(Incident.fraud))
        .order_by(*_order(flt))
    )


_LIST_FRAUD = FraudReport.__table__.c
_LIST_OWNER = User.__table__.c


def row_query(
    flt: IncidentFilter,
    dialect: str = "",
    extra: Sequence[ColumnElement[bool]] = (),
    text_mode: str = WALK,
) -> Select[Any]:
    """The one statement of a page of `list_rows`: the same page as `page_query`, but only
    the columns the incidents table shows, with the owner's names and whether there is a
    fraud report, as plain rows."""
    page = _page_ids(flt, dialect, extra, text_mode)
    has_fraud = select(_LIST_FRAUD.id).where(_LIST_FRAUD.incident_id == Incident.id).exists()
    return (
        select(
            Incident.id,
            Incident.reference,
            Incident.reported_at,
            Incident.category,
            Incident.severity,
            Incident.status,
            Incident.title,
            Incident.branch,
            _LIST_OWNER.display_name,
            _LIST_OWNER.username,
            has_fraud.label("has_fraud"),
        )
        .join(page, Incident.id == page.c.id)
        .outerjoin(User.__table__, _LIST_OWNER.id == Incident.owner_id)
        .order_by(*_order(flt))
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def list_incidents(flt: IncidentFilter, *, session: Session) -> list[Incident]:
    """One page of incidents (see `page_query`); a clerk's lists hold only the incidents
    of their branch and those they recorded. A free text of three characters or more
    first asks the trigram index whether the word is common (see `_text_condition`)."""
    query = page_query(flt, _dialect(session), visibility(session), _text_mode(flt, session))
    return list(session.scalars(query).unique())


def list_rows(flt: IncidentFilter, *, session: Session) -> list[IncidentListRow]:
    """One page of incidents as the incidents table shows them (`row_query`): the same
    rows, order and visibility as `list_incidents`, without loading the incidents."""
    query = row_query(flt, _dialect(session), visibility(session), _text_mode(flt, session))
    return [
        IncidentListRow(
            id=r.id,
            reference=r.reference,
            reported_at=r.reported_at,
            category=r.category,
            severity=r.severity,
            status=r.status,
            title=r.title,
            branch=r.branch,
            owner=r.display_name or r.username or "",
            has_fraud=bool(r.has_fraud),
        )
        for r in session.execute(query)
    ]


def count_incidents(flt: IncidentFilter, *, session: Session) -> int:
    conds = [*_conditions(flt, _dialect(session)), *visibility(session)]
    q = select(func.count()).select_from(Incident).where(*conds)
    return int(session.execute(q).scalar_one())


# -- creating ------------------------------------------------------------------------------------
def _checked(
    data: IncidentCreate, *, now: datetime, subtypes: SubtypeIndex, prefix: str = ""
) -> tuple[IncidentCreate | None, list[FieldError]]:
    return rules.check_incident(
        data.model_dump(), now=now, subtypes=subtypes, strict=False, prefix=prefix
    )


def _site_code(session: Session) -> str:
    site = actor_of(session).site_code
    if not site:
        from ebconsole.users import service as users

        site = users.require_installation(session=session).site_code
    return site.upper()


def _insert(clean: IncidentCreate, *, session: Session) -> Incident:
    actor = actor_of(session)
    site = _site_code(session)
    assert clean.reported_at is not None and clean.channel is not None
    incident = Incident(
        reference=next_reference(session, site, clean.reported_at),
        title=clean.title,
        category=clean.category,
        subcategory=clean.subcategory,
        channel=clean.channel,
        occurred_at=clean.occurred_at,
        reported_at=clean.reported_at,
        reporter_name=clean.reporter.name,
        reporter_department=clean.reporter.department,
        reporter_phone=clean.reporter.phone,
        branch=clean.branch,
        description=clean.description,
        affected_services=list(clean.affected_services),
        status=Status.REPORTED,
        site_code=site,
        created_by=actor.username[:40],
        in_scope=True,
    )
    # the records in the order a flush would meet them (the audit rows follow it)
    records: list[Any] = [incident]
    records.append(
        _new_timeline_entry(
            incident,
            TimelineKind.STATUS_CHANGE,
            _("Incident reported"),
            actor=actor,
            to_status=Status.REPORTED,
            at=clean.reported_at,
        )
    )
    # a new incident's fraud report is known: None is set, so reading it costs no query
    incident.fraud = _new_fraud(clean.fraud) if clean.fraud is not None else None
    if incident.fraud is not None:
        records += [incident.fraud, *incident.fraud.transactions]
        for text, at in _fraud_request_notes(incident.fraud, None, None):
            records.append(
                _new_timeline_entry(incident, TimelineKind.ACTION, text, actor=actor, at=at)
            )
    new_rows.write_new(session, records)
    return incident


def create(data: IncidentCreate, *, session: Session) -> Incident:
    """Record a new incident (status reported) with its fraud report, if any."""
    authorize(session, Permission.RECORD_INTAKE)
    session.flush()  # (what the subtype query's autoflush did: pending records first)
    clean, errors = _checked(data, now=utcnow(), subtypes=subtype_index(session=session))
    if errors or clean is None:
        raise ValidationFailed(errors)
    incident = _insert(clean, session=session)
    _sync_obligations(incident, session=session, new=True)
    return incident


def create_many(items: Sequence[IncidentCreate], *, session: Session) -> list[Incident]:
    """Record several incidents, all or nothing: every item is checked before any is
    added, and each error's path starts with the item's index (`[2].title`)."""
    authorize(session, Permission.RECORD_INTAKE)
    session.flush()  # (what the subtype query's autoflush did: pending records first)
    now = utcnow()
    subtypes = subtype_index(session=session)
    clean: list[IncidentCreate] = []
    failures: list[FieldError] = []
    for i, data in enumerate(items):
        result, errors = _checked(data, now=now, subtypes=subtypes, prefix=f"[{i}].")
        failures.extend(errors)
        if result is not None:
            clean.append(result)
    if failures:
        raise ValidationFailed(failures)
    created = [_insert(item, session=session) for item in clean]
    for incident in created:
        _sync_obligations(incident, session=session, new=True)
    return created


# -- changing ------------------------------------------------------------------------------------
def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleRecord.one("stale_record") from None


def _writable(
    incident_id: uuid.UUID,
    *,
    session: Session,
    permission: Permission = Permission.DRIVE_RESPONSE,
    intake: bool = False,
) -> Incident:
    """The incident to change: the actor needs `permission` and must see the incident.
    With `intake`, a clerk corrects the intake only while the incident is still reported."""
    actor = authorize(session, permission)
    incident = get(incident_id, session=session)
    if (
        intake
        and incident.status is not Status.REPORTED
        and actor is not None
        and not sees_all_incidents(actor)
    ):
        raise denied(actor, Permission.DRIVE_RESPONSE)
    if incident.archived_at is not None:
        raise ValidationFailed.one("incident_archived")
    return incident


def _check_version(record: Any, expected_version: int | None) -> None:
    if expected_version is not None and record.version != expected_version:
        raise StaleRecord.one("stale_record")


def update(
    incident_id: uuid.UUID,
    data: IncidentUpdate,
    *,
    session: Session,
    expected_version: int | None = None,
) -> Incident:
    """Change the facts given in `data` (only the fields set on it)."""
    incident = _writable(
        incident_id, session=session, permission=Permission.RECORD_INTAKE, intake=True
    )
    _check_version(incident, expected_version)
    given = data.model_fields_set
    now = utcnow()
    c = Checker()
    changes: dict[str, Any] = {}
    if "title" in given:
        changes["title"] = rules.text(c, "title", data.title, max_len=MAX["title"], required=True)
    category = incident.category
    if "category" in given:
        chosen = c.choice("category", data.category, Category, required=True)
        if chosen is not None:
            category = changes["category"] = chosen
            if chosen is not Category.CUSTOMER_FRAUD and incident.fraud is not None:
                c.fail("category", "fraud_not_allowed")
    if "subcategory" in given or "category" in given:
        raw = data.subcategory if "subcategory" in given else incident.subcategory
        changes["subcategory"] = rules.subcategory(c, raw, category, subtype_index(session=session))
    if "channel" in given:
        changes["channel"] = c.choice("channel", data.channel, Channel, required=True)
    occurred_at: datetime | None = incident.occurred_at
    reported_at: datetime | None = incident.reported_at
    if "occurred_at" in given:
        occurred_at = changes["occurred_at"] = rules.when(c, "occurred_at", data.occurred_at, now)
    if "reported_at" in given:
        reported_at = changes["reported_at"] = rules.when(
            c, "reported_at", data.reported_at, now, required=True
        )
    if "occurred_at" in given or "reported_at" in given:
        rules.time_order(c, occurred_at, reported_at)
    if "reporter" in given:
        who = rules.reporter(c, data.reporter.model_dump() if data.reporter else None, strict=False)
        if who is not None:
            changes.update(
                reporter_name=who.name, reporter_department=who.department, reporter_phone=who.phone
            )
    if "branch" in given:
        changes["branch"] = rules.text(c, "branch", data.branch, max_len=MAX["branch"])
    if "description" in given:
        changes["description"] = rules.text(
            c, "description", data.description, max_len=MAX["description"], multiline=True
        )
    if "affected_services" in given:
        changes["affected_services"] = rules.services(c, data.affected_services)
    if "severity" in given:
        changes["severity"] = c.choice("severity", data.severity, Severity)
        if changes["severity"] is None and incident.status not in (
            Status.REPORTED,
            Status.ASSESSING,
        ):
            c.fail("severity", "required")
    c.raise_if_failed()
    old_severity = incident.severity
    for key, value in changes.items():
        if getattr(incident, key) != value:
            setattr(incident, key, value)
    if incident.severity != old_severity:
        level = _(SEVERITY_LABELS[incident.severity]) if incident.severity else "-"
        add_timeline_entry(
            incident,
            TimelineKind.ASSESSMENT,
            _("Severity set to {level}").format(level=level),
            session=session,
        )
    _flush(session)
    _sync_obligations(incident, session=session)
    return incident


def assign_owner(
    incident_id: uuid.UUID, owner_id: uuid.UUID | None, *, session: Session
) -> Incident:
    """Make a user responsible for the incident (None: nobody)."""
    incident = _writable(incident_id, session=session)
    user = None
    if owner_id is not None:
        user = session.get(User, owner_id)
        if user is None:
            raise NotFound.one("not_found", "owner", entity_label=ENTITY_USER, key=str(owner_id))
        if not user.active or user.archived_at is not None:
            raise ValidationFailed.one("user_inactive", "owner", key=user.username)
    if incident.owner_id == owner_id:
        return incident
    incident.owner = user
    text = (
        _("Owner assigned: {name}").format(name=user.display_name or user.username)
        if user is not None
        else _("Owner removed")
    )
    add_timeline_entry(incident, TimelineKind.DECISION, text, session=session)
    _flush(session)
    return incident


def archive(incident_id: uuid.UUID, *, session: Session) -> Incident:
    """Hide a closed incident from the lists (records are archived, never deleted)."""
    authorize(session, Permission.DRIVE_RESPONSE)
    incident = get(incident_id, session=session)
    if incident.archived_at is not None:
        return incident
    if not lifecycle.is_terminal(incident.status):
        raise ValidationFailed.one("archive_open", "status")
    incident.archived_at = utcnow()
    _flush(session)
    return incident


# -- the timeline --------------------------------------------------------------------------------
def add_timeline_entry(
    incident: Incident,
    kind: TimelineKind | str,
    text: str,
    *,
    session: Session,
    from_status: Status | None = None,
    to_status: Status | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    """Append one entry to the incident's timeline, by the session's actor. Other
    aggregates (assessment, obligations) use it to record their steps."""
    entry = _new_timeline_entry(
        incident,
        kind,
        text,
        actor=actor_of(session),
        from_status=from_status,
        to_status=to_status,
        at=at,
    )
    session.add(entry)
    return entry


def _new_timeline_entry(
    incident: Incident,
    kind: TimelineKind | str,
    text: str,
    *,
    actor: Actor,
    from_status: Status | None = None,
    to_status: Status | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    entry = TimelineEntry(
        kind=TimelineKind(kind),
        text=text,
        at=as_utc(at) if at is not None else utcnow(),
        actor_name=actor.name[:80],
        actor_user_id=actor.user_id,
        from_status=from_status,
        to_status=to_status,
    )
    incident.timeline.append(entry)
    return entry


def record_action(
    incident_id: uuid.UUID, data: TimelineEntryCreate, *, session: Session
) -> TimelineEntry:
    """A user adds an action, decision, notification or note to the timeline (a clerk:
    to an incident of their branch; coordinators and administrators: to any)."""
    incident = _writable(incident_id, session=session, permission=Permission.RECORD_INTAKE)
    c = Checker()
    kind = c.choice("kind", data.kind, TimelineKind, required=True)
    if kind is not None and kind not in USER_KINDS:
        c.fail(
            "kind",
            "invalid_choice",
            value=kind.value,
            allowed=", ".join(k.value for k in USER_KINDS),
        )
    text = rules.text(
        c, "text", data.text, max_len=MAX["timeline_text"], required=True, multiline=True
    )
    at = rules.when(c, "at", data.at, utcnow())
    c.raise_if_failed()
    assert kind is not None and text is not None
    entry = add_timeline_entry(incident, kind, text, session=session, at=at)
    _flush(session)
    return entry


# -- the lifecycle -------------------------------------------------------------------------------
def advance(
    incident_id: uuid.UUID,
    to: Status,
    *,
    session: Session,
    note: str | None = None,
    reason: str | None = None,
) -> Incident:
    """Move the incident to `to` if the lifecycle allows it, recording the step (time,
    actor, note) on the timeline and the milestone on the incident."""
    incident = _writable(incident_id, session=session)
    return _advance(incident, Status(to), session=session, note=note, reason=reason)


def _advance(
    incident: Incident,
    to: Status,
    *,
    session: Session,
    note: str | None,
    reason: str | None,
    handed_off_to: str | None = None,
) -> Incident:
    source = incident.status
    rule = lifecycle.transition(source, to)
    if rule is None:
        raise InvalidTransition.one(
            "invalid_transition",
            "status",
            from_label=STATUS_LABELS[source],
            to_label=STATUS_LABELS[to],
        )
    if rule.needs_severity and incident.severity is None:
        raise InvalidTransition.one("not_assessed", "severity")
    c = Checker()
    note_text = rules.text(c, "note", note, max_len=MAX["reason"], multiline=True)
    reason_text = rules.text(c, "reason", reason, max_len=MAX["reason"], multiline=True)
    if rule.needs_reason and reason_text is None and c.ok:
        c.fail("reason", "reason_required")
    if rule.needs_review:
        if not (incident.review_cause or "").strip():
            c.fail("cause", "required")
        if not (incident.review_lessons or "").strip():
            c.fail("lessons", "required")
    c.raise_if_failed()

    at = utcnow()
    incident.status = to
    if to in (Status.ACTIVATED, Status.DISMISSED) and incident.assessed_at is None:
        incident.assessed_at = at
    if to is Status.ACTIVATED:
        incident.activated_at = at
    elif to is Status.DISMISSED:
        incident.dismissed_reason = reason_text
        incident.closed_at = at
    elif to is Status.RESTORED:
        incident.restored_at = at
    elif to is Status.REVIEWED:
        incident.closed_at = at
    elif to is Status.OUT_OF_SCOPE:
        incident.in_scope = False
        incident.out_of_scope_reason = reason_text
        incident.handed_off_to = handed_off_to
        incident.closed_at = at
    if rule.reopens:
        incident.restored_at = None

    parts = [p for p in (reason_text, note_text) if p]
    if handed_off_to:
        parts.append(_("handed off to {to}").format(to=handed_off_to))
    text = "; ".join(parts) or _("{from_label} → {to_label}").format(
        from_label=_(STATUS_LABELS[source]), to_label=_(STATUS_LABELS[to])
    )
    add_timeline_entry(
        incident,
        TimelineKind.STATUS_CHANGE,
        text,
        session=session,
        from_status=source,
        to_status=to,
        at=at,
    )
    _flush(session)
    _sync_obligations(incident, session=session)
    return incident


def mark_out_of_scope(
    incident_id: uuid.UUID, reason: str, handed_off_to: str, *, session: Session
) -> Incident:
    """A criminal case or terrorism is not handled under the plan: record why and to whom
    it was handed off (公安机关, 法务部 …), and close it as out of scope."""
    incident = _writable(incident_id, session=session)
    c = Checker()
    reason_text = rules.text(
        c, "reason", reason, max_len=MAX["reason"], required=True, multiline=True
    )
    to = rules.text(c, "handed_off_to", handed_off_to, max_len=MAX["handed_off_to"], required=True)
    c.raise_if_failed()
    return _advance(
        incident,
        Status.OUT_OF_SCOPE,
        session=session,
        note=None,
        reason=reason_text,
        handed_off_to=to,
    )


def review(incident_id: uuid.UUID, data: IncidentReview, *, session: Session) -> Incident:
    """Record the review (cause, handling, lessons) and close a restored incident."""
    incident = _writable(incident_id, session=session)
    if lifecycle.transition(incident.status, Status.REVIEWED) is None:
        raise InvalidTransition.one(
            "invalid_transition",
            "status",
            from_label=STATUS_LABELS[incident.status],
            to_label=STATUS_LABELS[Status.REVIEWED],
        )
    c = Checker()
    cause = rules.text(c, "cause", data.cause, max_len=MAX["review"], required=True, multiline=True)
    lessons = rules.text(
        c, "lessons", data.lessons, max_len=MAX["review"], required=True, multiline=True
    )
    handling = rules.text(c, "handling", data.handling, max_len=MAX["review"], multiline=True)
    c.raise_if_failed()
    incident.review_cause = cause
    incident.review_lessons = lessons
    incident.review_handling = handling
    incident.reviewed_by = actor_of(session).username[:40]
    return _advance(incident, Status.REVIEWED, session=session, note=None, reason=None)


# -- the fraud report ----------------------------------------------------------------------------
def _new_transaction(tx: TransactionInput, position: int) -> FraudTransaction:
    return FraudTransaction(
        position=position,
        time=tx.time,
        amount=tx.amount,
        currency=tx.currency,
        counterparty_name=tx.counterparty_name,
        counterparty_account=tx.counterparty_account,
        counterparty_bank=tx.counterparty_bank,
        reference=tx.reference,
    )


def _new_fraud(data: FraudReportInput) -> FraudReport:
    return FraudReport(
        customer_name=data.customer_name,
        id_number=data.id_number,
        phone=data.phone,
        account_number=data.account_number,
        channel=data.channel,
        police_report_no=data.police_report_no,
        stop_payment_requested_at=data.stop_payment_requested_at,
        freeze_requested_at=data.freeze_requested_at,
        stop_payment_extensions=0,
        transactions=[_new_transaction(tx, i) for i, tx in enumerate(data.transactions)],
    )


def _tx_key(tx: FraudTransaction | TransactionInput) -> tuple[Any, ...]:
    return (
        as_utc(tx.time) if tx.time else None,
        tx.amount,
        tx.currency,
        tx.counterparty_name,
        tx.counterparty_account,
        tx.counterparty_bank,
        tx.reference,
    )


def _fraud_request_notes(
    report: FraudReport, old_stop: datetime | None, old_freeze: datetime | None
) -> list[tuple[str, datetime]]:
    """The timeline notes (text, time) of the stop-payment and freeze requests that are
    new on the report."""
    notes: list[tuple[str, datetime]] = []
    if report.stop_payment_requested_at is not None and old_stop is None:
        notes.append((_("Stop-payment requested"), report.stop_payment_requested_at))
    if report.freeze_requested_at is not None and old_freeze is None:
        notes.append((_("Account freeze requested"), report.freeze_requested_at))
    return notes


def _log_fraud_requests(
    incident: Incident, old_stop: datetime | None, old_freeze: datetime | None, *, session: Session
) -> None:
    report = incident.fraud
    if report is None:
        return
    for text, at in _fraud_request_notes(report, old_stop, old_freeze):
        add_timeline_entry(incident, TimelineKind.ACTION, text, session=session, at=at)


def update_fraud(
    incident_id: uuid.UUID,
    data: FraudReportInput,
    *,
    session: Session,
    expected_version: int | None = None,
) -> FraudReport:
    """Create or replace the fraud report of a customer-fraud incident.

    `data.transactions` is the whole list: unchanged transactions are kept, changed or
    removed ones are deleted (the audit trail keeps them) and new ones added.
    """
    incident = _writable(
        incident_id, session=session, permission=Permission.RECORD_INTAKE, intake=True
    )
    if incident.category is not Category.CUSTOMER_FRAUD:
        raise ValidationFailed.one("fraud_not_allowed", "fraud")
    c = Checker()
    clean = rules.fraud_report(c, data.model_dump(), utcnow(), strict=False)
    c.raise_if_failed()
    assert clean is not None
    report = incident.fraud
    if report is None:
        incident.fraud = report = _new_fraud(clean)
        _log_fraud_requests(incident, None, None, session=session)
    else:
        _check_version(report, expected_version)
        old_stop, old_freeze = report.stop_payment_requested_at, report.freeze_requested_at
        for key in (
            "customer_name",
            "id_number",
            "phone",
            "account_number",
            "channel",
            "police_report_no",
            "stop_payment_requested_at",
            "freeze_requested_at",
        ):
            value = getattr(clean, key)
            if getattr(report, key) != value:
                setattr(report, key, value)
        if report.stop_payment_requested_at is None:
            report.stop_payment_extensions = 0
        kept: dict[tuple[Any, ...], list[FraudTransaction]] = {}
        for tx in report.transactions:
            kept.setdefault(_tx_key(tx), []).append(tx)
        rows: list[FraudTransaction] = []
        for position, item in enumerate(clean.transactions):
            same = kept.get(_tx_key(item))
            row = same.pop(0) if same else _new_transaction(item, position)
            if row.position != position:
                row.position = position
            rows.append(row)
        for leftover in kept.values():
            for row in leftover:
                # deleted explicitly (not as an orphan) so the audit hook sees it
                session.delete(row)
        report.transactions = rows
        _log_fraud_requests(incident, old_stop, old_freeze, session=session)
    _flush(session)
    _sync_obligations(incident, session=session)
    return report


def _fraud_of(incident: Incident) -> FraudReport:
    if incident.fraud is None:
        raise ValidationFailed.one("no_fraud_report", "fraud")
    return incident.fraud


def _request_time(at: datetime | None, path: str) -> datetime:
    now = utcnow()
    c = Checker()
    result = rules.when(c, path, at, now)
    c.raise_if_failed()
    return result or now


def request_stop_payment(
    incident_id: uuid.UUID, at: datetime | None = None, *, session: Session
) -> FraudReport:
    """Record that a stop-payment (紧急止付) was requested at `at` (default now)."""
    incident = _writable(incident_id, session=session, permission=Permission.RECORD_INTAKE)
    report = _fraud_of(incident)
    path = "fraud.stop_payment_requested_at"
    when = _request_time(at, path)
    if report.stop_payment_requested_at is not None:
        raise ValidationFailed.one(
            "stop_payment_already_requested",
            path,
            at=format_local(report.stop_payment_requested_at),
        )
    report.stop_payment_requested_at = when
    _log_fraud_requests(incident, None, report.freeze_requested_at, session=session)
    _flush(session)
    _sync_obligations(incident, session=session)
    return report


def _stop_payment_limit(session: Session) -> int:
    """The bank's policy decides, within the legal ceiling (两次为限)."""
    from ebconsole.obligations import service as obligations

    return min(
        MAX_STOP_PAYMENT_EXTENSIONS, obligations.max_stop_payment_extensions(session=session)
    )


def extend_stop_payment(
    incident_id: uuid.UUID, at: datetime | None = None, *, session: Session
) -> FraudReport:
    """Record an extension of the stop-payment (at most MAX_STOP_PAYMENT_EXTENSIONS)."""
    incident = _writable(incident_id, session=session, permission=Permission.RECORD_INTAKE)
    report = _fraud_of(incident)
    when = _request_time(at, "at")
    if report.stop_payment_requested_at is None:
        raise ValidationFailed.one("stop_payment_not_requested", "fraud.stop_payment_requested_at")
    limit = _stop_payment_limit(session)
    if report.stop_payment_extensions >= limit:
        raise ValidationFailed.one(
            "stop_payment_extension_limit",
            "fraud.stop_payment_extensions",
            max=limit,
        )
    report.stop_payment_extensions += 1
    add_timeline_entry(
        incident,
        TimelineKind.ACTION,
        _("Stop-payment extended ({n} of {max})").format(
            n=report.stop_payment_extensions, max=limit
        ),
        session=session,
        at=when,
    )
    _flush(session)
    _sync_obligations(incident, session=session)
    return report


def request_freeze(
    incident_id: uuid.UUID, at: datetime | None = None, *, session: Session
) -> FraudReport:
    """Record that a freeze of the account (冻结) was requested at `at` (default now)."""
    incident = _writable(incident_id, session=session, permission=Permission.RECORD_INTAKE)
    report = _fraud_of(incident)
    path = "fraud.freeze_requested_at"
    when = _request_time(at, path)
    if report.freeze_requested_at is not None:
        raise ValidationFailed.one(
            "freeze_already_requested", path, at=format_local(report.freeze_requested_at)
        )
    report.freeze_requested_at = when
    _log_fraud_requests(incident, report.stop_payment_requested_at, None, session=session)
    _flush(session)
    _sync_obligations(incident, session=session)
    return report


# -- other aggregates ----------------------------------------------------------------------------
def _sync_obligations(incident: Incident, *, session: Session, new: bool = False) -> None:
    """Let the obligations aggregate (re)compute this incident's deadlines, if it is there
    (`new`: the incident was just created and has none yet). Only a missing module or
    function is skipped: an error inside it is not hidden."""
    try:
        obligations = importlib.import_module("ebconsole.obligations.service")
    except ModuleNotFoundError as err:
        if err.name == "ebconsole.obligations.service":
            return
        raise
    name = "create_for_new_incident" if new else "sync_for_incident"
    sync = getattr(obligations, name, None)
    if sync is not None:
        sync(incident, session=session)
