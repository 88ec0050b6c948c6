"""Chinese line breaking with the common rules (禁则): no line starts with closing punctuation, none
ends with opening punctuation. Latin words and numbers are kept whole where they fit."""

from __future__ import annotations

from collections.abc import Callable

CANNOT_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}>" + "～")
CANNOT_END = set("（《「『【〔〈“‘([{<¥$")

Measure = Callable[[str], float]


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: one CJK character, or a run of Latin letters/digits."""
    tokens: list[str] = []
    run = ""
    for char in text:
        if char.isascii() and (char.isalnum() or char in "-_./@#&+%:"):
            run += char
            continue
        if run:
            tokens.append(run)
            run = ""
        tokens.append(char)
    if run:
        tokens.append(run)
    return tokens


def _split_long(token: str, width: float, measure: Measure) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in token:
        if current and measure(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, measure: Measure, first_indent: float = 0.0) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (the first one ``first_indent`` narrower).

    Explicit newlines start a new paragraph line. When a break would put forbidden punctuation at a
    line start, the preceding character moves down with it (the line gets a little shorter), which
    is how typesetters in Chinese usually do it.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, width, measure, first_indent))
    return lines


def _break_paragraph(text: str, width: float, measure: Measure, indent: float) -> list[str]:
    tokens = []
    for token in _tokens(text):
        if len(token) > 1 and measure(token) > width - indent:
            tokens.extend(_split_long(token, width - indent, measure))
        else:
            tokens.append(token)
    if not tokens:
        return [""]
    # Widths add up (the embedded font has no kerning), so each distinct token is measured once.
    widths: dict[str, float] = {}
    for token in tokens:
        if token not in widths:
            widths[token] = measure(token)
    lines: list[list[str]] = [[]]
    used = 0.0
    available = width - indent
    for token in tokens:
        line = lines[-1]
        if not line or token == " " or used + widths[token] <= available:
            line.append(token)
            used += widths[token]
            continue
        carry = _carry(line, token)
        if carry is None or (
            token[0] in CANNOT_START and sum(widths[t] for t in carry) + widths[token] > width
        ):
            # No break before ``token`` keeps the rules (the line is one word before closing
            # punctuation, or only opening punctuation), or the run to carry down would not fit the
            # next line either: keep ``token`` on this line, the punctuation hanging in the margin.
            line.append(token)
            used += widths[token]
            continue
        del line[len(line) - len(carry) :]
        while line and line[-1] == " ":
            line.pop()
        lines.append([*carry, token])
        used = sum(widths[t] for t in lines[-1])
        available = width
    return ["".join(parts).rstrip(" ") for parts in lines]


def _carry(line: list[str], token: str) -> list[str] | None:
    """The tokens at the end of ``line`` that must move down so that a break before ``token`` keeps
    the rules (no closing punctuation at a line start, no opening one at a line end); ``None`` when
    no break before ``token`` can keep them. ``line`` is left as it was."""
    keep = len(line)
    if token[0] in CANNOT_START:
        # Pull tokens down with the punctuation until one that may start a line (runs like ”。);
        # spaces go along (a line never starts with one).
        while True:
            if keep <= 1:
                return None
            keep -= 1
            if line[keep][0] not in CANNOT_START and line[keep] != " ":
                break
    while True:
        # Opening punctuation at the end of what stays (spaces aside) goes down too.
        last = keep - 1
        while last >= 0 and line[last] == " ":
            last -= 1
        if last < 0:
            return None  # nothing but opening punctuation or spaces would stay
        if line[last][-1] not in CANNOT_END:
            return line[keep:]
        keep = last
