"""A demo center's papers: 演示数据 on every page of every layout (poppler's text layer), and never
on a real center's."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.notices import documents
from desktop_app.notices.base import DEMO_MARK
from tests.notices import support
from tests.notices.support import STAMP, official_notice, page_count, pdf_text, receipt, save, table_report

LAYOUTS = {
    "official": lambda: official_notice(paragraph_count=30),  # several pages
    "receipt": lambda: receipt(),
    "table": lambda: table_report(row_count=120),  # several pages, numbered in a second pass
    "test_page": support.test_page,
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_page_of_a_demo_paper_says_demo_data(layout: str, tmp_path: Path) -> None:
    document = LAYOUTS[layout]()
    marked = save(documents.render(layout, document, STAMP, demo=True), tmp_path, "demo.pdf")
    pages = page_count(marked)
    if layout in ("official", "table"):
        assert pages > 1
    for page in range(1, pages + 1):
        assert DEMO_MARK in pdf_text(marked, page), (layout, page)

    real = save(documents.render(layout, document, STAMP), tmp_path, "real.pdf")
    assert page_count(real) == pages  # the mark takes no room from the content
    assert DEMO_MARK not in pdf_text(real)
