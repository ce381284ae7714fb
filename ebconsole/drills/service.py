"""Training and drill plans, the sessions held, and the plan's rule that each is held
at least once a year (每年至少一次). Services flush, never commit."""

from __future__ import annotations

import calendar
import json
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebconsole.drills import messages  # noqa: F401  (registers codes and labels)
from ebconsole.drills.dto import PlanCompliance, YearlyCompliance
from ebconsole.drills.enums import (
    KIND_LABELS,
    METHODS_BY_KIND,
    Audience,
    ExerciseKind,
    Method,
    Rating,
    Scenario,
)
from ebconsole.drills.models import ExercisePlan, ExerciseRecord
from ebconsole.drills.schemas import PlanCreate, PlanUpdate, RecordCreate, RecordUpdate
from ebconsole.errors import NotFound, StaleRecord, ValidationFailed
from ebconsole.i18n import N_
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import ActionStatus, SourceKind
from ebconsole.improvements.models import ImprovementAction
from ebconsole.improvements.schemas import ActionCreate
from ebconsole.paths import resources_dir
from ebconsole.timeutil import to_local, utcnow
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

MAX_CYCLE_MONTHS = 60
MAX_NAMES = 500
MAX_FINDINGS = 100


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today() -> date:
    return to_local(utcnow()).date()


def _check_version(record: ExercisePlan | ExerciseRecord, version: int | None) -> None:
    if version is not None and version != record.version:
        raise StaleRecord.one("stale_record")


# -- plans -------------------------------------------------------------------------------
def get_plan(plan_id: uuid.UUID, *, session: Session) -> ExercisePlan:
    plan = session.get(ExercisePlan, plan_id)
    if plan is None:
        raise NotFound.one(
            "not_found", None, entity_label=N_("training or drill plan"), key=str(plan_id)
        )
    return plan


def list_plans(
    kind: ExerciseKind | None = None, *, session: Session, include_archived: bool = False
) -> list[ExercisePlan]:
    q = select(ExercisePlan).order_by(ExercisePlan.kind.desc(), ExercisePlan.title)
    if kind is not None:
        q = q.where(ExercisePlan.kind == kind)
    if not include_archived:
        q = q.where(ExercisePlan.archived_at.is_(None))
    return list(session.scalars(q))


def _check_method(c: Checker, kind: ExerciseKind, method: Method | None) -> None:
    if method is not None and method not in METHODS_BY_KIND[kind]:
        c.fail("method", "method_not_for_kind", value=method.value, kind_label=KIND_LABELS[kind])


def _check_plan(c: Checker, values: dict[str, Any], kind: ExerciseKind) -> dict[str, Any]:
    out = dict(values)
    if "title" in values:
        out["title"] = c.text("title", values["title"], required=True, max_len=200)
    if "audiences" in values:
        audiences = values["audiences"] or []
        if not audiences:
            c.fail("audiences", "required")
        checked = [c.choice(f"audiences[{i}]", a, Audience) for i, a in enumerate(audiences)]
        out["audiences"] = list(dict.fromkeys(a.value for a in checked if a is not None))
    if "method" in values:
        out["method"] = c.choice("method", values["method"], Method, required=True)
        _check_method(c, kind, out["method"])
    if "content" in values:
        out["content"] = c.text("content", values["content"], max_len=8000, multiline=True)
    if "scenario" in values:
        out["scenario"] = c.choice("scenario", values["scenario"], Scenario)
        if (
            kind is ExerciseKind.DRILL
            and out["scenario"] is None
            and not any(e.field == "scenario" for e in c.errors)
        ):
            c.fail("scenario", "scenario_required")
    if "cycle_months" in values:
        out["cycle_months"] = c.integer(
            "cycle_months",
            values["cycle_months"],
            required=True,
            min_value=1,
            max_value=MAX_CYCLE_MONTHS,
        )
    return out


def create_plan(data: PlanCreate, *, session: Session) -> ExercisePlan:
    authorize(session, Permission.MANAGE_DRILLS)
    c = Checker()
    values = _check_plan(c, data.model_dump(), data.kind)
    c.raise_if_failed()
    plan = ExercisePlan(**values)
    session.add(plan)
    session.flush()
    return plan


def update_plan(plan_id: uuid.UUID, data: PlanUpdate, *, session: Session) -> ExercisePlan:
    authorize(session, Permission.MANAGE_DRILLS)
    plan = get_plan(plan_id, session=session)
    _check_version(plan, data.version)
    c = Checker()
    changes = _check_plan(c, data.model_dump(exclude_unset=True, exclude={"version"}), plan.kind)
    c.raise_if_failed()
    for key, value in changes.items():
        setattr(plan, key, value)
    session.flush()
    return plan


def archive_plan(plan_id: uuid.UUID, *, session: Session) -> ExercisePlan:
    """Archive a plan; the sessions already held stay on record and still count."""
    authorize(session, Permission.MANAGE_DRILLS)
    plan = get_plan(plan_id, session=session)
    plan.archived_at = utcnow()
    session.flush()
    return plan


# -- records -----------------------------------------------------------------------------
def get_record(record_id: uuid.UUID, *, session: Session) -> ExerciseRecord:
    record = session.get(ExerciseRecord, record_id)
    if record is None:
        raise NotFound.one(
            "not_found", None, entity_label=N_("training or drill record"), key=str(record_id)
        )
    return record


def list_records(
    year: int | None = None,
    *,
    session: Session,
    plan_id: uuid.UUID | None = None,
    kind: ExerciseKind | None = None,
    include_archived: bool = False,
) -> list[ExerciseRecord]:
    q = (
        select(ExerciseRecord)
        .join(ExercisePlan, ExerciseRecord.plan_id == ExercisePlan.id)
        .order_by(ExerciseRecord.held_on.desc())
    )
    if year is not None:
        q = q.where(
            ExerciseRecord.held_on >= date(year, 1, 1), ExerciseRecord.held_on <= date(year, 12, 31)
        )
    if plan_id is not None:
        q = q.where(ExerciseRecord.plan_id == plan_id)
    if kind is not None:
        q = q.where(ExercisePlan.kind == kind)
    if not include_archived:
        q = q.where(ExerciseRecord.archived_at.is_(None))
    return list(session.scalars(q).unique())


def _clean_list(
    c: Checker, field: str, items: Sequence[str], max_items: int, max_len: int
) -> list[str]:
    if len(items) > max_items:
        c.fail(field, "too_many", max=max_items)
        return []
    out = []
    for i, item in enumerate(items):
        text = c.text(f"{field}[{i}]", item, required=True, max_len=max_len, multiline=True)
        if text is not None:
            out.append(text)
    return out


def _check_record(
    c: Checker, values: dict[str, Any], plan: ExercisePlan, names_now: int
) -> dict[str, Any]:
    out = dict(values)
    if "held_on" in values:
        out["held_on"] = c.day("held_on", values["held_on"], required=True)
        if out["held_on"] is not None and out["held_on"] > _today():
            c.fail("held_on", "datetime_in_future")
    if "method" in values:
        out["method"] = c.choice("method", values["method"], Method, required=True)
        _check_method(c, plan.kind, out["method"])
    if "scenario" in values:
        out["scenario"] = c.choice("scenario", values["scenario"], Scenario)
    if "participants" in values:
        out["participants"] = _clean_list(
            c, "participants", values["participants"] or [], MAX_NAMES, 80
        )
        names_now = len(out["participants"])
    if values.get("participant_count") is not None:
        count = c.integer("participant_count", values["participant_count"], max_value=100_000)
        if count is not None and count < names_now:
            c.fail("participant_count", "count_below_names", count=names_now)
        out["participant_count"] = count
    if values.get("duration_minutes") is not None:
        out["duration_minutes"] = c.integer(
            "duration_minutes", values["duration_minutes"], min_value=1, max_value=7 * 24 * 60
        )
    if values.get("score") is not None:
        out["score"] = c.integer("score", values["score"], max_value=100)
    if "rating" in values:
        out["rating"] = c.choice("rating", values["rating"], Rating)
    if "evaluation" in values:
        out["evaluation"] = c.text("evaluation", values["evaluation"], max_len=8000, multiline=True)
    if "findings" in values:
        out["findings"] = _clean_list(c, "findings", values["findings"] or [], MAX_FINDINGS, 2000)
    return out


def create_record(data: RecordCreate, *, session: Session) -> ExerciseRecord:
    authorize(session, Permission.MANAGE_DRILLS)
    c = Checker()
    plan = session.get(ExercisePlan, data.plan_id)
    if plan is None:
        raise ValidationFailed.one(
            "not_found", "plan_id", entity_label=N_("training or drill plan"), key=str(data.plan_id)
        )
    if plan.archived_at is not None:
        raise ValidationFailed.one("archived", "plan_id")
    values = data.model_dump()
    values["method"] = data.method or plan.method
    values["scenario"] = data.scenario or plan.scenario
    values = _check_record(c, values, plan, len(data.participants))
    c.raise_if_failed()
    if values["participant_count"] is None:
        values["participant_count"] = len(values["participants"])
    record = ExerciseRecord(**values)
    session.add(record)
    session.flush()
    return record


def update_record(record_id: uuid.UUID, data: RecordUpdate, *, session: Session) -> ExerciseRecord:
    authorize(session, Permission.MANAGE_DRILLS)
    record = get_record(record_id, session=session)
    _check_version(record, data.version)
    c = Checker()
    changes = _check_record(
        c,
        data.model_dump(exclude_unset=True, exclude={"version"}),
        record.plan,
        len(record.participants),
    )
    if "participants" in changes and "participant_count" not in changes:
        changes["participant_count"] = max(record.participant_count, len(changes["participants"]))
    if changes.get("participant_count", 0) is None:
        changes["participant_count"] = len(changes.get("participants", record.participants))
    c.raise_if_failed()
    for key, value in changes.items():
        setattr(record, key, value)
    session.flush()
    return record


def archive_record(record_id: uuid.UUID, *, session: Session) -> ExerciseRecord:
    authorize(session, Permission.MANAGE_DRILLS)
    record = get_record(record_id, session=session)
    record.archived_at = utcnow()
    session.flush()
    return record


def raise_improvement(
    record_id: uuid.UUID,
    finding_index: int,
    owner: str,
    due_date: date,
    *,
    session: Session,
    owner_user_id: uuid.UUID | None = None,
) -> ImprovementAction:
    """Turn one finding of a training or drill into a tracked improvement action."""
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    record = get_record(record_id, session=session)
    c = Checker()
    if not 0 <= finding_index < len(record.findings):
        c.fail("finding_index", "not_in_range", min=1, max=len(record.findings))
        c.raise_if_failed()
    if any(
        a.source_item == finding_index and a.status is not ActionStatus.CANCELLED
        for a in improvements.list_actions(source_id=record.id, session=session)
    ):
        c.fail("finding_index", "finding_already_raised", number=finding_index + 1)
        c.raise_if_failed()
    finding = record.findings[finding_index]
    kind = SourceKind.DRILL if record.plan.kind is ExerciseKind.DRILL else SourceKind.TRAINING
    title = finding if len(finding) <= 200 else finding[:199] + "…"
    return improvements.create(
        ActionCreate(
            title=title,
            description=finding,
            source_kind=kind,
            source_id=record.id,
            source_item=finding_index,
            source_ref=f"{record.plan.title} {record.held_on.isoformat()} #{finding_index + 1}"[
                :200
            ],
            owner_name=owner,
            owner_user_id=owner_user_id,
            due_date=due_date,
        ),
        session=session,
    )


# -- compliance --------------------------------------------------------------------------
def compliance(year: int, today: date | None = None, *, session: Session) -> list[PlanCompliance]:
    """For each current plan: when last held (up to `today`), when next due, whether it is
    overdue, and how often it was held in `year`. A plan never held falls due one cycle
    after it was set up."""
    today = today or _today()
    held: dict[uuid.UUID, list[date]] = {}
    for plan_id, day in session.execute(
        select(ExerciseRecord.plan_id, ExerciseRecord.held_on).where(
            ExerciseRecord.archived_at.is_(None), ExerciseRecord.held_on <= today
        )
    ):
        held.setdefault(plan_id, []).append(day)
    rows = []
    for plan in list_plans(session=session):
        days = held.get(plan.id, [])
        last = max(days, default=None)
        start = last if last is not None else to_local(plan.created_at).date()
        due = add_months(start, plan.cycle_months)
        rows.append(
            PlanCompliance(
                plan_id=plan.id,
                title=plan.title,
                kind=plan.kind,
                cycle_months=plan.cycle_months,
                last_held=last,
                next_due=due,
                overdue=due < today,
                held_in_year=sum(1 for d in days if d.year == year),
            )
        )
    return rows


def yearly_compliance(year: int, *, session: Session) -> YearlyCompliance:
    """At least one training and one drill held in `year` (records of archived plans count)."""
    records = list_records(year, session=session)
    return YearlyCompliance(
        year=year,
        trainings=tuple(sorted(r.held_on for r in records if r.kind is ExerciseKind.TRAINING)),
        drills=tuple(sorted(r.held_on for r in records if r.kind is ExerciseKind.DRILL)),
    )


# -- defaults ----------------------------------------------------------------------------
def load_defaults(*, session: Session) -> None:
    """Add the default annual plans that are missing (by code); edits are kept."""
    path = resources_dir() / "plan" / "drills.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    have = set(session.scalars(select(ExercisePlan.code).where(ExercisePlan.code.is_not(None))))
    for item in data["plans"]:
        if item["code"] not in have:
            session.add(
                ExercisePlan(
                    **{
                        **item,
                        "kind": ExerciseKind(item["kind"]),
                        "method": Method(item["method"]),
                        "scenario": Scenario(item["scenario"]) if item.get("scenario") else None,
                    }
                )
            )
    session.flush()
