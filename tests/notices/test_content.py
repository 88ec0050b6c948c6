"""A document's content as JSON (what the archive keeps and a reprint is rendered from) gives back an
equal document, for every layout, and the same document always gives the same text."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.notices import documents
from desktop_app.notices.charts import ChartSpec, Series
from desktop_app.notices.evaluation_form import EvaluationForm
from desktop_app.notices.official import OfficialNotice
from desktop_app.notices.receipt import Receipt
from desktop_app.notices.table_report import Column, TableReport
from desktop_app.notices.test_page import TestPage as PrintTestPage  # not a test class

from . import support

SAMPLES = {
    "official": [
        support.official_notice(),
        OfficialNotice("中心", "", "标题", "", (), date(2026, 1, 1)),
        OfficialNotice("中心", "号", "题", "各单位", ("一", "二\n三"), date(2027, 12, 31), "签发", ("附件",)),
    ],
    "receipt": [
        support.receipt(),
        support.receipt("A5"),
        Receipt("中心", "回执", (("空值", ""),), notes=(), signatures=(), copies=("唯一联",)),
        Receipt(
            "中心",
            "告知单",
            (("查询人", "李晓珺"), ("结果", "可入场")),
            copies=("存根", "当事人收执"),
            issued_on=date(2026, 12, 6),
            signoff=False,
            counterfoil="存根",
            counterfoil_fields=("结果",),
            counterfoil_signatures=("当事人签收",),
            archive_fields=(("工作站", "HALL-PC-07"),),
        ),
    ],
    "table": [
        support.table_report(5),
        support.table_report(3, totals=False),
        TableReport("中心", "表", (Column("甲"),), (), landscape=True),
        TableReport(
            "中心",
            "表",
            (Column("数", 0.5, "right"),),
            (("1",),),
            generated_at=datetime(2026, 11, 27, 8, 0, tzinfo=timezone(timedelta(hours=8))),
        ),
        support.chart_report(3),
        support.chart_report(2, "below", signoff=True),
        TableReport(
            "中心",
            "表",
            (Column("甲"),),
            (),
            charts=(
                ChartSpec(
                    "stacked_bar", "图", ("一", "二"), (Series("甲", (1.5, 0)), Series("乙", (None, 2)))
                ),
                ChartSpec("horizontal_bar", "图二", (), (Series("空", ()),), value_suffix="件"),
            ),
        ),
    ],
    "evaluation_form": [
        EvaluationForm(
            "中心",
            "KP2026-000001",
            "GC-1",
            "项目",
            "建设工程",
            "1室",
            "2026年11月18日",
            "09:00—12:00",
            "",
            "李晓珺",
            (("王堃", "Z1"), ("张喆", "")),
            (("E01", "迟到", "1–3分", False), ("E14", "私下接触", "10–15分", True)),
            (("2", ""), ("", "15")),
            ("2", "15"),
            ("1．王堃 E01：迟到",),
            ("注",),
            "第2版（更正）",
        ),
    ],
    "test_page": [
        support.test_page(),
        PrintTestPage("中心", datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=UTC), "", ""),
    ],
}


@pytest.mark.parametrize("layout", list(SAMPLES))
def test_round_trip_gives_an_equal_document(layout):
    for document in SAMPLES[layout]:
        content = documents.to_content(document)
        back = documents.from_content(layout, content)
        assert back == document
        assert type(back) is type(document)
        assert documents.to_content(back) == content  # canonical: stable through the archive
        assert documents.content_hash(content) == documents.content_hash(documents.to_content(back))


def test_every_document_type_names_a_layout_that_round_trips():
    by_layout = {kind.layout for kind in documents.DOCUMENT_TYPES.values()}
    assert by_layout == set(documents.LAYOUTS) == set(SAMPLES)
    prefixes = [kind.prefix for kind in documents.DOCUMENT_TYPES.values()]
    assert len(set(prefixes)) == len(prefixes)


# A table report as the archive kept it before reports had charts (no "charts" keys).
ARCHIVED_BEFORE_CHARTS = (
    '{"center_name":"中心","columns":[{"align":"right","title":"数","weight":0.5}],'
    '"footnotes":[],"generated_at":{"$datetime":"2026-11-27T08:00:00+08:00"},"issued_on":null,'
    '"landscape":false,"rows":[["1"]],"signoff":false,"subtitle":"","title":"表","totals":null}'
)


def test_a_table_report_archived_before_charts_still_loads_and_renders():
    report = documents.from_content("table", ARCHIVED_BEFORE_CHARTS)
    assert isinstance(report, TableReport)
    assert report.charts == () and report.rows == (("1",),)
    assert documents.render("table", report, None).startswith(b"%PDF")
    assert documents.summary_lines("table", ARCHIVED_BEFORE_CHARTS) == ["表", "", "共 1 行"]


def test_content_is_canonical_json():
    content = documents.to_content(support.receipt())
    assert content == json.dumps(
        json.loads(content), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert support.RARE_NAMES in content  # readable Chinese in the archive, not \\u escapes


def test_dates_keep_their_kind_and_zone():
    notice = documents.from_content("official", documents.to_content(support.official_notice()))
    assert isinstance(notice, OfficialNotice)
    assert type(notice.issued_on) is date
    page = documents.from_content("test_page", documents.to_content(support.test_page()))
    assert isinstance(page, PrintTestPage)
    assert page.printed_at.tzinfo is not None and page.printed_at == support.test_page().printed_at


def test_render_refuses_a_document_of_another_layout():
    with pytest.raises(TypeError):
        documents.render("receipt", support.test_page(), None)


def test_summary_lines_say_what_the_document_said():
    for layout, document, expected in (
        ("official", support.official_notice(), support.official_notice().title),
        ("receipt", support.receipt(), f"投诉人：{support.RARE_NAMES}"),
        ("table", support.table_report(5), "共 5 行"),
        ("test_page", support.test_page(), f"操作人：{support.RARE_NAMES}"),
    ):
        assert expected in documents.summary_lines(layout, documents.to_content(document))


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=100, deadline=None)
@given(
    title=texts,
    fields=st.lists(st.tuples(texts, texts), max_size=5).map(tuple),
    notes=st.lists(texts, max_size=3).map(tuple),
    paper=st.sampled_from(["A4", "A5"]),
)
def test_any_receipt_round_trips(title, fields, notes, paper):
    receipt = Receipt("中心", title, fields, notes=notes, paper=paper)
    assert documents.from_content("receipt", documents.to_content(receipt)) == receipt


@settings(max_examples=100, deadline=None)
@given(
    cells=st.lists(st.tuples(texts, texts), max_size=6).map(tuple),
    totals=st.none() | st.tuples(texts, texts),
    weight=st.floats(0.1, 10, allow_nan=False),
)
def test_any_table_round_trips(cells, totals, weight):
    report = TableReport("中心", "表", (Column("甲", weight), Column("乙", 1, "right")), cells, totals=totals)
    assert documents.from_content("table", documents.to_content(report)) == report
