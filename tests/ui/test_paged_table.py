"""The paged table: a model over 200,000 rows that reads only the blocks the view shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QTableView

from desktop_app.ui.widgets.paged_table import (
    TONE_COLOURS,
    ListSource,
    PagedTableModel,
    Tone,
    make_paged_view,
)
from desktop_app.ui.widgets.tables import RECORD_ROLE, Column, Width, selected_record

TOTAL = 200_000
BLOCK = 200


@dataclass(frozen=True)
class Case:
    id: int
    number: str
    state: str
    overdue: bool
    due_soon: bool


def make_cases(ids: Sequence[int]) -> list[Case]:
    return [
        Case(i, f"TS2026-{i:06d}", ("登记", "受理", "调查处理", "办结")[i % 4], i % 97 == 0, i % 89 == 0)
        for i in ids
    ]


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return make_cases(range(1, TOTAL + 1))


class FakeSource:
    """``count`` and ``rows`` over a list, counting the calls."""

    def __init__(self, items: Sequence[Case]) -> None:
        self.items = items
        self.counts = 0
        self.calls: list[tuple[int, int]] = []

    def count(self) -> int:
        self.counts += 1
        return len(self.items)

    def rows(self, offset: int, limit: int) -> Sequence[Case]:
        self.calls.append((offset, limit))
        return self.items[offset : offset + limit]

    def offsets(self) -> list[int]:
        return [offset for offset, _ in self.calls]


class LocatingFake(FakeSource):
    """A source that says where an item is (what a service does with a COUNT of the rows before it)."""

    def __init__(self, items: Sequence[Case]) -> None:
        super().__init__(items)
        self.where = {case.id: row for row, case in enumerate(items)}
        self.positions = 0

    def position(self, key: Any) -> int | None:
        self.positions += 1
        return self.where.get(key)


class Failing(FakeSource):
    def rows(self, offset: int, limit: int) -> Sequence[Case]:
        self.calls.append((offset, limit))
        raise RuntimeError("the database went away")


def case_tone(case: Case) -> Tone | None:
    if case.overdue:
        return Tone.ALARM
    return Tone.WARNING if case.due_soon else None


COLUMNS: list[Column[Case]] = [
    Column("Number", lambda c: c.number, order_by="number", width=Width(least="TS2026-000000", whole=True)),
    Column("State", lambda c: c.state, order_by="state", tooltip=lambda c: f"state {c.state}"),
    Column("Id", lambda c: str(c.id), align_right=True),  # not sortable by the service
]


def make_model(**kwargs: Any) -> PagedTableModel[Case]:
    kwargs.setdefault("key", lambda c: c.id)
    kwargs.setdefault("tone", case_tone)
    return PagedTableModel(COLUMNS, **kwargs)


def open_view(qtbot: Any, model: PagedTableModel[Case], height: int = 600) -> QTableView:
    view = make_paged_view(model, "cases_table", "Cases")
    qtbot.addWidget(view)
    view.resize(700, height)
    view.show()
    qtbot.waitExposed(view)
    paint(view)
    return view


def paint(view: QTableView) -> None:
    """What the user would see now: the delayed layout done and the visible rows painted (each asks
    data())."""
    QApplication.processEvents()
    view.viewport().repaint()


def visible_rows(view: QTableView) -> range:
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    return range(first, (last if last >= 0 else view.model().rowCount() - 1) + 1)


def shown_numbers(view: QTableView) -> list[str]:
    return [view.model().index(row, 0).data() for row in visible_rows(view)]


# -- counting and reading -----------------------------------------------------------------------------
def test_the_model_counts_at_once_and_reads_nothing_before_the_view_asks(cases: list[Case]) -> None:
    source = FakeSource(cases)
    model = make_model()
    model.reset_source(source)
    assert model.rowCount() == TOTAL and model.columnCount() == 3
    assert source.counts == 1 and source.calls == []
    assert model.headerData(TOTAL - 1, Qt.Orientation.Vertical) == TOTAL
    assert model.headerData(TOTAL, Qt.Orientation.Vertical) is None


def test_the_top_of_the_view_reads_only_the_first_block(qtbot: Any, cases: list[Case]) -> None:
    source = FakeSource(cases)
    model = make_model()
    model.reset_source(source)
    view = open_view(qtbot, model)
    assert source.calls == [(0, BLOCK)]
    rows = visible_rows(view)
    assert rows.start == 0 and 10 < len(rows) < BLOCK
    assert shown_numbers(view)[:2] == ["TS2026-000001", "TS2026-000002"]
    assert view.verticalScrollBar().maximum() > TOTAL - len(rows) - 2  # the bar spans every row


def test_scrolling_to_the_end_reads_only_the_blocks_there(qtbot: Any, cases: list[Case]) -> None:
    source = FakeSource(cases)
    model = make_model()
    model.reset_source(source)
    view = open_view(qtbot, model)
    source.calls.clear()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    paint(view)
    assert source.calls == [(TOTAL - BLOCK, BLOCK)]
    assert shown_numbers(view)[-1] == "TS2026-200000"
    assert selected_record(view).id == TOTAL  # the keyboard's current row is the last one

    # Dragging the bar to row 150,000 reads the block there and its neighbour if the screen spans two.
    source.calls.clear()
    view.verticalScrollBar().setValue(150_000 - 5)
    paint(view)
    assert source.offsets() == [149_800, 150_000]
    assert shown_numbers(view)[0] == "TS2026-149996"


def test_the_blocks_held_are_bounded_and_the_least_recent_go_first(qtbot: Any, cases: list[Case]) -> None:
    source = FakeSource(cases)
    model = make_model(max_blocks=4)
    model.reset_source(source)
    view = open_view(qtbot, model)
    bar = view.verticalScrollBar()
    for block in range(1, 12):
        bar.setValue(block * 10 * BLOCK)  # blocks 10, 20, ... 110: each screen inside one block
        paint(view)
        assert len(model.loaded_blocks()) <= 4
    assert model.loaded_blocks() == [80, 90, 100, 110]
    assert len(source.calls) == 12
    source.calls.clear()
    bar.setValue(90 * BLOCK)  # held: nothing read
    paint(view)
    assert source.calls == [] and model.loaded_blocks() == [80, 100, 110, 90]
    bar.setValue(0)  # let go long ago: read again, and the least recent (80) goes
    paint(view)
    assert source.calls == [(0, BLOCK)] and model.loaded_blocks() == [100, 110, 90, 0]


# -- a new source -------------------------------------------------------------------------------------
def select_row(view: QTableView, row: int) -> None:
    view.scrollTo(view.model().index(row, 0))
    view.selectRow(row)
    paint(view)


def test_a_new_source_keeps_the_selected_item_where_it_was_on_screen(qtbot: Any, cases: list[Case]) -> None:
    model = make_model()
    model.reset_source(FakeSource(cases))
    view = open_view(qtbot, model)
    select_row(view, 150_122)
    assert selected_record(view).id == 150_123
    height = 150_122 - view.rowAt(0)

    # The same list read again with some rows gone before it (a filter, a case closed elsewhere): the
    # item is near where it was, found in the blocks around it.
    fewer = FakeSource([c for c in cases if not (150_000 < c.id < 150_100 and c.id % 2)])
    with qtbot.waitSignal(model.modelReset):
        model.reset_source(fewer)
    paint(view)
    assert model.rowCount() == TOTAL - 50
    assert selected_record(view).id == 150_123 and view.currentIndex().row() == 150_072
    assert view.selectionModel().selectedRows()[0].row() == 150_072
    assert view.currentIndex().row() - view.rowAt(0) == height
    assert fewer.offsets() == [150_000]  # the search began in the block the item was in: no other read


def test_a_source_in_another_order_finds_the_item_by_its_position(qtbot: Any, cases: list[Case]) -> None:
    model = make_model()
    model.reset_source(FakeSource(cases))
    view = open_view(qtbot, model)
    select_row(view, 7)
    backwards = LocatingFake(cases[::-1])
    model.reset_source(backwards)
    paint(view)
    assert selected_record(view).id == 8 and view.currentIndex().row() == TOTAL - 8
    assert view.rowAt(0) <= TOTAL - 8 <= view.rowAt(view.viewport().height() - 1)
    # The block where the item was is tried first (a list read again has it there); then the
    # position came from the source, and only the blocks the screen shows were read.
    assert backwards.offsets()[0] == 0 and backwards.offsets().count(0) == 1
    assert set(backwards.offsets()[1:]) <= {TOTAL - BLOCK, TOTAL - 2 * BLOCK}
    assert backwards.positions == 1
    # The same list read again: the item is found where it was, no position asked.
    model.refresh()
    paint(view)
    assert selected_record(view).id == 8 and backwards.positions == 1


def test_a_wider_filter_scrolls_to_the_item_beyond_the_old_count(qtbot: Any, cases: list[Case]) -> None:
    model = make_model()
    model.reset_source(LocatingFake(cases[150_000:150_300]))  # a narrow filter: 300 rows
    view = open_view(qtbot, model, height=400)
    select_row(view, 100)
    height = 100 - view.rowAt(0)
    model.reset_source(LocatingFake(cases))  # the filter cleared: the case is row 150,100 of 200,000
    paint(view)
    assert selected_record(view).id == 150_101
    assert view.currentIndex().row() - view.rowAt(0) == height


def test_without_the_selected_item_the_top_row_stays_or_the_list_starts_over(
    qtbot: Any, cases: list[Case]
) -> None:
    model = make_model()
    model.reset_source(FakeSource(cases))
    view = open_view(qtbot, model)
    view.verticalScrollBar().setValue(5_000)
    paint(view)
    select_row(view, 5_003)
    gone = [c for c in cases if c.id != 5_004]  # the selected case left the list, its neighbours stayed
    model.reset_source(FakeSource(gone))
    paint(view)
    assert selected_record(view) is None
    assert view.rowAt(0) == 5_000 and shown_numbers(view)[0] == "TS2026-005001"

    # Another filter: nothing that was on screen is in it, so the list starts at its top.
    model.reset_source(FakeSource(make_cases(range(300_001, 300_500))))
    paint(view)
    assert view.rowAt(0) == 0 and shown_numbers(view)[0] == "TS2026-300001"
    model.reset_source(None)
    assert model.rowCount() == 0 and model.row_at(0) is None


# -- sorting ------------------------------------------------------------------------------------------
def click_header(qtbot: Any, view: QTableView, section: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_a_header_click_asks_for_a_sorted_source_instead_of_sorting(qtbot: Any, cases: list[Case]) -> None:
    source = FakeSource(cases)
    model = make_model()
    model.set_sort("number")
    model.reset_source(source)
    view = open_view(qtbot, model)
    header = view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.AscendingOrder)
    asked: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda order_by, descending: asked.append((order_by, descending)))

    click_header(qtbot, view, 1)
    assert asked == [("state", False)]
    click_header(qtbot, view, 1)
    assert asked == [("state", False), ("state", True)]
    assert model.sort_state() == (1, Qt.SortOrder.DescendingOrder)
    # Nothing was sorted in memory: the rows are the source's, as they were.
    assert shown_numbers(view)[0] == "TS2026-000001" and source.calls == [(0, BLOCK)]

    click_header(qtbot, view, 2)  # no order_by: nothing asked, the indicator stays on the real order
    assert len(asked) == 2
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (1, Qt.SortOrder.DescendingOrder)

    # The page answers with a new source; the indicator shows the order the page says it is in.
    model.set_sort("number", descending=True)
    model.reset_source(FakeSource(cases[::-1]))
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.DescendingOrder)
    assert len(asked) == 2


# -- cells --------------------------------------------------------------------------------------------
def test_cells_show_the_columns_tones_and_tooltips(qtbot: Any, cases: list[Case]) -> None:
    model = make_model()
    model.reset_source(FakeSource(cases))
    overdue = model.index(96, 0)  # id 97
    due_soon = model.index(88, 1)  # id 89
    plain = model.index(0, 2)
    assert overdue.data() == "TS2026-000097" and overdue.data(RECORD_ROLE) == cases[96]
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color() == TONE_COLOURS[Tone.ALARM][1]
    assert overdue.data(Qt.ItemDataRole.BackgroundRole).color() == TONE_COLOURS[Tone.ALARM][0]
    assert due_soon.data(Qt.ItemDataRole.BackgroundRole).color() == TONE_COLOURS[Tone.WARNING][0]
    assert plain.data(Qt.ItemDataRole.BackgroundRole) is None
    assert plain.data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert due_soon.data(Qt.ItemDataRole.ToolTipRole) == "state 受理"
    model.set_given_way([2])  # a narrow view hides the id: the tooltip reads it
    assert due_soon.data(Qt.ItemDataRole.ToolTipRole) == "state 受理\nId: 89"
    assert model.row_at(due_soon) == cases[88] and model.row_at(QModelIndex()) is None


def test_ctrl_c_copies_the_current_cell(qtbot: Any, cases: list[Case]) -> None:
    model = make_model()
    model.reset_source(FakeSource(cases))
    view = open_view(qtbot, model)
    select_row(view, 41)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "TS2026-000042"


def test_a_block_that_cannot_be_read_is_empty_and_said_once(qtbot: Any, cases: list[Case]) -> None:
    source = Failing(cases)
    model = make_model()
    model.reset_source(source)
    with qtbot.waitSignal(model.fetch_failed) as failed:
        assert model.index(0, 0).data() is None
        assert model.index(5_000, 0).data() is None  # the rest of that source is not tried again
    assert isinstance(failed.args[0], RuntimeError) and source.calls == [(0, BLOCK)]
    model.reset_source(FakeSource(cases))  # the next source is read
    assert model.index(5_000, 0).data() == "TS2026-005001"


def test_rows_gone_since_the_count_are_empty_rows(cases: list[Case]) -> None:
    source = FakeSource(cases[:1_000])
    model = make_model()
    model.reset_source(source)
    source.items = cases[:950]  # deleted elsewhere after the count
    assert model.index(949, 0).data() == "TS2026-000950"
    assert model.index(950, 0).data() is None and model.row_at(999) is None
    assert source.offsets() == [800]  # one read for the short block, not one per row


# -- the model tester ---------------------------------------------------------------------------------
@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_the_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, cases: list[Case], force_py: bool
) -> None:
    # The tester reads every row: a list of 1,000 in blocks of 50, three held, crosses blocks enough.
    model = make_model(block_size=50, max_blocks=3)
    model.reset_source(ListSource(cases[:1_000]))
    qtmodeltester.check(model, force_py=force_py)
    # The tester keeps watching: new sources with more, fewer and no rows, a failing one, a sort.
    model.reset_source(FakeSource(cases[:3_000]))
    for row in (0, 120, 2_999, 75):
        assert model.index(row, 1).data() == cases[row].state
    model.reset_source(ListSource([]))
    model.reset_source(Failing(cases[:10]))
    with qtbot.waitSignal(model.fetch_failed):
        assert model.index(3, 0).data() is None
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.reset_source(ListSource(cases[:3]))
    assert model.rowCount() == 3
