from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ebconsole.i18n import translator
from ebconsole.reports import fonts as f

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.fixture
def wqy() -> Path:
    if not WQY.exists():
        pytest.skip("fonts-wqy-microhei is not installed")
    return WQY


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    folder = tmp_path / "no-fonts"
    folder.mkdir()
    return folder


def _fake_cff(path: Path) -> Path:
    # An OpenType header with PostScript outlines: 'OTTO', one table, 'CFF '.
    path.write_bytes(b"OTTO" + b"\x00\x01" + b"\x00" * 6 + b"CFF " + b"\x00" * 12)
    return path


def test_outline_kind(wqy, tmp_path):
    assert f.outline_kind(wqy, 0) == "truetype"
    assert f.outline_kind(wqy, 1) == "truetype"
    assert f.outline_kind(wqy, 7) == "unknown"
    assert f.outline_kind(_fake_cff(tmp_path / "NotoSansCJK-Regular.otf")) == "cff"
    (tmp_path / "junk.ttf").write_bytes(b"not a font")
    assert f.outline_kind(tmp_path / "junk.ttf") == "unknown"
    assert f.outline_kind(tmp_path / "missing.ttf") == "unknown"


def test_found_in_search_folder_is_embedded(wqy, tmp_path):
    folder = tmp_path / "fonts" / "truetype" / "wqy"
    folder.mkdir(parents=True)
    shutil.copy(wqy, folder / "wqy-microhei.ttc")
    choice = f.resolve_fonts(search_dirs=[tmp_path / "fonts"])
    assert choice.embedded
    assert choice.families == ("WenQuanYi Micro Hei",)
    assert choice.body == choice.heading  # one Hei face serves both
    assert choice.paths == (str(folder / "wqy-microhei.ttc"),)
    assert choice.hint == ()
    assert choice.hint_text(translator("zh_CN")) == ""


def test_song_for_body_and_hei_for_headings(wqy, tmp_path):
    # Any TrueType CJK file under a Song name stands in for SimSun here.
    shutil.copy(wqy, tmp_path / "simsun.ttc")
    shutil.copy(wqy, tmp_path / "msyh.ttc")
    choice = f.resolve_fonts(search_dirs=[tmp_path])
    assert choice.families == ("SimSun", "Microsoft YaHei")
    assert choice.body != choice.heading
    assert choice.paths == (str(tmp_path / "simsun.ttc"), str(tmp_path / "msyh.ttc"))


def test_cff_fonts_are_skipped(wqy, tmp_path):
    _fake_cff(tmp_path / "notosanscjk-regular.ttc")
    shutil.copy(wqy, tmp_path / "wqy-zenhei.ttc")
    choice = f.resolve_fonts(search_dirs=[tmp_path])
    assert choice.families == ("WenQuanYi Zen Hei",)


def test_configured_font_wins(wqy, empty_dir):
    choice = f.resolve_fonts(f"{wqy}#1", search_dirs=[empty_dir])
    assert choice.embedded
    assert choice.paths == (str(wqy),)
    assert "Mono" in choice.families[0]


def test_environment_variable(wqy, empty_dir, monkeypatch):
    monkeypatch.setenv(f.ENV_FONT, str(wqy))
    assert f.resolve_fonts(search_dirs=[empty_dir]).embedded


def test_unusable_configured_font_is_explained(wqy, tmp_path, empty_dir):
    cff = _fake_cff(tmp_path / "SourceHanSerif.otf")
    choice = f.resolve_fonts(str(cff), search_dirs=[empty_dir])
    assert not choice.embedded
    zh = choice.hint_text(translator("zh_CN"))
    assert "SourceHanSerif.otf" in zh and "CFF" in zh and "fonts-wqy-microhei" in zh
    en = choice.hint_text(translator("en"))
    assert en.startswith(f"The configured report font '{cff}' cannot be used: it has PostScript")

    latin = tmp_path / "DejaVuSans.ttf"
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.exists():
        shutil.copy(dejavu, latin)
        choice = f.resolve_fonts(str(latin), search_dirs=[empty_dir])
        assert "no Chinese characters" in choice.hint_text(translator("en"))


def test_nothing_found_falls_back_to_cid(empty_dir):
    choice = f.resolve_fonts(search_dirs=[empty_dir])
    assert not choice.embedded
    assert choice.body == choice.heading == "STSong-Light"
    assert choice.paths == ()
    zh = choice.hint_text(translator("zh_CN"))
    assert "fonts-wqy-microhei" in zh and "SimSun" in zh and "Microsoft YaHei" in zh
    assert "STSong-Light" in choice.hint_text(translator("en"))


def test_choice_is_cached_per_process(empty_dir):
    assert f.resolve_fonts(search_dirs=[empty_dir]) is f.resolve_fonts(search_dirs=[empty_dir])


def test_width_cache_matches_reportlab(wqy):
    from reportlab.pdfbase.pdfmetrics import getFont

    choice = f.resolve_fonts(str(wqy))
    font = getFont(choice.body)
    assert isinstance(font, f.CachedWidthTTFont)
    text = "应急预案 Emergency 2026"
    assert font.stringWidth(text, 9) == pytest.approx(sum(font.stringWidth(c, 9) for c in text))


def test_subsets_are_reportlabs_and_compressed(wqy, tmp_path):
    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import TTFontFile
    from reportlab.pdfgen.canvas import Canvas

    choice = f.resolve_fonts(str(wqy))
    face = getFont(choice.body).face
    assert isinstance(face, f.SubsettingFace)
    # half of these Chinese glyphs are composite glyphs in WenQuanYi; U+10FFFF it lacks
    text = "应急预案银行事件处置报告核心账务数据库主库异常重启 BJ01-2026"
    subset = [0, *range(32, 127), *(ord(c) for c in text), 0x10FFFF]
    assert face.makeSubset(subset) == TTFontFile.makeSubset(face, subset)

    pdf = tmp_path / "font.pdf"
    canvas = Canvas(str(pdf))
    canvas.setFont(choice.body, 12)
    canvas.drawString(72, 720, text)
    canvas.save()
    fonts = PdfReader(pdf).pages[0]["/Resources"]["/Font"]
    (font,) = (f for f in (r.get_object() for r in fonts.values()) if "/FontDescriptor" in f)
    program = font["/FontDescriptor"]["/FontFile2"].get_object()
    assert program["/Filter"] in ("/FlateDecode", ["/FlateDecode"])
    data = program.get_data()  # inflated
    assert len(data) == program["/Length1"] > len(program._data)  # as stored: compressed
    assert data[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert text in (PdfReader(pdf).pages[0].extract_text() or "")
