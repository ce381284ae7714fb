"""The 同步 (Sync) menu, a submenu of 工具 (Tools) (a menu of its own when the window has no
Tools menu): the sync panel, sync now, the conflicts.

sync_menu.add_menu(window)     # from MainWindow._build_menus (one line)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ebconsole.i18n import _
from ui.backup_actions import tools_menu
from ui.permissions import Action

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def add_menu(window: MainWindow) -> None:
    indicator = window.status.sync
    tools = tools_menu(window)
    if tools is not None:
        tools.addSeparator()
        menu = tools.addMenu(_("S&ync"))
    else:
        menu = window.menuBar().addMenu(_("S&ync"))
    menu.addAction(
        window._action(
            "sync_panel",
            _("Sync &panel…"),
            lambda: indicator.open_panel("status"),
            icon_name="database",
        )
    )

    def sync_now() -> None:
        # standalone (no hub): the panel says so and offers the USB bundles
        if not indicator.driver.sync_now():
            indicator.open_panel("status")

    now = window._action("sync_now", _("Sync &now"), sync_now)
    now.setEnabled(window.ctx.can(Action.SYNC))
    menu.addAction(now)
    menu.addAction(
        window._action(
            "sync_conflicts", _("&Conflicts…"), lambda: indicator.open_panel("conflicts")
        )
    )
