"""Where an improvement action comes from and how far it got (plan §6, §7)."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class SourceKind(StrEnum):
    INCIDENT_REVIEW = "incident_review"
    DRILL = "drill"
    TRAINING = "training"
    PLAN_REVIEW = "plan_review"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    SourceKind.INCIDENT_REVIEW: N_("Incident review"),
    SourceKind.DRILL: N_("Drill"),
    SourceKind.TRAINING: N_("Training"),
    SourceKind.PLAN_REVIEW: N_("Plan review"),
}


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return ACTION_STATUS_LABELS[self]


ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: N_("To do"),
    ActionStatus.IN_PROGRESS: N_("In progress"),
    ActionStatus.DONE: N_("Completed"),
    ActionStatus.CANCELLED: N_("Cancelled"),
}

PENDING_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
