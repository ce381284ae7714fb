from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class Role(StrEnum):
    CLERK = "clerk"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CLERK: N_("Clerk"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMINISTRATOR: N_("Administrator"),
    Role.SYSTEM: N_("System"),
}
