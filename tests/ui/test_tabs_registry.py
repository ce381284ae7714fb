"""Every tab module in ui/tabs loads, opens for each role and refreshes without error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from ebconsole.i18n import _
from ebconsole.users.enums import Role
from ui.ops import Changes
from ui.permissions import can
from ui.tabs import Discovery, discover, register, tab_modules
from ui.tabs.base import Tab

FOUND: Discovery = discover()


def test_every_tab_module_imports_and_registers_one_tab():
    assert FOUND.failures == {}
    registered_modules = {cls.__module__ for cls in FOUND.tabs}
    assert set(tab_modules()) <= registered_modules, "a *_tab module registered no tab"
    keys = [cls.key for cls in FOUND.tabs]
    assert len(keys) == len(set(keys))


# the (role, tab) pairs the console shows: a tab needing an action a role lacks is hidden
# for that role, so it is not opened for it (ui.permissions, from the core's table)
ROLES = {"admin": Role.ADMINISTRATOR, "coordinator": Role.COORDINATOR, "clerk": Role.CLERK}
VISIBLE = [
    pytest.param(role, tab_class, id=f"{tab_class.key}-{role}")
    for tab_class in FOUND.tabs
    for role, role_enum in ROLES.items()
    if tab_class.permission is None or can(role_enum, tab_class.permission)
]


def test_every_tab_is_visible_to_some_role():
    assert {cls for _role, cls in (p.values for p in VISIBLE)} == set(FOUND.tabs)


@pytest.mark.parametrize(("role", "tab_class"), VISIBLE)
def test_each_tab_opens_and_refreshes_for_each_role_that_sees_it(
    qtbot, make_tab, request, tab_class, role
):
    actor = request.getfixturevalue(role)
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
