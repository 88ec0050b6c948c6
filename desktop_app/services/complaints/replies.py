"""Reply templates: the texts a handler starts the reply from when closing a case (属实, 部分属实,
不属实, 转办告知), seeded from ``db/seed/complaint_reply_templates.json``, with the case's fields
filled in. Only masked data reaches a reply: it goes on paper to the complainant."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache

from desktop_app.domain.complaints import Outcome
from desktop_app.domain.dates import chinese_date
from desktop_app.domain.errors import NotFound
from desktop_app.paths import db_dir
from desktop_app.services.base import Service
from desktop_app.services.center import read_settings
from desktop_app.services.complaints.types import ComplaintInfo, ReplyTemplate

FACTS_IN_REPLY = 40  # characters of the facts a reply repeats between quotes

# The template a closure's outcome suggests (the dialog picks it when the outcome is chosen).
TEMPLATE_FOR_OUTCOME = {Outcome.TRUE: "true", Outcome.PARTLY: "partly", Outcome.FALSE: "false"}


@cache
def seeded_templates() -> tuple[ReplyTemplate, ...]:
    raw = json.loads((db_dir() / "seed" / "complaint_reply_templates.json").read_text(encoding="utf-8"))
    return tuple(ReplyTemplate(item["key"], item["title"], item["text"]) for item in raw)


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split()).rstrip("。")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _local_day(moment: datetime) -> date:
    return (moment.astimezone() if moment.tzinfo is not None else moment).date()


def reply_fields(info: ComplaintInfo, center_name: str, today_text: str) -> dict[str, str]:
    """What a template may name: the case as the complainant may read it."""
    return {
        "number": info.number,
        "complainant": "投诉人" if info.anonymous or not info.complainant_name else info.complainant_name,
        "received_on": chinese_date(_local_day(info.received_at)),
        "facts": _short(info.facts, FACTS_IN_REPLY),
        "request": _short(info.request, FACTS_IN_REPLY),
        "respondent": info.respondent_text or "相关人员",
        "department": info.department_name or center_name,
        "handler": info.handler_name,
        "transfer_to": info.transfer_to or "有关部门",
        "center": center_name,
        "today": today_text,
    }


def fill_template(template: ReplyTemplate, fields: dict[str, str]) -> str:
    """``{name}`` replaced by its value; a name the fields lack stays as typed (a template edited by
    hand never breaks the dialog)."""

    class Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.text.format_map(Keep(fields))


class RepliesOps(Service):
    def reply_templates(self) -> list[ReplyTemplate]:
        return list(seeded_templates())

    def fill_reply(self, template_key: str, info: ComplaintInfo) -> str:
        """The template's text with the case's fields (number, complainant, date received, facts,
        respondent, transfer target, center, today) filled in."""
        template = next((t for t in seeded_templates() if t.key == template_key), None)
        if template is None:
            raise NotFound("没有这个答复模板。")
        with self.db.session() as session:
            center_name = str(read_settings(session)["center_name"])
        return fill_template(template, reply_fields(info, center_name, chinese_date(self.db.today())))
