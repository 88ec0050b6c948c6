"""Every layout as a reader, a printer and a phone see it: poppler's text layer, fonts and rendering,
the pixels of the page, and the QR code read back by zbarimg."""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.ttfonts import TTFontFile

from desktop_app.notices import official, test_page
from desktop_app.notices.base import IssueStamp, balanced_wrap, wrap
from desktop_app.notices.charts import ChartSpec, Series
from desktop_app.notices.fonts import FONT_NAME, MissingGlyphs, missing_glyphs
from desktop_app.notices.official import render_official_notice
from desktop_app.notices.receipt import Receipt, render_receipt
from desktop_app.notices.table_report import Column, render_table_report
from desktop_app.notices.test_page import render_test_page

from . import support
from .support import REPRINT, SAMPLES, STAMP

LAYOUTS: dict[str, Callable[[IssueStamp | None], bytes]] = {
    "official": lambda stamp: render_official_notice(support.official_notice(), stamp),
    "official-3-pages": lambda stamp: render_official_notice(support.official_notice(14), stamp),
    "receipt-A4": lambda stamp: render_receipt(support.receipt("A4"), stamp),
    "receipt-A5": lambda stamp: render_receipt(support.receipt("A5"), stamp),
    "table": lambda stamp: render_table_report(support.table_report(), stamp),
    "table-charts": lambda stamp: render_table_report(support.chart_report(), stamp),
    "test-page": lambda stamp: render_test_page(support.test_page(), stamp),
}
PAGES = {
    "official": 1,
    "official-3-pages": 3,
    "receipt-A4": 1,
    "receipt-A5": 2,
    "table": 4,
    "table-charts": 2,
    "test-page": 1,
}
# What the caller gave each layout (the test page has fixed samples besides its three fields).
EXPECTED = {
    "official": [*SAMPLES, "天公资交〔2026〕12号", "2026年11月27日", "各有关单位："],
    "official-3-pages": [*SAMPLES, "天公资交〔2026〕12号", "2026年11月27日"],
    "receipt-A4": [*SAMPLES, "服务投诉受理回执", "存根（大厅留存）", "回执（当事人收执）", "沿此线剪开"],
    "receipt-A5": [*SAMPLES, "服务投诉受理回执", "存根（大厅留存）", "回执（当事人收执）"],
    "table": [*SAMPLES, "2026年11月入场信用查询登记表", "统计区间：2026年11月1日至11月30日"],
    "table-charts": [*SAMPLES, "2026年11月入场信用查询登记表", "各类投诉件数", "按时办结率", "12件", "92.5%"],
    "test-page": [
        support.RARE_NAMES,
        f"大厅{support.LATIN}",
        support.CENTER,
        # pdftotext drops the narrow spaces between these wide 14 pt glyphs (its own heuristic).
        test_page.RARE_NAMES.replace(" ", ""),
        "，。、；：？！“”‘’（）《》【】",
        "¥",
        "The quick brown fox jumps over the lazy dog. 0123456789",
        "2026年11月27日",
    ],
}


@functools.cache
def rendered(layout: str, reprint: bool = False) -> bytes:
    return LAYOUTS[layout](REPRINT if reprint else STAMP)


def saved(layout: str, folder: Path, reprint: bool = False) -> Path:
    return support.save(rendered(layout, reprint), folder, f"{layout}{'-reprint' if reprint else ''}.pdf")


@pytest.fixture(params=list(LAYOUTS))
def layout(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- text layer, fonts, rendering -----------------------------------------------------------------
def test_text_layer_has_every_string_exactly(layout, tmp_path):
    pdf = saved(layout, tmp_path)
    assert support.page_count(pdf) == PAGES[layout]
    text = support.pdf_text(pdf)
    for expected in [*EXPECTED[layout], STAMP.number, STAMP.verify_code]:
        assert expected in text, (expected, text[:2000])
    assert "\ufffd" not in text  # nothing the text layer could not map back to Unicode


def test_only_the_embedded_subset_cjk_font(layout, tmp_path):
    fonts = support.pdf_fonts(saved(layout, tmp_path))
    assert len(fonts) == 1, fonts  # no unembedded Helvetica from a page preamble or a doc template
    font = fonts[0]
    assert font.embedded and font.subset and font.unicode
    assert font.type == "TrueType"
    assert re.fullmatch(rf"[A-Z]{{6}}\+{FONT_NAME}-\d+", font.name), font.name


def test_every_page_renders_without_warnings(layout, tmp_path):
    pdf = saved(layout, tmp_path)
    pngs, stderr = support.render_pages(pdf, 50, tmp_path)
    assert stderr == ""
    assert len(pngs) == PAGES[layout]


def test_all_text_is_visible_on_the_page(layout, tmp_path):
    """Every word of the text layer is drawn in ink: none in the grey of a label cell or the white of
    a panel filled just before it (pixels under each word's box at 100 dpi)."""
    pdf = saved(layout, tmp_path)
    pngs, _ = support.render_pages(pdf, 100, tmp_path)
    scale = 100 / 72
    faint = []
    for page, png in zip(support.pdf_words(pdf), pngs, strict=True):
        img = support.image(png).convert("L")
        for word in page.words:
            box = (
                int(word.x0 * scale),
                int(word.y0 * scale),
                max(int(word.x1 * scale), int(word.x0 * scale) + 1),
                max(int(word.y1 * scale), int(word.y0 * scale) + 1),
            )
            darkest = img.crop(box).getextrema()[0]
            if darkest > 180:
                faint.append((word.text, darkest))
    assert not faint


def test_qr_code_decodes_to_number_and_code(layout, tmp_path):
    pdf = saved(layout, tmp_path)
    decoded = support.decode_stamp_qr_codes(pdf, PAGES[layout], tmp_path)
    copies = 2 if layout == "receipt-A4" else 1  # the hall's copy and the complainant's
    assert decoded == [STAMP.qr_payload] * copies
    assert STAMP.number in decoded[0] and STAMP.verify_code in decoded[0]


def test_documents_rendered_in_parallel_threads_are_all_whole(tmp_path, monkeypatch):
    """The GUI may render a preview while a worker issues: reportlab's font subsetting shares a read
    position per font, so the layouts render one at a time (else a KeyError or a wrong glyph)."""
    results: dict[tuple[int, int], bytes] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(6)
    inside = [0, 0]  # subsetting now, most at once
    real_subset = TTFontFile.makeSubset

    def watched_subset(self, subset):  # type: ignore[no-untyped-def]
        inside[0] += 1
        inside[1] = max(inside)
        time.sleep(0.002)  # a thread switch here is what mixes two fonts up
        try:
            return real_subset(self, subset)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(TTFontFile, "makeSubset", watched_subset)

    def work(worker: int) -> None:
        try:
            start.wait(timeout=30)
            for index in range(5):
                stamp = IssueStamp(f"HZ2026-{worker:03d}{index:03d}", STAMP.verify_code, STAMP.issued_at)
                layout = list(LAYOUTS)[(worker + index) % len(LAYOUTS)]
                results[worker, index] = LAYOUTS[layout](stamp)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert inside[1] == 1
    assert len(results) == 30
    for (worker, index), pdf in results.items():
        path = support.save(pdf, tmp_path, f"{worker}-{index}.pdf")
        text = support.pdf_text(path)
        assert f"HZ2026-{worker:03d}{index:03d}" in text and support.RARE_NAMES in text


# -- characters the font lacks --------------------------------------------------------------------
def _font_lacks() -> str:
    """A BMP ideograph the embedded font has no glyph for (found, not assumed)."""
    return next(chr(c) for c in range(0x4E00, 0xA000) if missing_glyphs(chr(c)))


def chart(**changes: Any) -> ChartSpec:
    return replace(ChartSpec("bar", "图", ("甲",), (Series("件数", (1,)),)), **changes)


def _with(text: str) -> list[tuple[str, Callable[[], bytes]]]:
    notice = support.official_notice()
    rc = support.receipt()
    table = support.table_report(5)
    return [
        ("official title", lambda: render_official_notice(replace(notice, title=f"关于{text}的通报"))),
        ("official body", lambda: render_official_notice(replace(notice, paragraphs=(f"经查{text}。",)))),
        ("official signer", lambda: render_official_notice(replace(notice, signer=text))),
        ("receipt value", lambda: render_receipt(replace(rc, fields=(("投诉人", f"吉{text}"),)))),
        ("receipt label", lambda: render_receipt(replace(rc, fields=((text, "x"),)), STAMP)),
        ("receipt note", lambda: render_receipt(replace(rc, notes=(text,)))),
        ("table cell", lambda: render_table_report(replace(table, rows=(("1", text, "x", "y"),)))),
        (
            "table column",
            lambda: render_table_report(replace(table, columns=(*table.columns[:3], Column(text)))),
        ),
        ("table footnote", lambda: render_table_report(replace(table, footnotes=(text,)))),
        ("chart title", lambda: render_table_report(replace(table, charts=(chart(title=text),)))),
        ("chart category", lambda: render_table_report(replace(table, charts=(chart(categories=(text,)),)))),
        (
            "chart series",
            lambda: render_table_report(replace(table, charts=(chart(series=(Series(text, (1,)),)),))),
        ),
        ("test page operator", lambda: render_test_page(replace(support.test_page(), operator=text))),
        ("test page center", lambda: render_test_page(replace(support.test_page(), center_name=text))),
    ]


@pytest.mark.parametrize("case", range(len(_with("x"))), ids=[name for name, _ in _with("x")])
def test_a_character_the_font_lacks_is_refused_by_name(case):
    _name, render = _with("𠮷")[case]
    with pytest.raises(MissingGlyphs) as raised:
        render()
    assert raised.value.chars == ["𠮷"]
    assert "“𠮷”(U+20BB7)" in raised.value.message


def test_every_missing_character_is_named_in_order():
    lacking = _font_lacks()
    text = f"王{lacking}与𠮷{lacking}"
    assert missing_glyphs(text) == [lacking, "𠮷"]
    with pytest.raises(MissingGlyphs) as raised:
        render_receipt(replace(support.receipt(), fields=(("投诉人", text),)))
    assert raised.value.chars == [lacking, "𠮷"]
    assert f"U+{ord(lacking):04X}" in raised.value.message and "U+20BB7" in raised.value.message


def test_the_hard_characters_are_all_in_the_font():
    assert missing_glyphs(*SAMPLES, "堃喆昇珺", "¥￥", "，。、；：？！）》」（《「", "—…〔〕") == []
    assert missing_glyphs("第一行\n第二行") == []


# -- official notice ------------------------------------------------------------------------------
def test_official_notice_page_numbers_alternate_sides(tmp_path):
    pdf = saved("official-3-pages", tmp_path)
    pages = support.pdf_words(pdf)
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        folio = [w for w in page.words if w.y0 > page.height * 0.85 and w.text.strip("— ") == str(number)]
        dashes = [w for w in page.words if w.y0 > page.height * 0.85 and "—" in w.text]
        assert folio and dashes, [w.text for w in page.words if w.y0 > page.height * 0.85]
        left = min(w.x0 for w in dashes)
        right = max(w.x1 for w in dashes)
        if number % 2:  # odd: on the right, one character (14 pt) in from the type area
            assert right == pytest.approx(page.width - official.RIGHT - 14, abs=2)
        else:  # even: on the left, one character in
            assert left == pytest.approx(official.LEFT + 14, abs=2)
        text = support.pdf_text(pdf, page=number)
        assert re.search(rf"—\s*{number}\s*—", text), text


def test_official_notice_header_is_red_and_body_black(tmp_path):
    pdf = saved("official", tmp_path)
    pngs, _ = support.render_pages(pdf, 50, tmp_path)
    img = support.image(pngs[0])
    page = support.pdf_words(pdf)[0]
    scale = 50 / 72

    def colours(word_text: str) -> list[tuple[int, int, int]]:
        word = next(w for w in page.words if w.text == word_text)
        box = (int(word.x0 * scale), int(word.y0 * scale), int(word.x1 * scale), int(word.y1 * scale))
        return support.pixels(img, box)

    def red(rgb: tuple[int, int, int]) -> bool:
        r, g, b = rgb
        return r > 150 and g < 90 and b < 90

    header = colours(support.CENTER)
    assert sum(map(red, header)) > len(header) // 10  # the issuing body in red
    assert not any(map(red, colours("天公资交〔2026〕12号")))  # the document number in black
    assert not any(map(red, colours("特此通报。")))
    # The red rule under the document number spans the type area.
    rule_row = next(
        y
        for y in range(img.height // 2)
        if sum(red(img.getpixel((x, y))) for x in range(img.width)) > img.width // 2  # type: ignore[arg-type]
    )
    reds = [x for x in range(img.width) if red(img.getpixel((x, rule_row)))]  # type: ignore[arg-type]
    assert reds[0] == pytest.approx(official.LEFT * scale, abs=2)
    assert reds[-1] == pytest.approx((official.PAGE_W - official.RIGHT) * scale, abs=2)


def test_official_notice_title_lines_are_balanced(tmp_path):
    notice = support.official_notice()
    width = official.TEXT_W - 2 * official.TITLE_SIZE
    plain = wrap(notice.title, width, official.TITLE_SIZE)
    balanced = balanced_wrap(notice.title, width, official.TITLE_SIZE)
    assert len(balanced) == len(plain) == 2
    assert abs(len(balanced[0]) - len(balanced[1])) <= 1
    assert "".join(balanced) == notice.title
    text = support.pdf_text(saved("official", tmp_path))
    assert "\n".join(balanced) in text


def test_balanced_title_has_no_lone_tail():
    title = "关于" + "某" * 20 + "的通报"  # one character more than a line holds
    width = 22 * official.TITLE_SIZE
    assert [len(line) for line in wrap(title, width, official.TITLE_SIZE)] == [22, 3]
    assert [len(line) for line in balanced_wrap(title, width, official.TITLE_SIZE)] == [13, 12]


def test_official_notice_last_page_has_body_signature_and_stamp(tmp_path):
    pdf = saved("official-3-pages", tmp_path)
    last = support.pdf_text(pdf, page=3)
    assert "特此通报。" in last  # GB/T 9704: never a signature page without body text
    assert support.CENTER in last and "2026年11月27日" in last
    assert STAMP.verify_code in last
    for page in (1, 2):
        assert STAMP.verify_code not in support.pdf_text(pdf, page=page)


def test_official_notice_reprint_is_marked_on_every_page(tmp_path):
    pdf = saved("official-3-pages", tmp_path, reprint=True)
    for page in range(1, 4):
        assert "补打" in support.pdf_text(pdf, page=page)
    assert "补打" not in support.pdf_text(saved("official-3-pages", tmp_path))


# -- table report ---------------------------------------------------------------------------------
def test_table_report_repeats_its_header_and_numbers_its_pages(tmp_path):
    report = support.table_report()
    pdf = saved("table", tmp_path)
    total = support.page_count(pdf)
    assert total >= 3
    seen_rows: list[str] = []
    for page in range(1, total + 1):
        text = support.pdf_text(pdf, page=page)
        header = [text.find(c.title) for c in report.columns]
        assert all(index >= 0 for index in header), (page, text[:300])
        first_row = min(i for i in (text.find("天河市第"), text.find(support.RARE_NAMES)) if i >= 0)
        assert max(header) < first_row, page  # the header row comes before the page's rows
        assert re.search(rf"第\s*{page}\s*页\s*共\s*{total}\s*页", text), text[-200:]
        assert ("TOTALS-ROW" in text) == (page == total)  # totals on the last page only
        if page > 1:
            assert f"{report.title}（续）" in text
        seen_rows += re.findall(r"天河市第(\d+)建筑工程有限公司", text)
    # Every row exactly once across the page breaks.
    assert seen_rows == [str(n) for n in range(3, len(report.rows) + 1)]


def test_table_report_reprint_mark_stays_above_the_table(tmp_path):
    pdf = saved("table", tmp_path, reprint=True)
    pngs, _ = support.render_pages(pdf, 100, tmp_path)
    scale = 100 / 72
    for index, (page, png) in enumerate(zip(support.pdf_words(pdf), pngs, strict=True), start=1):
        img = support.image(png).convert("L")
        mark = [w for w in page.words if "补打" in w.text]
        header = next(w for w in page.words if w.text == "序号")
        assert mark, index
        # The table's top rule: the first pixel row above the header text inked across the table.
        left, right = int(header.x0 * scale) - 10, int((page.width - 20 * mm) * scale)

        def inked(y: int, img=img, left=left, right=right) -> bool:
            row = img.crop((left, y, right, y + 1)).tobytes()
            return sum(value < 200 for value in row) > len(row) * 0.9

        top_rule = next(y for y in range(int(header.y0 * scale), 0, -1) if inked(y) and not inked(y - 1))
        assert max(w.y1 for w in mark) * scale < top_rule - 2, index


@pytest.mark.parametrize("landscape", [False, True])
def test_a_long_table_title_stays_on_the_page(tmp_path, landscape):
    title = "2026年11月天河市公共资源交易中心入场信用查询登记表（政府采购类、工程建设类、交通水利类）"
    subtitle = "统计区间：2026年11月1日至11月30日；数据来源：诚信服务台入场查询登记；" * 2
    report = replace(support.table_report(5), title=title, subtitle=subtitle, landscape=landscape)
    pdf = support.save(render_table_report(report), tmp_path)
    (page,) = support.pdf_words(pdf)
    for text in (title, subtitle):
        (word,) = [w for w in page.words if w.text == text]
        assert 15 * mm - 1 <= word.x0 and word.x1 <= page.width - 15 * mm + 1, text


# -- receipts -------------------------------------------------------------------------------------
def test_receipt_a4_has_two_copies_and_a_cut_line(tmp_path):
    pdf = saved("receipt-A4", tmp_path)
    (page,) = support.pdf_words(pdf)
    cut = next(w for w in page.words if w.text == "沿此线剪开")
    assert cut.y0 == pytest.approx(page.height / 2, abs=12)
    for label, upper in (("存根（大厅留存）", True), ("回执（当事人收执）", False)):
        word = next(w for w in page.words if w.text == label)
        assert (word.y1 < cut.y0) == upper
    text = support.pdf_text(pdf)
    assert text.count(support.RARE_NAMES) == 2


def test_receipt_a5_has_one_copy_per_page(tmp_path):
    pdf = saved("receipt-A5", tmp_path)
    pages = support.pdf_words(pdf)
    assert [(round(p.width), round(p.height)) for p in pages] == [(420, 595)] * 2
    texts = [support.pdf_text(pdf, page=n) for n in (1, 2)]
    assert "存根（大厅留存）" in texts[0] and "回执（当事人收执）" not in texts[0]
    assert "回执（当事人收执）" in texts[1] and "存根（大厅留存）" not in texts[1]


def test_receipt_reprint_marks_both_copies(tmp_path):
    pdf = saved("receipt-A4", tmp_path, reprint=True)
    (page,) = support.pdf_words(pdf)
    marks = [w for w in page.words if w.text == "补打"]
    # One above each copy: the complainant's half is marked too once it is cut off.
    assert len(marks) == 2
    assert sorted(w.y0 < page.height / 2 for w in marks) == [False, True]
    a5 = saved("receipt-A5", tmp_path, reprint=True)
    assert all("补打" in support.pdf_text(a5, page=n) for n in (1, 2))


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_long_receipt_title_never_covers_the_copy_label(paper, tmp_path):
    title = "评标专家现场考评记录确认回执单"
    receipt = Receipt(support.CENTER, title, (("事项", "考评"),), paper=paper)
    pdf = support.save(render_receipt(receipt), tmp_path)
    for page in support.pdf_words(pdf):
        heading = next(w for w in page.words if w.text == title)
        label = next(w for w in page.words if w.text in ("存根（大厅留存）", "回执（当事人收执）"))
        assert heading.x1 < label.x0


# -- test page ------------------------------------------------------------------------------------
def test_test_page_reprint_mark_sits_on_the_white_panel(tmp_path):
    pdf = saved("test-page", tmp_path, reprint=True)
    (page,) = support.pdf_words(pdf)
    (first,) = [w for w in page.words if w.text == "补打"]
    mark = [w for w in page.words if w.y0 == first.y0]  # 补打 and the reprint time
    assert len(mark) == 3
    # The panel (no grid lines under it) runs from 21 mm to the page width less 21 mm, and from
    # 22 mm below the top edge downwards.
    for word in mark:
        assert word.x0 >= 21 * mm and word.x1 <= page.width - 21 * mm
        assert word.y0 >= 22 * mm


def test_layouts_render_without_a_stamp():
    for make in (
        lambda: render_official_notice(support.official_notice()),
        lambda: render_receipt(support.receipt()),
        lambda: render_table_report(support.table_report(10, totals=False)),
        lambda: render_test_page(support.test_page()),
    ):
        assert make().startswith(b"%PDF-")


# -- 落款 and seal area ------------------------------------------------------------------------------
def signoff_words(page: support.PageWords, day: str) -> tuple[support.Word, support.Word, support.Word]:
    """The seal guide's 盖章处, and the center's name and the date under it."""
    (seal,) = [w for w in page.words if w.text == "盖章处"]
    name = next(w for w in page.words if w.text == support.CENTER and w.y0 > seal.y1)
    date_word = next(w for w in page.words if w.text == day and w.y0 > name.y1)
    return seal, name, date_word


def centred_on(word: support.Word, other: support.Word) -> bool:
    return abs((word.x0 + word.x1) / 2 - (other.x0 + other.x1) / 2) < 2


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_receipts_are_signed_off_and_only_the_copy_handed_out_is_sealed(paper, tmp_path):
    pdf = saved(f"receipt-{paper}", tmp_path)
    pages = support.pdf_words(pdf)
    text = support.pdf_text(pdf)
    assert text.count("盖章处") == 1
    # A 落款 on each copy: the center's name at the right (its name in the heading is at the left).
    assert sum(w.text == support.CENTER and w.x0 > p.width / 2 for p in pages for w in p.words) == 2
    (page,) = [p for p in pages if any(w.text == "盖章处" for w in p.words)]
    seal, name, day = signoff_words(page, "2026年11月27日")
    assert centred_on(name, seal) and centred_on(day, seal)
    assert day.x1 <= page.width - 12 * mm and name.x0 > page.width / 2  # bottom right, in the margins
    handed_out = next(w for w in page.words if w.text == "回执（当事人收执）")
    assert seal.y0 > handed_out.y1  # on the complainant's copy, not the hall's
    signature = next(w for w in page.words if w.text == "当事人签字：" and w.y0 > handed_out.y1)
    assert signature.x1 < seal.x0


def test_a_receipt_without_signoff_or_a_stamp_still_renders_a_blank_date(tmp_path):
    def signoff_names(pdf: Path) -> int:
        return sum(
            w.text == support.CENTER and w.x0 > p.width / 2 for p in support.pdf_words(pdf) for w in p.words
        )

    plain = support.save(
        render_receipt(replace(support.receipt(), signoff=False), STAMP), tmp_path, "plain.pdf"
    )
    assert "盖章处" not in support.pdf_text(plain) and signoff_names(plain) == 0
    # Not issued (a form printed blank): the 落款 is there with its date to fill in by hand.
    unissued = support.save(render_receipt(support.receipt()), tmp_path, "unissued.pdf")
    assert "盖章处" in support.pdf_text(unissued) and signoff_names(unissued) == 2
    for page in support.pdf_words(unissued):
        name = next(w for w in page.words if w.text == support.CENTER and w.x0 > page.width / 2)
        under = [w.text for w in page.words if name.y1 < w.y0 < name.y1 + 20 and w.x0 > name.x0 - 20]
        assert under == ["年", "月", "日"], under


def test_archive_fields_are_never_printed(tmp_path):
    receipt = replace(support.receipt(), archive_fields=(("工作站", "HALL-PC-07"),))
    pdf = support.save(render_receipt(receipt, STAMP), tmp_path)
    assert "HALL-PC-07" not in support.pdf_text(pdf)


def test_official_notice_seal_presses_the_issuer_and_the_date(tmp_path):
    for layout in ("official", "official-3-pages"):
        pdf = saved(layout, tmp_path)
        pages = support.pdf_words(pdf)
        assert sum(w.text == "盖章处" for p in pages for w in p.words) == 1
        seal, name, day = signoff_words(pages[-1], "2026年11月27日")
        assert centred_on(name, seal) and centred_on(day, seal)
        # The date four characters (16 pt each) in from the right margin (26 mm).
        assert day.x1 == pytest.approx(pages[-1].width - 26 * mm - 4 * 16, abs=2)
        last_body = max(w.y1 for w in pages[-1].words if w.y1 < seal.y0)
        assert seal.y0 - last_body < 40  # the seal's top within about a line of the body


def test_a_table_report_for_outsiders_ends_with_its_signoff_never_alone(tmp_path):
    assert "盖章处" not in support.pdf_text(saved("table", tmp_path))  # a list kept in the hall
    for rows in range(24, 36):
        report = replace(support.table_report(rows), signoff=True)
        pdf = support.save(render_table_report(report, STAMP), tmp_path, f"table-{rows}.pdf")
        pages = support.pdf_words(pdf)
        last = pages[-1]
        seal, name, day = signoff_words(last, "2026年11月27日")
        assert centred_on(name, seal) and centred_on(day, seal)
        rows_on_last = [w for w in last.words if w.text.startswith("天河市第") and w.y1 < seal.y0]
        assert rows_on_last, f"{rows} rows: the 落款 stands alone on page {len(pages)}"
        assert "TOTALS-ROW" in support.pdf_text(pdf, page=len(pages))
        text = support.pdf_text(pdf)
        assert all(f"天河市第{n}建筑工程有限公司" in text for n in range(3, rows + 1))


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_copy_too_long_for_a_page_goes_on_over_more(paper, tmp_path):
    """Nothing falls off the bottom: rows move to the next page, a long one is split between its
    lines (its label marked 续), and the signatures and the 落款 end the copy on its last page."""
    lines = [f"{n}. 第{n}条记录：{support.RARE_NAMES}{support.MONEY}，事实与理由从略。" for n in range(1, 61)]
    receipt = replace(
        support.receipt(paper),
        fields=(("投诉渠道", "窗口/现场"), ("事实与理由", "\n".join(lines)), ("诉求", "LAST-FIELD")),
    )
    pdf = support.save(render_receipt(receipt, REPRINT), tmp_path)
    pages = support.pdf_words(pdf)
    assert len(pages) >= 4  # two copies, each on more than one page
    text = support.pdf_text(pdf)
    assert all(f"第{n}条记录" in text for n in range(1, 61))
    assert text.count("事实与理由（续）") >= 2 and text.count("LAST-FIELD") == 2
    margin = 12 * mm
    for page in pages:
        (mark,) = [w for w in page.words if w.text == "补打"]  # every page of a reprint is marked
        body = [w for w in page.words if w.y0 > mark.y1]  # the mark itself sits in the top margin
        outside = [w.text for w in body if not (margin - 1 <= w.y0 and w.y1 <= page.height - margin + 1)]
        assert outside == []
    sealed = [i for i, p in enumerate(pages) if any(w.text == "盖章处" for w in p.words)]
    assert len(sealed) == 1
    last_of_copy = pages[sealed[0]]
    assert any(w.text == "LAST-FIELD" for w in last_of_copy.words)
    assert any(w.text == "当事人签字：" for w in last_of_copy.words)
