"""Fixtures for the report tests: PDF inspection helpers and a sample report built once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader


def require_tool(name: str) -> str:
    """A poppler tool; skipped on a developer machine without it, required in CI."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (poppler-utils) is required in CI")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def pdftotext(pdf: Path, page: int | None = None) -> str:
    args = [require_tool("pdftotext"), "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def font_dicts(pdf: Path) -> list[tuple[int, str, object]]:
    """(page number, resource name, font dictionary) for every font every page uses."""
    found = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        fonts = page["/Resources"].get_object().get("/Font")
        for name, ref in (fonts.get_object() if fonts else {}).items():
            found.append((number, name, ref.get_object()))
    return found


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory):
    """The 300-row sample report in zh_CN, with the progress it reported."""
    from tests.ebconsole.reports.sample import build_sample

    out = tmp_path_factory.mktemp("sample") / "季度报告.pdf"
    progress: list[tuple[int, int]] = []
    result = build_sample(out, "zh_CN", progress=lambda done, total: progress.append((done, total)))
    return out, result, progress
