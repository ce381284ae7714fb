"""Who is acting: every write carries an actor, so the audit trail can name them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ebconsole.users.enums import Role


@dataclass(frozen=True)
class Actor:
    username: str
    role: Role
    user_id: uuid.UUID | None = None
    display_name: str = ""
    branch: str | None = None
    site_code: str = ""
    workstation: str = ""

    @classmethod
    def system(cls, site_code: str = "", workstation: str = "") -> Actor:
        return cls(
            username="system",
            role=Role.SYSTEM,
            display_name="system",
            site_code=site_code,
            workstation=workstation,
        )

    @property
    def name(self) -> str:
        return self.display_name or self.username
