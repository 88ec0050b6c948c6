"""The catalogue of issued document types and the layouts that render them.

A document's content is kept as JSON in the archive, so a reprint is rendered from the same data
(with the 补打 mark) and verification can show what a notice said.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.notices.base import IssueStamp, demo_pages
from desktop_app.notices.charts import ChartSpec
from desktop_app.notices.evaluation_form import EvaluationForm, render_evaluation_form
from desktop_app.notices.official import OfficialNotice, render_official_notice
from desktop_app.notices.receipt import Receipt, render_receipt
from desktop_app.notices.table_report import Column, TableReport, render_table_report
from desktop_app.notices.test_page import TestPage, render_test_page


@dataclass(frozen=True)
class DocumentType:
    code: str
    prefix: str  # number prefix, e.g. TS → TS2026-000123
    label: str
    layout: str


# Business issues add their types here (complaint receipts, credit certificates, score sheets...).
DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.code: t
    for t in (
        DocumentType("test_page", "CS", "打印测试页", "test_page"),
        DocumentType("official_notice", "TZ", "通知通报", "official"),
        DocumentType("receipt", "HZ", "回执", "receipt"),
        DocumentType("table_report", "BB", "报表", "table"),
        DocumentType("credit_check", "XY", "信用查询结果告知单", "receipt"),
        DocumentType("complaint_receipt", "TH", "投诉受理回执", "receipt"),
        DocumentType("complaint_reply", "TJ", "投诉处理结果告知书", "official"),
        DocumentType("complaint_stats", "TB", "投诉月度统计表", "table"),
        DocumentType("evaluation_form", "KB", "评标专家现场考评表", "evaluation_form"),
        DocumentType("evaluation_notice", "KG", "考评结果告知书", "official"),
        DocumentType("evaluation_ranking", "KM", "评标专家年度考评扣分排名表", "table"),
        DocumentType("scoring_sheet", "KH", "月度考核评分表", "table"),
        DocumentType("scoring_result", "KT", "考核结果通知", "official"),
        DocumentType("scoring_honours", "BZ", "服务示范岗标兵通报", "official"),
    )
}

Document = OfficialNotice | Receipt | TableReport | TestPage | EvaluationForm

LAYOUTS: dict[str, tuple[type[Any], Callable[[Any, IssueStamp | None], bytes]]] = {
    "official": (OfficialNotice, render_official_notice),
    "receipt": (Receipt, render_receipt),
    "table": (TableReport, render_table_report),
    "test_page": (TestPage, render_test_page),
    "evaluation_form": (EvaluationForm, render_evaluation_form),
}


def render(layout: str, document: Document, stamp: IssueStamp | None, demo: bool = False) -> bytes:
    """The PDF of ``document``; ``demo``: a demo center's, 演示数据 on every page."""
    cls, renderer = LAYOUTS[layout]
    if not isinstance(document, cls):
        raise TypeError(f"layout {layout} renders {cls.__name__}, got {type(document).__name__}")
    with demo_pages(demo):
        return renderer(document, stamp)


# -- content as JSON ---------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def to_content(document: Document) -> str:
    """Canonical JSON (sorted keys, no spaces): the same document always gives the same text."""
    return json.dumps(_plain(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def _revive(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        return {k: _revive(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_revive(v) for v in value)
    return value


def from_content(layout: str, content: str) -> Document:
    cls = LAYOUTS[layout][0]
    data = {k: _revive(v) for k, v in json.loads(content).items()}
    if cls is TableReport:
        data["columns"] = tuple(Column(**column) for column in data["columns"])
        if "charts" in data:  # absent from reports archived before charts
            data["charts"] = tuple(ChartSpec.from_plain(chart) for chart in data["charts"])
    document: Document = cls(**data)
    return document


def summary_lines(layout: str, content: str) -> list[str]:
    """What the notice said, as short lines for the verification dialog."""
    document = from_content(layout, content)
    if isinstance(document, OfficialNotice):
        return [
            document.issuer,
            document.doc_number,
            document.title,
            f"{document.addressee}：",
            *document.paragraphs,
        ]
    if isinstance(document, Receipt):
        kept = [f"{label}：{value}" for label, value in document.archive_fields]
        return [
            document.title,
            *(f"{label}：{value}" for label, value in document.fields),
            *(["存档信息（未打印）：" + "；".join(kept)] if kept else []),
        ]
    if isinstance(document, TableReport):
        charts = [f"图表：{chart.title}" for chart in document.charts]
        return [document.title, document.subtitle, f"共 {len(document.rows)} 行", *charts]
    if isinstance(document, EvaluationForm):
        marked = sum(1 for row in document.cells for cell in row if cell)
        return [
            document.title + (f"（{document.status}）" if document.status else ""),
            f"考评编号：{document.number}",
            f"项目：{document.project_name}（{document.project_code}）",
            f"评标日期：{document.evaluation_date}",
            "专家：" + "、".join(name for name, _ in document.experts),
            f"扣分 {marked} 项："
            + "，".join(
                f"{name} {total}分"
                for (name, _), total in zip(document.experts, document.totals, strict=True)
            ),
        ]
    return [
        "打印测试页",
        document.center_name,
        f"工作站：{document.workstation}",
        f"操作人：{document.operator}",
    ]
