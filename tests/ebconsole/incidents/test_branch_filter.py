"""A list restricted to branches (a clerk sees only their own branch's incidents)."""

from __future__ import annotations

from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel
from ebconsole.incidents.schemas import IncidentCreate, IncidentFilter, ReporterInput


def record(db, actor, title: str, branch: str | None) -> None:
    with db.session(actor) as s:
        incidents.create(
            IncidentCreate(
                title=title,
                category=Category.SYSTEM_FAILURE,
                channel=Channel.EMPLOYEE_REPORT,
                reporter=ReporterInput(name="张丽"),
                branch=branch,
            ),
            session=s,
        )


def test_branches_restrict_the_list_and_the_count(db, coordinator):
    record(db, coordinator, "北京网点终端无法登录", "北京分行营业部")
    record(db, coordinator, "上海网点终端无法登录", "上海分行营业部")
    record(db, coordinator, "总行监控告警", None)
    with db.session(readonly=True) as s:

        def titles(flt: IncidentFilter) -> list[str]:
            return sorted(i.title for i in incidents.list_incidents(flt, session=s))

        beijing = IncidentFilter(branches=frozenset({"北京分行营业部"}))
        assert titles(beijing) == ["北京网点终端无法登录"]
        assert incidents.count_incidents(beijing, session=s) == 1
        both = IncidentFilter(branches=frozenset({"北京分行营业部", "上海分行营业部"}))
        assert titles(both) == ["上海网点终端无法登录", "北京网点终端无法登录"]
        assert len(titles(IncidentFilter())) == 3  # no branches: every branch
        nobody = IncidentFilter(branches=frozenset({""}))
        assert titles(nobody) == []
