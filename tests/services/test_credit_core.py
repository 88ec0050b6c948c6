"""Credit service end to end: subjects, records, verdicts, search semantics, entry checks (SQLite and PG)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain.credit import RecordKind, RecordStatus, Severity, SubjectKind, Verdict
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import AliasInput, RecordInput, SubjectInput
from desktop_app.services.facade import Services
from tests.builders import company, resident_id, uscc


def test_ban_verdict_around_first_and_last_day(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = company(services, leader, "天河华建建筑工程有限公司", uscc("91440101MA5CXXXX0"))
    services.credit.add_record(
        leader,
        RecordInput(
            sid,
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
    assert services.credit.assess(sid, date(2026, 2, 28)).verdict == Verdict.CLEAR  # before the decision
    assert (
        services.credit.assess(sid, date(2026, 3, 9)).verdict == Verdict.RECORDS
    )  # decided, not yet barring
    assert services.credit.assess(sid, date(2026, 3, 10)).verdict == Verdict.BANNED
    assert services.credit.assess(sid, date(2026, 9, 9)).verdict == Verdict.BANNED
    # After its last day the subject may enter; the decision stays published as a record.
    assert services.credit.assess(sid, date(2026, 9, 10)).verdict == Verdict.RECORDS
    result = services.credit.search(clerk, "华建", on=date(2026, 5, 1))
    assert result.hits[0].subject_id == sid and result.hits[0].verdict == Verdict.BANNED
    assert "天建罚〔2026〕3号" in result.hits[0].reason


def test_supervisor_ban_waits_for_leader(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor, "某某代理有限公司", uscc("91440101MA5CYYYY0"))
    rec = services.credit.add_record(
        supervisor,
        RecordInput(
            sid,
            RecordKind.SERIOUS,
            Severity.SERIOUS,
            date(2026, 1, 5),
            facts="弄虚作假",
            authority="市发改委",
            decision_number="发改〔2026〕1号",
        ),
    )
    assert rec.status == RecordStatus.PENDING
    assert services.credit.assess(sid, date(2026, 2, 1)).verdict == Verdict.CLEAR
    with pytest.raises(PermissionDenied):
        services.credit.confirm_record(supervisor, rec.id, rec.version)
    services.credit.confirm_record(leader, rec.id, rec.version)
    assert services.credit.assess(sid, date(2026, 2, 1)).verdict == Verdict.BANNED


def test_search_semantics(services: Services, leader: CurrentUser, clerk: CurrentUser) -> None:
    a = company(services, leader, "天河華建建筑工程有限公司", uscc("91440101MA5CAAAA0"), "华建建设集团")
    b = company(services, leader, "华建有限公司", uscc("91440101MA5CBBBB0"))
    person = services.credit.create_subject(
        leader, SubjectInput(SubjectKind.EXPERT, "单雄信", id_number=resident_id("11010519491231002"))
    ).id
    zhang = services.credit.create_subject(
        leader, SubjectInput(SubjectKind.EXPERT, "张三丰", id_number=resident_id("11010519800101123"))
    ).id

    def ids(q: str) -> list[int]:
        return [h.subject_id for h in services.credit.search(clerk, q).hits]

    assert a in ids("华") and b in ids("华")
    assert ids("华建")[0] == b  # shorter distinctive name first; 有限公司 does not count
    assert ids("华建建筑") == [a]  # traditional 華 folded
    assert ids("ＨＵＡ") == []
    assert a in ids("建设集团")  # former name
    assert ids("91440101MA5CBBBB0".lower()[:8])  # prefix
    assert ids(uscc("91440101MA5CBBBB0"))[0] == b
    assert ids("sxx") == [person]
    assert ids("ZSF") == [zhang]
    assert ids(resident_id("11010519800101123")) == [zhang]
    assert ids("单") == [person]
    assert ids("有限公司") == []
    assert services.credit.search(clerk, "有限公司").hint


def test_entry_check_prints_certificate(services: Services, leader: CurrentUser, clerk: CurrentUser) -> None:
    sid = company(services, leader, "华建有限公司", uscc("91440101MA5CBBBB0"))
    result = services.credit.entry_check(clerk, "华建", sid)
    assert result.notice.number.startswith("XY")
    assert result.check.verdict == Verdict.CLEAR
    none = services.credit.entry_check(clerk, "不存在的公司", None)
    assert none.check.verdict == Verdict.NOT_FOUND
    file = services.credit.subject_file(clerk, sid)
    assert len(file.checks) == 1


def test_bad_uscc_needs_override(services: Services, leader: CurrentUser) -> None:
    good = uscc("91440101MA5CWWWW0")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(ValidationError) as err:
        company(services, leader, "某公司", bad)
    assert err.value.field == "uscc"
    info = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.BIDDER, "某公司", uscc=bad, identifier_override_reason="营业执照原件核对无误"
        ),
    )
    assert info.identifier_override_reason


def test_editing_without_retyping_personal_data_keeps_it(services: Services, leader: CurrentUser) -> None:
    from desktop_app.services.credit import ContactInput

    expert_id = resident_id("11010519800101123")
    created = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.EXPERT,
            "张三丰",
            id_number=expert_id,
            phone="13812345678",
            contacts=(ContactInput("李四", "助理", "13912345678"),),
        ),
    )
    form = services.credit.subject_input(leader, created.id)
    assert form.id_number == "" and form.phone == ""  # the form never carries clear personal data
    edited = services.credit.update_subject(
        leader, created.id, replace(form, specialty="房建"), created.version
    )
    assert edited.specialty == "房建"
    assert edited.id_number_masked == created.id_number_masked
    assert edited.contacts[0].phone_masked == "139****5678"
    reason = "核对身份"
    assert services.credit.reveal_personal_data(leader, created.id, "id_number", reason) == expert_id
    assert services.credit.reveal_personal_data(leader, created.id, "phone", reason) == "13812345678"


def test_entry_check_refuses_a_subject_the_query_does_not_find(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = company(services, leader, "华建有限公司", uscc("91440101MA5CBBBB0"))
    other = company(services, leader, "远航物流有限公司", uscc("91440101MA5CDDDD0"), "远洋货运")
    with pytest.raises(ValidationError) as err:
        services.credit.entry_check(clerk, "华建", other)
    assert err.value.field == "query"
    assert services.credit.subject_file(clerk, other).checks == ()
    for query in (
        "远洋",
        "yhwl",
        "hwl",
        "yhw",
        "yh",
        "91440101",
        "远航物流有限公司",
    ):  # initials from inside too
        assert services.credit.entry_check(clerk, query, other, print_notice=False).check.subject_id == other
    for query in ("ywl", "hwlyx"):  # not a run of the name's characters; into the legal form
        with pytest.raises(ValidationError):
            services.credit.entry_check(clerk, query, other, print_notice=False)
    assert services.credit.entry_check(clerk, "华建", sid, print_notice=False).check.subject_id == sid


def test_alias_hit_says_which_kind_of_alias(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.AGENCY,
            "远航招标代理有限公司",
            uscc=uscc("91440101MA5CEEEE0"),
            aliases=(AliasInput("远航代理", "short"), AliasInput("远帆咨询有限公司", "former")),
        ),
    ).id
    short = services.credit.search(clerk, "航代").hits
    assert short[0].subject_id == sid and short[0].matched_alias == "远航代理"
    assert short[0].matched_alias_kind == "short"
    former = services.credit.search(clerk, "远帆").hits
    assert former[0].matched_alias == "远帆咨询有限公司" and former[0].matched_alias_kind == "former"


def test_query_running_into_stacked_legal_endings_still_finds_the_name(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    """集团 + 有限公司 are both stripped from the distinctive name; the bigram 团有 where they meet is
    indexed nowhere, and must not make a query that contains it find nothing."""
    sid = company(services, leader, "华建集团有限公司", uscc("91440101MA5CFFFF0"))
    for query in ("华建集团有限", "建集团有", "华建集团有限公司"):
        assert [h.subject_id for h in services.credit.search(clerk, query).hits] == [sid], query
