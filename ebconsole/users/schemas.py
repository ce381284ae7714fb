from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ebconsole.users.enums import Role

SITE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD = 8


class UserCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str
    display_name: str
    role: Role
    password: str
    branch: str | None = None
    title: str | None = None
    phone: str | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    display_name: str | None = None
    role: Role | None = None
    branch: str | None = None
    title: str | None = None
    phone: str | None = None
    active: bool | None = None
    password: str | None = None


class InstallationCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    site_code: str
    workstation_name: str
    site_name: str = ""
    default_branch: str = ""
    time_zone: str = "Asia/Shanghai"
    language: str = "zh_CN"
