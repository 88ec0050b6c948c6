"""考核方案 (the 岗责体系 of 月度考核): the scheme versions with their items (each version in force from a
month), the post → scheme map of the staff list's posts, and the grade bands with the 优秀 quota,
each version from a month.

A new version keeps the name and takes effect from a later month: months already scored keep the
version they were scored with. Every save is audited by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.scoring import (
    AUTO_SOURCE_LABELS,
    DIMENSION_LABELS,
    ITEM_KIND_LABELS,
    AutoSource,
    Dimension,
    ItemKind,
    month_of,
)
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import (
    PostSchemeInfo,
    RuleInfo,
    SchemeInfo,
    SchemeInput,
    SchemeItemInfo,
    SchemeItemInput,
)
from desktop_app.ui import operations, topics
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.credit.labels import version_state_label
from desktop_app.ui.evaluations.lists import KeyedListTab
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width, make_table_view, share_width


def this_month() -> str:
    today = clock.today()
    return month_of(today.year, today.month)


def month_states(dated: list[tuple[Any, str]], month: str) -> dict[Any, str]:
    """in_force / superseded / future for the versions of one thing (its key, its first month)."""
    started = sorted(first for _key, first in dated if first <= month)
    current = started[-1] if started else None
    return {
        key: "future" if first > month else "in_force" if first == current else "superseded"
        for key, first in dated
    }


@dataclass(frozen=True)
class SchemeRow:
    id: int
    scheme: SchemeInfo
    state: str


def scheme_rows(services: Services) -> list[SchemeRow]:
    schemes = services.scoring.schemes()
    month = this_month()
    rows: list[SchemeRow] = []
    for name in dict.fromkeys(s.name for s in schemes):
        versions = [s for s in schemes if s.name == name]
        states = month_states([(s.id, s.effective_from) for s in versions], month)
        rows.extend(SchemeRow(s.id, s, states[s.id]) for s in versions)
    return rows


def yes(value: bool) -> str:
    return QCoreApplication.translate("ScoringSchemes", "yes") if value else ""


class SchemeTableModel(RecordTableModel[SchemeRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Scheme"),
                    lambda r: r.scheme.name,
                    lambda r: (r.scheme.name, r.scheme.effective_from),
                    width=Width("窗口服务岗", weight=2),
                ),
                Column(
                    self.tr("Effective from"),
                    lambda r: r.scheme.effective_from,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Default"), lambda r: yes(r.scheme.is_default), width=Width(whole=True, weight=0)
                ),
                Column(
                    self.tr("Maximum"),
                    lambda r: str(r.scheme.maximum),
                    lambda r: r.scheme.maximum,
                    align_right=True,
                    width=Width("110", weight=0),
                ),
                Column(
                    self.tr("Items"),
                    lambda r: str(len(r.scheme.items)),
                    lambda r: len(r.scheme.items),
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Status"),
                    lambda r: version_state_label(r.state),
                    width=Width(whole=True, weight=1),
                ),
                Column(
                    self.tr("Note"), lambda r: r.scheme.note, width=Width("窗口岗位", weight=2, gives_way=1)
                ),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )


def range_text(item: SchemeItemInfo) -> str:
    return f"{item.min_points:g} … {item.max_points:g}"


class SchemeItemTableModel(RecordTableModel[SchemeItemInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Code"), lambda i: i.code, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Dimension"),
                    lambda i: DIMENSION_LABELS[i.dimension],
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Kind"), lambda i: ITEM_KIND_LABELS[i.kind], width=Width(whole=True, weight=0)
                ),
                Column(
                    self.tr("Item"),
                    lambda i: i.text,
                    width=Width("遵守工作纪律", "遵守工作纪律，按时到岗，不迟到早退", weight=4),
                ),
                Column(
                    self.tr("Points"),
                    lambda i: f"{i.points:g}",
                    lambda i: i.points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(self.tr("Range"), range_text, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Evidence"), lambda i: yes(i.evidence_required), width=Width(whole=True, weight=0)
                ),
                Column(self.tr("Veto"), lambda i: yes(i.veto), width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Arrives from"),
                    lambda i: AUTO_SOURCE_LABELS[i.auto_source] if i.auto_source else "",
                    width=Width(whole=True, weight=1),
                ),
            ],
            parent=parent,
        )


# -- a new scheme version --------------------------------------------------------------------------
ITEM_COLUMNS = 10  # code, dimension, kind, text, points, least, most, evidence, veto, arrives from


class SchemeDialog(FormDialog):
    """A new version of a scheme (or a new scheme) from a month: its items in a grid, the selected
    version's to start with."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        start: SchemeInfo | None,
        names: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("New scheme version"), parent)
        self.setObjectName("scheme_dialog")
        self.services = services
        self.actor = actor
        self.name = self.add_field(self.tr("&Name:"), QComboBox(self), "name", self.tr("Name"), required=True)
        self.name.setEditable(True)
        self.name.addItems(names)
        self.effective_from = self.add_field(
            self.tr("Effective from (&month):"),
            QLineEdit(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.effective_from.setPlaceholderText(self.tr("e.g. %1").replace("%1", this_month()))
        self.effective_from.setMaxLength(7)
        self.maximum = self.add_field(
            self.tr("Ma&ximum:"), QSpinBox(self), "maximum", self.tr("Maximum"), required=True
        )
        self.maximum.setRange(100, 150)
        self.maximum.setValue(110)
        self.is_default = self.add_field(
            "",
            QCheckBox(self.tr("&Default scheme (for posts not mapped)"), self),
            "is_default",
            self.tr("Default"),
        )
        self.note = self.add_field(self.tr("N&ote:"), QLineEdit(self), "note", self.tr("Note"))
        self.items = QTableWidget(0, ITEM_COLUMNS, self)
        self.items.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Dimension"),
                self.tr("Kind"),
                self.tr("Item"),
                self.tr("Points"),
                self.tr("Least"),
                self.tr("Most"),
                self.tr("Evidence"),
                self.tr("Veto"),
                self.tr("Arrives from"),
            ]
        )
        self.items.verticalHeader().hide()
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.items.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.items.setMinimumHeight(260)
        self.add_field(self.tr("&Items:"), self.items, "items", self.tr("Items"), required=True)
        buttons = QHBoxLayout()
        self.add_line = QPushButton(self.tr("&Add a line"), self)
        self.add_line.setObjectName("add_line")
        self.add_line.setAutoDefault(False)
        self.add_line.clicked.connect(lambda _c=False: self._append(None))
        self.remove_line = QPushButton(self.tr("&Remove the line"), self)
        self.remove_line.setObjectName("remove_line")
        self.remove_line.setAutoDefault(False)
        self.remove_line.clicked.connect(self._remove)
        buttons.addWidget(self.add_line)
        buttons.addWidget(self.remove_line)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.set_hint(
            self.tr(
                "Dimension: 德 能 勤 绩 廉; kind: 基本分 加分 扣分; arrives from: 投诉属实 超期办结 差评回访 表扬 "
                "政务失信记录 or empty. Base points add up to 100. Months before the effective month keep their version."
            )
        )
        if start is not None:
            self.name.setCurrentText(start.name)
            self.maximum.setValue(start.maximum)
            self.is_default.setChecked(start.is_default)
            self.note.setText(start.note)
            for item in start.items:
                self._append(item)
        else:
            self.name.setCurrentText("")
        self.setMinimumSize(980, 600)

    def _append(self, item: SchemeItemInfo | None) -> None:
        row = self.items.rowCount()
        self.items.insertRow(row)
        values = (
            [
                "",
                DIMENSION_LABELS[Dimension.PERFORMANCE],
                ITEM_KIND_LABELS[ItemKind.DEDUCTION],
                "",
                "1",
                "0",
                "5",
            ]
            if item is None
            else [
                item.code,
                DIMENSION_LABELS[item.dimension],
                ITEM_KIND_LABELS[item.kind],
                item.text,
                f"{item.points:g}",
                f"{item.min_points:g}",
                f"{item.max_points:g}",
            ]
        )
        for column, value in enumerate(values):
            self.items.setItem(row, column, QTableWidgetItem(value))
        for column, checked in (
            (7, item.evidence_required if item else False),
            (8, item.veto if item else False),
        ):
            cell = QTableWidgetItem()
            cell.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            )
            cell.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.items.setItem(row, column, cell)
        source = AUTO_SOURCE_LABELS[item.auto_source] if item is not None and item.auto_source else ""
        self.items.setItem(row, 9, QTableWidgetItem(source))
        if item is None:
            self.items.setCurrentCell(row, 0)
            self.items.editItem(self.items.item(row, 0))

    def _remove(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        cell = self.items.item(row, column)
        return cell.text().strip() if cell is not None else ""

    def item_inputs(self) -> tuple[SchemeItemInput, ...]:
        """The grid as the service takes it; a cell that is not one of its choices is refused here."""
        dimensions = {label: d for d, label in DIMENSION_LABELS.items()}
        kinds = {label: k for k, label in ITEM_KIND_LABELS.items()}
        sources = {label: s for s, label in AUTO_SOURCE_LABELS.items()}
        items = []
        for row in range(self.items.rowCount()):
            line = self.tr("Line %1: ").replace("%1", str(row + 1))
            dimension = dimensions.get(self._text(row, 1))
            kind = kinds.get(self._text(row, 2))
            source_text = self._text(row, 9)
            source: AutoSource | None = sources.get(source_text) if source_text else None
            if dimension is None:
                raise ValidationError(
                    line + self.tr("the dimension is one of 德 能 勤 绩 廉."), field="items"
                )
            if kind is None:
                raise ValidationError(line + self.tr("the kind is one of 基本分 加分 扣分."), field="items")
            if source_text and source is None:
                raise ValidationError(
                    line
                    + self.tr("it arrives from 投诉属实, 超期办结, 差评回访, 表扬, 政务失信记录 or nothing."),
                    field="items",
                )
            try:
                points, least, most = (float(self._text(row, c) or "0") for c in (4, 5, 6))
            except ValueError:
                raise ValidationError(line + self.tr("points are numbers."), field="items") from None
            checked = [
                self.items.item(row, c) is not None
                and self.items.item(row, c).checkState() == Qt.CheckState.Checked
                for c in (7, 8)
            ]
            items.append(
                SchemeItemInput(
                    code=self._text(row, 0).upper(),
                    dimension=dimension,
                    kind=kind,
                    text=self._text(row, 3),
                    points=points,
                    min_points=least,
                    max_points=most,
                    evidence_required=checked[0],
                    veto=checked[1],
                    auto_source=source,
                )
            )
        return tuple(items)

    def submit(self) -> None:
        clear_field_errors(self)
        try:
            items = self.item_inputs()
        except ValidationError as refusal:
            show_field_error(self, refusal)
            return
        data = SchemeInput(
            name=self.name.currentText().strip(),
            effective_from=self.effective_from.text().strip(),
            is_default=self.is_default.isChecked(),
            maximum=self.maximum.value(),
            items=items,
            note=self.note.text().strip(),
        )
        self.save(lambda: self.services.scoring.save_scheme(self.actor, data), changed=topics.SCORING_SCHEMES)

    def reload(self) -> None:
        pass


# -- the post map ----------------------------------------------------------------------------------
class PostTableModel(RecordTableModel[PostSchemeInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Post"),
                    lambda p: p.post or self.tr("(no post)"),
                    width=Width("窗口受理", weight=1),
                ),
                Column(
                    self.tr("Scheme"),
                    lambda p: p.scheme_name or self.tr("(default)"),
                    width=Width("窗口服务岗", weight=1),
                ),
                Column(
                    self.tr("Staff"),
                    lambda p: str(p.staff_count),
                    lambda p: p.staff_count,
                    align_right=True,
                    width=Width("999", weight=0),
                ),
            ],
            parent=parent,
        )


class PostSchemeDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        post: PostSchemeInfo,
        names: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Scheme of a post"), parent)
        self.setObjectName("post_scheme_dialog")
        self.services = services
        self.actor = actor
        self.post = post
        intro = QLabel(
            self.tr("Staff with the post %1 (%2) are scored by this scheme from the next month opened.")
            .replace("%1", post.post)
            .replace("%2", str(post.staff_count)),
            self,
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.scheme = self.add_field(
            self.tr("&Scheme:"), QComboBox(self), "scheme_name", self.tr("Scheme"), required=True
        )
        for name in names:
            self.scheme.addItem(name, name)
        combo_select_data(self.scheme, post.scheme_name)
        self.setMinimumWidth(420)

    def submit(self) -> None:
        post, name = self.post.post, str(self.scheme.currentData() or "")
        self.save(
            lambda: self.services.scoring.set_post_scheme(self.actor, post, name),
            changed=topics.SCORING_SCHEMES,
        )

    def reload(self) -> None:
        pass


class PostSection(KeyedListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            PostTableModel(), "post_search", "post_table", self.tr("Posts and their schemes"), parent
        )
        self.services = services
        self.actor = actor
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Posts"), self)
        title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(title)
        self.edit_button = self.add_button(
            self.tr("&Change scheme…"),
            "change_post_scheme",
            self.edit_current,
            self.tr("The scheme of this post"),
        )

    def key(self, record: Any) -> Any:
        return record.post

    def load_records(self) -> list[Any]:
        return self.services.scoring.post_schemes()

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def edit_current(self) -> None:
        chosen = self.current()
        if not isinstance(chosen, PostSchemeInfo):
            return
        self.clear_messages()
        names = list(dict.fromkeys(s.name for s in self.services.scoring.schemes()))
        self.open_dialog(PostSchemeDialog(self.services, self.actor, chosen, names, self), self.refresh)


# -- bands and quota -------------------------------------------------------------------------------
class BandsTableModel(RecordTableModel[RuleInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("From"), lambda r: r.effective_from, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Monthly grades"),
                    lambda r: f"{r.monthly_bands}；{r.monthly_worst}",
                    width=Width("优秀:95,良好:85", weight=2),
                ),
                Column(
                    self.tr("Excellent quota"),
                    lambda r: (
                        self.tr("%1 %2% (at least 1 from %3 staff)")
                        .replace("%1", r.excellent)
                        .replace("%2", str(r.quota_percent))
                        .replace("%3", str(r.quota_min_size))
                    ),
                    width=Width("优秀 20%", weight=1),
                ),
                Column(
                    self.tr("Veto caps at"),
                    lambda r: r.veto_cap,
                    width=Width(whole=True, weight=0, gives_way=1),
                ),
            ],
            parent=parent,
        )


class BandsDialog(FormDialog):
    """New bands and quota from a month on (the version selected to start with)."""

    def __init__(
        self, services: Services, actor: CurrentUser, start: RuleInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("New grade bands"), parent)
        self.setObjectName("bands_dialog")
        self.services = services
        self.actor = actor
        self.effective_from = self.add_field(
            self.tr("Effective from (&month):"),
            QLineEdit(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.effective_from.setPlaceholderText(self.tr("e.g. %1").replace("%1", this_month()))
        self.monthly_bands = self._line(self.tr("&Monthly bands:"), "monthly_bands")
        self.monthly_worst = self._line(self.tr("Below them:"), "monthly_worst")
        self.veto_cap = self._line(self.tr("A &veto caps at:"), "veto_cap")
        self.excellent = self._line(self.tr("&Quota grade:"), "excellent")
        self.quota_percent = self.add_field(
            self.tr("Quota &share:"), QSpinBox(self), "quota_percent", self.tr("Quota share"), required=True
        )
        self.quota_percent.setRange(1, 100)
        self.quota_percent.setSuffix("%")
        self.quota_min_size = self.add_field(
            self.tr("At least one from:"),
            QSpinBox(self),
            "quota_min_size",
            self.tr("At least one from"),
            required=True,
        )
        self.quota_min_size.setRange(1, 1000)
        self.quota_min_size.setSuffix(self.tr(" staff"))
        self.quarterly_bands = self._line(self.tr("Q&uarterly bands:"), "quarterly_bands")
        self.quarterly_worst = self._line(self.tr("Below them (quarter):"), "quarterly_worst")
        self.annual_bands = self._line(self.tr("A&nnual bands:"), "annual_bands")
        self.annual_worst = self._line(self.tr("Below them (year):"), "annual_worst")
        self.set_hint(
            self.tr("Bands: grade:lowest total, best first, e.g. 优秀:95,良好:85,合格:70,基本合格:60.")
        )
        if start is not None:
            for field, value in (
                (self.monthly_bands, start.monthly_bands),
                (self.monthly_worst, start.monthly_worst),
                (self.veto_cap, start.veto_cap),
                (self.excellent, start.excellent),
                (self.quarterly_bands, start.quarterly_bands),
                (self.quarterly_worst, start.quarterly_worst),
                (self.annual_bands, start.annual_bands),
                (self.annual_worst, start.annual_worst),
            ):
                field.setText(value)
            self.quota_percent.setValue(start.quota_percent)
            self.quota_min_size.setValue(start.quota_min_size)
        self.setMinimumWidth(520)

    def _line(self, label: str, name: str) -> QLineEdit:
        return self.add_field(
            label, QLineEdit(self), name, label.rstrip(":：").replace("&", ""), required=True
        )

    def submit(self) -> None:
        from desktop_app.services.scoring.types import RuleInput  # score-core's (being merged)

        data = RuleInput(
            effective_from=self.effective_from.text().strip(),
            monthly_bands=self.monthly_bands.text().strip(),
            monthly_worst=self.monthly_worst.text().strip(),
            veto_cap=self.veto_cap.text().strip(),
            excellent=self.excellent.text().strip(),
            quota_percent=self.quota_percent.value(),
            quota_min_size=self.quota_min_size.value(),
            quarterly_bands=self.quarterly_bands.text().strip(),
            quarterly_worst=self.quarterly_worst.text().strip(),
            annual_bands=self.annual_bands.text().strip(),
            annual_worst=self.annual_worst.text().strip(),
        )
        self.save(lambda: self.services.scoring.save_rule(self.actor, data), changed=topics.SCORING_SCHEMES)

    def reload(self) -> None:
        pass


class BandsSection(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            BandsTableModel(), "bands_search", "bands_table", self.tr("Grade bands and quota"), parent
        )
        self.services = services
        self.actor = actor
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Grades and quota"), self)
        title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(title)
        self.new_button = self.add_button(
            self.tr("New &bands from a month…"),
            "new_bands",
            self.new_item,
            self.tr("Change the bands or the quota"),
        )

    def load_records(self) -> list[Any]:
        return self.services.scoring.rules()

    def new_item(self) -> None:
        self.clear_messages()
        chosen = self.current()
        records = self.model.records()
        start = chosen if isinstance(chosen, RuleInfo) else (records[-1] if records else None)
        self.open_dialog(BandsDialog(self.services, self.actor, start, self), self.refresh)


class ScoringSchemesTab(ListTab):
    """The schemes' versions (their items under them), the posts' schemes and the bands."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            SchemeTableModel(), "scheme_search", "scheme_table", self.tr("Scoring schemes"), parent
        )
        self.services = services
        self.actor = actor
        self.new_button = self.add_button(
            self.tr("&New version from a month…"),
            "new_scheme_version",
            self.new_item,
            self.tr("A scheme's items from a month on; months already scored keep theirs (Ctrl+N)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.view)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("schemes_splitter")
        self.view.setParent(splitter)
        splitter.addWidget(self.view)
        self.items_model = SchemeItemTableModel(self)
        self.items_view = make_table_view("scheme_items", self.tr("Items of the scheme"), splitter)
        self.items_view.setModel(self.items_model)
        self.items_sharing = share_width(self.items_view, self.items_model)
        lower = QWidget(splitter)
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.posts = PostSection(services, actor, lower)
        self.bands = BandsSection(services, actor, lower)
        lower_layout.addWidget(self.posts, 1)
        lower_layout.addWidget(self.bands, 2)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 1)
        layout.addWidget(splitter, 1)
        self.watcher = operations.refresh_on_change(self, (topics.SCORING_SCHEMES,), self.refresh)
        self.refresh()

    def load_records(self) -> list[Any]:
        return scheme_rows(self.services)

    def refresh(self) -> None:
        super().refresh()
        self.posts.refresh()
        self.bands.refresh()

    def update_actions(self) -> None:
        chosen = self.current()
        self.items_model.set_records(list(chosen.scheme.items) if isinstance(chosen, SchemeRow) else [])

    def new_item(self) -> None:
        self.clear_messages()
        chosen = self.current()
        start = chosen.scheme if isinstance(chosen, SchemeRow) else None
        names = list(dict.fromkeys(r.scheme.name for r in self.model.records()))
        self.open_dialog(SchemeDialog(self.services, self.actor, start, names, self), self._saved)

    def _saved(self) -> None:
        saved = self.dialog.result_value if isinstance(self.dialog, SchemeDialog) else None
        self.refresh()
        if isinstance(saved, SchemeInfo):
            self.select(lambda r: r.id == saved.id)
            self.show_status(
                self.tr("%1 from %2 saved.").replace("%1", saved.name).replace("%2", saved.effective_from)
            )
