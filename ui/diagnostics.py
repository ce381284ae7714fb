"""Help › Copy diagnostics: facts a support person asks for first, as plain text.

Other parts add their own section with `register(provider)`; a provider gets the
context and returns (label, value) pairs. Nothing secret goes in: no passwords, no
database password, no customer data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QLibraryInfo, qVersion
from PySide6.QtGui import QGuiApplication

from ebconsole import logs
from ui.context import Context

log = logging.getLogger(__name__)

Provider = Callable[[Context], list[tuple[str, str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


def _basics(ctx: Context) -> list[tuple[str, str]]:
    """The console's own facts; the core adds version, database, schema, folders, sync
    state and the recent log lines (`ebconsole.logs.diagnostics`)."""
    return [
        ("Qt / PySide6", f"{qVersion()} / {pyside_version}"),
        ("Qt translations", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        ("Qt platform", QGuiApplication.platformName()),
        ("Font", ", ".join(QGuiApplication.font().families())),
        (
            "Site / workstation",
            f"{ctx.installation.site_code} / {ctx.installation.workstation_name}",
        ),
        ("Operator", f"{ctx.actor.username} ({ctx.actor.role})"),
        ("Settings file", ctx.settings.file_name),
    ]


def collect(ctx: Context) -> str:
    pairs: list[tuple[str, str]] = []
    for provider in (_basics, *_providers):
        try:
            pairs.extend(provider(ctx))
        except Exception as exc:  # a broken section must not hide the others
            log.exception("diagnostics provider %r failed", provider)
            pairs.append((getattr(provider, "__name__", "provider"), f"failed: {exc!r}"))
    return logs.diagnostics(ctx.db, extra=pairs)
