"""Which role may do what in the console: disable what a role may not do.

The roles build on each other: a coordinator may do everything a clerk may, an
administrator everything a coordinator may. A clerk sees and records only the incidents
of their own branch.

    clerk         intake; their own branch's incidents
    coordinator   + every branch, assess, drive the response, notifications, roster,
                    drills and improvements, reports
    administrator + users, responsibility matrix, inventory, grading policy, settings

The core services check their own rules too; this table only shapes the UI (disabled
buttons, hidden tabs). Tabs use `ctx.can(Action.ASSESS)`.
"""

from __future__ import annotations

from enum import StrEnum

from ebconsole.actor import Actor
from ebconsole.i18n import N_
from ebconsole.users.enums import Role


class Action(StrEnum):
    # clerk
    VIEW_INCIDENTS = "incidents.view"
    INTAKE = "incidents.intake"
    VIEW_PLAN = "plan.view"  # organisation, resources, roster, drills: read
    # coordinator
    VIEW_ALL_BRANCHES = "incidents.all_branches"
    ASSESS = "incidents.assess"
    DRIVE_RESPONSE = "incidents.respond"
    RECORD_NOTICE = "obligations.record"
    CHECK_RESOURCES = "resources.check"
    EDIT_ROSTER = "roster.edit"
    EDIT_DRILLS = "drills.edit"
    EDIT_IMPROVEMENTS = "improvements.edit"
    REPORTS = "reports.generate"
    SYNC = "sync.run"
    # administrator
    MANAGE_USERS = "users.manage"
    EDIT_MATRIX = "organisation.edit"
    EDIT_INVENTORY = "resources.edit"
    EDIT_POLICY = "assessment.policy"
    EDIT_SETTINGS = "settings.edit"


ACTION_LABELS: dict[Action, str] = {
    Action.VIEW_INCIDENTS: N_("view incidents"),
    Action.INTAKE: N_("record incident reports"),
    Action.VIEW_PLAN: N_("view the emergency plan"),
    Action.VIEW_ALL_BRANCHES: N_("see every branch's incidents"),
    Action.ASSESS: N_("assess incidents"),
    Action.DRIVE_RESPONSE: N_("drive the emergency response"),
    Action.RECORD_NOTICE: N_("record notifications"),
    Action.CHECK_RESOURCES: N_("record resource checks"),
    Action.EDIT_ROSTER: N_("edit the duty roster"),
    Action.EDIT_DRILLS: N_("plan and record drills"),
    Action.EDIT_IMPROVEMENTS: N_("manage improvement actions"),
    Action.REPORTS: N_("generate reports"),
    Action.SYNC: N_("exchange data with other sites"),
    Action.MANAGE_USERS: N_("manage users"),
    Action.EDIT_MATRIX: N_("edit the responsibility matrix"),
    Action.EDIT_INVENTORY: N_("edit the resource inventory"),
    Action.EDIT_POLICY: N_("edit the grading policy"),
    Action.EDIT_SETTINGS: N_("change workstation settings"),
}

_CLERK = frozenset({Action.VIEW_INCIDENTS, Action.INTAKE, Action.VIEW_PLAN})
_COORDINATOR = _CLERK | {
    Action.VIEW_ALL_BRANCHES,
    Action.ASSESS,
    Action.DRIVE_RESPONSE,
    Action.RECORD_NOTICE,
    Action.CHECK_RESOURCES,
    Action.EDIT_ROSTER,
    Action.EDIT_DRILLS,
    Action.EDIT_IMPROVEMENTS,
    Action.REPORTS,
    Action.SYNC,
}
_ADMINISTRATOR = _COORDINATOR | {
    Action.MANAGE_USERS,
    Action.EDIT_MATRIX,
    Action.EDIT_INVENTORY,
    Action.EDIT_POLICY,
    Action.EDIT_SETTINGS,
}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: _CLERK,
    Role.COORDINATOR: frozenset(_COORDINATOR),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
    Role.SYSTEM: frozenset(),  # the system actor never works the console
}


def can(who: Actor | Role, action: Action) -> bool:
    role = who.role if isinstance(who, Actor) else who
    return action in ROLE_ACTIONS.get(role, frozenset())


def may_see_branch(actor: Actor, branch: str | None) -> bool:
    """A clerk works on their own branch only; coordinators and administrators on all."""
    if can(actor, Action.VIEW_ALL_BRANCHES):
        return True
    return bool(branch) and branch == actor.branch
