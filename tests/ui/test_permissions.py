"""What each role may do in the console."""

from __future__ import annotations

from ebconsole.users.enums import Role
from ui.permissions import ACTION_LABELS, ROLE_ACTIONS, Action, can, may_see_branch


def test_every_action_has_a_label_and_someone_who_may_do_it():
    for action in Action:
        assert action in ACTION_LABELS
        assert any(action in actions for actions in ROLE_ACTIONS.values()), action


def test_roles_build_on_each_other():
    assert (
        ROLE_ACTIONS[Role.CLERK] < ROLE_ACTIONS[Role.COORDINATOR] < ROLE_ACTIONS[Role.ADMINISTRATOR]
    )
    assert not ROLE_ACTIONS[Role.SYSTEM]


def test_the_plan_roles(clerk, coordinator, admin):
    assert can(clerk, Action.INTAKE) and not can(clerk, Action.ASSESS)
    assert can(coordinator, Action.ASSESS) and can(coordinator, Action.REPORTS)
    assert not can(coordinator, Action.MANAGE_USERS) and not can(coordinator, Action.EDIT_SETTINGS)
    for action in (
        Action.MANAGE_USERS,
        Action.EDIT_MATRIX,
        Action.EDIT_INVENTORY,
        Action.EDIT_POLICY,
        Action.EDIT_SETTINGS,
    ):
        assert can(admin, action)
    assert can(Role.COORDINATOR, Action.DRIVE_RESPONSE)


def test_a_clerk_sees_their_own_branch_only(clerk, coordinator):
    assert may_see_branch(clerk, "北京分行营业部")
    assert not may_see_branch(clerk, "上海分行营业部")
    assert not may_see_branch(clerk, None)
    assert may_see_branch(coordinator, "上海分行营业部")


def test_the_console_uses_the_table_the_services_enforce():
    from ebconsole.users.permissions import has

    for role in (Role.CLERK, Role.COORDINATOR, Role.ADMINISTRATOR):
        for action in Action:
            assert can(role, action) == has(role, action.permission), (role, action)
