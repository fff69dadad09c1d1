"""Names of downloaded files: one style for every PDF, CSV, Excel and JSON download.

``download_name`` gives '某某公司工会-诊断报告-2026-11-26.pdf': the union's (or workshop's) name,
what the file holds, the date, joined by '-'. Each part is made safe on Windows, macOS and Linux:
no path separators or characters Windows refuses (they become '_'), no control, format or
bidirectional characters (a right-to-left override can make 'a‮fdp.exe' look like a PDF), one
space for any run of white space, no leading or trailing dots or spaces, and a bounded length.
Standard library only: the pages import it without loading pandas or fpdf2.
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import t

__all__ = ["MAX_BYTES", "MAX_NAME_CHARS", "download_name", "uploaded_name"]

MAX_NAME_CHARS = 60  # of the union's or workshop's name
MAX_BYTES = 180  # the whole file name in UTF-8; file systems allow 255, some tools less

_WINDOWS_UNSAFE = re.compile(r'[/\\:*?"<>|]+')
_SPACES = re.compile(r"\s+")
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # controls, format (bidi, ZWJ…), surrogates, private, unassigned
_EDGES = " ._-"
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                               *(f"LPT{n}" for n in range(10))})


def _clean(part: str) -> str:
    """One part of a name, safe on every OS; may come out empty."""
    s = unicodedata.normalize("NFC", str(part or ""))
    s = _SPACES.sub(" ", s)  # before dropping controls: a newline or tab is a space
    s = "".join(c for c in s if unicodedata.category(c) not in _DROPPED)
    s = _WINDOWS_UNSAFE.sub("_", s)
    return s.strip(_EDGES)


def _cut(s: str, chars: int) -> str:
    """At most ``chars`` characters, never parting a character from its combining marks."""
    if len(s) <= chars:
        return s
    while chars > 0 and unicodedata.category(s[chars]).startswith("M"):
        chars -= 1
    return s[:chars].rstrip(_EDGES)


def download_name(name: str | None, kind: str, date: str, ext: str, lang: str = "zh") -> str:
    """'<name>-<kind>-<date>.<ext>', safe on every OS.

    ``name`` None or "" leaves the part out (a listing of many unions); a name that cleans to
    nothing (blank, only dots, only control characters) becomes the translated 'unnamed'.
    """
    extension = re.sub(r"[^0-9A-Za-z]", "", ext).lower()
    suffix = f".{extension}" if extension else ""
    head = ""
    if name:
        head = _cut(_clean(name), MAX_NAME_CHARS) or t("files.unnamed", lang)
    tail = [p for p in (_cut(_clean(kind), MAX_NAME_CHARS), _cut(_clean(date), 20)) if p]
    fixed = len(("-".join(tail) + suffix).encode("utf-8")) + (1 if tail else 0)
    while head and len(head.encode("utf-8")) + fixed > MAX_BYTES:
        head = _cut(head, len(head) - 1)
    stem = "-".join(p for p in (head, *tail) if p) or t("files.unnamed", lang)
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem + suffix


def uploaded_name(name: str, kind: str) -> str:
    """The name an uploaded file (佐证材料) downloads under: as the user gave it, made safe on every OS like the
    names above, with the extension of what it is (``kind``, from its content) when its own says otherwise."""
    head = _cut(_clean(name), MAX_NAME_CHARS) or t("files.unnamed", "zh")
    ext = {"jpeg": (".jpg", ".jpeg")}.get(kind, (f".{kind}",))
    return head if head.lower().endswith(ext) else f"{head}{ext[0]}"
