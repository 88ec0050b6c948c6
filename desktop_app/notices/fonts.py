"""The one font of every printed page, registered once per process, and a check that it has every glyph."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import ParamSpec, TypeVar

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.domain.errors import ValidationError
from desktop_app.paths import resources_dir

FONT_NAME = "WenQuanYiMicroHei"
FONT_FILE = "wqy-microhei.ttc"
_lock = threading.Lock()
_registered = False
# reportlab reads the font file through one shared position (TTFontFile._pos) when it subsets it
# for a PDF: two documents made at once in two threads read each other's glyphs (a KeyError, or a
# wrong glyph silently embedded). Every layout renders under this lock.
_render_lock = threading.RLock()

P = ParamSpec("P")
R = TypeVar("R")


def one_at_a_time(render: Callable[P, R]) -> Callable[P, R]:
    """Serialise a layout's rendering across threads (the GUI may preview while it issues)."""

    @functools.wraps(render)
    def serialised(*args: P.args, **kwargs: P.kwargs) -> R:
        with _render_lock:
            return render(*args, **kwargs)

    return serialised


def ensure_font() -> str:
    """Register the bundled CJK font with reportlab (idempotent, thread-safe); return its name."""
    global _registered
    if not _registered:
        with _lock:
            if not _registered:
                # reportlab embeds TrueType outlines only (Noto CJK is CFF); WenQuanYi Micro Hei works.
                pdfmetrics.registerFont(
                    TTFont(FONT_NAME, str(resources_dir() / "fonts" / FONT_FILE), subfontIndex=0)
                )
                _registered = True
    return FONT_NAME


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    ensure_font()
    font = pdfmetrics.getFont(FONT_NAME)
    return frozenset(font.face.charToGlyph)


def missing_glyphs(*texts: str) -> list[str]:
    """Characters the font cannot draw (in order of first appearance), ignoring line breaks."""
    known = _cmap()
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char not in "\n\r\t" and ord(char) not in known and char not in seen:
                seen[char] = None
    return list(seen)


class MissingGlyphs(ValidationError):
    """A character the embedded font lacks: reported, never silently dropped or boxed."""

    def __init__(self, chars: list[str]) -> None:
        shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in chars[:10])
        super().__init__(f"打印字体缺少以下字符，无法正确打印：{shown}。请改用常用字或在备注中说明。")
        self.chars = chars


def require_glyphs(*texts: str) -> None:
    missing = missing_glyphs(*texts)
    if missing:
        raise MissingGlyphs(missing)


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, ensure_font(), size)
