"""Every tab module in ui/tabs loads, opens for each role and refreshes without error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from ebconsole.i18n import _
from ui.ops import Changes
from ui.tabs import Discovery, discover, register, tab_modules
from ui.tabs.base import Tab

FOUND: Discovery = discover()


def test_every_tab_module_imports_and_registers_one_tab():
    assert FOUND.failures == {}
    registered_modules = {cls.__module__ for cls in FOUND.tabs}
    assert set(tab_modules()) <= registered_modules, "a *_tab module registered no tab"
    keys = [cls.key for cls in FOUND.tabs]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("tab_class", FOUND.tabs, ids=lambda c: c.key)
@pytest.mark.parametrize("role", ["admin", "coordinator", "clerk"])
def test_each_tab_opens_and_refreshes_for_each_role(qtbot, make_tab, request, tab_class, role):
    actor = request.getfixturevalue(role)
    if tab_class.permission is not None:
        from ui.permissions import can

        if not can(actor, tab_class.permission):
            pytest.skip("this role does not see the tab")
    tab = make_tab(tab_class, actor)
    assert tab_class.title() and tab_class.title() == _(tab_class.title())
    tab.refresh(Changes.everything())
    tab.save_state()


def test_register_refuses_what_is_not_a_tab():
    class NotAWidget:
        key = "nope"

    with pytest.raises(TypeError):
        register(NotAWidget)  # type: ignore[arg-type]

    class Nameless(QWidget):
        pass

    with pytest.raises(TypeError):
        register(Nameless)  # type: ignore[arg-type]


def test_tab_base_defaults():
    assert Tab.order == 100 and Tab.permission is None
    with pytest.raises(NotImplementedError):
        Tab.title()
