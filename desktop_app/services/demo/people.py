"""The demo center itself: its settings, departments, staff and one account per person.

The pure generators (names, resident ID numbers, mobile numbers, passwords) need no database: the same
seed gives the same people and passwords on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desktop_app.domain.errors import DomainError
from desktop_app.domain.identifiers import id_check_char
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import Role
from desktop_app.services.demo.context import (
    AUDITOR,
    DEFAULT_SEED,
    SYSADMIN,
    DemoAccount,
    DemoContext,
    DemoStep,
    step_rng,
)

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


def person_name(rng: random.Random, male: bool) -> tuple[str, str]:
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
            name, base = person_name(rng, male)
            while name in names or base in UNFORTUNATE_USERNAMES:
                name, base = person_name(rng, male)
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


def confirmer_of_demo(ctx: DemoContext) -> str:
    """The demo's first leader (made before everyone it confirms: ``_account_order``)."""
    return next(p.username for p in sorted(ctx.people, key=_account_order) if Role.LEADER in p.roles)


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
            info = users.create(
                ctx.admin,
                username=person.username,
                display_name=person.name,
                roles=set(person.roles),
                password=passwords[person.username],
                department_id=department_id,
                staff_id=staff_id,
                must_change_password=False,
            )
            if info.pending_roles:
                # Separation of duties: once the center has its leader, the roles the system admin
                # gives wait for a leader's confirmation; the demo's leader confirms them.
                users.confirm(ctx.actor(confirmer_of_demo(ctx)), info.id)
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


# The order matters: staff need the departments, accounts the staff.
STEPS: list[DemoStep] = [
    DemoStep("center", _center_step),
    DemoStep("staff", _staff_step),
    DemoStep("accounts", _accounts_step),
]
