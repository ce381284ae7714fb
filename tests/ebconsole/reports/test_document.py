"""The sample report (300 realistic rows, every block) checked as a PDF reader sees it."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from tests.ebconsole.reports import sample
from tests.ebconsole.reports.conftest import font_dicts, page_texts, pdftotext, require_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf(sample_pdf):
    return sample_pdf[0]


@pytest.fixture(scope="module")
def result(sample_pdf):
    return sample_pdf[1]


@pytest.fixture(scope="module")
def texts(pdf):
    return page_texts(pdf)


def test_result(pdf, result):
    assert result.path == pdf
    assert result.embedded_font
    assert result.font_hint == ""
    assert re.fullmatch(r"RPT-BJ01-\d{14}", result.report_id)
    assert result.report_id == "RPT-BJ01-20260701090509"  # generated 01:05:09 UTC = 09:05:09 local
    assert result.pages == len(PdfReader(pdf).pages) >= 20


def test_chinese_text_comes_back_out(pdf, texts):
    first = texts[0]
    for expected in (
        "电子银行突发事件季度报告",
        "某某银行北京分行",
        "一、总体情况",
        "报告编号",
        "应急值班台-1",
        "数据截至 2026-06-30 23:59:30",
        "按事件类别和级别统计",
        "系统故障类事件",
        "内部资料 注意保密",
    ):
        assert expected in first, expected
    everything = "".join(texts)
    assert "核心系统数据库主节点于凌晨发生宕机" in everything
    assert "EB-BJ01-2026-0300" in everything
    assert "审计链校验值" in texts[-1]
    assert "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" in texts[-1]
    # the second checker agrees
    poppler = pdftotext(pdf)
    assert "电子银行突发事件季度报告" in poppler
    assert "核心系统数据库主节点于凌晨发生宕机" in poppler


def test_every_font_is_embedded(pdf):
    used = font_dicts(pdf)
    assert used
    for page, name, font in used:
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"page {page}: {name} {font.get('/BaseFont')} not embedded"
        assert "/FontFile2" in descriptor.get_object(), f"page {page}: {name} has no /FontFile2"
        assert "/ToUnicode" in font or font.get("/Subtype") == "/CIDFontType2"


def test_every_page_renders(pdf, result, tmp_path):
    pdftoppm = require_tool("pdftoppm")
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == result.pages
    assert all(img.stat().st_size > 1000 for img in images)


def test_table_header_repeats_on_every_page(texts):
    table_pages = [i for i, t in enumerate(texts) if "EB-BJ01-2026-" in t]
    assert len(table_pages) > 20
    assert table_pages == list(range(table_pages[0], table_pages[-1] + 1))
    for i in table_pages:
        for title in sample.COLUMNS:
            assert title in texts[i], f"page {i + 1} lacks the column title {title}"


def test_rows_are_all_there_once(texts):
    everything = "".join(texts)
    for n in range(1, 301):
        assert everything.count(f"EB-BJ01-2026-{n:04d}") == 1


def test_footer_shows_page_of_total(pdf, texts, result):
    total = result.pages
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} / {total} 页" in text
        assert "报告编号 RPT-BJ01-20260701090509" in text
        assert "生成于 2026-07-01 09:05:09 (UTC+08:00) · 工作站 应急值班台-1" in text
        assert "内部资料 注意保密" in text
    assert f"第 {total} / {total} 页" in pdftotext(pdf, page=total)


def test_metadata(pdf, result):
    meta = PdfReader(pdf).metadata
    assert meta.title == "电子银行突发事件季度报告"
    assert meta.author == "张伟"
    assert meta.subject == "2026 年第二季度（4 月 1 日至 6 月 30 日）"
    assert meta.creator.startswith("ebconsole ")
    assert result.report_id in meta["/Keywords"]
    assert "季度报告" in meta["/Keywords"]


def test_outline(pdf, texts):
    reader = PdfReader(pdf)
    outline = reader.outline
    assert [item.title for item in outline] == list(sample.HEADINGS)
    for item in outline:
        page = reader.get_destination_page_number(item)
        assert item.title in texts[page]
    assert reader.get_destination_page_number(outline[-1]) == len(texts) - 1
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_customer_data_does_not_leak(pdf, texts):
    poppler = pdftotext(pdf)
    for text in ("".join(texts), poppler):
        compact = re.sub(r"\s", "", text)
        for secret in (sample.ACCOUNT, sample.ID_NUMBER, sample.PHONE, sample.ACCOUNT_IN_TEXT):
            assert secret not in compact
        assert "王小明" not in text
    everything = "".join(texts)
    assert "6222 **** **** 1234" in everything
    assert "110***********002X" in everything
    assert "138****5678" in everything
    assert "6217 **** **** 5678" in everything  # scrubbed out of the free text
    assert "王*明" in everything


def test_progress_reaches_the_end(sample_pdf):
    progress = sample_pdf[2]
    assert progress[0] == (0, 100)
    assert progress[-1] == (100, 100)
    done = [d for d, _t in progress]
    assert done == sorted(done)
    assert len(progress) > 10


def test_english(tmp_path):
    out = tmp_path / "report-en.pdf"
    result = sample.build_sample(out, "en", rows=40)
    texts = page_texts(out)
    assert result.pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} / {result.pages}" in text
        assert "Internal use only" in text
    assert "Report ID" in texts[0] and "Data as of 2026-06-30 23:59:30" in texts[0]
    assert "Handled by" in texts[-1] and "Approved by" in texts[-1]
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en"
