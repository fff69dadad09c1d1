"""Shipped Noto Sans SC subset fonts (SIL OFL 1.1, see OFL.txt) for the PDF report."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
REGULAR = FONT_DIR / "NotoSansSC-Regular.ttf"
BOLD = FONT_DIR / "NotoSansSC-Bold.ttf"

__all__ = ["BOLD", "FONT_DIR", "REGULAR"]
