"""Training and drills (plan §6): the plans with where each stands (last held, next due,
overdue), the sessions held in a year with their evaluation and findings, and the
improvement actions raised from those findings (plan §7)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt
from sqlalchemy.orm import Session

from ebconsole.drills import service as drills
from ebconsole.drills.dto import YearlyCompliance
from ebconsole.drills.enums import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    RATING_LABELS,
    SCENARIO_LABELS,
    Audience,
    ExerciseKind,
    Method,
    Rating,
    Scenario,
)
from ebconsole.i18n import N_, _, current_language
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import (
    ACTION_STATUS_LABELS,
    PENDING_STATUSES,
    ActionStatus,
    SourceKind,
)
from ebconsole.organisation import service as organisation
from ebconsole.timeutil import to_local, utcnow
from ebconsole.users import service as users
from ui import icons
from ui.plan.table import ALERT, ALERT_ROLE, MUTED, OK, SORT_ROLE, RowsModel, bold

DRILL_SOURCES = (SourceKind.DRILL, SourceKind.TRAINING)


def exercise_kind_text(kind: ExerciseKind) -> str:
    return _(KIND_LABELS[kind])


def method_text(method: Method | None) -> str:
    return _(METHOD_LABELS[method]) if method is not None else "—"


def scenario_text(scenario: Scenario | None) -> str:
    return _(SCENARIO_LABELS[scenario]) if scenario is not None else "—"


def rating_text(rating: Rating | None) -> str:
    return _(RATING_LABELS[rating]) if rating is not None else "—"


def audience_text(audiences: tuple[Audience, ...]) -> str:
    separator = "、" if current_language().startswith("zh") else ", "
    return separator.join(_(AUDIENCE_LABELS[a]) for a in audiences)


def action_status_text(status: ActionStatus) -> str:
    return _(ACTION_STATUS_LABELS[status])


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    kind: ExerciseKind
    title: str
    audiences: tuple[Audience, ...]
    method: Method
    scenario: Scenario | None
    cycle_months: int
    content: str | None
    version: int
    last_held: date | None
    next_due: date
    overdue: bool
    held_in_year: int


@dataclass(frozen=True)
class RecordRow:
    id: uuid.UUID
    plan_id: uuid.UUID
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
    version: int
    actions: tuple[tuple[int, ActionStatus], ...] = ()  # (finding index, status) raised

    def action_for(self, finding: int) -> ActionStatus | None:
        """The status of the live improvement action raised from a finding, if any."""
        found = [s for i, s in self.actions if i == finding and s is not ActionStatus.CANCELLED]
        return found[0] if found else None


@dataclass(frozen=True)
class ActionRow:
    id: uuid.UUID
    title: str
    source_kind: SourceKind
    source_id: uuid.UUID | None
    source_item: int | None
    source_ref: str | None
    owner_name: str
    due_date: date
    status: ActionStatus
    done_at: datetime | None
    result: str | None
    version: int

    def overdue(self, today: date) -> bool:
        return self.status in PENDING_STATUSES and self.due_date < today


@dataclass(frozen=True)
class Person:
    name: str
    user_id: uuid.UUID | None


@dataclass(frozen=True)
class DrillsData:
    year: int
    today: date
    yearly: YearlyCompliance
    plans: tuple[PlanRow, ...]
    records: tuple[RecordRow, ...]
    actions: tuple[ActionRow, ...]
    people: tuple[Person, ...]  # owners to offer: operators, then group members


def drills_loader(year: int) -> Callable[[Session], DrillsData]:
    """A read of everything the tab shows for `year`, for `ctx.read`."""

    def load(session: Session) -> DrillsData:
        today = to_local(utcnow()).date()
        standing = {c.plan_id: c for c in drills.compliance(year, today, session=session)}
        plans = []
        for p in drills.list_plans(session=session):
            c = standing.get(p.id)
            plans.append(
                PlanRow(
                    id=p.id,
                    kind=p.kind,
                    title=p.title,
                    audiences=tuple(Audience(a) for a in p.audiences),
                    method=p.method,
                    scenario=p.scenario,
                    cycle_months=p.cycle_months,
                    content=p.content,
                    version=p.version,
                    last_held=c.last_held if c else None,
                    next_due=c.next_due if c else today,
                    overdue=c.overdue if c else False,
                    held_in_year=c.held_in_year if c else 0,
                )
            )
        actions = [
            a for a in improvements.list_actions(session=session) if a.source_kind in DRILL_SOURCES
        ]
        raised: dict[uuid.UUID, list[tuple[int, ActionStatus]]] = {}
        for a in actions:
            if a.source_id is not None and a.source_item is not None:
                raised.setdefault(a.source_id, []).append((a.source_item, a.status))
        records = tuple(
            RecordRow(
                id=r.id,
                plan_id=r.plan_id,
                plan_title=r.plan.title,
                kind=r.plan.kind,
                held_on=r.held_on,
                method=r.method,
                scenario=r.scenario,
                participants=tuple(r.participants),
                participant_count=r.participant_count,
                duration_minutes=r.duration_minutes,
                score=r.score,
                rating=r.rating,
                evaluation=r.evaluation,
                findings=tuple(r.findings),
                version=r.version,
                actions=tuple(raised.get(r.id, ())),
            )
            for r in drills.list_records(year, session=session)
        )
        action_rows = tuple(
            ActionRow(
                id=a.id,
                title=a.title,
                source_kind=a.source_kind,
                source_id=a.source_id,
                source_item=a.source_item,
                source_ref=a.source_ref,
                owner_name=a.owner_name,
                due_date=a.due_date,
                status=a.status,
                done_at=a.done_at,
                result=a.result,
                version=a.version,
            )
            for a in actions
        )
        people: dict[str, Person] = {}
        for u in users.list_users(session=session):
            people.setdefault(u.display_name, Person(u.display_name, u.id))
        for m in organisation.list_members(session=session):
            people.setdefault(m.name, Person(m.name, None))
        return DrillsData(
            year=year,
            today=today,
            yearly=drills.yearly_compliance(year, session=session),
            plans=tuple(plans),
            records=records,
            actions=action_rows,
            people=tuple(people.values()),
        )

    return load


class PlansModel(RowsModel[PlanRow]):
    KIND, TITLE, AUDIENCE, METHOD, CYCLE, LAST_HELD, NEXT_DUE, STANDING = range(8)
    COLUMNS = (
        N_("Kind"),
        N_("Plan"),
        N_("Audience"),
        N_("Method"),
        N_("Cycle"),
        N_("Last held"),
        N_("Next due"),
        N_("Compliance"),
    )

    def cell(self, row: PlanRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ALERT_ROLE:
            return row.overdue
        if role == SORT_ROLE:
            if column == self.CYCLE:
                return row.cycle_months
            if column == self.LAST_HELD:
                return row.last_held.isoformat() if row.last_held else ""
            if column == self.NEXT_DUE:
                return row.next_due.isoformat()
            if column == self.STANDING:
                return int(row.overdue)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STANDING:
            return icons.icon("overdue", ALERT.name()) if row.overdue else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (self.STANDING, self.NEXT_DUE, self.TITLE) and row.overdue:
                return ALERT
            if column == self.STANDING:
                return OK
        if role == Qt.ItemDataRole.FontRole and (
            column == self.STANDING or (column == self.NEXT_DUE and row.overdue)
        ):
            return bold()
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return row.content or None
        return None

    def _display(self, row: PlanRow, column: int) -> str:
        if column == self.KIND:
            return exercise_kind_text(row.kind)
        if column == self.TITLE:
            return row.title
        if column == self.AUDIENCE:
            return audience_text(row.audiences)
        if column == self.METHOD:
            return method_text(row.method)
        if column == self.CYCLE:
            return _("every {months} months").format(months=row.cycle_months)
        if column == self.LAST_HELD:
            return row.last_held.isoformat() if row.last_held else _("never held")
        if column == self.NEXT_DUE:
            return row.next_due.isoformat()
        if column == self.STANDING:
            held = _("held {count}× this year").format(count=row.held_in_year)
            return (_("✗ overdue") if row.overdue else _("✓ on time")) + " · " + held
        return ""


class RecordsModel(RowsModel[RecordRow]):
    HELD_ON, KIND, PLAN, METHOD, SCENARIO, PARTICIPANTS, RATING, FINDINGS = range(8)
    COLUMNS = (
        N_("Held on"),
        N_("Kind"),
        N_("Plan"),
        N_("Method"),
        N_("Scenario"),
        N_("Participants"),
        N_("Evaluation"),
        N_("Findings"),
    )
    ALIGN_RIGHT = frozenset({PARTICIPANTS})

    def cell(self, row: RecordRow, column: int, role: int) -> Any:
        open_findings = [i for i in range(len(row.findings)) if row.action_for(i) is None]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, open_findings)
        if role == SORT_ROLE:
            if column == self.HELD_ON:
                return row.held_on.isoformat()
            if column == self.PARTICIPANTS:
                return row.participant_count
            if column == self.FINDINGS:
                return len(row.findings)
            if column == self.RATING:
                return row.score if row.score is not None else -1
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.FINDINGS and open_findings:
            return ALERT
        if role == Qt.ItemDataRole.ToolTipRole and column == self.FINDINGS and open_findings:
            return _("Findings without an improvement action yet.")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PARTICIPANTS and row.participants:
            return "、".join(row.participants)
        return None

    def _display(self, row: RecordRow, column: int, open_findings: list[int]) -> str:
        if column == self.HELD_ON:
            return row.held_on.isoformat()
        if column == self.KIND:
            return exercise_kind_text(row.kind)
        if column == self.PLAN:
            return row.plan_title
        if column == self.METHOD:
            return method_text(row.method)
        if column == self.SCENARIO:
            return scenario_text(row.scenario)
        if column == self.PARTICIPANTS:
            return str(row.participant_count)
        if column == self.RATING:
            parts = [rating_text(row.rating)] if row.rating else []
            if row.score is not None:
                parts.append(_("{score} points").format(score=row.score))
            return " · ".join(parts) or "—"
        if column == self.FINDINGS:
            if not row.findings:
                return "—"
            if open_findings:
                return _("{count} ({open} without action)").format(
                    count=len(row.findings), open=len(open_findings)
                )
            return str(len(row.findings))
        return ""


class ActionsModel(RowsModel[ActionRow]):
    TITLE, SOURCE, OWNER, DUE, STATUS = range(5)
    COLUMNS = (N_("Improvement action"), N_("Source"), N_("Owner"), N_("Due date"), N_("Status"))

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.today = to_local(utcnow()).date()

    def set_today(self, today: date) -> None:
        self.today = today

    def cell(self, row: ActionRow, column: int, role: int) -> Any:
        overdue = row.overdue(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return row.title
            if column == self.SOURCE:
                return row.source_ref or _(row.source_kind.label)
            if column == self.OWNER:
                return row.owner_name
            if column == self.DUE:
                if overdue:
                    return _("{date} (overdue)").format(date=row.due_date.isoformat())
                return row.due_date.isoformat()
            if column == self.STATUS:
                return action_status_text(row.status)
            return ""
        if role == ALERT_ROLE:
            return overdue
        if role == SORT_ROLE:
            if column == self.DUE:
                return row.due_date.isoformat()
            if column == self.STATUS:
                return list(ActionStatus).index(row.status)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.TITLE and overdue:
            return icons.icon("overdue", ALERT.name())
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and column in (self.TITLE, self.DUE):
                return ALERT
            if column == self.STATUS:
                if row.status is ActionStatus.DONE:
                    return OK
                if row.status is ActionStatus.CANCELLED:
                    return MUTED
        if role == Qt.ItemDataRole.FontRole and overdue and column in (self.TITLE, self.DUE):
            return bold()
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return row.result or None
        return None
