"""Helpers of the notice tests: sample documents that carry the hard characters, and poppler tools
(pdftotext, pdffonts, pdftoppm, zbarimg) run as subprocesses on the bytes a layout produced."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image

from desktop_app.notices.base import IssueStamp
from desktop_app.notices.charts import ChartSpec, Series
from desktop_app.notices.official import OfficialNotice
from desktop_app.notices.receipt import Receipt
from desktop_app.notices.table_report import Column, TableReport
from desktop_app.notices.test_page import TestPage

CENTER = "天河市公共资源交易中心"
# Strings every layout must carry into its text layer exactly: rare name characters, the yuan sign,
# full-width punctuation, Latin letters and digits.
RARE_NAMES = "王堃、张喆、李昇、陈珺"
MONEY = "保证金¥1280.00元"
PUNCTUATION = "（一）《办法》「第3条」：是否？是！；"
LATIN = "Integrity Desk 2026 ABC-123"
SAMPLES = (RARE_NAMES, MONEY, PUNCTUATION, LATIN)

STAMP = IssueStamp("TZ2026-000017", "K7QX-M2DP-4ABC", datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
REPRINT = IssueStamp(
    STAMP.number, STAMP.verify_code, STAMP.issued_at, reprinted_at=datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
)


def official_notice(paragraph_count: int = 1) -> OfficialNotice:
    body = f"经查，{RARE_NAMES}等4名评标专家在评标活动中存在迟到情形，现予以通报。"
    return OfficialNotice(
        issuer=CENTER,
        doc_number="天公资交〔2026〕12号",
        title="关于对天河市第三中学食堂改造项目评标专家迟到情况的通报",
        addressee="各有关单位",
        paragraphs=(
            body,
            *(
                f"第{n}条：{MONEY}，编号{LATIN}，请各有关单位依法依规开展招标投标活动，"
                "按时参加评标，遵守评标纪律，共同维护公平公正的交易秩序。"
                for n in range(1, paragraph_count)
            ),
            "特此通报。",
        ),
        issued_on=date(2026, 11, 27),
        attachments=(f"{MONEY}明细", PUNCTUATION, LATIN),
    )


def receipt(paper: str = "A4") -> Receipt:
    return Receipt(
        CENTER,
        "服务投诉受理回执",
        (
            ("投诉渠道", "窗口/现场"),
            ("受理时间", "2026年11月27日 10:32"),
            ("投诉人", RARE_NAMES),
            ("金额", MONEY),
            ("依据", PUNCTUATION),
            ("系统", LATIN),
            ("事实与理由", "投诉人称，在3号窗口办理保证金退还业务时，工作人员未一次性告知所需材料。"),
        ),
        notes=("如需补充证据材料，请于3个工作日内提交至服务大厅投诉窗口。",),
        paper=paper,
    )


def table_report(row_count: int = 120, totals: bool = True) -> TableReport:
    return TableReport(
        center_name=CENTER,
        title="2026年11月入场信用查询登记表",
        columns=(
            Column("序号", 0.6, "right"),
            Column("单位名称", 3.0),
            Column("统一社会信用代码", 2.2),
            Column("查询结果", 1.2, "center"),
        ),
        rows=(
            ("1", RARE_NAMES, LATIN, "准予入场"),
            ("2", PUNCTUATION, MONEY, "准予入场"),
            *(
                (
                    str(n),
                    f"天河市第{n}建筑工程有限公司",
                    f"91440100MA{n:08d}",
                    "暂停入场" if n % 7 == 0 else "准予入场",
                )
                for n in range(3, row_count + 1)
            ),
        ),
        subtitle="统计区间：2026年11月1日至11月30日",
        totals=("合计", f"{row_count} 家", "", "TOTALS-ROW") if totals else None,
        generated_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        footnotes=("注：本表由诚信服务台自动生成。",),
    )


MONTHS = ("7月", "8月", "9月", "10月", "11月", "12月")


def charts() -> tuple[ChartSpec, ...]:
    """A grouped bar chart (the hard characters as a category and a series) and a line of rates with
    a month without a value."""
    return (
        ChartSpec(
            "bar",
            "各类投诉件数",
            ("服务态度", "办事效率", RARE_NAMES, "环境设施"),
            (Series("受理", (12, 7, 3, 4)), Series(LATIN, (9, 5, 0, 2))),
            value_suffix="件",
        ),
        ChartSpec(
            "line",
            "各月按时办结率",
            MONTHS,
            (Series("按时办结率", (100, 95, 92.5, None, 88, 90)),),
            value_suffix="%",
        ),
    )


def chart_report(row_count: int = 12, position: str = "above", signoff: bool = False) -> TableReport:
    return replace(table_report(row_count), charts=charts(), charts_position=position, signoff=signoff)


def test_page() -> TestPage:
    return TestPage(CENTER, datetime(2026, 11, 27, 2, 0, tzinfo=UTC), f"大厅{LATIN}", RARE_NAMES)


# -- poppler ------------------------------------------------------------------------------------
def run_tool(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(a) for a in args], capture_output=True, check=True, timeout=60)


def save(pdf: bytes, folder: Path, name: str = "doc.pdf") -> Path:
    path = folder / name
    path.write_bytes(pdf)
    return path


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """``pdftotext`` in its default (reading order, not -layout) mode, all pages or one."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    return run_tool("pdftotext", "-enc", "UTF-8", *pages, pdf, "-").stdout.decode("utf-8")


def page_count(pdf: Path) -> int:
    info = run_tool("pdfinfo", pdf).stdout.decode()
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def pdf_fonts(pdf: Path) -> list[FontRow]:
    lines = run_tool("pdffonts", pdf).stdout.decode().splitlines()[2:]
    fonts = []
    for line in lines:
        # name type... encoding emb sub uni object ID: the last five columns are fixed.
        parts = line.split()
        emb, sub, uni = parts[-5:-2]
        fonts.append(FontRow(parts[0], " ".join(parts[1:-6]), emb == "yes", sub == "yes", uni == "yes"))
    return fonts


def render_pages(pdf: Path, dpi: int, folder: Path, page: int | None = None) -> tuple[list[Path], str]:
    """PNG files of the pages (``pdftoppm -png``) and what pdftoppm wrote on stderr."""
    root = folder / f"{pdf.stem}-{dpi}"
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    done = run_tool("pdftoppm", "-png", "-r", str(dpi), *pages, pdf, root)
    return sorted(folder.glob(f"{root.name}-*.png")), done.stderr.decode()


def decode_qr(png: Path) -> list[str]:
    done = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, timeout=60)
    return done.stdout.decode().split("\n")[:-1] if done.returncode == 0 else []


def decode_stamp_qr_codes(pdf: Path, page: int, folder: Path, dpi: int = 200) -> list[str]:
    """Render (``pdftoppm`` at ``dpi``) the square left of each "文书编号" line of a page, where the
    stamp block puts its QR code, and read it with zbarimg."""
    words = pdf_words(pdf)[page - 1].words
    found = []
    for index, word in enumerate(w for w in words if w.text.startswith("文书编号")):
        scale = dpi / 72
        x, y = (word.x0 - 30 * 72 / 25.4) * scale, (word.y0 - 6 * 72 / 25.4) * scale
        side = 30 * 72 / 25.4 * scale
        root = folder / f"{pdf.stem}-qr{index}"
        run_tool(
            "pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
            "-x", str(int(x)), "-y", str(int(y)), "-W", str(int(side)), "-H", str(int(side)), pdf, root,
        )  # fmt: skip
        found += decode_qr(root.with_suffix(".png"))
    return found


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: list[Word]


def pdf_words(pdf: Path) -> list[PageWords]:
    """Every word with its box in points from the top left (``pdftotext -bbox``)."""
    html = run_tool("pdftotext", "-enc", "UTF-8", "-bbox", pdf, "-").stdout.decode("utf-8")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [
            Word(text, float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                page.group(3),
            )
        ]
        pages.append(PageWords(float(page.group(1)), float(page.group(2)), words))
    return pages


def image(png: Path) -> Image.Image:
    with Image.open(png) as img:
        return img.convert("RGB")


def pixels(img: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int, int]]:
    """The RGB pixels of a box of an RGB image."""
    raw = img.crop(box).tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
