"""Roles on the 24-hour duty roster (24小时值班制度)."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class DutyRole(StrEnum):
    SHIFT_LEADER = "shift_leader"
    DUTY_OFFICER = "duty_officer"
    TECHNICAL = "technical"

    @property
    def label(self) -> str:
        return DUTY_ROLE_LABELS[self]


DUTY_ROLE_LABELS = {
    DutyRole.SHIFT_LEADER: N_("Shift leader"),
    DutyRole.DUTY_OFFICER: N_("Duty officer"),
    DutyRole.TECHNICAL: N_("Technical duty"),
}
