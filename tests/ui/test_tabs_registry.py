"""Every tab module in ui/tabs is listed in `TABS`, loads, opens for each role and
refreshes without error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from ebconsole.i18n import _, current_language, set_language
from ebconsole.users.enums import Role
from ui.ops import Changes
from ui.permissions import can
from ui.tabs import TABS, Discovery, discover, register, tab_modules, tab_specs
from ui.tabs.base import Tab

FOUND: Discovery = discover()


def test_every_tab_module_imports_and_registers_one_tab():
    assert FOUND.failures == {}
    registered_modules = {cls.__module__ for cls in FOUND.tabs}
    assert set(tab_modules()) <= registered_modules, "a *_tab module registered no tab"
    keys = [cls.key for cls in FOUND.tabs]
    assert len(keys) == len(set(keys))


def test_every_tab_module_has_a_line_in_tabs_that_says_what_its_class_says():
    """The main window shows its tab bar from `TABS` without importing the modules."""
    assert sorted(spec.module_name for spec in TABS) == tab_modules()
    assert [spec.key for spec in tab_specs()] == [cls.key for cls in FOUND.tabs]
    language = current_language()
    for spec in TABS:
        cls = spec.load()
        assert cls.__module__ == spec.module_name
        said = (spec.key, spec.order, spec.icon_name, spec.permission)
        assert said == (cls.key, cls.order, cls.icon_name, cls.permission), spec.key
        assert spec.title() == cls.title()
        try:
            set_language("en")
            assert spec.label == spec.title() == cls.title()
        finally:
            set_language(language)


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
