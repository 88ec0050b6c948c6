"""Text that must not break across lines where Qt would wrap it: a decision number's 〔2026〕205号,
a Chinese date (2026年12月6日), a time. Qt breaks Chinese text between any two characters; a word
joiner (U+2060) between two characters forbids that break and draws nothing.

The joined text is for showing only: what is searched, copied or compared stays the plain text
(``plain`` takes the joiners out again).
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"

NUMBER_CORE = re.compile(r"〔\d{4}〕\d+号")
# A Chinese date (2026年12月6日, 12月6日) or an ISO one with its time (2026-12-06 14:05).
DATE_LIKE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?")


def whole(text: str) -> str:
    """``text`` as one piece: a word joiner between every two characters, spaces no-break."""
    return WORD_JOINER.join(text.replace(" ", NO_BREAK_SPACE))


def unbreakable(text: str) -> str:
    """A decision number whose 〔2026〕205号 never breaks across lines; the issuer's prefix and what
    follows may wrap."""
    return NUMBER_CORE.sub(lambda match: whole(match.group(0)), text)


def dates_whole(text: str) -> str:
    """Every date (and date with time) in ``text`` kept on one line; the rest wraps as usual."""
    return DATE_LIKE.sub(lambda match: whole(match.group(0)), text)


def plain(text: str) -> str:
    """The text without the joiners (and with ordinary spaces) again."""
    return text.replace(WORD_JOINER, "").replace(NO_BREAK_SPACE, " ")
