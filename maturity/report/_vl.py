"""vl-convert for the report's charts: in a helper process, or in this one when that fails.

vl-convert's first chart in a process costs ~0.4 s (its JavaScript runtime starts) and every
chart holds the GIL while it is drawn. ``start`` launches a helper process when a build begins:
it imports nothing but vl-convert and warms up while this process imports fpdf2 and altair,
then draws the charts while this one lays out the first pages. On two cores a fresh process's
report is ready ~0.5 s sooner, and a server's later reports are drawn without holding its GIL.
The helper answers one chart at a time over its pipes and ends when this process closes them.
A chart the helper cannot draw (it did not start, died, or vl-convert raised) is drawn in this
process, so errors are vl-convert's own, as before.

The charts name the shipped font subset under a family of its own (``font_family``): see
``_chart_fonts``. This module imports only the standard library, so ``start`` costs ~5 ms.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import cast

_LOG = logging.getLogger(__name__)

# The shipped subset under a family name of its own, for the PDF's charts (see ``_chart_fonts``).
REPORT_FONT = "Maturity Report Sans SC"
HELPER_ENV = "MATURITY_CHART_HELPER"  # "0": draw the charts in this process

# The helper: register the fonts, start vl-convert, then draw each spec it is sent. Frames are
# a 4-byte big-endian length and the payload; a reply starts with b"o" (SVG) or b"e" (error).
_HELPER = r"""
import os, struct, sys
import vl_convert as vlc
out = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)  # anything else written to stdout goes to stderr, never into the replies
for directory in sys.argv[1:]:
    vlc.register_font_directory(directory)
vlc.vegalite_to_svg('{"data":{"values":[{"a":"0"}]},"mark":"text","encoding":{"text":{"field":"a"}}}')
inp = sys.stdin.buffer
while True:
    head = inp.read(4)
    if len(head) < 4:
        break
    spec = inp.read(struct.unpack(">I", head)[0]).decode()
    try:
        reply = b"o" + vlc.vegalite_to_svg(spec).encode()
    except Exception as exc:
        reply = b"e" + repr(exc).encode()
    out.write(struct.pack(">I", len(reply)) + reply)
    out.flush()
"""


# ---------------------------------------------------------------- the charts' font


def font_family() -> str:
    """The font family the report's charts are built with (pass it to the chart builders)."""
    return _chart_fonts()[0]


@cache
def _chart_fonts() -> tuple[str, tuple[str, ...]]:
    """The charts' font family and the font directories vl-convert needs for it.

    vl-convert measures every label by laying it out in the first font its family name finds:
    for ``charts.FONT`` that is the system's 19 MB Noto Sans CJK collection when installed,
    mapped again for each label (~2 ms a label, most of a chart's drawing time). The shipped
    subset has the same glyphs and advance widths, the ones the PDF prints, and is measured
    four times faster. Its renamed copy is written once to the user's cache (or a temporary
    directory); if that fails, the charts use ``charts.FONT`` and are only slower.
    """
    try:
        return REPORT_FONT, (str(_renamed_subset()),)
    except Exception:  # an unwritable disk or an unreadable font: the slower family still works
        _LOG.warning("chart font copy unavailable; PDF charts use the shipped family", exc_info=True)
        from ..charts import FONT
        from .fonts import FONT_DIR

        return FONT, (str(FONT_DIR),)


def _renamed_subset() -> Path:
    """A directory with the shipped subset fonts named ``REPORT_FONT`` (made once per font version)."""
    from .fonts import BOLD, REGULAR

    sources = {"Regular": REGULAR, "Bold": BOLD}
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources.values())
    key = hashlib.sha1(f"{REPORT_FONT}|1|{stamp}".encode()).hexdigest()[:16]
    names = [f"{REPORT_FONT.replace(' ', '')}-{style}.ttf" for style in sources]
    for base in _cache_roots():
        target = base / f"chart-fonts-{key}"
        if all((target / n).is_file() for n in names):
            return target
        try:
            base.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".chart-fonts-", dir=base))
            for name, (style, source) in zip(names, sources.items(), strict=True):
                _rename_font(source, work / name, style)
            try:
                work.rename(target)  # atomic; a concurrent process may have won, which is as good
            except OSError:
                shutil.rmtree(work, ignore_errors=True)
            if all((target / n).is_file() for n in names):
                return target
        except OSError:
            _LOG.debug("cannot write chart fonts under %s", base, exc_info=True)
    raise OSError("no writable directory for the chart fonts")


def _cache_roots() -> list[Path]:
    """Where the renamed fonts may live: the user's cache, else a temporary directory of the user's."""
    roots = []
    cache_home = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if Path.home().is_dir() else None)
    if cache_home:
        roots.append(Path(cache_home) / "brand-union-maturity")
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    roots.append(Path(tempfile.gettempdir()) / f"brand-union-maturity-{user}")
    return roots


def _rename_font(source: Path, target: Path, style: str) -> None:
    """Copy a font file with its family called ``REPORT_FONT`` (outlines and metrics untouched)."""
    from fontTools.ttLib import TTFont

    font = TTFont(source, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    postscript = f"{REPORT_FONT.replace(' ', '')}-{style}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = REPORT_FONT
        elif record.nameID == 4:
            record.string = REPORT_FONT if style == "Regular" else f"{REPORT_FONT} {style}"
        elif record.nameID in (3, 6):
            record.string = postscript
    font.save(target)
    font.close()


# ---------------------------------------------------------------- drawing


class _Helper:
    """The helper process and its pipes; one chart at a time (callers hold ``_lock``)."""

    def __init__(self, font_dirs: tuple[str, ...]) -> None:
        self.owner = os.getpid()
        self.proc = subprocess.Popen([sys.executable, "-c", _HELPER, *font_dirs],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.broken = False

    @property
    def usable(self) -> bool:
        return not self.broken and self.owner == os.getpid() and self.proc.poll() is None

    def draw(self, spec: str) -> str | None:
        """The SVG of ``spec``, or None when the helper failed (it is not used again)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        data = spec.encode()
        try:
            self.proc.stdin.write(struct.pack(">I", len(data)) + data)
            self.proc.stdin.flush()
            head = self.proc.stdout.read(4)
            body = self.proc.stdout.read(struct.unpack(">I", head)[0]) if len(head) == 4 else b""
        except (OSError, ValueError, struct.error):
            body = b""
        if body[:1] == b"o":
            return body[1:].decode()
        if body[:1] == b"e":
            _LOG.debug("chart helper: %s", body[1:].decode(errors="replace"))
        else:
            _LOG.warning("chart helper stopped; charts are drawn in this process")
            self.broken = True
            self.close()
        return None

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except Exception:  # at exit or after a failure: make sure it ends
            self.proc.kill()


_lock = threading.Lock()
_helper: _Helper | None = None
# No helper when this is not a plain Python (an embedding) or when MATURITY_CHART_HELPER=0.
_no_helper = (os.environ.get(HELPER_ENV, "1").strip() == "0"
              or not Path(sys.executable or "-").name.lower().startswith(("python", "pypy")))
_registered: set[str] = set()
_atexit_registered = False


def start() -> None:
    """Start the helper process unless it runs already (cheap; call it when a build begins)."""
    global _helper, _no_helper, _atexit_registered
    with _lock:
        if _no_helper or (_helper is not None and _helper.usable):
            return
        try:
            _helper = _Helper(_chart_fonts()[1])
        except (OSError, ValueError, subprocess.SubprocessError):
            _LOG.warning("cannot start the chart helper; charts are drawn in this process", exc_info=True)
            _no_helper = True
            return
        if not _atexit_registered:
            atexit.register(_close)
            _atexit_registered = True


def _close() -> None:
    with _lock:
        if _helper is not None and _helper.owner == os.getpid():
            _helper.close()


def to_svg(spec: str) -> str:
    """One Vega-Lite spec (JSON) drawn as SVG by vl-convert, by the helper when it runs."""
    with _lock:
        if _helper is not None and _helper.usable:
            svg = _helper.draw(spec)
            if svg is not None:
                return svg
    return cast(str, _here().vegalite_to_svg(spec))


def svg_to_png(svg: str, scale: float = 2) -> bytes:
    """A chart's SVG as PNG, drawn in this process with the charts' fonts."""
    return cast(bytes, _here().svg_to_png(svg, scale=scale))


def _here() -> ModuleType:  # the vl_convert module
    """vl-convert in this process, with the charts' fonts registered."""
    import vl_convert

    for directory in _chart_fonts()[1]:
        if directory not in _registered:
            vl_convert.register_font_directory(directory)
            _registered.add(directory)
    return vl_convert


__all__ = ["HELPER_ENV", "REPORT_FONT", "font_family", "start", "svg_to_png", "to_svg"]
