"""The credit files of the demo center: experts, companies, the center's own staff, and records of
every kind and state (active and expired bans, a repair, a revoked record, a ban awaiting a leader)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.identifiers import USCC_ALPHABET, uscc_check_char
from desktop_app.services.context import CurrentUser
from desktop_app.services.demo.context import DEFAULT_SEED, DemoContext, DemoStep, step_rng
from desktop_app.services.demo.people import (
    HEAD_POST,
    LEADER_POSTS,
    REGION_CODES,
    demo_people,
    mobile_number,
    person_name,
    resident_id,
)

# Places a company of the fictional city (or from out of town) is named after: 天河 + its districts,
# and a few provinces and cities a bidder typically comes from.
COMPANY_PLACES = (
    "天河", "天河市", "天河市滨江", "天河市东湖", "天河临川", "天河望城", "青山", "石门", "安平", "云溪",
    "湖南", "湖南省", "湖北", "广东", "广东省", "江西", "四川", "浙江", "长沙", "武汉", "广州", "深圳",
    "南昌", "杭州", "中铁", "中建",
)  # fmt: skip
# Characters of 字号 (trade names): the auspicious, the local and the modern.
TRADE_CHARACTERS = (
    "华建宏鑫盛泰达信诚隆兴源恒通安康丰瑞祥德嘉和茂金汇博远昌顺新明光成永益富晟宇天中海润佳裕亿弘正"
    "宁腾广锦辰卓越联创科力凯峰铭骏鸿坤元方聚朗璟睿智汉启航图荣星立美景民旭东西南北万众齐合道兆湘楚粤"
    "蓝绿青川江河山石林森泽阳晨春秋银龙凤麒麟豪杰英俊伟雄强胜利昊泓浩淼鼎晶琪瑜璞玺翔鹏展翼骐骥"
)
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "agency": ("招标代理", "工程咨询", "项目管理", "工程造价咨询", "建设管理咨询", "招标咨询"),
    "bidder": ("建筑工程", "建设", "路桥", "水利水电", "市政工程", "装饰工程", "电力工程", "园林绿化", "建工"),
    "supplier": ("科技", "信息技术", "医疗器械", "办公设备", "商贸", "环保科技", "电子", "教学设备"),
    "buyer": ("置业", "房地产开发", "投资", "实业", "物流", "矿业"),
}  # fmt: skip
COMPANY_SUFFIXES = (("有限公司", 60), ("有限责任公司", 20), ("股份有限公司", 12), ("集团有限公司", 8))
COMPANY_KINDS = (("bidder", 500), ("supplier", 250), ("agency", 150), ("buyer", 100))
SPECIALTIES = (
    "房屋建筑工程", "市政公用工程", "公路工程", "水利水电工程", "工程造价", "电力工程", "园林绿化",
    "信息化工程", "医疗设备", "办公设备", "政府采购（服务）", "财务会计", "法律", "土地评估",
)  # fmt: skip
DEMO_EXPERTS = 300
DEMO_COMPANIES = 1000
# Entered through the service in batches: one transaction per batch (each subject still gets its
# own audit entry), so the demo builds in seconds on SQLite with synchronous=FULL.
_CREDIT_BATCH = 250


@dataclass(frozen=True)
class DemoCompany:
    kind: str  # agency / bidder / supplier / buyer
    name: str
    trade_name: str  # the 字号: unique among the demo companies, what a clerk types
    uscc: str
    legal_representative: str
    former_name: str = ""


@dataclass(frozen=True)
class DemoExpert:
    expert_no: str
    name: str
    male: bool
    birth_date: date
    id_number: str
    phone: str
    specialty: str
    pool_status: str  # active / suspended / removed


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def demo_uscc(rng: random.Random) -> str:
    """A valid 统一社会信用代码 of a company registered in the fictional city (region 3799xx)."""
    body = "91" + rng.choice(REGION_CODES) + "MA" + "".join(rng.choices(USCC_ALPHABET, k=7))
    return body + uscc_check_char(body)


def demo_companies(seed: int = DEFAULT_SEED, count: int = DEMO_COMPANIES) -> list[DemoCompany]:
    rng = step_rng(seed, "credit-companies")
    companies: list[DemoCompany] = []
    # A 字号 is what tells companies apart: never one that is also part of a place or an industry.
    trade_names: set[str] = {
        word[i : i + 2]
        for word in (*COMPANY_PLACES, *sum(INDUSTRIES.values(), ()))
        for i in range(len(word) - 1)
    }
    codes: set[str] = set()
    for _ in range(count):
        kind = _weighted(rng, COMPANY_KINDS)
        trade = "".join(rng.sample(TRADE_CHARACTERS, 2))
        while trade in trade_names:
            trade = "".join(rng.sample(TRADE_CHARACTERS, 2))
        trade_names.add(trade)
        place = rng.choice(COMPANY_PLACES)
        industry = rng.choice(INDUSTRIES[kind])
        name = place + trade + industry + _weighted(rng, COMPANY_SUFFIXES)
        code = demo_uscc(rng)
        while code in codes:
            code = demo_uscc(rng)
        codes.add(code)
        former = ""
        if rng.random() < 0.15:  # renamed: another place or industry, or a plainer legal form
            former = rng.choice(COMPANY_PLACES) + trade + rng.choice(INDUSTRIES[kind]) + "有限责任公司"
            if former == name:
                former = ""
        companies.append(
            DemoCompany(kind, name, trade, code, person_name(rng, rng.random() < 0.7)[0], former)
        )
    return companies


def demo_experts(seed: int = DEFAULT_SEED, count: int = DEMO_EXPERTS) -> list[DemoExpert]:
    """Bid-evaluation experts: ID numbers of the fictional region, never those of the demo staff."""
    rng = step_rng(seed, "credit-experts")
    taken = {p.id_number for p in demo_people(seed)}
    experts: list[DemoExpert] = []
    for seq in range(1, count + 1):
        male = rng.random() < 0.7
        name, _ = person_name(rng, male)
        born = date(1958, 1, 1) + timedelta(days=rng.randrange(365 * 30))
        id_number = resident_id(rng, born, male)
        while id_number in taken:
            id_number = resident_id(rng, born, male)
        taken.add(id_number)
        status = "active" if rng.random() < 0.95 else rng.choice(("suspended", "removed"))
        experts.append(
            DemoExpert(
                f"THZJ{2015 + seq % 11}{seq:04d}",
                name,
                male,
                born,
                id_number,
                mobile_number(rng),
                rng.choice(SPECIALTIES),
                status,
            )
        )
    return experts


def _credit_step(ctx: DemoContext) -> None:
    """Credit files: experts, companies, the center's own staff, and records of every kind."""
    from desktop_app.domain.credit import ExpertPoolStatus, RecordKind, RecordSource, Severity, SubjectKind
    from desktop_app.services.credit import (
        AliasInput,
        RecordInput,
        SubjectInput,
        add_record_in,
        create_subject_in,
        validated_subject,
    )

    credit = ctx.services.credit
    rng = ctx.rng("credit")
    today = ctx.services.db.now().astimezone().date()
    leader = ctx.actor(next(p.username for p in ctx.people if p.post == LEADER_POSTS[0]))
    heads = {p.department: p.username for p in ctx.people if p.post == HEAD_POST}
    # Each file is opened by the department that deals with that kind of subject.
    by_kind_head = {
        kind: ctx.actor(heads[department])
        for kind, department in (
            ("bidder", "建设工程科"),
            ("agency", "建设工程科"),
            ("supplier", "政府采购科"),
            ("buyer", "土地产权科"),
            ("expert", "评审科"),
            ("staff", "办公室"),
        )
    }

    def create(actor: CurrentUser, inputs: list[SubjectInput]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(inputs), _CREDIT_BATCH):
            with credit.write("演示数据冲突。") as session:
                for data in inputs[start : start + _CREDIT_BATCH]:
                    ids.append(create_subject_in(session, credit.db, actor, validated_subject(data)).id)
        return ids

    def add(records: list[tuple[CurrentUser, RecordInput]]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(records), _CREDIT_BATCH):
            with credit.write("演示数据冲突。") as session:
                for actor, data in records[start : start + _CREDIT_BATCH]:
                    ids.append(add_record_in(session, credit.db, actor, data).id)
        return ids

    experts = demo_experts(ctx.seed)
    expert_ids = create(
        by_kind_head["expert"],
        [
            SubjectInput(
                SubjectKind.EXPERT,
                e.name,
                id_number=e.id_number,
                phone=e.phone,
                expert_no=e.expert_no,
                specialty=e.specialty,
                pool_status=ExpertPoolStatus(e.pool_status),
            )
            for e in experts
        ],
    )
    companies = demo_companies(ctx.seed)
    company_ids: dict[str, list[int]] = {}
    for kind in INDUSTRIES:
        group = [c for c in companies if c.kind == kind]
        company_ids[kind] = create(
            by_kind_head[kind],
            [
                SubjectInput(
                    SubjectKind(kind),
                    c.name,
                    uscc=c.uscc,
                    legal_representative=c.legal_representative,
                    aliases=(AliasInput(c.former_name),) if c.former_name else (),
                )
                for c in group
            ],
        )
    staff_ids = create(
        by_kind_head["staff"],
        [
            SubjectInput(
                SubjectKind.STAFF,
                p.name,
                id_number=p.id_number,
                staff_id=ctx.staff_ids[p.employee_no],
                specialty=p.post,
                note=p.department,
            )
            for p in ctx.people
        ],
    )
    firms = [sid for kind in INDUSTRIES for sid in company_ids[kind]]

    def days_ago(low: int, high: int) -> date:
        return today - timedelta(days=rng.randrange(low, high))

    def decision_number(prefix: str, on: date) -> str:
        return f"{prefix}〔{on.year}〕{rng.randrange(1, 300)}号"

    plan: list[tuple[CurrentUser, RecordInput]] = []
    picked = rng.sample(firms, 420)
    good, bad, serious, bans = picked[:100], picked[100:330], picked[330:345], picked[345:420]
    for sid in good:
        on = days_ago(1, 500)
        plan.append(
            (
                leader,
                RecordInput(
                    sid,
                    RecordKind.GOOD,
                    Severity.NONE,
                    on,
                    facts=rng.choice(
                        ("获评年度守信激励对象", "项目获省级优质工程奖", "履约评价优秀", "诚信经营示范单位")
                    ),
                    authority="天河市公共资源交易中心",
                    decision_number=decision_number("天公资交", on),
                ),
            )
        )
    bad_facts = {
        Severity.MINOR: ("投标文件格式不规范，开标现场迟到", "未按时提交澄清材料", "现场秩序不规范"),
        Severity.GENERAL: ("无正当理由放弃中标", "提供的业绩证明与实际不符", "未按规定签订合同"),
        Severity.SERIOUS: ("围标串标", "以他人名义投标", "出借资质"),
    }
    for sid in bad:
        severity = rng.choice((Severity.MINOR, Severity.GENERAL, Severity.GENERAL, Severity.SERIOUS))
        on = days_ago(1, 900)  # some expired by now
        plan.append(
            (
                leader,
                RecordInput(
                    sid,
                    RecordKind.BAD,
                    severity,
                    on,
                    facts=rng.choice(bad_facts[severity]),
                    authority=rng.choice(("天河市住房和城乡建设局", "天河市财政局", "天河市交通运输局")),
                    decision_number=decision_number("天建罚", on),
                ),
            )
        )
    for sid in serious:
        on = days_ago(30, 600)
        plan.append(
            (
                leader,
                RecordInput(
                    sid,
                    RecordKind.SERIOUS,
                    Severity.SERIOUS,
                    on,
                    facts=rng.choice(("列入严重失信主体名单：围标串标", "列入严重失信主体名单：行贿")),
                    authority="天河市发展和改革委员会",
                    decision_number=decision_number("天发改信用", on),
                ),
            )
        )
    for index, sid in enumerate(bans):
        active = index < len(bans) * 2 // 3
        severity = Severity.GENERAL if index % 3 else Severity.SERIOUS
        months = 12 if severity == Severity.GENERAL else 24
        # Active today (started, not ended) for two thirds; ended a while ago for the rest.
        on = days_ago(5, 300) if active else days_ago(months * 31 + 10, months * 31 + 400)
        plan.append(
            (
                leader,
                RecordInput(
                    sid,
                    RecordKind.BAN,
                    severity,
                    on,
                    facts=rng.choice(
                        ("串通投标", "弄虚作假骗取中标", "泄露应当保密的招标信息", "拒不履行合同")
                    ),
                    legal_basis="《中华人民共和国招标投标法》第五十三条",
                    authority=rng.choice(("天河市住房和城乡建设局", "天河市财政局")),
                    decision_number=decision_number("天建禁", on),
                    ban_start=on,
                    ban_end=on + timedelta(days=months * 30),
                ),
            )
        )
    for sid in rng.sample(expert_ids, 60):
        severity = rng.choice((Severity.MINOR, Severity.MINOR, Severity.GENERAL, Severity.SERIOUS))
        on = days_ago(1, 500)
        plan.append(
            (
                by_kind_head["expert"],
                RecordInput(
                    sid,
                    RecordKind.EXPERT_DEDUCTION,
                    severity,
                    on,
                    facts=rng.choice(
                        ("评审迟到", "评审中使用手机", "评分明显畸高畸低且无合理说明", "私下接触投标人")
                    ),
                    authority="天河市公共资源交易中心",
                    source=RecordSource.EXPERT_EVALUATION,
                    source_ref=f"PS{on:%Y%m%d}{rng.randrange(1, 99):02d}",
                ),
            )
        )
    for sid in rng.sample(staff_ids, 4):
        severity = rng.choice((Severity.MINOR, Severity.GENERAL))
        on = days_ago(10, 200)
        plan.append(
            (
                leader,
                RecordInput(
                    sid,
                    RecordKind.STAFF_RECORD,
                    severity,
                    on,
                    facts=rng.choice(("窗口服务态度生硬被投诉属实", "未执行一次性告知制度", "上班期间脱岗")),
                    authority="天河市公共资源交易中心",
                    decision_number=decision_number("天公资交", on),
                ),
            )
        )
    record_ids = add(plan)

    # A general bad record past its three-month minimum, repaired by the department that recorded it.
    taken = set(picked)
    repaired_subject = rng.choice([sid for sid in firms if sid not in taken])
    decided = today - timedelta(days=200)
    to_repair = credit.add_record(
        leader,
        RecordInput(
            repaired_subject,
            RecordKind.BAD,
            Severity.GENERAL,
            decided,
            facts="未按规定时间提交履约保证金",
            authority="天河市财政局",
            decision_number=decision_number("天财罚", decided),
        ),
    )
    repair = credit.request_repair(
        leader, to_repair.id, today - timedelta(days=90), "法定代表人", "整改报告、信用承诺书、培训证明"
    )
    credit.decide_repair(
        leader, repair.id, True, today - timedelta(days=80), decision_number("天公资交修", today)
    )
    # A record entered against the wrong company, then revoked.
    revoked = credit.add_record(
        leader,
        RecordInput(
            rng.choice(firms),
            RecordKind.BAD,
            Severity.MINOR,
            today - timedelta(days=20),
            facts="开标现场迟到（误录）",
            authority="天河市公共资源交易中心",
        ),
    )
    credit.revoke_record(leader, revoked.id, "主体录入错误，应为同名另一单位。", revoked.version)
    # A ban proposed by a department head, waiting for a leader to confirm it.
    credit.add_record(
        by_kind_head["supplier"],
        RecordInput(
            rng.choice(company_ids["supplier"]),
            RecordKind.BAN,
            Severity.GENERAL,
            today - timedelta(days=2),
            facts="提供虚假材料谋取中标",
            legal_basis="《中华人民共和国政府采购法》第七十七条",
            authority="天河市财政局",
            decision_number=decision_number("天财采禁", today),
            ban_start=today,
            ban_end=today + timedelta(days=364),
        ),
    )
    counts = ctx.report.counts
    counts["credit_experts"] = len(expert_ids)
    counts["credit_companies"] = len(firms)
    counts["credit_staff"] = len(staff_ids)
    counts["credit_records"] = len(record_ids) + 3
    counts["credit_bans_active"] = len(bans) * 2 // 3


STEPS: list[DemoStep] = [DemoStep("credit", _credit_step)]
