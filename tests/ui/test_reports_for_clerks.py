"""The Reports tab offers each operator exactly the reports the core lets them print: a
clerk the incident response report of their branch's incidents (customer data masked),
no other report."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from ebconsole.reports.builders import REPORTS
from tests.ebconsole.incidents.samples import ID_WANG, fraud_intake
from ui.tabs.reports_tab import ReportsTab

SECRETS = (ID_WANG, "13812345678", "6222021234567890123", "6217000010012345678")

pytestmark = pytest.mark.slow


def offered(tab: ReportsTab) -> list[str]:
    return [tab.report_list.item(i).data(0x0100) for i in range(tab.report_list.count())]


def test_a_clerk_is_offered_the_incident_report_only_and_prints_it_masked(
    make_tab, db, world, clerk, coordinator, qtbot
):
    assert offered(make_tab(ReportsTab, coordinator)) == list(REPORTS)
    with db.session(clerk) as s:  # the branch records a fraud case
        reference = incidents.create(parse_intake(fraud_intake()), session=s).reference

    tab = make_tab(ReportsTab, clerk)
    assert offered(tab) == ["incident"]
    assert tab.current_kind() == "incident" and tab.picker.isVisible()
    with pytest.raises(KeyError):
        tab.select_report("status")  # not offered, not even through another tab's link

    tab.open_record(f"incident:{reference}")
    qtbot.waitUntil(lambda: tab.picker.reference() == reference, timeout=15_000)
    with qtbot.waitSignal(tab.built_ready, timeout=120_000) as blocker:
        tab.build_button.click()
    built = blocker.args[0]
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(built.path).pages)
    assert "事件处置报告" in text and reference in text
    for secret in SECRETS:
        assert secret not in text
