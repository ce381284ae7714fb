"""Where the program finds its shipped resources and keeps its data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ebconsole"


def project_root() -> Path:
    """The folder holding `resources/` (the source tree, or the frozen bundle)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    override = os.environ.get("EBCONSOLE_RESOURCES")
    return Path(override) if override else project_root() / "resources"


def user_data_dir() -> Path:
    override = os.environ.get("EBCONSOLE_DATA_DIR")
    if override:
        path = Path(override)
        path.mkdir(parents=True, exist_ok=True)
        return path
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, ensure_exists=True)


def log_dir() -> Path:
    """The log folder: `logs/` inside EBCONSOLE_DATA_DIR when that is set (tests, a
    portable setup), else the user log folder of the system (platformdirs)."""
    override = os.environ.get("EBCONSOLE_DATA_DIR")
    if override:
        path = Path(override) / "logs"
        path.mkdir(parents=True, exist_ok=True)
        return path
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False, ensure_exists=True)


def user_log_dir() -> Path:
    return log_dir()
