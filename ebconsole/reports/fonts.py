"""Chinese that survives anywhere: pick, check and register the report fonts.

A report must print and read on a computer that has no Chinese font, so a TrueType CJK
font is embedded (as a subset) in every PDF. The font comes from, in this order:

1. the path passed to `resolve_fonts(configured=...)`, else the `EBCONSOLE_REPORT_FONT`
   environment variable (a `.ttf`/`.ttc` file; `path.ttc#1` picks face 1 of a collection);
2. the well-known Chinese fonts of Windows, Linux and macOS, found in the system font folders.

A Song (serif) face is preferred for body text and a Hei (sans) face for headings; with
only one of them both use it. Only TrueType outlines (a `glyf` table) can be embedded by
reportlab: CFF-flavoured OpenType (most `.otf` and the Noto/Source Han `.ttc`) is skipped.

With no usable font the report still builds with reportlab's built-in CID font
`STSong-Light`, which is *not* embedded (the viewer supplies it); the choice then says
`embedded=False` and carries a hint naming the font to install.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace, TTFontMaker

from ebconsole.i18n import N_, Translate

ENV_FONT = "EBCONSOLE_REPORT_FONT"
CID_FALLBACK = "STSong-Light"

Style = Literal["song", "hei", "kai"]

# Characters a font must have to count as a Chinese font (common, in every GB2312 font).
_PROBE = "应急预案银行事件"


@dataclass(frozen=True)
class Candidate:
    """A well-known Chinese font file: lower-case file names, its style and face index."""

    files: tuple[str, ...]
    style: Style
    family: str
    index: int = 0


# In order of preference within each style.
KNOWN_FONTS: tuple[Candidate, ...] = (
    # Song (serif) faces: body text
    Candidate(("simsun.ttc", "simsun.ttf"), "song", "SimSun"),
    Candidate(("uming.ttc",), "song", "AR PL UMing"),
    Candidate(("notoserifsc-regular.ttf", "notoserifsc[wght].ttf"), "song", "Noto Serif SC"),
    Candidate(
        ("notoserifcjk-regular.ttc", "notoserifcjksc-regular.ttf"), "song", "Noto Serif CJK SC"
    ),
    Candidate(("songti.ttc",), "song", "Songti SC"),
    Candidate(("stsong.ttf",), "song", "STSong"),
    Candidate(("simfang.ttf",), "song", "FangSong"),
    # Hei (sans) faces: headings
    Candidate(("msyh.ttc", "msyh.ttf"), "hei", "Microsoft YaHei"),
    Candidate(("simhei.ttf",), "hei", "SimHei"),
    Candidate(("wqy-microhei.ttc", "wqy-microhei.ttf"), "hei", "WenQuanYi Micro Hei"),
    Candidate(("wqy-zenhei.ttc", "wqy-zenhei.ttf"), "hei", "WenQuanYi Zen Hei"),
    Candidate(("notosanssc-regular.ttf", "notosanssc[wght].ttf"), "hei", "Noto Sans SC"),
    Candidate(("notosanscjk-regular.ttc", "notosanscjksc-regular.ttf"), "hei", "Noto Sans CJK SC"),
    Candidate(("droidsansfallbackfull.ttf", "droidsansfallback.ttf"), "hei", "Droid Sans Fallback"),
    Candidate(("stheiti light.ttc", "stheiti medium.ttc", "stheiti.ttf"), "hei", "STHeiti"),
    Candidate(("pingfang.ttc",), "hei", "PingFang SC"),
    Candidate(("arial unicode.ttf", "arialuni.ttf"), "hei", "Arial Unicode MS"),
    # Kai (script) faces: only when nothing else is there
    Candidate(("ukai.ttc",), "kai", "AR PL UKai"),
    Candidate(("simkai.ttf",), "kai", "KaiTi"),
    Candidate(("stkaiti.ttf",), "kai", "STKaiti"),
)

# English source strings; FontChoice.hint_text translates them.
HINT_NO_FONT = N_(
    "No Chinese TrueType font was found, so this report uses the built-in STSong-Light "
    "font, which is not embedded: on a computer without Chinese fonts the text may print "
    "as empty boxes. Install a Chinese font (Debian/Ubuntu: fonts-wqy-microhei; Windows: "
    "SimSun or Microsoft YaHei) or set EBCONSOLE_REPORT_FONT to a .ttf/.ttc file."
)
HINT_CONFIGURED_UNUSABLE = N_("The configured report font '{path}' cannot be used: {reason}.")
REASON_MISSING = N_("the file does not exist")
REASON_CFF = N_(
    "it has PostScript (CFF) outlines, which cannot be embedded; use a TrueType .ttf/.ttc font"
)
REASON_NO_CJK = N_("it has no Chinese characters")
REASON_LICENCE = N_("its licence does not allow embedding")
REASON_UNREADABLE = N_("it is not a readable TrueType font")


@dataclass(frozen=True)
class HintPart:
    template: str  # English source, translated on display
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self, translate: Translate) -> str:
        params = {k: (translate(v) if k == "reason" else v) for k, v in self.params.items()}
        return translate(self.template).format(**params)


@dataclass(frozen=True)
class FontChoice:
    """The fonts a report uses, registered with reportlab under `body` and `heading`."""

    body: str
    heading: str
    embedded: bool
    paths: tuple[str, ...]  # the font files used (body first); empty for the CID fallback
    hint: tuple[HintPart, ...] = ()  # what the user should know; empty when all is well
    families: tuple[str, ...] = ()  # family names, for display (body first)

    def hint_text(self, translate: Translate) -> str:
        """The hint in the report's language ("" when there is nothing to say)."""
        return " ".join(part.text(translate) for part in self.hint)


# --- finding ----------------------------------------------------------------------------


def default_search_dirs() -> tuple[Path, ...]:
    """The system font folders of this platform (and the user's own font folders)."""
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    else:
        dirs += [home / ".local" / "share" / "fonts", home / ".fonts"]
        data_dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
        dirs += [Path(d) / "fonts" for d in data_dirs.split(":") if d]
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return tuple(seen)


def _index_font_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path with that name under the folders."""
    found: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for root, _subdirs, files in os.walk(top):
            for name in files:
                low = name.lower()
                if low.endswith((".ttf", ".ttc")) and low not in found:
                    found[low] = Path(root) / name
    return found


def outline_kind(path: Path, index: int = 0) -> str:
    """'truetype', 'cff' or 'unknown' for face `index` of a font file, from its header."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return "unknown"
                fh.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                head = fh.read(12)
            if len(head) < 12:
                return "unknown"
            version = head[:4]
            if version == b"OTTO":
                return "cff"
            num_tables = struct.unpack(">H", head[4:6])[0]
            directory = fh.read(16 * num_tables)
    except OSError:
        return "unknown"
    tags = {directory[i : i + 4] for i in range(0, len(directory), 16)}
    if b"glyf" in tags:
        return "truetype"
    if b"CFF " in tags or b"CFF2" in tags:
        return "cff"
    return "unknown"


# --- embedding -------------------------------------------------------------------------

# flags of a composite glyph's components (TrueType `glyf` table)
_ARG_WORDS = 1 << 0
_SCALE = 1 << 3
_MORE = 1 << 5
_XY_SCALE = 1 << 6
_TWO_BY_TWO = 1 << 7


def _component_end(flags: int, at: int) -> int:
    """Where the component after the one whose flags are read at `at` starts."""
    at += 8 if flags & _ARG_WORDS else 6
    if flags & _SCALE:
        at += 2
    elif flags & _XY_SCALE:
        at += 4
    elif flags & _TWO_BY_TWO:
        at += 8
    return at


class _FontTables:
    """What every subset of one face copies from the font file, read once per process."""

    def __init__(self, face: Any):
        self.data: bytes = face._ttf_data
        self.glyf, glyf_length = face.get_table_pos("glyf")
        self.glyf_end = self.glyf + glyf_length
        self.glyph_pos: list[int] = face.glyphPos
        self.hmetrics: list[tuple[int, int]] = face.hmetrics
        self.char_to_glyph: dict[int, int] = face.charToGlyph
        self.copied: list[tuple[str, bytes]] = []
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):  # the optional ones may lack
            if tag in face.table:
                self.copied.append((tag, face.get_table(tag)))
        self.post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        self.hhea = face.get_table("hhea")
        self.maxp = face.get_table("maxp")
        self.head = face.get_table("head")
        self.glyphs: dict[int, tuple[bytes, int, tuple[tuple[int, int], ...]]] = {}

    def glyph(self, old: int) -> tuple[bytes, int, tuple[tuple[int, int], ...]]:
        """Glyph `old`'s data, its length in the `loca` table and, for a composite glyph,
        its components: (where the component's glyph number is, that number)."""
        found = self.glyphs.get(old)
        if found is None:
            at = self.glyph_pos[old]
            length = self.glyph_pos[old + 1] - at
            at += self.glyf
            data = self.data[at : min(at + length, self.glyf_end)]
            parts: list[tuple[int, int]] = []
            if length > 2 and struct.unpack_from(">h", data)[0] < 0:
                k = 10
                flags = _MORE
                while flags & _MORE:
                    flags, component = struct.unpack_from(">HH", data, k)
                    parts.append((k + 2, component))
                    k = _component_end(flags, k)
            found = self.glyphs[old] = (data, length, tuple(parts))
        return found


class _FontProgramFlate:
    """Flate for embedded font programs: Huffman coding only.

    Glyph outlines are dense binary data: the string matching of zlib's default level
    shrinks a subset to 66 % instead of 79 % but takes about seven times as long, and
    that search was the largest single cost of embedding a Chinese subset. Content
    streams (text and drawing operators, which compress well) keep the default level."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes | str) -> bytes:
        if isinstance(data, str):
            data = data.encode("latin-1")
        packer = zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY
        )
        return packer.compress(data) + packer.flush()

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


_FONT_PROGRAM_FLATE = _FontProgramFlate()


class SubsettingFace(TTFontFace):
    """A TrueType face whose subsets are made from data read once per process and whose
    font programs are compressed the cheap way (`_FontProgramFlate`).

    `makeSubset` gives byte for byte reportlab's subset (a test compares them): reportlab
    re-reads the copied tables, copies the whole `glyf` table (3.5 MB for WenQuanYi) and
    walks composite glyphs with a read call per field, for every subset of every PDF;
    here each glyph is read once per process (half of WenQuanYi's Chinese glyphs are
    composite: the parts are read once too, only their numbers change per subset)."""

    _tables: _FontTables | None = None

    def makeSubset(self, subset: list[int]) -> bytes:
        t = self._tables
        if t is None:
            t = self._tables = _FontTables(self)
        # glyphs of the subset: new index -> old index, and back; "missing" is glyph 0
        glyph_map = [0]
        glyph_set = {0: 0}
        code_to_glyph: dict[int, int] = {}
        char_to_glyph = t.char_to_glyph
        for code in subset:
            old = char_to_glyph.get(code, 0)
            new = glyph_set.get(old)
            if new is None:
                new = glyph_set[old] = len(glyph_map)
                glyph_map.append(old)
            code_to_glyph[code] = new
        # and the glyphs that composite glyphs are made of
        glyph = t.glyph
        n = 0
        while n < len(glyph_map):
            for _at, component in glyph(glyph_map[n])[2]:
                if component not in glyph_set:
                    glyph_set[component] = len(glyph_map)
                    glyph_map.append(component)
            n += 1

        output = TTFontMaker()
        for tag, table in t.copied:
            output.add(tag, table)
        output.add("post", t.post)

        count = len(glyph_map)
        hmtx: list[int] = []
        hmetrics = t.hmetrics
        for old in glyph_map:
            aw, lsb = hmetrics[old]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        # full (advance, lsb) pairs up to the last change of advance, then the lsb only
        k = len(hmtx) - 2
        while k and hmtx[k] == hmtx[k - 2]:
            k -= 2
        k += 2
        metrics = k >> 1
        hmtx = hmtx[:k] + hmtx[k + 1 :: 2]
        output.add("hmtx", struct.pack(f">{len(hmtx)}H", *hmtx))
        output.add("hhea", _set_ushort(t.hhea, 34, metrics))
        output.add("maxp", _set_ushort(t.maxp, 4, count))

        # cmap format 6 of the subset's codes
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset)]
        cmap += [code_to_glyph[code] for code in subset]
        output.add("cmap", struct.pack(f">{len(cmap)}H", *cmap))

        glyf: list[bytes] = []
        offsets: list[int] = []
        size = 0
        for old in glyph_map:
            offsets.append(size)
            data, length, parts = glyph(old)
            if parts:  # a composite glyph: its components by their new numbers
                edited = bytearray(data)
                for at, component in parts:
                    struct.pack_into(">H", edited, at, glyph_set[component])
                data = bytes(edited)
            glyf.append(data)
            size += length
            if size % 4:
                glyf.append(b"\0" * (4 - size % 4))
                size += 4 - size % 4
        offsets.append(size)
        output.add("glyf", b"".join(glyf))
        if (size + 1) >> 1 > 0xFFFF:
            long_offsets = 1
            output.add("loca", struct.pack(f">{len(offsets)}L", *offsets))
        else:
            long_offsets = 0
            output.add("loca", struct.pack(f">{len(offsets)}H", *(o >> 1 for o in offsets)))
        output.add("head", _set_ushort(t.head, 50, long_offsets))
        return bytes(output.makeStream())

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        ref = super().addSubsetObjects(doc, fontname, subset)
        descriptor = doc.idToObject[ref.name]
        program = doc.idToObject[descriptor.dict["FontFile2"].name]
        if program.filters:  # the document is compressed
            program.filters = [_FONT_PROGRAM_FLATE]
        return ref


def _set_ushort(table: bytes, at: int, value: int) -> bytes:
    return table[:at] + struct.pack(">H", value) + table[at + 2 :]


class CachedWidthTTFont(TTFont):
    """A TTFont that remembers the width of each character, and embeds its subsets the
    faster way of `SubsettingFace`.

    Chinese line breaking (wordWrap="CJK") measures text one character at a time, and
    reportlab's pure-Python width function dominates the build time of long tables;
    the cache makes those measurements dictionary look-ups.
    """

    def __init__(self, name: str, filename: str, subfontIndex: int = 0):
        super().__init__(name, filename, subfontIndex=subfontIndex)
        self.face.__class__ = SubsettingFace
        self._char_widths: dict[str, float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        if len(text) == 1:
            width = self._char_widths.get(text)
            if width is None:
                width = self._char_widths[text] = super().stringWidth(text, 1000, encoding)
            return width * size / 1000
        return float(super().stringWidth(text, size, encoding))


@dataclass(frozen=True)
class _Loaded:
    name: str
    path: str
    family: str
    style: Style


def _font_name(path: Path, index: int) -> str:
    """A reportlab name unique to this file and face (two `simsun.ttc` in different
    folders must not be mistaken for one another)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "font"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:6]
    return f"EBC-{stem}-{index}-{digest}"


def _load(path: Path, index: int) -> TTFont | str:
    """A registered-ready TTFont, or the reason (English source) why it cannot be used."""
    if not path.is_file():
        return REASON_MISSING
    kind = outline_kind(path, index)
    if kind == "cff":
        return REASON_CFF
    if kind != "truetype":
        return REASON_UNREADABLE
    name = _font_name(path, index)
    try:
        registered = pdfmetrics.getFont(name)
    except KeyError:
        registered = None
    if isinstance(registered, TTFont):
        font = registered
    else:
        try:
            font = CachedWidthTTFont(name, str(path), subfontIndex=index)
        except TTFError as exc:
            return REASON_LICENCE if "embedding" in str(exc) else REASON_UNREADABLE
        except (OSError, ValueError, struct.error, IndexError):
            return REASON_UNREADABLE
    glyphs: Any = font.face.charToGlyph
    if not all(ord(ch) in glyphs for ch in _PROBE):
        return REASON_NO_CJK
    if registered is None:
        pdfmetrics.registerFont(font)
    return font


def _split_configured(configured: str) -> tuple[Path, int]:
    """`C:\\Fonts\\simsun.ttc#1` → (path, 1); no suffix → face 0."""
    m = re.fullmatch(r"(.+)#(\d+)", configured)
    if m:
        return Path(m.group(1)).expanduser(), int(m.group(2))
    return Path(configured).expanduser(), 0


@cache
def _resolve(configured: str | None, search_dirs: tuple[str, ...] | None) -> FontChoice:
    hints: list[HintPart] = []
    if configured:
        path, index = _split_configured(configured)
        loaded = _load(path, index)
        if isinstance(loaded, TTFont):
            family = loaded.face.familyName
            fam = family.decode("latin-1", "replace") if isinstance(family, bytes) else str(family)
            return FontChoice(
                body=loaded.fontName,
                heading=loaded.fontName,
                embedded=True,
                paths=(str(path),),
                families=(fam or path.stem,),
            )
        hints.append(HintPart(HINT_CONFIGURED_UNUSABLE, {"path": str(path), "reason": loaded}))

    dirs = default_search_dirs() if search_dirs is None else tuple(Path(d) for d in search_dirs)
    files = _index_font_files(dirs)
    chosen: dict[Style, _Loaded] = {}
    for cand in KNOWN_FONTS:
        if cand.style in chosen:
            continue
        for fname in cand.files:
            if fname not in files:
                continue
            loaded = _load(files[fname], cand.index)
            if isinstance(loaded, TTFont):
                chosen[cand.style] = _Loaded(
                    loaded.fontName, str(files[fname]), cand.family, cand.style
                )
                break
    body = chosen.get("song") or chosen.get("hei") or chosen.get("kai")
    heading = chosen.get("hei") or body
    if body is None or heading is None:
        _register_cid()
        hints.append(HintPart(HINT_NO_FONT))
        return FontChoice(
            body=CID_FALLBACK,
            heading=CID_FALLBACK,
            embedded=False,
            paths=(),
            hint=tuple(hints),
            families=(CID_FALLBACK,),
        )
    paths = (body.path,) if body.path == heading.path else (body.path, heading.path)
    families = (body.family,) if body is heading else (body.family, heading.family)
    return FontChoice(
        body=body.name,
        heading=heading.name,
        embedded=True,
        paths=paths,
        hint=tuple(hints),
        families=families,
    )


# Characters the Adobe-GB1 UCS-2 CMap of STSong-Light lacks, and what to show instead.
_CID_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb", "\u2022": "\u30fb", "\u00a0": " "})


class FallbackCIDFont(UnicodeCIDFont):
    """STSong-Light with the few common characters its CMap lacks (the middle dot `·`,
    the bullet, no-break space) replaced by ones it has."""

    def formatForPdf(self, text: str | bytes) -> str:
        if isinstance(text, bytes):
            text = text.decode("utf8")
        return str(super().formatForPdf(text.translate(_CID_SUBSTITUTES)))

    def stringWidth(self, text: str | bytes, size: float, encoding: str | None = None) -> float:
        if isinstance(text, bytes):
            text = text.decode("utf8")
        return float(super().stringWidth(text.translate(_CID_SUBSTITUTES), size, encoding))


def _register_cid() -> None:
    try:
        font = pdfmetrics.getFont(CID_FALLBACK)
    except KeyError:
        font = None
    if not isinstance(font, FallbackCIDFont):
        pdfmetrics.registerFont(FallbackCIDFont(CID_FALLBACK))


def resolve_fonts(
    configured: str | None = None, *, search_dirs: Iterable[str | os.PathLike[str]] | None = None
) -> FontChoice:
    """The fonts for reports, registered with reportlab; cached per process.

    `configured` (else `$EBCONSOLE_REPORT_FONT`) names a .ttf/.ttc file, `file.ttc#N` for
    face N. `search_dirs` replaces the system font folders (tests point it at an empty
    folder to exercise the built-in fallback).
    """
    if configured is None:
        configured = os.environ.get(ENV_FONT) or None
    dirs = None if search_dirs is None else tuple(str(d) for d in search_dirs)
    return _resolve(configured, dirs)


def clear_font_cache() -> None:
    """Forget the cached choice (after the user changed the font setting)."""
    _resolve.cache_clear()
