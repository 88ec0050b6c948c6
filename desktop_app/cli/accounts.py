"""Accounts: ``user add`` (system administrator), ``user pending`` and ``user confirm`` (a leader, or
the audit admin for an audit admin: separation of duties), ``passwd`` (anyone, their own account)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.cli.common import (
    EXIT_OK,
    PROG,
    Context,
    current_password,
    nested,
    open_services,
    out,
    read_new_password,
    sign_in,
    subparser,
    username_of,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import ROLE_LABELS, Role

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

OVERVIEW = """\
  user add NAME --role ROLE      新建账户（系统管理员；密码从标准输入读取）
  user pending                   待您确认角色的账户（中心领导；审计管理员确认审计管理员）
  user confirm NAME              确认系统管理员所设角色，使其生效（--decline 驳回）
  passwd                         修改自己的密码（新密码从标准输入读取）
"""


def register(commands: Commands) -> None:
    user = subparser(
        commands,
        "user",
        "账户管理：add 新建账户（系统管理员）；pending、confirm 确认角色（中心领导、审计管理员）",
    )
    user_commands = nested(user, "user_command")
    add = subparser(user_commands, "add", "新建账户；初始密码从标准输入第一行读取")
    add.add_argument("username", metavar="NAME", help="用户名")
    add.add_argument(
        "--role",
        dest="roles",
        metavar="ROLE",
        action="append",
        required=True,
        help="角色，可重复："
        + "，".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in Role)
        + "。系统管理员、审计管理员不能兼任，也不能兼任业务角色",
    )
    add.add_argument("--department", metavar="DEPT", help="所属科室名称（科室负责人必填）")
    add.add_argument("--display-name", "--name", dest="display_name", metavar="X", default="", help="姓名")
    add.add_argument(
        "--no-password-change",
        action="store_true",
        help="首次登录不要求修改密码（默认要求，因为管理员知道初始密码）",
    )
    add.set_defaults(handler=cmd_user_add)

    pending = subparser(
        user_commands,
        "pending",
        "列出待您确认角色的账户：中心建立领导后，系统管理员所设业务角色须经中心领导确认方才生效"
        "（第二位审计管理员须经审计管理员确认）",
    )
    pending.set_defaults(handler=cmd_user_pending)
    confirm = subparser(
        user_commands,
        "confirm",
        "确认账户 NAME 待确认的角色，使其生效（中心领导确认业务角色，审计管理员确认审计管理员）",
    )
    confirm.add_argument("username", metavar="NAME", help="用户名")
    confirm.add_argument("--decline", action="store_true", help="驳回：不使其生效，账户保留原有角色")
    confirm.set_defaults(handler=cmd_user_confirm)

    passwd = subparser(
        commands,
        "passwd",
        "修改 --user 账户自己的密码：原密码取自 INTEGRITY_DESK_PASSWORD 或终端输入，新密码从标准输入读取",
    )
    passwd.set_defaults(handler=cmd_passwd)


def cmd_user_add(ctx: Context) -> int:
    from desktop_app.domain.roles import Permission, parse_role
    from desktop_app.services.auth import validate_username

    username = validate_username(ctx.args.username)
    roles = {parse_role(text) for text in ctx.args.roles}
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        actor.require(Permission.ADMIN_USERS)  # before asking for a password
        department_id: int | None = None
        if ctx.args.department:
            wanted = ctx.args.department.strip()
            department_id = next(
                (d.id for d in services.organisation.departments(include_inactive=False) if d.name == wanted),
                None,
            )
            if department_id is None:
                names = "、".join(d.name for d in services.organisation.departments(include_inactive=False))
                raise ValidationError(f"找不到科室“{wanted}”。现有科室：{names}", field="department")
        password = read_new_password(f"账户 {username} 的初始密码")
        info = services.users.create(
            actor,
            username=username,
            display_name=ctx.args.display_name.strip() or username,
            roles=roles,
            password=password,
            department_id=department_id,
            must_change_password=not ctx.args.no_password_change,
        )
    if info.pending_roles:
        out(f"已新建账户 {info.username}（{info.display_name}）。")
        out(
            f"角色 {info.pending_labels} 须经确认后生效（三员分立）："
            f"中心领导或审计管理员执行 {PROG} --user 其用户名 user confirm {info.username}。"
        )
    else:
        out(f"已新建账户 {info.username}（{info.display_name}）：{info.role_labels}")
    if info.department_name:
        out(f"科室：{info.department_name}")
    if info.must_change_password:
        out(f"该账户首次登录时须修改密码（{PROG} --user {info.username} passwd，或在登录界面修改）。")
    return EXIT_OK


def cmd_user_pending(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        waiting = services.users.pending(actor)
    if not waiting:
        out("没有待您确认的账户。")
        return EXIT_OK
    for info in waiting:
        now = f"，现有角色：{info.role_labels}" if info.roles else ""
        department = f"，科室：{info.department_name}" if info.department_name else ""
        out(
            f"{info.username}（{info.display_name}）：申请角色 {info.pending_labels}{now}{department}；"
            f"由 {info.pending_by} 设置"
        )
    return EXIT_OK


def cmd_user_confirm(ctx: Context) -> int:
    from desktop_app.domain.errors import NotFound
    from desktop_app.services.auth import normalize_username

    name = normalize_username(ctx.args.username)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        target = next((u for u in services.users.pending(actor) if u.username == name), None)
        if target is None:
            raise NotFound(f"没有待您确认角色的账户“{name}”（{PROG} user pending 列出待确认的账户）。")
        info = services.users.confirm(actor, target.id, accept=not ctx.args.decline)
    if ctx.args.decline:
        out(f"已驳回账户 {info.username} 的角色申请：{target.pending_labels}。")
    else:
        out(f"账户 {info.username}（{info.display_name}）的角色已生效：{info.role_labels}")
    return EXIT_OK


def cmd_passwd(ctx: Context) -> int:
    username = username_of(ctx)
    with open_services(ctx) as services:
        old = current_password(username)
        new = read_new_password("新密码")
        services.auth.change_password(username, old, new)
    out(f"账户 {username} 的密码已修改。")
    return EXIT_OK
