"""What the training and drill report (培训与演练情况报告) shows for one year: the plans
and where each stands, every session held with its evaluation and findings, the
improvement actions raised from them, and the plan's at-least-once-a-year rule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ebconsole.drills import service as drills
from ebconsole.drills.dto import PlanCompliance
from ebconsole.drills.enums import ExerciseKind, Method, Rating, Scenario
from ebconsole.reports.data.common import Origin, load_origin
from ebconsole.reports.data.incident import ActionData, action_data, load_actions
from ebconsole.timeutil import to_local


@dataclass(frozen=True)
class PlanData:
    id: uuid.UUID
    title: str
    kind: ExerciseKind
    audiences: tuple[str, ...]
    method: Method
    scenario: Scenario | None
    cycle_months: int


@dataclass(frozen=True)
class SessionData:
    """One training session or drill held."""

    id: uuid.UUID
    plan_title: str
    kind: ExerciseKind
    held_on: date
    method: Method
    scenario: Scenario | None
    participants: tuple[str, ...]
    participant_count: int
    duration_minutes: int | None
    score: int | None
    rating: Rating | None
    evaluation: str | None
    findings: tuple[str, ...]
    # finding index → the improvement action raised from it
    actions: dict[int, ActionData]


@dataclass(frozen=True)
class DrillsData:
    origin: Origin
    year: int
    today: date
    plans: tuple[PlanData, ...]
    compliance: tuple[PlanCompliance, ...]
    sessions: tuple[SessionData, ...]  # oldest first
    trainings: tuple[date, ...]  # days a training was held in the year
    drills: tuple[date, ...]
    actions: tuple[ActionData, ...]  # raised from the year's sessions

    @property
    def training_ok(self) -> bool:
        return bool(self.trainings)

    @property
    def drill_ok(self) -> bool:
        return bool(self.drills)


def load(year: int, *, session: Session) -> DrillsData:
    origin = load_origin(session=session)
    today = to_local(origin.gathered_at).date()
    plans = drills.list_plans(session=session)
    records = sorted(drills.list_records(year, session=session), key=lambda r: r.held_on)
    raised = load_actions([r.id for r in records], session=session)
    by_record: dict[uuid.UUID, dict[int, ActionData]] = {}
    for action in raised:
        if action.source_id is not None and action.source_item is not None:
            by_record.setdefault(action.source_id, {})[action.source_item] = action_data(action)
    yearly = drills.yearly_compliance(year, session=session)
    return DrillsData(
        origin=origin,
        year=year,
        today=today,
        plans=tuple(
            PlanData(
                id=p.id,
                title=p.title,
                kind=p.kind,
                audiences=tuple(p.audiences or ()),
                method=p.method,
                scenario=p.scenario,
                cycle_months=p.cycle_months,
            )
            for p in plans
        ),
        compliance=tuple(drills.compliance(year, today, session=session)),
        sessions=tuple(
            SessionData(
                id=r.id,
                plan_title=r.plan.title,
                kind=r.plan.kind,
                held_on=r.held_on,
                method=r.method,
                scenario=r.scenario,
                participants=tuple(r.participants or ()),
                participant_count=max(r.participant_count or 0, len(r.participants or ())),
                duration_minutes=r.duration_minutes,
                score=r.score,
                rating=r.rating,
                evaluation=r.evaluation,
                findings=tuple(r.findings or ()),
                actions=by_record.get(r.id, {}),
            )
            for r in records
        ),
        trainings=yearly.trainings,
        drills=yearly.drills,
        actions=tuple(action_data(a) for a in raised),
    )
