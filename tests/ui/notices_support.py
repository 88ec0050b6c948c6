"""Helpers of the notice dialog tests: sample documents, PDF text and pages, audit rows."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime
from typing import Any

import pypdfium2 as pdfium

from desktop_app.notices.official import OfficialNotice
from desktop_app.notices.receipt import Receipt
from desktop_app.notices.table_report import Column, TableReport
from desktop_app.services.facade import Services

from .shell_support import rows


def official_notice() -> OfficialNotice:
    return OfficialNotice(
        issuer="天河市公共资源交易中心",
        doc_number="天公资交〔2026〕17号",
        title="关于对某某招标代理有限公司不良行为记录的通报",
        addressee="各有关单位",
        paragraphs=(
            "某某招标代理有限公司在天河市第三中学食堂改造项目招标代理活动中，未按规定时间发布澄清公告，"
            "根据《公共资源交易领域不良行为记录管理办法》有关规定，现予以通报，并记入不良行为记录。",
            "请各有关单位引以为戒，依法依规开展招标投标活动。",
            "特此通报。",
        ),
        issued_on=date(2026, 11, 27),
    )


def receipt() -> Receipt:
    return Receipt(
        "天河市公共资源交易中心",
        "服务投诉受理回执",
        (
            ("投诉渠道", "窗口/现场"),
            ("受理时间", "2026年11月27日 10:32"),
            ("首问负责人", "李晓珺（工号1008）"),
            ("投诉人", "王堃（实名）"),
            ("投诉类别", "服务态度"),
            ("事实与理由", "投诉人称，在3号窗口办理保证金退还业务时，工作人员未一次性告知所需材料。"),
            ("承诺办结期限", "2026年12月4日（5个工作日）"),
        ),
        notes=("如需补充证据材料，请于3个工作日内提交至服务大厅投诉窗口。",),
    )


def table_report(row_count: int = 120) -> TableReport:
    """Long enough for several pages."""
    return TableReport(
        center_name="天河市公共资源交易中心",
        title="2026年11月入场信用查询登记表",
        columns=(
            Column("序号", 0.6, "right"),
            Column("单位名称", 3.0),
            Column("统一社会信用代码", 2.2),
            Column("查询结果", 1.2, "center"),
        ),
        rows=tuple(
            (
                str(n),
                f"天河市第{n}建筑工程有限公司",
                f"91440100MA{n:08d}",
                "准予入场" if n % 7 else "暂停入场",
            )
            for n in range(1, row_count + 1)
        ),
        subtitle="统计区间：2026年11月1日至11月30日",
        generated_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
    )


def pdf_text(pdf: bytes) -> str:
    """The text layer, as a reader's copy-and-paste or a search would find it (poppler's pdftotext)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def audit_entries(services: Services, action: str) -> list[Any]:
    return rows(
        services,
        "SELECT username, object_type, object_id, summary FROM audit_log WHERE action = :a ORDER BY seq",
        a=action,
    )


def summary(entry: Any) -> dict[str, Any]:
    return json.loads(entry.summary)  # type: ignore[no-any-return]
