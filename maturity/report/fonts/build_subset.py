"""Regenerate the shipped Noto Sans SC subsets: ``python -m maturity.report.fonts.build_subset``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

from maturity.report.fonts import BOLD, FONT_DIR, REGULAR

REPO_ROOT = FONT_DIR.parents[2]
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian package fonts-noto-cjk
SC_FAMILY = "Noto Sans CJK SC"
SC_FONT_NUMBER = 2  # index of SC in Debian's NotoSansCJK-*.ttc; checked by family name
SOURCES = {REGULAR: "NotoSansCJK-Regular.ttc", BOLD: "NotoSansCJK-Bold.ttc"}
# Strings the report can print: the models and the UI catalogues.
TEXT_GLOBS = ("frameworks/*.yaml", "frameworks/*.yml", "maturity/locales/*.yaml", "maturity/locales/*.json")
GB2312_HANZI_COUNT = 6763
SIZE_BUDGET = 2_300_000  # bytes per weight on disk (about 1.35 MB once git compresses it)
MAX_ERR = 1.0  # font units (of 1000) a quadratic curve may stray from the cubic original

RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x0100, 0x017F),  # Latin Extended-A: pinyin tone marks ā ē ī ō ū
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x218F),  # letterlike symbols and number forms: ℃ № Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x25A0, 0x25FF),  # geometric shapes, incl. the □ placeholder
    (0x2610, 0x2613),  # ballot boxes ☐ ☑ ☒
    (0x2713, 0x2717),  # check and cross marks
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half- and full-width forms
)


def gb2312_chars() -> tuple[set[str], set[str]]:
    """Return (all GB2312 characters, the GB2312 hanzi of rows 16-87)."""
    every: set[str] = set()
    hanzi: set[str] = set()
    for row in range(0xA1, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                char = bytes((row, col)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            every.add(char)
            if row >= 0xB0:
                hanzi.add(char)
    return every, hanzi


def text_chars(paths: Iterable[Path]) -> set[str]:
    """Return the printable characters used in the given UTF-8 text files."""
    chars: set[str] = set()
    for path in paths:
        chars.update(c for c in path.read_text(encoding="utf-8") if c.isprintable())
    return chars


def default_text_files(root: Path = REPO_ROOT) -> list[Path]:
    """Return the repository's model and catalogue files, sorted."""
    return sorted({p for g in TEXT_GLOBS for p in root.glob(g) if p.is_file()})


def wanted_codepoints(extra: set[str]) -> set[int]:
    """Return the code points to keep: the fixed ranges, GB2312 and ``extra``."""
    points = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    every, hanzi = gb2312_chars()
    if len(hanzi) != GB2312_HANZI_COUNT:
        raise RuntimeError(f"expected {GB2312_HANZI_COUNT} GB2312 hanzi, got {len(hanzi)}")
    return points | {ord(c) for c in every | extra}


def load_sc(path: Path) -> TTFont:
    """Open the Simplified Chinese member of a Noto Sans CJK collection."""
    collection = TTCollection(str(path), lazy=True)
    font = collection.fonts[SC_FONT_NUMBER]
    if font["name"].getDebugName(1) != SC_FAMILY:
        found = [f["name"].getDebugName(1) for f in collection.fonts]
        raise RuntimeError(f"{path}: font {SC_FONT_NUMBER} is not {SC_FAMILY}: {found}")
    # The source's timestamp, not now: rebuilding from the same source gives identical bytes.
    return TTFont(str(path), fontNumber=SC_FONT_NUMBER, recalcTimestamp=False)


def to_truetype(font: TTFont) -> None:
    """Convert CFF outlines to quadratic ``glyf`` ones, in place."""
    # fpdf2 writes CFF fonts with an embedded encoding CMap that pypdf reads as one-byte
    # codes (garbled text after 255 glyphs); TrueType fonts get Identity-H, which all read.
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))  # left side bearing = xMin
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs"):
        setattr(maxp, attr, 0)
    maxp.maxZones, maxp.maxStackElements, maxp.maxSizeOfInstructions = 1, 0, 0
    maxp.maxComponentElements = 0
    font["post"].formatType = 3.0  # no glyph names: CID names would only add bytes
    font.sfntVersion = "\x00\x01\x00\x00"


def build(source: Path, target: Path, codepoints: set[int]) -> set[int]:
    """Write the subset of ``source`` to ``target``; return the wanted code points it lacks."""
    font = load_sc(source)
    have = set(font.getBestCmap())
    options = subset.Options()
    options.name_IDs = ["*"]  # keep copyright, licence and URL records (OFL notice)
    options.name_languages = ["*"]
    options.name_legacy = True
    options.layout_features = []  # fpdf2 does not shape text; features would double the size
    options.drop_tables += ["BASE", "GDEF", "GPOS", "GSUB", "vhea", "vmtx", "VORG"]
    options.hinting = False  # CFF hints do not survive the TrueType conversion anyway
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints & have))
    subsetter.subset(font)
    to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return codepoints - have


def main(argv: Sequence[str] | None = None) -> int:
    """Build both weights and report sizes and coverage gaps."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--text", type=Path, nargs="*", default=[], help="more text files to cover")
    args = parser.parse_args(argv)

    files = default_text_files() + list(args.text)
    extra = text_chars(files)
    codepoints = wanted_codepoints(extra)
    status = 0
    for target, name in SOURCES.items():
        missing = build(args.source_dir / name, target, codepoints)
        size = target.stat().st_size
        # Range gaps are normal (unassigned points); characters from the text files are not.
        lost = sorted(c for c in extra if ord(c) in missing)
        print(f"{target.name}: {size:,} bytes, {len(codepoints - missing):,} code points")
        if lost:
            print(f"  not in the source font (fallback fonts needed): {''.join(lost)}")
        if size > SIZE_BUDGET:
            print(f"  over the {SIZE_BUDGET:,}-byte budget", file=sys.stderr)
            status = 1
    print(f"text files scanned: {len(files)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
