"""Which role may do what in the console: disable what a role may not do.

The table is the core's (`ebconsole.users.permissions`), which the services enforce; the
console only shapes itself by it (disabled buttons, hidden tabs), so the two cannot drift.
`Action` keeps the console's names for the core's permissions (same values):

    clerk         intake; their own branch's incidents and their incident response report
    coordinator   + every branch, assess, drive the response, notifications, roster,
                    drills and improvements, reports
    administrator + users, responsibility matrix, inventory, grading policy, settings

Tabs use `ctx.can(Action.ASSESS)`.
"""

from __future__ import annotations

from enum import StrEnum

from ebconsole.actor import Actor
from ebconsole.users import permissions as core
from ebconsole.users.enums import Role
from ebconsole.users.permissions import Permission


class Action(StrEnum):
    # clerk
    VIEW_INCIDENTS = Permission.VIEW_INCIDENTS.value
    INTAKE = Permission.RECORD_INTAKE.value
    VIEW_PLAN = Permission.VIEW_PLAN.value
    PRINT_OWN_INCIDENT_REPORT = Permission.PRINT_OWN_INCIDENT_REPORT.value
    # coordinator
    VIEW_ALL_BRANCHES = Permission.VIEW_ALL_INCIDENTS.value
    ASSESS = Permission.ASSESS.value
    DRIVE_RESPONSE = Permission.DRIVE_RESPONSE.value
    RECORD_NOTICE = Permission.RECORD_OBLIGATIONS.value
    CHECK_RESOURCES = Permission.CHECK_RESOURCES.value
    EDIT_ROSTER = Permission.MANAGE_ROSTER.value
    EDIT_DRILLS = Permission.MANAGE_DRILLS.value
    EDIT_IMPROVEMENTS = Permission.MANAGE_IMPROVEMENTS.value
    REPORTS = Permission.PRINT_REPORTS.value
    SYNC = Permission.SYNC.value
    REVEAL_CUSTOMER_DATA = Permission.REVEAL_CUSTOMER_DATA.value
    # administrator
    MANAGE_USERS = Permission.MANAGE_USERS.value
    EDIT_MATRIX = Permission.MANAGE_MATRIX.value
    EDIT_INVENTORY = Permission.MANAGE_INVENTORY.value
    EDIT_POLICY = Permission.MANAGE_POLICY.value
    EDIT_SETTINGS = Permission.MANAGE_SETTINGS.value

    @property
    def permission(self) -> Permission:
        return Permission(self.value)


ACTION_LABELS: dict[Action, str] = {a: core.PERMISSION_LABELS[a.permission] for a in Action}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    role: frozenset(a for a in Action if a.permission in perms)
    for role, perms in core.ROLE_PERMISSIONS.items()
}
ROLE_ACTIONS[Role.SYSTEM] = frozenset()  # the system actor never works the console


def can(who: Actor | Role, action: Action) -> bool:
    role = who.role if isinstance(who, Actor) else who
    return action in ROLE_ACTIONS.get(role, frozenset())


def may_print_report(actor: Actor, kind: str) -> bool:
    """Whether the Reports tab offers `kind` to `actor`: the core's own check
    (`authorize_report`: every report for coordinators and administrators, the incident
    response report of their branch's incidents for a clerk)."""
    from ebconsole.errors import PermissionDenied
    from ebconsole.reports.builders.registry import authorize_report

    try:
        authorize_report(actor, kind)
    except PermissionDenied:
        return False
    return True


def may_see_branch(actor: Actor, branch: str | None) -> bool:
    """A clerk works on their own branch only; coordinators and administrators on all."""
    return core.may_see_branch(actor, branch)
