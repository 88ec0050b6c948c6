"""How names are folded and cut into search keys (DOMAIN.md §1 "Search must find ...").

The same functions build the index and read the query, so a name is found however it is typed:
full-width or half-width, upper or lower case, traditional or simplified, with or without spaces and
brackets. SQLite's FTS5 trigram ignores queries shorter than three characters, so names are indexed
by their own unigrams and bigrams (as integers: compact, and the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Legal-form endings that say nothing about which company it is. Longest first: the core of a name
# is what remains after stripping them (repeatedly, so 集团有限公司 goes entirely).
LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "有限合伙",
    "合伙企业",
    "分公司",
    "事务所",
    "公司",
    "集团",
)

# Surnames whose reading differs from the character's everyday reading (pypinyin reads words, not
# surnames). Only the first letter matters here.
SURNAME_INITIALS = {
    "单": "s",  # shàn
    "曾": "z",  # zēng
    "解": "x",  # xiè
    "仇": "q",  # qiú
    "区": "o",  # ōu
    "查": "z",  # zhā
    "朴": "p",  # piáo
    "盖": "g",  # gě
    "覃": "q",  # qín
    "缪": "m",  # miào
    "翟": "z",  # zhái
    "乐": "y",  # yuè
    "柏": "b",  # bǎi
    "秘": "b",  # bì
    "员": "y",  # yùn
    "种": "c",  # chóng
    "重": "c",  # chóng
}

# Control characters too: they name nothing, and \x01 separates the names of a subject's search_text.
_DROP = re.compile(r"[\x00-\x1f\x7f\s\u3000·•・.,，。、;；:：'\"‘’“”()（）\[\]【】〔〕<>《》{}\-—_/\\|]+")
_ASCII_ALNUM = re.compile(r"[0-9a-z]+")

UNIGRAM_LIMIT = 1 << 21  # every code point is below this; a bigram's key is always above it


@cache
def _traditional_to_simplified() -> dict[int, str]:
    """Character table from OpenCC's dictionary (opencc-python-reimplemented ships the data files)."""
    table: dict[int, str] = {}
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        simp = simp.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[ord(trad)] = simp
    return table


def fold(text: str, simplify: bool = True) -> str:
    """The search form of a text: NFKC (full-width → half-width), lower case, simplified characters,
    without spaces and punctuation. Character for character, so ``simplify=False`` gives a text of the
    same length, position for position."""
    text = unicodedata.normalize("NFKC", text).lower()
    if simplify:
        text = text.translate(_traditional_to_simplified())
    return _DROP.sub("", text)


def strip_legal_suffix(folded: str) -> str:
    """The distinctive part of a folded name: legal-form endings removed (never down to nothing)."""
    core = folded
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                changed = True
                break
    return core


def gram_key(gram: str) -> int:
    """An integer for a unigram or bigram; bigram keys never collide with unigram keys."""
    if len(gram) == 1:
        return ord(gram)
    return ((ord(gram[0]) + 1) << 21) | ord(gram[1])  # + 1: "\x00a" must not be "a"


def name_grams(folded: str, core_length: int) -> dict[int, int]:
    """Gram key → first position, for every unigram of the core and every bigram that starts in it.

    Grams lying wholly inside a legal suffix are left out: a search for 公司 should not walk every
    company, and a bigram crossing into the suffix (程有) still finds 工程有限.
    """
    grams: dict[int, int] = {}
    for i in range(core_length):
        grams.setdefault(gram_key(folded[i]), i)
        if i + 1 < len(folded):
            grams.setdefault(gram_key(folded[i : i + 2]), i)
    return grams


def query_bigrams(folded_query: str) -> list[str]:
    return [folded_query[i : i + 2] for i in range(len(folded_query) - 1)]


@cache
def _suffix_bigrams() -> frozenset[str]:
    inside = {b for suffix in LEGAL_SUFFIXES for b in query_bigrams(suffix)}
    # Endings stack (集团 + 有限公司): the bigram where two meet (团有) is not indexed either.
    between = {a[-1] + b[0] for a in LEGAL_SUFFIXES for b in LEGAL_SUFFIXES}
    return frozenset(inside | between)


def is_suffix_bigram(bigram: str) -> bool:
    """Bigrams of legal suffixes: poor keys to search by (they may be indexed only from cores)."""
    return bigram in _suffix_bigrams()


def is_only_legal_suffix(folded_query: str) -> bool:
    """A query such as 有限公司 or 公司: it names a legal form, not a company."""
    return bool(folded_query) and any(folded_query in suffix for suffix in LEGAL_SUFFIXES)


def pinyin_initials(folded: str, person: bool = False) -> str:
    """First letters of the readings: 张三丰 → zsf; ASCII letters and digits kept as they are.

    For a person the first character is read as a surname (单 → s, 曾 → z, 解 → x).
    """
    from pypinyin import Style, lazy_pinyin  # imported on first use: its dictionary is large

    if not folded:
        return ""
    prefix = ""
    if person and folded[0] in SURNAME_INITIALS:
        prefix, folded = SURNAME_INITIALS[folded[0]], folded[1:]
    parts = lazy_pinyin(folded, style=Style.FIRST_LETTER)
    letters = [prefix]
    for part in parts:
        part = part.lower()
        if _ASCII_ALNUM.fullmatch(part):
            letters.append(part)
        elif part and part[0].isascii() and part[0].isalpha():
            letters.append(part[0])
    return "".join(letters)


def looks_like_initials(folded_query: str) -> bool:
    return folded_query.isascii() and folded_query.isalpha()


def looks_like_code(folded_query: str) -> bool:
    return bool(_ASCII_ALNUM.fullmatch(folded_query))


# Ranks: lower is shown first. The bucket says where the key was found; within a bucket, shorter
# distinctive names first, so an exact name beats a longer one that merely contains it.
RANK_BUCKET = 1000
ALIAS_BUCKET_OFFSET = 2


def _rank(bucket: int, core_length: int) -> int:
    return bucket * RANK_BUCKET + min(core_length, RANK_BUCKET - 1)


@dataclass(frozen=True)
class SearchKeys:
    grams: frozenset[tuple[int, int]]  # (gram key, rank)
    initials: frozenset[tuple[str, int]]  # (initials, rank)
    search_text: str  # folded names joined by \x01, for checking long queries
    # (initials from the second character of a name on, rank): 鑫鑫建设 of 某市鑫鑫建设 is found by
    # the prefix xxjs of the row xxjs, without its place name (DOMAIN.md §1).
    infix_initials: frozenset[tuple[str, int]] = frozenset()


def infix_initials(initials: str) -> list[str]:
    """Every proper suffix of a name's initials: a run of the name typed from its first letter is a
    prefix of one of them. Starting inside the core only (the initials never include the legal form)."""
    return [initials[i:] for i in range(1, len(initials))]


def subject_search_keys(name: str, aliases: Iterable[str], person: bool) -> SearchKeys:
    """Every search key of a subject: the same function builds the index and removes old keys."""
    best_gram: dict[int, int] = {}
    best_initials: dict[str, int] = {}
    best_infix: dict[str, int] = {}
    folded_names = []
    for index, text in enumerate((name, *aliases)):
        folded = fold(text)
        if not folded:
            continue
        folded_names.append(folded)
        core = strip_legal_suffix(folded)
        offset = 0 if index == 0 else ALIAS_BUCKET_OFFSET
        for key, position in name_grams(folded, len(core)).items():
            rank = _rank(offset + (0 if position == 0 else 1), len(core))
            if rank < best_gram.get(key, rank + 1):
                best_gram[key] = rank
        # Read the characters as written: simplification merges some (乾 → 干) that read differently.
        as_written = fold(text, simplify=False)[: len(core)]
        initials = pinyin_initials(as_written, person=person)[:INITIALS_LIMIT]
        if initials:
            rank = _rank(offset, len(core))
            if rank < best_initials.get(initials, rank + 1):
                best_initials[initials] = rank
            inside = _rank(offset + 1, len(core))  # below the start of the same name, as grams
            for run in infix_initials(initials):
                if inside < best_infix.get(run, inside + 1):
                    best_infix[run] = inside
    return SearchKeys(
        frozenset(best_gram.items()),
        frozenset(best_initials.items()),
        "\x01".join(folded_names),
        frozenset(best_infix.items()),
    )


INITIALS_LIMIT = 60
