"""The main window's tabs: one module per tab, found and ordered here.

A tab module is `ui/tabs/<name>_tab.py`. It defines one class, registered with
`@register`, that subclasses `ui.tabs.base.Tab` (a QWidget) and provides:

    key: str                  stable id ("incidents")
    order: int                position, smaller first (overview 10, intake 20, incidents 30,
                              matrix 40, resources 50, roster 60, drills 70, improvements 80,
                              reports 90, sync 100)
    icon_name: str            an SVG in resources/icons ("incidents")
    permission: Action|None   what a role needs to see the tab (ui.permissions)
    title() -> str            the label in the current language
    __init__(ctx, parent=None)   ctx: ui.context.Context
    refresh(changes) -> None  reload what `changes` touch (ui.ops.Changes)
    save_state(), can_close() optional

    from ebconsole.i18n import _
    from ui.tabs import register
    from ui.tabs.base import Tab

    @register
    class RosterTab(Tab):
        key, order, icon_name = "roster", 60, "roster"

        @classmethod
        def title(cls) -> str:
            return _("Duty roster")

        def refresh(self, changes):
            if changes.touches("roster"):
                self.ctx.read(shifts_this_week, on_result=self.model.set_rows)

Nothing else is edited to add a tab: `discover()` imports every `*_tab` module here.
The main window constructs a tab when it is first shown or asked for (`window.tab(key)`),
not when the window opens; `window.tab_keys()` lists the operator's tabs without building
them.
A packaged build must include them (PyInstaller: collect_submodules("ui.tabs")).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.tabs.base import Tab

log = logging.getLogger(__name__)

_registry: dict[str, type[Tab]] = {}


def register(cls: type[Tab]) -> type[Tab]:
    """Class decorator: make a tab class known to the main window."""
    from PySide6.QtWidgets import QWidget

    problems = []
    if not (isinstance(cls, type) and issubclass(cls, QWidget)):
        problems.append("is not a QWidget")
    if not getattr(cls, "key", ""):
        problems.append("has no key")
    for attr in ("title", "refresh", "icon_name"):
        if not hasattr(cls, attr):
            problems.append(f"has no {attr}")
    if problems:
        raise TypeError(f"tab {cls!r} " + ", ".join(problems))
    other = _registry.get(cls.key)
    if other is not None and other.__qualname__ != cls.__qualname__:
        raise ValueError(f"tab key {cls.key!r} is used by {other!r} and {cls!r}")
    _registry[cls.key] = cls
    return cls


@dataclass
class Discovery:
    tabs: list[type[Tab]] = field(default_factory=list)
    failures: dict[str, BaseException] = field(default_factory=dict)  # module → error


def tab_modules() -> list[str]:
    return sorted(
        f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if m.name.endswith("_tab")
    )


def discover() -> Discovery:
    """Import every tab module; a module that fails is reported, the others still load
    (the console stays usable in an emergency; the test suite fails on it)."""
    found = Discovery()
    for name in tab_modules():
        try:
            importlib.import_module(name)
        except Exception as exc:
            log.exception("tab module %s failed to load", name)
            found.failures[name] = exc
    found.tabs = sorted(_registry.values(), key=lambda c: (c.order, c.key))
    return found
