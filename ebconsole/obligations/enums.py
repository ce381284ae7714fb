"""Deadlines that follow from the plan's policy, and where each one stands."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class ObligationKind(StrEnum):
    INITIAL_REPORT = "initial_report"  # 事发简要报告
    WRITTEN_REPORT = "written_report"  # 事发报告
    POST_INCIDENT_REPORT = "post_incident_report"  # 事后（总结）报告
    STOP_PAYMENT_EXPIRY = "stop_payment_expiry"  # 紧急止付到期

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ObligationKind.INITIAL_REPORT: N_("Initial brief report"),
    ObligationKind.WRITTEN_REPORT: N_("Written incident report"),
    ObligationKind.POST_INCIDENT_REPORT: N_("Post-incident report"),
    ObligationKind.STOP_PAYMENT_EXPIRY: N_("Stop-payment expiry"),
}


class ObligationState(StrEnum):
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    ObligationState.PENDING: N_("Pending"),
    ObligationState.DUE_SOON: N_("Due soon"),
    ObligationState.OVERDUE: N_("Overdue"),
    ObligationState.DONE: N_("Done"),
    ObligationState.DONE_LATE: N_("Done late"),
}
