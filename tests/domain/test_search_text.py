"""How names are folded and cut into search keys (desktop_app.domain.search_text)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import search_text as stx
from desktop_app.domain.search_text import (
    ALIAS_BUCKET_OFFSET,
    RANK_BUCKET,
    UNIGRAM_LIMIT,
    fold,
    gram_key,
    is_only_legal_suffix,
    is_suffix_bigram,
    looks_like_code,
    looks_like_initials,
    name_grams,
    pinyin_initials,
    query_bigrams,
    strip_legal_suffix,
    subject_search_keys,
)

PROPERTY = settings(max_examples=300, deadline=None, database=None)


# -- fold ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("ABC", "abc"),
        ("Hua Jian", "huajian"),
        ("華建", "华建"),
        ("臺灣", "台湾"),
        ("廣州", "广州"),
        ("天河華建建築工程有限公司", "天河华建建筑工程有限公司"),
        ("天河（华建）工程", "天河华建工程"),  # full-width brackets
        ("天河(华建)工程", "天河华建工程"),
        ("天河【华建】〔2026〕", "天河华建2026"),
        ("华　建 工程\t有限\n公司", "华建工程有限公司"),  # ideographic and ASCII spaces
        ("华建·工程", "华建工程"),
        ("“华建”、《工程》", "华建工程"),
        ("A-B_C/D.E", "abcde"),
        ("", ""),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


NAME_CHARACTERS = "华華建臺台广廣科技有限公司（）() 　AaＡｚZ0０9·-_/.，、\t"


@PROPERTY
@given(st.text(alphabet=NAME_CHARACTERS, max_size=30))
def test_fold_of_names_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(text.upper()) == fold(text.lower()) == folded


@PROPERTY
@given(st.text(max_size=30))
def test_fold_has_no_separators(text: str) -> None:
    folded = fold(text)
    assert not any(c.isspace() for c in folded)
    # The index joins names with \x01: a folded name never contains a control character.
    assert not any(ord(c) < 0x20 or c == "\x7f" for c in folded), repr(folded)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("華", "华"), ("臺", "台"), ("廣", "广"), ("東", "东"), ("業", "业"), ("發", "发"), ("龍", "龙")],
)
def test_traditional_and_simplified_fold_alike(traditional: str, simplified: str) -> None:
    assert fold(traditional) == fold(simplified) == simplified


# -- legal suffixes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("华建科技有限公司", "华建科技"),
        ("华建科技有限责任公司", "华建科技"),
        ("华建科技股份有限公司", "华建科技"),
        ("华建集团有限公司", "华建"),  # repeatedly: 有限公司, then 集团
        ("华建集团股份有限公司", "华建"),
        ("华建建筑工程有限公司", "华建建筑工程"),
        ("华建会计师事务所", "华建会计师"),
        ("华建科技有限公司天河分公司", "华建科技有限公司天河"),
        ("华建", "华建"),
        ("有限公司建设", "有限公司建设"),  # only at the end
    ],
)
def test_strip_legal_suffix(name: str, core: str) -> None:
    assert strip_legal_suffix(name) == core


@pytest.mark.parametrize("name", ["公司", "集团", "有限公司", "股份有限公司", "集团有限公司", "分公司"])
def test_strip_legal_suffix_never_leaves_nothing(name: str) -> None:
    assert strip_legal_suffix(name)


@PROPERTY
@given(st.text(alphabet="华建科技有限责任股份公司集团分事务所合伙企业", max_size=16))
def test_strip_legal_suffix_is_a_non_empty_prefix(name: str) -> None:
    core = strip_legal_suffix(name)
    assert name.startswith(core)
    assert bool(core) == bool(name)
    assert strip_legal_suffix(core) == core or any(core.endswith(s) for s in stx.LEGAL_SUFFIXES)


def test_only_legal_suffix_queries() -> None:
    for query in ("有限公司", "公司", "有限", "股份有限公司", "有限责任公司", "集团"):
        assert is_only_legal_suffix(query), query
    for query in ("华建", "华建公司", "", "科技"):
        assert not is_only_legal_suffix(query), query
    assert is_suffix_bigram("有限") and is_suffix_bigram("公司") and not is_suffix_bigram("华建")


# -- pinyin initials ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "person", "initials"),
    [
        ("张三丰", True, "zsf"),
        ("张三", True, "zs"),
        ("单雄信", True, "sxx"),  # shàn, not dān
        ("曾国藩", True, "zgf"),  # zēng, not céng
        ("解缙", True, "xj"),  # xiè, not jiě
        ("仇英", True, "qy"),  # qiú, not chóu
        ("区志强", True, "ozq"),  # ōu, not qū
        ("查良镛", True, "zly"),  # zhā, not chá
        ("朴志成", True, "pzc"),
        # Companies are read as words: no surname readings.
        ("重庆", False, "cq"),
        ("单位", False, "dw"),
        ("曾经", False, "cj"),
        ("查询", False, "cx"),
        ("华建科技", False, "hjkj"),
        ("abc华建", False, "abchj"),
        ("华建123", False, "hj123"),
        ("", True, ""),
    ],
)
def test_pinyin_initials(name: str, person: bool, initials: str) -> None:
    assert pinyin_initials(name, person=person) == initials


def test_surname_reading_only_for_the_first_character() -> None:
    assert pinyin_initials("张单", person=True) == "zd"
    assert pinyin_initials("单单", person=True) == "sd"


def test_query_shapes() -> None:
    assert looks_like_initials("zsf") and not looks_like_initials("zs1") and not looks_like_initials("张")
    assert looks_like_code("91440101ma5c") and not looks_like_code("华建") and not looks_like_code("")
    assert query_bigrams("华建科") == ["华建", "建科"]
    assert query_bigrams("华") == []


# -- gram keys ----------------------------------------------------------------------------------
def test_gram_keys_for_cjk() -> None:
    assert gram_key("华") == ord("华") < UNIGRAM_LIMIT
    assert gram_key("华建") >= UNIGRAM_LIMIT
    assert gram_key("华建") != gram_key("建华")


@PROPERTY
@given(st.text(min_size=1, max_size=2), st.text(min_size=1, max_size=2))
def test_gram_keys_never_collide(a: str, b: str) -> None:
    assert (gram_key(a) == gram_key(b)) == (a == b), (a, b)
    if len(a) == 2:
        assert gram_key(a) >= UNIGRAM_LIMIT
    else:
        assert gram_key(a) < UNIGRAM_LIMIT
    assert gram_key(a) < 2**63  # a BIGINT on PostgreSQL, an INTEGER on SQLite


def test_gram_key_edge_characters_do_not_collide() -> None:
    # The smallest and largest code points.
    grams = ["\x00", "\x00\x00", "\x00a", "a", "\U0010ffff", "\U0010ffff\U0010ffff", "\x01\x00"]
    assert len({gram_key(g) for g in grams}) == len(grams)


def test_name_grams_leave_out_grams_inside_the_suffix() -> None:
    folded = "华建工程有限公司"
    grams = name_grams(folded, len(strip_legal_suffix(folded)))
    keys = {gram_key(g): g for g in ("华", "建", "工", "程", "华建", "建工", "工程", "程有")}
    assert {keys[k]: grams[k] for k in keys} == {
        "华": 0,
        "建": 1,
        "工": 2,
        "程": 3,
        "华建": 0,
        "建工": 1,
        "工程": 2,
        "程有": 3,  # crosses into the suffix: still found
    }
    for inside in ("有", "限", "公", "司", "有限", "限公", "公司"):
        assert gram_key(inside) not in grams, inside
    assert len(grams) == len(keys)


def test_name_grams_first_position_wins() -> None:
    grams = name_grams("建华建", 3)
    assert grams[gram_key("建")] == 0 and grams[gram_key("华")] == 1


# -- subject search keys ------------------------------------------------------------------------
def grams_of(keys: stx.SearchKeys) -> dict[int, int]:
    return dict(keys.grams)


def test_subject_keys_rank_names_before_aliases_and_starts_first() -> None:
    keys = subject_search_keys("华建科技有限公司", ["天河建设集团"], person=False)
    grams = grams_of(keys)
    # Name: at the start in bucket 0, elsewhere bucket 1; within a bucket the core length (4).
    assert grams[gram_key("华")] == 0 * RANK_BUCKET + 4
    assert grams[gram_key("科技")] == 1 * RANK_BUCKET + 4
    # Alias (core 天河建设 after 集团): from bucket ALIAS_BUCKET_OFFSET on.
    assert grams[gram_key("天河")] == ALIAS_BUCKET_OFFSET * RANK_BUCKET + 4
    assert grams[gram_key("建设")] == (ALIAS_BUCKET_OFFSET + 1) * RANK_BUCKET + 4
    # A gram in both keeps the better (name) rank: 建 is in the name at position 1.
    assert grams[gram_key("建")] == 1 * RANK_BUCKET + 4
    assert max(r for g, r in keys.grams if gram_key("天河") == g) > max(
        grams[gram_key(c)] for c in "华建科技"
    )
    for inside in ("有限", "公司", "集团", "有", "司"):
        assert gram_key(inside) not in grams, inside
    assert dict(keys.initials) == {"hjkj": 4, "thjs": ALIAS_BUCKET_OFFSET * RANK_BUCKET + 4}
    assert keys.search_text == "华建科技有限公司\x01天河建设集团"


def test_subject_keys_every_alias_rank_after_every_name_rank() -> None:
    keys = subject_search_keys("天河华建建筑工程有限公司", ["宏达", "华建建设"], person=False)
    name_only = subject_search_keys("天河华建建筑工程有限公司", [], person=False)
    alias_grams = keys.grams - name_only.grams
    assert alias_grams
    assert min(r for _, r in alias_grams) >= ALIAS_BUCKET_OFFSET * RANK_BUCKET
    assert max(r for _, r in name_only.grams) < ALIAS_BUCKET_OFFSET * RANK_BUCKET


def test_subject_keys_shorter_core_ranks_first_whatever_the_suffix() -> None:
    def rank(name: str) -> int:
        return grams_of(subject_search_keys(name, [], person=False))[gram_key("华建")]

    assert rank("华建有限公司") == rank("华建股份有限公司") == rank("华建集团有限公司") == rank("华建")
    assert rank("华建") < rank("华建科技有限公司") == rank("华建科技股份有限公司")
    assert rank("华建科技有限公司") < rank("天河华建有限公司")


def test_subject_keys_initials_from_inside_each_name_rank_a_bucket_lower() -> None:
    keys = subject_search_keys("某市鑫鑫建设工程有限公司", ["天河华建"], person=False)
    assert dict(keys.initials) == {"msxxjsgc": 8, "thhj": ALIAS_BUCKET_OFFSET * RANK_BUCKET + 4}
    inside_name = {run: RANK_BUCKET + 8 for run in ("sxxjsgc", "xxjsgc", "xjsgc", "jsgc", "sgc", "gc", "c")}
    inside_alias = {run: (ALIAS_BUCKET_OFFSET + 1) * RANK_BUCKET + 4 for run in ("hhj", "hj", "j")}
    assert dict(keys.infix_initials) == {**inside_name, **inside_alias}
    # A run in both the name and an alias keeps the name's rank.
    both = subject_search_keys("天河华建", ["东华建"], person=False)
    assert dict(both.infix_initials)["hj"] == RANK_BUCKET + 4
    assert stx.infix_initials("zsf") == ["sf", "f"] and stx.infix_initials("z") == []


def test_subject_keys_person_initials_use_surname_readings() -> None:
    assert dict(subject_search_keys("单雄信", [], person=True).initials) == {"sxx": 3}
    assert dict(subject_search_keys("单雄信", [], person=False).initials) == {"dxx": 3}


def test_subject_keys_fold_names_and_skip_empty_aliases() -> None:
    keys = subject_search_keys("天河華建（集团）有限公司", ["", "  ", "ＨＪ"], person=False)
    assert keys.search_text == "天河华建集团有限公司\x01hj"
    assert gram_key("華") not in grams_of(keys) and gram_key("华") in grams_of(keys)


def test_a_control_character_in_a_name_does_not_split_it() -> None:
    keys = subject_search_keys("华建\x01科技", ["宏达"], person=False)
    assert keys.search_text.split("\x01") == ["华建科技", "宏达"]


@PROPERTY
@given(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=3), st.booleans())
def test_subject_keys_are_deterministic(name: str, aliases: list[str], person: bool) -> None:
    # update_subject deletes the old keys by recomputing them: the same input must give the same keys.
    assert subject_search_keys(name, aliases, person) == subject_search_keys(name, list(aliases), person)
    keys = subject_search_keys(name, aliases, person)
    assert all(len(i) <= stx.INITIALS_LIMIT for i, _ in keys.initials)
    assert all(0 <= r < (ALIAS_BUCKET_OFFSET + 2) * RANK_BUCKET for _, r in keys.grams)


def test_initials_read_the_characters_as_written_before_simplification() -> None:
    # OpenCC folds 乾 into 干 (gān) for matching; the initials of 乾元 are still qy (qián yuán).
    keys = subject_search_keys("乾元建设有限公司", [], person=False)
    assert {initials for initials, _ in keys.initials} == {"qyjs"}
    assert fold("乾元") == "干元"
