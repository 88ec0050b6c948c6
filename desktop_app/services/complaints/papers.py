"""The complaint's papers as the notices engine lays them out: the 投诉受理回执 (receipt layout: the
complainant's copy and the hall's stub) and the 投诉处理结果告知书 (official-notice layout). Built from
the masked info: no paper ever carries a full ID number or phone."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from desktop_app.domain.complaints import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    STATE_LABELS,
    Channel,
    State,
    Statutory,
)
from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.workdays import PROVISIONAL_MARK
from desktop_app.services.complaints.types import ComplaintInfo

if TYPE_CHECKING:
    from desktop_app.notices.official import OfficialNotice
    from desktop_app.notices.receipt import Receipt

RECEIPT_TITLE = "投诉受理回执"
REPLY_TITLE = "投诉处理结果告知书"
COMPLAINANT_COPY = "回执（投诉人收执）"
STUB_FIELDS = ("投诉编号", "收到时间", "投诉人", "被投诉对象", "承诺办结期限")
FACTS_ON_RECEIPT = 120  # characters of the facts a receipt repeats; the case keeps them whole


def deadline_words(day: date, provisional: bool) -> str:
    return chinese_date(day) + (PROVISIONAL_MARK if provisional else "")


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def receipt_document(info: ComplaintInfo, center_name: str, query_phone: str, operator_login: str) -> Receipt:
    from desktop_app.notices.receipt import COUNTERFOIL, Receipt

    complainant = info.complainant_display
    fields: list[tuple[str, str]] = [
        ("投诉编号", info.number),
        ("查询码", info.lookup_code),
        ("投诉渠道", CHANNEL_LABELS[info.channel]),
        ("收到时间", chinese_datetime(info.received_at)),
        ("首问负责人", info.receiver_name),
        ("投诉人", complainant),
    ]
    if not info.anonymous and info.id_number_masked:
        fields.append(("证件号码", info.id_number_masked))
    if info.phone_masked:
        fields.append(("联系电话", info.phone_masked))
    fields += [
        ("被投诉对象", info.respondent_text or "未指明"),
        ("投诉类别", CATEGORY_LABELS[info.category]),
        ("投诉事项", _short(info.facts, FACTS_ON_RECEIPT)),
        ("承诺办结期限", deadline_words(info.deadline, info.deadline_provisional)),
        ("查询电话", query_phone or "请到本中心服务大厅查询"),
    ]
    notes = [
        f"本中心已收到您的投诉，将于承诺办结期限前（{info.time_limit_days} 个工作日内，自收到次日起算）办结并告知结果。",
        "查询办理进度请提供投诉编号或查询码。",
    ]
    if info.deadline_provisional:
        notes.append(
            "期限标注“暂定”：所跨年度的节假日安排尚未公布，按周一至周五计算，公布后以实际工作日为准。"
        )
    if info.statutory is not Statutory.NONE:
        clocks = "；".join(
            f"{what}：{deadline_words(day, provisional)}" for what, day, provisional in info.statutory_clocks
        )
        notes.append(
            f"本投诉涉及招标采购结果，依法转{info.transfer_to or '行政监督部门'}处理（法定时限 {clocks}）。"
        )
    signatures = ("首问负责人签字", "投诉人签字") if info.channel is Channel.WINDOW else ("首问负责人签字",)
    return Receipt(
        center_name=center_name,
        title=RECEIPT_TITLE,
        fields=tuple(fields),
        notes=tuple(notes),
        signatures=signatures,
        copies=(COMPLAINANT_COPY, COUNTERFOIL),
        issued_on=info.received_at.astimezone().date(),
        counterfoil=COUNTERFOIL,
        counterfoil_fields=STUB_FIELDS,
        counterfoil_signatures=signatures,
        archive_fields=(("登记人登录名", operator_login), ("投诉编号", info.number)),
    )


def reply_paragraphs(info: ComplaintInfo) -> tuple[str, ...]:
    received = chinese_date(info.received_at.astimezone().date())
    outcome = OUTCOME_LABELS[info.outcome] if info.outcome else STATE_LABELS[info.state]
    lines = [
        f"您于{received}反映的“{_short(info.facts, 60)}”一事（投诉编号 {info.number}），本中心已依照首问负责、"
        "限时办结的要求调查处理完毕。现将处理结果告知如下：",
        f"经调查核实，您反映的问题{outcome}。",
    ]
    lines += [p.strip() for p in info.reply.splitlines() if p.strip()]
    lines.append(
        "如对处理结果有异议，可自收到本告知书之日起向本中心提出复核申请。本中心将对处理情况进行回访，"
        "请保持联系电话畅通。"
    )
    return tuple(lines)


def reply_document(
    info: ComplaintInfo, center_name: str, doc_number_prefix: str, issued_on: date
) -> OfficialNotice:
    from desktop_app.notices.official import OfficialNotice

    year = info.received_at.astimezone().year
    serial = int(info.number.rsplit("-", 1)[-1])
    # The layout writes the colon after the addressee.
    addressee = "匿名投诉人" if info.anonymous else info.complainant_name
    return OfficialNotice(
        issuer=center_name,
        doc_number=f"{doc_number_prefix}诉〔{year}〕{serial}号",
        title=REPLY_TITLE,
        addressee=addressee,
        paragraphs=reply_paragraphs(info),
        issued_on=issued_on,
    )


def may_print_reply(state: State) -> bool:
    return state in (State.CLOSED, State.VISITED)
