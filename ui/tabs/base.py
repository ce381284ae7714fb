"""The base class of a tab. See `ui.tabs` for how a tab module plugs in."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from ui.context import Context
from ui.ops import Changes
from ui.permissions import Action


class Tab(QWidget):
    """One work area of the main window.

    Class attributes: `key` (stable id, also used for saved layout and `hub.open_tab`),
    `order` (position; smaller first), `icon_name` (an SVG in resources/icons),
    `permission` (the Action a role needs to see the tab; None: everyone signed in).
    """

    key: ClassVar[str] = ""
    order: ClassVar[int] = 100
    icon_name: ClassVar[str] = ""
    permission: ClassVar[Action | None] = None

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx

    @classmethod
    def title(cls) -> str:
        """The tab's label in the current language: `return _("Incidents")`."""
        raise NotImplementedError

    def refresh(self, changes: Changes) -> None:
        """Reload what this tab shows if `changes` touch it. Called with
        `Changes.everything()` when the tab is first shown; afterwards with each broadcast,
        right away while visible, merged and on the next show while hidden."""

    def save_state(self) -> None:
        """Save header/splitter states (`self.ctx.settings.save_header(h, f"{self.key}/…")`).
        Called before the tab is destroyed (quit, language or operator switch)."""

    def can_close(self) -> bool:
        """False keeps the window (e.g. unsaved input and the operator said no)."""
        return True
