"""A deterministic demo center: departments, staff, one account per person, center settings.

``build_demo(services, seed)`` fills an empty database the way the services would (every change is a
service call with its audit entry) and returns the accounts with their passwords, which the CLI shows
once. The same seed gives the same center, people and passwords on every machine.

Each business module adds one step to ``STEPS`` (credit files, complaints, evaluations, scores...).
A step gets a ``DemoContext``: the services, the sysadmin actor, the people and accounts made so far,
``ctx.actor(username)`` to act as any demo account, and ``ctx.rng(name)``, a random generator of its
own seeded from the demo seed and the step name, so adding a step never changes what the others make.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from desktop_app.domain.errors import DomainError
from desktop_app.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import ROLE_LABELS, Role
from desktop_app.services.context import CurrentUser, system_actor
from desktop_app.services.facade import Services
from desktop_app.store import audit

log = logging.getLogger(__name__)

DEFAULT_SEED = 2026
SYSADMIN = "sysadmin"
AUDITOR = "auditor"

CENTER_SETTINGS: dict[str, Any] = {
    "center_name": "天河市公共资源交易中心",
    "center_short_name": "天公资交",
    "center_address": "天河市滨江新区政务服务中心三楼（人民东路 88 号）",
    "query_phone": "0736-88216688",
    "doc_number_prefix": "天公资交",
}

# Fictional region codes of the fictional city (province 37, city 99: assigned to no real place),
# so a demo ID number can never be a real person's.
REGION_CODES = ("379901", "379902", "379903", "379921", "379922")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip

# Surnames (with the reading a username uses) roughly in order of frequency.
SURNAMES: dict[str, str] = {
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "黄": "huang",
    "赵": "zhao", "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun", "马": "ma", "朱": "zhu",
    "胡": "hu", "郭": "guo", "何": "he", "林": "lin", "罗": "luo", "高": "gao", "郑": "zheng",
    "梁": "liang", "谢": "xie", "宋": "song", "唐": "tang", "韩": "han", "冯": "feng", "邓": "deng",
    "曹": "cao", "彭": "peng", "曾": "zeng", "肖": "xiao", "田": "tian", "董": "dong", "潘": "pan",
    "袁": "yuan", "蔡": "cai", "蒋": "jiang", "余": "yu", "杜": "du", "叶": "ye", "程": "cheng",
    "魏": "wei", "苏": "su", "丁": "ding", "任": "ren", "沈": "shen", "姚": "yao", "卢": "lu",
    "钟": "zhong", "崔": "cui", "谭": "tan", "范": "fan", "廖": "liao", "石": "shi", "金": "jin",
    "贾": "jia", "夏": "xia", "方": "fang", "邹": "zou", "熊": "xiong", "孟": "meng", "秦": "qin",
    "白": "bai", "薛": "xue", "尹": "yin", "段": "duan", "雷": "lei", "龙": "long", "陶": "tao",
    "顾": "gu", "毛": "mao", "郝": "hao", "邵": "shao", "万": "wan", "钱": "qian", "严": "yan",
}  # fmt: skip
GIVEN_MALE: dict[str, str] = {
    "伟": "wei", "强": "qiang", "磊": "lei", "军": "jun", "勇": "yong", "杰": "jie", "涛": "tao",
    "明": "ming", "超": "chao", "斌": "bin", "鹏": "peng", "辉": "hui", "刚": "gang", "建": "jian",
    "国": "guo", "志": "zhi", "东": "dong", "文": "wen", "海": "hai", "波": "bo", "亮": "liang",
    "宇": "yu", "浩": "hao", "凯": "kai", "峰": "feng", "健": "jian", "博": "bo", "毅": "yi",
    "昊": "hao", "晓": "xiao", "永": "yong", "立": "li", "振": "zhen", "春": "chun", "宏": "hong",
}  # fmt: skip
GIVEN_FEMALE: dict[str, str] = {
    "芳": "fang", "娜": "na", "敏": "min", "静": "jing", "丽": "li", "艳": "yan", "娟": "juan",
    "霞": "xia", "秀": "xiu", "玲": "ling", "婷": "ting", "雪": "xue", "慧": "hui", "倩": "qian",
    "琳": "lin", "颖": "ying", "佳": "jia", "欣": "xin", "悦": "yue", "萍": "ping", "红": "hong",
    "燕": "yan", "梅": "mei", "晶": "jing", "璐": "lu", "琪": "qi", "瑶": "yao", "雯": "wen",
    "洁": "jie", "晓": "xiao", "春": "chun", "文": "wen", "丹": "dan", "蕾": "lei",
}  # fmt: skip
READINGS: dict[str, str] = {**GIVEN_MALE, **GIVEN_FEMALE}
# Usernames a demo should not hand out (initials can spell words).
UNFORTUNATE_USERNAMES = frozenset({"hell", "sex", "ass", "sb", "shit", "dick", "fuck", "gay", "nazi"})

LEADER_POSTS = ("中心主任", "中心副主任")
HEAD_POST = "科长"
SYSADMIN_POST = "系统运维"
AUDITOR_POST = "审计监督"

# Posts per department (the 岗责体系 of the demo center), head first. 40 people in all.
DEPARTMENT_POSTS: dict[str, tuple[str, ...]] = {
    "办公室": (HEAD_POST, *LEADER_POSTS, AUDITOR_POST, "综合管理", "综合管理", "投诉受理"),
    "评审科": (HEAD_POST, "见证员", "见证员", "见证员", "见证员", "见证员", "专家抽取"),
    "建设工程科": (HEAD_POST, "窗口受理", "窗口受理", "窗口受理", "见证员"),
    "交通水利科": (HEAD_POST, "窗口受理", "窗口受理", "见证员"),
    "政府采购科": (HEAD_POST, "窗口受理", "窗口受理", "窗口受理", "见证员"),
    "土地产权科": (HEAD_POST, "窗口受理", "窗口受理", "见证员"),
    "财务科": (HEAD_POST, "保证金管理", "保证金管理", "综合管理"),
    "信息科": (HEAD_POST, SYSADMIN_POST, "信息技术", "信息技术"),
}

# Birth years by post: the center's management is older than its window staff.
_BIRTH_YEARS = {"leader": (1965, 1975), "head": (1970, 1985), "other": (1975, 2000)}


@dataclass(frozen=True)
class DemoPerson:
    """A demo staff member before they exist in the database (pure data, no personal data in logs)."""

    employee_no: str
    name: str
    username: str
    department: str
    post: str
    male: bool
    birth_date: date
    id_number: str
    phone: str

    @property
    def roles(self) -> frozenset[Role]:
        if self.post in LEADER_POSTS:
            return frozenset({Role.LEADER})
        if self.post == HEAD_POST:
            return frozenset({Role.SUPERVISOR})
        if self.post == SYSADMIN_POST:
            return frozenset({Role.SYSTEM_ADMIN})
        if self.post == AUDITOR_POST:
            return frozenset({Role.AUDIT_ADMIN})
        return frozenset({Role.HALL_STAFF})


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[Role, ...]
    display_name: str
    department: str
    password: str

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in self.roles)


@dataclass
class DemoReport:
    seed: int
    center_name: str = ""
    departments: list[str] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def password_of(self, username: str) -> str:
        for account in self.accounts:
            if account.username == username:
                return account.password
        raise KeyError(username)


@dataclass
class DemoContext:
    services: Services
    seed: int
    admin: CurrentUser
    report: DemoReport
    people: list[DemoPerson]
    passwords: dict[str, str]  # username → password, for every demo account
    departments: dict[str, int] = field(default_factory=dict)
    staff_ids: dict[str, int] = field(default_factory=dict)  # employee_no → staff id
    _actors: dict[str, CurrentUser] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        return step_rng(self.seed, step)

    def actor(self, username: str) -> CurrentUser:
        """Sign in as a demo account (once; the login is audited like any other)."""
        if username not in self._actors:
            self._actors[username] = self.services.auth.login(username, self.passwords[username])
        return self._actors[username]


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]


def step_rng(seed: int, step: str) -> random.Random:
    return random.Random(f"integrity-desk demo {seed}:{step}")


# -- pure generators ----------------------------------------------------------------------------
def resident_id(rng: random.Random, born: date, male: bool) -> str:
    sequence = rng.randrange(0, 50) * 2 + (1 if male else 0)  # the 17th digit is odd for men
    first17 = f"{rng.choice(REGION_CODES)}{born:%Y%m%d}{rng.randrange(0, 10)}{sequence % 100:02d}"
    return first17 + id_check_char(first17)


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def demo_password(rng: random.Random, username: str, policy: PasswordPolicy | None = None) -> str:
    """Readable (no 0/O/1/l/I), 10 characters, all four classes: meets the default policy."""
    policy = policy or PasswordPolicy()
    sets = ("abcdefghjkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "#%+-=@")
    pool = "".join(sets)
    while True:
        chars = [rng.choice(s) for s in sets] + [rng.choice(pool) for _ in range(6)]
        rng.shuffle(chars)
        password = "".join(chars)
        try:
            policy.check(password, username)
        except DomainError:
            continue
        return password


def _birth_date(rng: random.Random, post: str) -> date:
    kind = "leader" if post in LEADER_POSTS else "head" if post == HEAD_POST else "other"
    first, last = _BIRTH_YEARS[kind]
    start, end = date(first, 1, 1), date(last, 12, 31)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _name(rng: random.Random, male: bool) -> tuple[str, str]:
    """A Chinese name and its username (full surname + initials of the given name: 王建国 → wangjg)."""
    surname = rng.choice(list(SURNAMES))
    pool = list(GIVEN_MALE if male else GIVEN_FEMALE)
    given = rng.sample(pool, 2) if rng.random() < 0.7 else [rng.choice(pool)]
    readings = [READINGS[c] for c in given]
    username = SURNAMES[surname] + (readings[0] if len(given) == 1 else "".join(r[0] for r in readings))
    return surname + "".join(given), username


def demo_people(seed: int = DEFAULT_SEED) -> list[DemoPerson]:
    """The demo staff, department by department: the same list for the same seed, no database needed."""
    rng = step_rng(seed, "people")
    people: list[DemoPerson] = []
    names: set[str] = set()
    usernames: set[str] = {SYSADMIN, AUDITOR}
    for dept_no, (department, posts) in enumerate(DEPARTMENT_POSTS.items(), start=1):
        for seq, post in enumerate(posts, start=1):
            male = rng.random() < (0.6 if post in (*LEADER_POSTS, HEAD_POST, SYSADMIN_POST) else 0.45)
            name, base = _name(rng, male)
            while name in names or base in UNFORTUNATE_USERNAMES:
                name, base = _name(rng, male)
            names.add(name)
            if post == SYSADMIN_POST:
                username = SYSADMIN
            elif post == AUDITOR_POST:
                username = AUDITOR
            else:
                username, n = base, 1
                while username in usernames:
                    n += 1
                    username = f"{base}{n}"
                usernames.add(username)
            born = _birth_date(rng, post)
            people.append(
                DemoPerson(
                    employee_no=f"TH{dept_no:02d}{seq:02d}",
                    name=name,
                    username=username,
                    department=department,
                    post=post,
                    male=male,
                    birth_date=born,
                    id_number=resident_id(rng, born, male),
                    phone=mobile_number(rng),
                )
            )
    return people


def _account_order(person: DemoPerson) -> tuple[int, str]:
    rank = {Role.SYSTEM_ADMIN: 0, Role.AUDIT_ADMIN: 1, Role.LEADER: 2, Role.SUPERVISOR: 3}
    return min(rank.get(r, 4) for r in person.roles), person.employee_no


def demo_passwords(seed: int, people: list[DemoPerson]) -> dict[str, str]:
    """One password per account, drawn in a fixed order (sysadmin first) from the seed."""
    rng = step_rng(seed, "passwords")
    return {p.username: demo_password(rng, p.username) for p in sorted(people, key=_account_order)}


# -- steps --------------------------------------------------------------------------------------
def _center_step(ctx: DemoContext) -> None:
    center = ctx.services.center
    current = center.get()
    center.update(ctx.admin, dict(CENTER_SETTINGS), dict(current.versions))
    ctx.report.center_name = CENTER_SETTINGS["center_name"]


def _staff_step(ctx: DemoContext) -> None:
    organisation = ctx.services.organisation
    ctx.departments = {d.name: d.id for d in organisation.departments()}
    missing = set(DEPARTMENT_POSTS) - set(ctx.departments)
    for name in sorted(missing, key=list(DEPARTMENT_POSTS).index):
        ctx.departments[name] = organisation.save_department(ctx.admin, name).id
    ctx.report.departments = list(ctx.departments)
    for person in ctx.people:
        info = organisation.save_staff(
            ctx.admin,
            employee_no=person.employee_no,
            name=person.name,
            department_id=ctx.departments[person.department],
            post=person.post,
            phone=person.phone,
            id_number=person.id_number,
        )
        ctx.staff_ids[person.employee_no] = info.id
    ctx.report.counts["staff"] = len(ctx.people)


def _accounts_step(ctx: DemoContext) -> None:
    users = ctx.services.users
    passwords = ctx.passwords
    for person in sorted(ctx.people, key=_account_order):
        department_id = ctx.departments[person.department]
        staff_id = ctx.staff_ids[person.employee_no]
        if person.username == SYSADMIN:
            # The first admin exists already (it made everything else): link it to its person.
            info = next(u for u in users.list() if u.username == SYSADMIN)
            users.update(
                ctx.admin,
                info.id,
                display_name=person.name,
                roles=set(info.roles),
                department_id=department_id,
                staff_id=staff_id,
                active=True,
                expected_version=info.version,
            )
        else:
            users.create(
                ctx.admin,
                username=person.username,
                display_name=person.name,
                roles=set(person.roles),
                password=passwords[person.username],
                department_id=department_id,
                staff_id=staff_id,
                must_change_password=False,
            )
        ctx.report.accounts.append(
            DemoAccount(
                person.username,
                tuple(sorted(person.roles)),
                person.name,
                person.department,
                passwords[person.username],
            )
        )
    ctx.report.counts["accounts"] = len(ctx.report.accounts)


# -- credit files -------------------------------------------------------------------------------
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
        companies.append(DemoCompany(kind, name, trade, code, _name(rng, rng.random() < 0.7)[0], former))
    return companies


def demo_experts(seed: int = DEFAULT_SEED, count: int = DEMO_EXPERTS) -> list[DemoExpert]:
    """Bid-evaluation experts: ID numbers of the fictional region, never those of the demo staff."""
    rng = step_rng(seed, "credit-experts")
    taken = {p.id_number for p in demo_people(seed)}
    experts: list[DemoExpert] = []
    for seq in range(1, count + 1):
        male = rng.random() < 0.7
        name, _ = _name(rng, male)
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


# The order matters: later steps use what earlier ones made. Business modules append theirs.
STEPS: list[DemoStep] = [
    DemoStep("center", _center_step),
    DemoStep("staff", _staff_step),
    DemoStep("accounts", _accounts_step),
    DemoStep("credit", _credit_step),
]


def build_demo(services: Services, seed: int = DEFAULT_SEED) -> DemoReport:
    """Fill an empty database with the demo center; refuse a database that already has accounts."""
    started = time.perf_counter()
    if not services.auth.needs_first_admin():
        raise DomainError("演示数据只能在没有任何账户的空数据库中生成。")
    people = demo_people(seed)
    passwords = demo_passwords(seed, people)
    services.auth.create_first_admin(SYSADMIN, passwords[SYSADMIN], "系统管理员")
    admin = services.auth.login(SYSADMIN, passwords[SYSADMIN])
    report = DemoReport(seed=seed)
    ctx = DemoContext(services, seed, admin, report, people, passwords)
    ctx._actors[SYSADMIN] = admin
    for step in STEPS:
        step_started = time.perf_counter()
        step.run(ctx)
        report.steps.append(step.name)
        log.info("demo step %s done in %.2f s", step.name, time.perf_counter() - step_started)
    report.seconds = time.perf_counter() - started
    with services.db.session(write=True) as session:
        audit.record(
            session,
            system_actor(services.db.workstation, "demo").audit_actor,
            "demo.build",
            "database",
            "",
            {"seed": seed, "steps": report.steps, **report.counts},
        )
    log.info("demo center built (seed %s) in %.1f s: %s", seed, report.seconds, report.counts)
    return report
