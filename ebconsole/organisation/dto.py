"""Plain read-only views handed to the UI and the reports (safe across threads)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from ebconsole.organisation.enums import GroupCode, PhaseCode, Responsibility


@dataclass(frozen=True)
class Axis:
    """A row (phase) or column (group) of the matrix."""

    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Matrix:
    """Phases × groups → role. Rows and columns are in the plan's order."""

    phases: tuple[Axis, ...]
    groups: tuple[Axis, ...]
    cells: Mapping[tuple[uuid.UUID, uuid.UUID], Responsibility] = field(default_factory=dict)

    def role(self, phase_id: uuid.UUID, group_id: uuid.UUID) -> Responsibility | None:
        return self.cells.get((phase_id, group_id))

    def role_by_code(self, phase: PhaseCode, group: GroupCode) -> Responsibility | None:
        p = next((a for a in self.phases if a.code == phase), None)
        g = next((a for a in self.groups if a.code == group), None)
        return None if p is None or g is None else self.role(p.id, g.id)

    def phases_without_lead(self) -> list[Axis]:
        return [
            p
            for p in self.phases
            if not any(self.role(p.id, g.id) is Responsibility.LEAD for g in self.groups)
        ]


@dataclass(frozen=True)
class Contact:
    """One line of the emergency contact list (应急联系人名单)."""

    group_code: GroupCode
    group_name_zh: str
    group_name_en: str
    member_id: uuid.UUID
    name: str
    title: str | None
    department: str | None
    office_phone: str | None
    mobile_phone: str | None
    deputy_name: str | None
    deputy_mobile_phone: str | None
