"""Credit lookup (DOMAIN.md §1 "Search must find ..."): one semantic per test, each on SQLite and on
PostgreSQL through the ``services`` fixture."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select

from desktop_app.domain import search_text as stx
from desktop_app.domain.credit import RecordKind, Severity, SubjectKind, Verdict
from desktop_app.domain.identifiers import id_check_char, uscc_check_char
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SEARCH_LIMIT, AliasInput, RecordInput, SearchResult, SubjectInput
from desktop_app.services.credit.search import TRIGRAM_INDEX
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import SearchGram, SearchInfixInitials, SearchInitials

ON = date(2026, 5, 1)


def code(n: int) -> str:
    body = f"91440101MA5C{n:05d}"
    return body + uscc_check_char(body)


def resident_id(body: str) -> str:
    return body + id_check_char(body)


class Desk:
    """Creates subjects and asks the clerk's questions."""

    def __init__(self, services: Services, leader: CurrentUser, clerk: CurrentUser) -> None:
        self.services, self.leader, self.clerk = services, leader, clerk
        self.serial = 0

    def company(self, name: str, *aliases: str, uscc: str = "") -> int:
        self.serial += 1
        info = self.services.credit.create_subject(
            self.leader,
            SubjectInput(
                SubjectKind.BIDDER,
                name,
                uscc=uscc or code(self.serial),
                aliases=tuple(AliasInput(a) for a in aliases),
            ),
        )
        return info.id

    def person(self, name: str, id_number: str, *aliases: str) -> int:
        return self.services.credit.create_subject(
            self.leader,
            SubjectInput(
                SubjectKind.EXPERT, name, id_number=id_number, aliases=tuple(AliasInput(a) for a in aliases)
            ),
        ).id

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> SearchResult:
        return self.services.credit.search(self.clerk, query, on=ON, limit=limit)

    def ids(self, query: str) -> list[int]:
        return [hit.subject_id for hit in self.search(query).hits]


@pytest.fixture
def desk(services: Services, leader: CurrentUser, clerk: CurrentUser) -> Desk:
    return Desk(services, leader, clerk)


def test_one_character(desk: Desk) -> None:
    inside = desk.company("天河华建建筑工程有限公司")
    longer = desk.company("华建科技有限公司")
    start = desk.company("华建有限公司")
    other = desk.company("宏达建设有限公司")
    alias_only = desk.company("宏远物业有限公司", "华远物业")
    ids = desk.ids("华")
    # Names starting with it first (shorter distinctive name first), then names containing it,
    # then former names.
    assert ids == [start, longer, inside, alias_only]
    assert other not in ids
    assert desk.ids("司") == []  # only inside the legal suffix: not indexed
    assert desk.ids("程") == [inside]  # the last character of the core, next to the suffix


def test_two_characters(desk: Desk) -> None:
    together = desk.company("天河华建建筑工程有限公司")
    apart = desk.company("建华科技有限公司")  # 建 and 华, never 华建
    assert desk.ids("华建") == [together]
    assert desk.ids("建华") == [apart]
    assert desk.ids("程有") == [together]  # a bigram that crosses into the suffix still finds 工程有限
    assert desk.ids("建科") == []


def test_three_or_more_characters(desk: Desk) -> None:
    building = desk.company("天河华建建筑工程有限公司")
    tech = desk.company("华建科技有限公司")
    tech_shares = desk.company("宏达科技股份有限公司")
    assert desk.ids("建筑工程") == [building]
    assert desk.ids("华建科") == [tech]
    assert desk.ids("华建建") == [building]
    assert sorted(desk.ids("科技有限公司")) == [tech]  # 宏达科技股份有限公司 does not contain it
    assert sorted(desk.ids("科技股份")) == [tech_shares]
    assert desk.ids("华建科技建筑") == []  # every bigram exists somewhere, the whole query nowhere


def test_five_character_fragment_from_the_middle(desk: Desk) -> None:
    target = desk.company("天河华建建筑工程有限公司")
    desk.company("华建建设有限公司")
    desk.company("天河建筑工程有限公司")
    result = desk.search("华建建筑工")
    assert [h.subject_id for h in result.hits] == [target]
    assert result.hits[0].how == "name"
    other = desk.ids("天河建筑")[0]
    assert desk.ids("建筑工程有") == [other, target]  # crossing into the suffix; shorter name first


def test_former_name(desk: Desk) -> None:
    renamed = desk.company("天河宏达建设集团有限公司", "天河华建建设有限公司", "华建")
    named = desk.company("华建建设工程有限公司")
    result = desk.search("华建建设")
    assert [h.subject_id for h in result.hits] == [named, renamed]  # the name ranks before the alias
    assert result.hits[0].how == "name" and result.hits[0].matched_alias == ""
    assert result.hits[1].how == "alias"
    assert result.hits[1].matched_alias == "天河华建建设有限公司"
    assert result.hits[1].name == "天河宏达建设集团有限公司"
    short = desk.search("华建")  # two characters: the short name, also an alias
    by_id = {h.subject_id: h for h in short.hits}
    assert by_id[renamed].how == "alias" and by_id[renamed].matched_alias in ("天河华建建设有限公司", "华建")
    assert by_id[named].how == "name"


def test_uscc_whole_comes_first(desk: Desk) -> None:
    target_code = code(777)
    # Another subject's former name contains the code as text: a name match, shown after.
    mention = desk.company("宏达建设有限公司", f"原{target_code}公司")
    target = desk.company("华建有限公司", uscc=target_code)
    result = desk.search(target_code)
    assert [h.subject_id for h in result.hits] == [target, mention]
    assert result.hits[0].how == "uscc"
    assert result.hits[0].identifier == target_code
    # Lower case, full-width and with spaces: the same code.
    assert desk.ids(target_code.lower())[0] == target
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in target_code)
    assert desk.ids(full_width)[0] == target
    assert desk.ids(f" {target_code[:6]} {target_code[6:]} ")[0] == target


def test_uscc_prefix(desk: Desk) -> None:
    first = desk.company("华建有限公司", uscc=code(101))
    second = desk.company("宏达有限公司", uscc=code(102))
    elsewhere_body = "92110000MA00AAAA1"
    elsewhere = desk.company("远方有限公司", uscc=elsewhere_body + uscc_check_char(elsewhere_body))
    result = desk.search("91440101ma5c")
    assert [h.subject_id for h in result.hits] == [first, second]  # in code order
    assert {h.how for h in result.hits} == {"uscc_prefix"}
    assert desk.ids(code(102)[:17]) == [second]
    assert desk.ids("9211") == [elsewhere]
    assert desk.ids("93") == []


def test_id_number_whole_only_and_never_shown(desk: Desk, services: Services) -> None:
    id_x = resident_id("11010519491231002")
    assert id_x.endswith("X")
    target = desk.person("单雄信", id_x)
    other_id = resident_id("44030119900101123")
    desk.person("张三丰", other_id)
    result = desk.search(id_x)
    assert [h.subject_id for h in result.hits] == [target]
    hit = result.hits[0]
    assert hit.how == "id"
    assert hit.identifier == "1101**********002X"
    assert desk.ids(id_x.lower()) == [target]  # lower-case x
    assert desk.ids("".join(chr(ord(c) + 0xFEE0) for c in id_x)) == [target]  # full-width
    for partial in (id_x[:17], id_x[:14], id_x[6:], id_x[-6:], id_x[:6], id_x[1:]):
        assert desk.ids(partial) == [], partial
    # The clear number is nowhere in what a search returns.
    for query in (id_x, "单雄信", "sxx", "单"):
        for found in desk.search(query).hits:
            assert id_x not in repr(dataclasses.asdict(found)), query
            assert id_x[6:14] not in repr(dataclasses.asdict(found)), query  # nor the birth date


def test_pinyin_initials(desk: Desk) -> None:
    zhang = desk.person("张三丰", resident_id("11010519800101123"))
    zhang_short = desk.person("张三", resident_id("11010519800101131"))
    shan = desk.person("单雄信", resident_id("11010519800101140"))
    zeng = desk.person("曾国藩", resident_id("11010519800101158"))
    ou = desk.person("区志强", resident_id("11010519800101166"))
    zha = desk.person("查良镛", resident_id("11010519800101174"))
    chongqing = desk.company("重庆华建有限公司")
    result = desk.search("zsf")
    assert [h.subject_id for h in result.hits] == [zhang]
    assert result.hits[0].how == "initials"
    assert desk.ids("zs") == [zhang_short, zhang]  # exact initials first, then longer ones
    assert desk.ids("ZSF") == [zhang]
    assert desk.ids("sxx") == [shan] and desk.ids("dxx") == []
    assert desk.ids("zgf") == [zeng] and desk.ids("cgf") == []
    assert desk.ids("ozq") == [ou] and desk.ids("qzq") == []
    assert desk.ids("zly") == [zha] and desk.ids("cly") == []
    assert desk.ids("cqhj") == [chongqing]  # companies read as words: 重庆 is chóngqìng
    assert desk.ids("zqhj") == []
    assert desk.ids("hj") == [chongqing]  # from inside the name too (below matches from the start)
    assert desk.ids("qhj") == [chongqing] and desk.ids("qzhj") == []  # a run: consecutive characters


def test_initials_of_a_run_inside_a_name(desk: Desk) -> None:
    """Clerks leave out the place name in front and the legal form: the initials of any run of
    consecutive characters find the name, below the names those initials start."""
    inside = desk.company("某市鑫鑫建设工程有限公司")  # msxxjsgc
    starting = desk.company("喜喜建设有限公司")  # xxjs from the start
    other = desk.company("天河宏达建设有限公司")
    result = desk.search("xxjs")
    assert [h.subject_id for h in result.hits] == [starting, inside]
    assert {h.how for h in result.hits} == {"initials"}
    assert desk.ids("XXJSGC") == [inside]  # to the end of the distinctive name
    assert desk.ids("sgc") == [inside]
    assert desk.ids("jsgc") == [inside]
    # Runs ending where the distinctive name ends first, as exact initials come first.
    assert desk.ids("js") == [starting, other, inside]
    assert desk.ids("xjs") == [starting, inside]
    assert desk.ids("xxgc") == []  # not consecutive
    assert desk.ids("jsgcyx") == []  # the legal form is not indexed, from the start or inside
    # Ranked below every match from the start, exact or longer.
    longer = desk.company("徐鑫建设监理有限公司")  # xxjsjl: starts with xxjs, a longer distinctive name
    assert desk.ids("xxjs") == [starting, longer, inside]


def test_initials_of_a_run_inside_an_alias(desk: Desk) -> None:
    renamed = desk.company("天河宏达科技有限公司", "长沙鑫鑫建设有限公司")
    named = desk.company("某县鑫鑫建设有限公司")
    assert desk.ids("xxjs") == [named, renamed]  # inside the name before inside a former name
    assert desk.ids("hdkj") == [renamed]
    assert desk.ids("csxx") == [renamed]  # the former name from its start


def test_initials_of_a_run_inside_a_person_name(desk: Desk) -> None:
    ouyang = desk.person("欧阳修文", resident_id("11010519800101123"))
    shan = desk.person("单雄信", resident_id("11010519800101131"))
    assert desk.ids("xw") == [ouyang]
    assert desk.ids("yxw") == [ouyang]
    assert desk.ids("xx") == [shan]  # 雄信 inside 单雄信
    assert desk.ids("sxx") == [shan]


def test_many_infix_matches_never_push_out_a_match_from_the_start(desk: Desk) -> None:
    starts = desk.company("华建科技有限公司")  # hjkj
    inside = [
        desk.company(f"天河{'东西南北'[n % 4]}华建科技{n:02d}有限公司") for n in range(SEARCH_LIMIT + 5)
    ]
    hits = desk.search("hjkj").hits
    assert len(hits) == SEARCH_LIMIT
    assert hits[0].subject_id == starts
    assert {h.subject_id for h in hits[1:]} <= set(inside)


def test_full_width_and_half_width(desk: Desk) -> None:
    target = desk.company("ABC科技有限公司")
    assert desk.ids("ＡＢＣ科技") == [target]
    assert desk.ids("ａｂｃ") == [target]
    assert desk.ids("abc") == [target]
    bracketed = desk.company("天河（华建）建筑工程有限公司")
    assert desk.ids("天河(华建)建筑") == [bracketed]
    assert desk.ids("天河华建建筑") == [bracketed]
    assert desk.ids("天河　华建") == [bracketed]  # an ideographic space


def test_upper_and_lower_case(desk: Desk) -> None:
    target = desk.company("HuaJian Tech科技有限公司")
    assert desk.ids("huajian") == [target]
    assert desk.ids("HUAJIAN") == [target]
    assert desk.ids("HuaJianTech") == [target]
    lower = desk.company("abc贸易有限公司")
    assert desk.ids("ABC贸易") == [lower]


def test_traditional_and_simplified(desk: Desk) -> None:
    stored_traditional = desk.company("臺灣華建有限公司")
    stored_simplified = desk.company("广州华建有限公司")
    assert desk.ids("台湾华建") == [stored_traditional]
    assert desk.ids("臺灣華建") == [stored_traditional]
    assert desk.ids("廣州") == [stored_simplified]
    assert desk.ids("广州华建") == [stored_simplified]
    assert desk.ids("華") == desk.ids("华")
    assert set(desk.ids("華建")) == {stored_traditional, stored_simplified}


def test_ranking_ignores_legal_suffixes(desk: Desk) -> None:
    tech = desk.company("华建科技有限公司")
    tech_shares = desk.company("华建科技股份有限公司")
    core = desk.company("华建集团股份有限公司")  # distinctive name 华建, created last
    inside = desk.company("天河华建有限公司")
    ids = desk.ids("华建")
    assert ids[0] == core
    assert set(ids[1:3]) == {tech, tech_shares}
    assert ids[3] == inside
    assert desk.ids("华")[0] == core
    # A longer query: the same distinctive name, whatever the suffix, ranks alike (then by id).
    assert desk.ids("华建科技") == [tech, tech_shares]
    plain = desk.company("华建股份有限公司")
    assert desk.ids("华建")[:2] == [core, plain] or desk.ids("华建")[:2] == [plain, core]


def test_query_that_is_only_a_legal_suffix(desk: Desk) -> None:
    desk.company("华建有限公司")
    desk.company("华建科技股份有限公司")
    for query in ("有限公司", "公司", "股份有限公司", "有限责任公司", "有限", "司"):
        result = desk.search(query)
        assert result.hits == (), query
        assert "有限公司" in result.hint, query
        assert result.verdict == Verdict.NOT_FOUND
    nothing = desk.search("不存在的名称")
    assert nothing.hits == () and nothing.hint == ""
    assert desk.search("").hits == () and desk.search("  （） ").hits == ()


def test_exact_identifier_first(desk: Desk) -> None:
    id_number = resident_id("11010519800101123")
    person = desk.person("华建", id_number)  # a person whose name is also a company's
    company = desk.company("华建有限公司")
    assert desk.ids(id_number) == [person]
    assert desk.ids("华建")[:2] == [person, company] or desk.ids("华建")[:2] == [company, person]
    found = desk.search(desk.services.credit.subject(company).uscc)
    assert found.hits[0].subject_id == company and found.hits[0].how == "uscc"


def test_verdict_badges_on_hits(desk: Desk, services: Services, leader: CurrentUser) -> None:
    banned = desk.company("华建建筑有限公司")
    records = desk.company("华建科技有限公司")
    clear = desk.company("华建物业有限公司")
    services.credit.add_record(
        leader,
        RecordInput(
            banned,
            RecordKind.BAN,
            Severity.GENERAL,
            date(2026, 3, 1),
            facts="串通投标",
            authority="天河市住建局",
            decision_number="天建罚〔2026〕3号",
            ban_start=date(2026, 3, 10),
            ban_end=date(2026, 9, 9),
        ),
    )
    services.credit.add_record(
        leader, RecordInput(records, RecordKind.BAD, Severity.GENERAL, date(2026, 4, 1), facts="迟交保证金")
    )
    hits = {h.subject_id: h for h in desk.search("华建").hits}
    assert hits[banned].verdict == Verdict.BANNED and hits[banned].verdict_label == "禁止入场"
    assert "天建罚〔2026〕3号" in hits[banned].reason
    assert hits[records].verdict == Verdict.RECORDS and hits[records].verdict_label == "有不良记录"
    assert hits[records].score == 95
    assert hits[clear].verdict == Verdict.CLEAR and hits[clear].verdict_label == "可入场"
    assert (hits[clear].score, hits[clear].grade) == (100, "A")
    # On another day the badge follows the records in force then.
    later = services.credit.search(desk.clerk, "华建建筑", on=date(2026, 9, 10))
    assert later.hits[0].verdict != Verdict.BANNED


Keys = tuple[set[tuple[int, int]], set[tuple[str, int]], set[tuple[str, int]]]


def stored_keys(services: Services, subject_id: int) -> Keys:
    with services.db.session() as session:
        grams = session.execute(
            select(SearchGram.gram, SearchGram.rank).where(SearchGram.subject_id == subject_id)
        ).all()
        initials = session.execute(
            select(SearchInitials.initials, SearchInitials.rank).where(
                SearchInitials.subject_id == subject_id
            )
        ).all()
        infixes = session.execute(
            select(SearchInfixInitials.initials, SearchInfixInitials.rank).where(
                SearchInfixInitials.subject_id == subject_id
            )
        ).all()
    return {(g, r) for g, r in grams}, {(i, r) for i, r in initials}, {(i, r) for i, r in infixes}


def expected_keys(name: str, aliases: list[str]) -> Keys:
    keys = stx.subject_search_keys(name, aliases, person=False)
    return set(keys.grams), set(keys.initials), set(keys.infix_initials)


def test_renaming_and_changing_aliases_updates_the_index(
    desk: Desk, services: Services, leader: CurrentUser
) -> None:
    sid = desk.company("华建科技有限公司", "宏达科技")
    bystander = desk.company("远方贸易有限公司")
    assert stored_keys(services, sid) == expected_keys("华建科技有限公司", ["宏达科技"])
    before_bystander = stored_keys(services, bystander)
    info = services.credit.subject(sid)
    renamed = services.credit.update_subject(
        leader,
        sid,
        dataclasses.replace(
            services.credit.subject_input(leader, sid),
            name="天河明远科技有限公司",
            aliases=(AliasInput("华建科技有限公司"), AliasInput("明远")),
        ),
        info.version,
    )
    assert renamed.name == "天河明远科技有限公司"
    assert stored_keys(services, sid) == expected_keys("天河明远科技有限公司", ["华建科技有限公司", "明远"])
    assert stored_keys(services, bystander) == before_bystander
    assert desk.ids("宏达") == []  # the dropped alias no longer finds it
    assert desk.ids("thmykj") == [sid] and desk.ids("hjkj") == [sid]  # new name; old name now an alias
    assert desk.ids("mykj") == [sid] and desk.ids("jkj") == [sid]  # inside the new name; inside the alias
    assert desk.ids("dkj") == []  # 宏达科技 is gone, from the start and inside
    hit = desk.search("华建科技").hits[0]
    assert (hit.subject_id, hit.how, hit.matched_alias) == (sid, "alias", "华建科技有限公司")
    assert desk.ids("明远科技") == [sid] and desk.search("明远科技").hits[0].how == "name"
    # Drop every alias: the old name finds nothing at all.
    services.credit.update_subject(
        leader,
        sid,
        dataclasses.replace(services.credit.subject_input(leader, sid), aliases=()),
        renamed.version,
    )
    assert stored_keys(services, sid) == expected_keys("天河明远科技有限公司", [])
    for old in ("华建", "华建科技", "华", "hjkj", "jkj", "宏达科技"):
        assert sid not in desk.ids(old), old
    assert desk.ids("mykj") == [sid]
    assert desk.ids("明远") == [sid]


def test_many_matches_return_at_most_the_limit(desk: Desk) -> None:
    ids = [desk.company(f"华建第{n:02d}工程有限公司") for n in range(SEARCH_LIMIT + 5)]
    assert len(desk.search("华").hits) == SEARCH_LIMIT
    assert len(desk.search("华建").hits) == SEARCH_LIMIT
    assert len(desk.search("华建第").hits) == SEARCH_LIMIT
    assert len(desk.search("hjd").hits) == SEARCH_LIMIT
    assert len(desk.search("91440101").hits) == SEARCH_LIMIT
    few = desk.search("华建", limit=7)
    assert len(few.hits) == 7
    assert set(h.subject_id for h in few.hits) <= set(ids)
    assert desk.ids("华建第07工程") == [ids[7]]


NAMES = (
    ("天河华建建筑工程有限公司", ()),
    ("华建科技有限公司", ("宏达建筑工程有限公司",)),
    ("宏达科技股份有限公司", ()),
    ("长沙华建建设集团有限公司", ("华建建设",)),
    ("华建建筑有限公司", ()),
    ("有限科技有限公司", ()),
    ("某市鑫鑫建设工程有限公司", ("鑫鑫工程",)),
)
LONG_QUERIES = (
    "华建建", "建筑工程", "建筑工程有限", "程有限公司", "华建科技", "宏达建筑", "鑫鑫工程", "建设工程",
    "有限公司", "有限科技", "科技股份", "华建科技建筑", "不存在的", "華建建", "ＡＢＣ", "建设集团有限",
)  # fmt: skip


def test_trigram_index_finds_what_the_own_index_finds(desk: Desk, services: Services) -> None:
    """On PostgreSQL a query of four characters or more goes through pg_trgm's index (migration
    0006): the same subjects in the same order as the own index gives, on SQLite too. Three
    characters stay with the own index (measured faster there: benchmarks/credit_search_bench.py)."""
    for name, aliases in NAMES:
        desk.company(name, *aliases)
    common = [desk.company(f"华建建设第{n:02d}有限公司") for n in range(25)]  # more than 4 × the limit
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        statements.append(sql)

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        through_trigrams = {q: desk.ids(q) for q in LONG_QUERIES}
        few = desk.search("华建建设", limit=5)  # 29 names contain it: walked by the own index
        used = [s for s in statements if "LIKE" in s and "credit_search_grams" not in s]
        assert bool(used) is (services.db.backend == "postgresql")
        statements.clear()
        desk.ids("华建建")
        assert not [s for s in statements if "LIKE" in s and "credit_search_grams" not in s]
        services.db.capabilities[TRIGRAM_INDEX] = False
        statements.clear()
        own = {q: desk.ids(q) for q in LONG_QUERIES}
        assert not [s for s in statements if "LIKE" in s and "credit_search_grams" not in s]
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)
    assert through_trigrams == own
    assert own["有限公司"] == [] and own["建筑工程"] and own["宏达建筑"]
    assert [h.subject_id for h in few.hits] == [h.subject_id for h in desk.search("华建建设", limit=5).hits]
    assert {h.subject_id for h in few.hits} <= set(common) | {4}
