"""The main window's tabs: one module per tab, listed and ordered here.

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
        permission = Action.VIEW_PLAN

        @classmethod
        def title(cls) -> str:
            return _("Duty roster")

        def refresh(self, changes):
            if changes.touches("roster"):
                self.ctx.read(shifts_this_week, on_result=self.model.set_rows)

and one line in `TABS` below with the same key, order, icon, permission and (English)
title; the module is `<key>_tab` unless the line names another:

    TabSpec("roster", 60, "roster", Action.VIEW_PLAN, N_("Duty roster")),

The main window shows its tab bar from `TABS` alone and imports a tab's module when the
tab is first shown or asked for (`window.tab(key)`): a start loads only the module of the
tab it opens on. `window.tab_keys()` lists the operator's tabs without building or
importing any. A module that fails to import, or a class that fails to build, shows a
notice in the tab's place; the other tabs work on. `discover()` imports every `*_tab`
module (tests and tools); tests/ui/test_tabs_registry.py checks that every module is in
`TABS` and that each line says what its class says.
A packaged build must include them (PyInstaller: collect_submodules("ui.tabs")).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ebconsole.i18n import N_, _
from ui.permissions import Action

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


@dataclass(frozen=True)
class TabSpec:
    """What the main window needs of a tab before its module is imported: the tab bar's
    entry (title, icon, place), who sees it, and where its class is."""

    key: str
    order: int
    icon_name: str
    permission: Action | None
    label: str  # English, marked with N_(); title() translates it
    module: str = ""  # the module: "" for ui/tabs/<key>_tab.py, else a name in ui/tabs or dotted
    tab_class: type[Tab] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, tab_class: type[Tab]) -> TabSpec:
        """The spec of a class already at hand (tests, tools)."""
        return cls(
            tab_class.key,
            tab_class.order,
            tab_class.icon_name,
            tab_class.permission,
            "",
            tab_class.__module__,
            tab_class,
        )

    @property
    def module_name(self) -> str:
        if "." in self.module:
            return self.module
        return f"{__name__}.{self.module or self.key + '_tab'}"

    def title(self) -> str:
        """The tab's label in the current language."""
        if self.tab_class is not None:
            return self.tab_class.title()
        return _(self.label)

    def load(self) -> type[Tab]:
        """The tab class, its module imported now if it was not yet."""
        if self.tab_class is not None:
            return self.tab_class
        importlib.import_module(self.module_name)
        found = _registry.get(self.key)
        if found is None:
            raise LookupError(f"{self.module_name} registered no tab {self.key!r}")
        return found


# The console's tabs, in order (see the module's docstring).
TABS: tuple[TabSpec, ...] = (
    TabSpec("overview", 10, "overview", None, N_("Overview")),
    TabSpec("intake", 20, "intake", Action.INTAKE, N_("Intake")),
    TabSpec("incidents", 30, "incidents", Action.VIEW_INCIDENTS, N_("Incidents")),
    TabSpec("matrix", 40, "matrix", Action.VIEW_PLAN, N_("Responsibility matrix")),
    TabSpec("resources", 50, "resources", Action.VIEW_PLAN, N_("Resources")),
    TabSpec("roster", 60, "roster", Action.VIEW_PLAN, N_("Duty roster")),
    TabSpec("drills", 70, "drills", Action.VIEW_PLAN, N_("Training and drills")),
    # every role that may print some report sees the tab (see reports_tab)
    TabSpec("reports", 90, "reports", Action.PRINT_OWN_INCIDENT_REPORT, N_("Reports")),
)


def tab_specs() -> list[TabSpec]:
    """The console's tabs in order, no module imported."""
    return sorted(TABS, key=lambda spec: (spec.order, spec.key))


@dataclass
class Discovery:
    tabs: list[type[Tab]] = field(default_factory=list)
    failures: dict[str, BaseException] = field(default_factory=dict)  # module → error


def tab_modules() -> list[str]:
    return sorted(
        f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if m.name.endswith("_tab")
    )


def discover() -> Discovery:
    """Import every tab module (tests, tools; the console itself reads `TABS`); a module
    that fails is reported, the others still load."""
    found = Discovery()
    for name in tab_modules():
        try:
            importlib.import_module(name)
        except Exception as exc:
            log.exception("tab module %s failed to load", name)
            found.failures[name] = exc
    found.tabs = sorted(_registry.values(), key=lambda c: (c.order, c.key))
    return found
