"""``backup`` and ``restore`` (system administrator)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.common import EXIT_OK, Context, open_services, out, sign_in, subparser

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

OVERVIEW = """\
  backup [--to FILE]             备份数据库（系统管理员）
  restore FILE                   用经过校验的备份替换数据库（系统管理员）
"""


def register(commands: Commands) -> None:
    backup = subparser(commands, "backup", "备份数据库（系统管理员）")
    backup.add_argument("--to", metavar="FILE", type=Path, help="备份文件（默认写入数据目录的 backups/）")
    backup.set_defaults(handler=cmd_backup)

    restore = subparser(
        commands, "restore", "用备份替换数据库（系统管理员）：备份须通过完整性检查和审计链校验"
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="备份文件")
    restore.set_defaults(handler=cmd_restore)


def cmd_backup(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        target = ctx.args.to.expanduser().resolve() if ctx.args.to else None
        made = services.maintenance.backup(actor, target, ctx.where.backups)
    out(f"已备份到：{made}")
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    source = ctx.args.file.expanduser().resolve()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        safety = services.maintenance.restore(actor, source, ctx.where.backups)
    out(f"已从 {source} 恢复数据库。")
    out(f"恢复前的数据库已另存为：{safety}")
    return EXIT_OK
