"""The report registry loads no PDF library: the console's Reports tab lists the reports
and checks their parameters at start without importing reportlab (87 modules); the first
build imports it (docs/performance.md, cold start)."""

from __future__ import annotations

from tests.support.probe import run_fresh

PROBE = """
import sys
import ebconsole.reports
import ebconsole.reports.builders
from ebconsole.reports.builders import REPORTS, BuildOptions, ParamKind, spec_for
from ebconsole.reports.builders.registry import authorize_report, gather, generate

spec = spec_for("incident")
assert spec.check({"ref": "BJ01-20261127-001"}) == {"ref": "BJ01-20261127-001"}
assert [p.kind for p in spec.params] == [ParamKind.INCIDENT]
assert BuildOptions(lang="en").language == "en"
assert len(REPORTS) == 6
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "reportlab")
assert not loaded, loaded
from ebconsole.reports import Column  # a lazily exported name: now reportlab loads
assert "reportlab" in sys.modules
"""


def test_the_registry_imports_no_reportlab_until_a_report_is_built():
    run_fresh(PROBE)


def test_a_builder_and_a_loader_are_imported_by_name_on_first_use():
    from ebconsole.reports.builders import REPORTS
    from ebconsole.reports.builders.registry import _function

    for spec in REPORTS.values():
        assert callable(_function(spec.loader)), spec.loader
        assert callable(_function(spec.builder)), spec.builder
