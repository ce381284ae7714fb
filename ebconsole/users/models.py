from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Base, Record
from ebconsole.users.enums import Role


class User(Record, Base):
    __tablename__ = "user_account"
    __audit_exclude__ = ("password_hash",)

    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role]
    branch: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class Installation(Record, Base):
    """This database's site and the workstation that created it (one row)."""

    __tablename__ = "installation"

    site_code: Mapped[str] = mapped_column(String(20))
    site_name: Mapped[str] = mapped_column(String(120), default="")
    workstation_id: Mapped[uuid.UUID]
    workstation_name: Mapped[str] = mapped_column(String(80))
    default_branch: Mapped[str] = mapped_column(String(80), default="")
    time_zone: Mapped[str] = mapped_column(String(60), default="Asia/Shanghai")
    language: Mapped[str] = mapped_column(String(10), default="zh_CN")
