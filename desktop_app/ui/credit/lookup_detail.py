"""The detail pane of the credit lookup: who the subject is, the entry verdict in large type, the
records (in force first, the others greyed with their state word), their repairs, and the checks
already made at the desk.

The pane only shows what it is given; the page loads the ``SubjectFile`` and wires the actions.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.credit import ExpertPoolStatus, RecordKind, Verdict
from desktop_app.services.credit import EntryCheckInfo, RecordInfo, SubjectFile
from desktop_app.ui.credit.labels import (
    pool_status_label,
    record_kind_label,
    record_state_label,
    repair_status_label,
    severity_label,
    subject_kind_label,
    verdict_label,
)
from desktop_app.ui.credit.lookup_model import VERDICT_COLOURS, VERDICT_TEXT_COLOURS
from desktop_app.ui.dates import table_date, table_time, text_date
from desktop_app.ui.widgets.forms import named
from desktop_app.ui.widgets.text import NUMBER_CORE, WORD_JOINER, unbreakable

MUTED = QColor("#8a8a8a")


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width (QTreeView measures a wrapped cell
    without its width, so a long cell would stay on one line)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return hint
        width = self.tree.columnWidth(index.column()) - 10
        if index.column() == 0:
            width -= self.tree.indentation() * (1 + (1 if index.parent().isValid() else 0))
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else self.tree.font())
        wrapped = metrics.boundingRect(QRect(0, 0, max(width, 20), 100_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), wrapped.height() + 8))


ALARM = QColor("#b71c1c")
ITEM_ROLE = Qt.ItemDataRole.UserRole + 10  # ("record" | "repair" | "attachment", the info)


def _tree(name: str, accessible: str, headers: list[str], parent: QWidget) -> QTreeWidget:
    tree = named(QTreeWidget(parent), name, accessible)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # Long cells wrap (rows grow) instead of a horizontal scroll bar: the columns share the width.
    tree.setUniformRowHeights(False)
    tree.setWordWrap(True)
    tree.setItemDelegate(WrappingDelegate(tree))
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    tree.header().setStretchLastSection(True)
    tree.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    tree.setStyleSheet("QTreeWidget::item { padding: 3px 0px; }")
    return tree


class SubjectDetailPane(QScrollArea):
    """Signals ``reveal_requested(field)`` ("id_number" / "phone"), ``edit_requested()``,
    ``add_record_requested()`` and ``record_menu_requested(item_kind, info, global_pos)``."""

    reveal_requested = Signal(str)
    edit_requested = Signal()
    add_record_requested = Signal()
    record_menu_requested = Signal(str, object, object)

    def __init__(self, can_unmask: bool, can_propose: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail")
        self.setAccessibleName(self.tr("Credit file"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.can_unmask = can_unmask
        self.can_propose = can_propose
        self.file: SubjectFile | None = None

        body = QWidget(self)
        body.setObjectName("detail_body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(10)

        self.banner = QLabel(body)
        self.banner.setObjectName("verdict_banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(84)
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        self.reason = QLabel(body)
        self.reason.setObjectName("verdict_reason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet("font-size: 13pt;")
        layout.addWidget(self.reason)

        self.message = QLabel(body)
        self.message.setObjectName("detail_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 12pt; color: #455a64;")
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message)

        # -- identity ------------------------------------------------------------------------
        self.identity = QFrame(body)
        self.identity.setObjectName("identity")
        self.identity.setStyleSheet(
            "QFrame#identity { background: #ffffff; border: 1px solid #d5dce4; border-radius: 4px; }"
        )
        grid = QGridLayout(self.identity)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(12)
        # Rows of fields a subject lacks are hidden; QGridLayout would still space them, so the gap
        # between rows is each label's own margin instead.
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        rows = [
            ("name", self.tr("Name")),
            ("kind", self.tr("Type")),
            ("identifier", self.tr("USCC")),
            ("phone", self.tr("Phone")),
            ("legal_representative", self.tr("Legal representative")),
            ("aliases", self.tr("Former / short names")),
            ("expert_no", self.tr("Expert number")),
            ("specialty", self.tr("Specialty")),
            ("pool_status", self.tr("Expert pool")),
            ("score", self.tr("Credit score")),
        ]
        for row, (key, caption) in enumerate(rows):
            label = QLabel(caption + self.tr(":"), self.identity)
            label.setObjectName(f"caption_{key}")
            label.setStyleSheet("color: #546e7a;")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value = QLabel(self.identity)
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            for widget in (label, value):
                widget.setContentsMargins(0, 3, 0, 3)
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            self.values[key] = value
            self.captions[key] = label
        self.values["name"].setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.unmask_buttons: dict[str, QPushButton] = {}
        for row, key, accessible in (
            (2, "id_number", self.tr("Show the full ID number")),
            (3, "phone", self.tr("Show the full phone number")),
        ):
            button = named(QPushButton(self.tr("Show"), self.identity), f"unmask_{key}", accessible)
            button.setToolTip(accessible)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, field=key: self.reveal_requested.emit(field))
            button.setVisible(False)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignVCenter)
            self.unmask_buttons[key] = button
        grid.setColumnStretch(1, 1)
        # Never taller than its rows: spare height goes to the stretch at the bottom of the pane.
        self.identity.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.identity)

        subject_actions = QHBoxLayout()
        self.edit_button = named(
            QPushButton(self.tr("Edit subject…"), body), "edit_subject", self.tr("Edit subject")
        )
        self.edit_button.clicked.connect(self.edit_requested)
        self.add_record_button = named(
            QPushButton(self.tr("Add record…"), body), "add_record", self.tr("Add a record")
        )
        self.add_record_button.clicked.connect(self.add_record_requested)
        for button in (self.edit_button, self.add_record_button):
            button.setAutoDefault(False)
            button.setVisible(False)
            subject_actions.addWidget(button)
        subject_actions.addStretch(1)
        layout.addLayout(subject_actions)

        # -- records -------------------------------------------------------------------------
        self.records_caption = QLabel(self.tr("Records"), body)
        self.records_caption.setObjectName("records_caption")
        self.records_caption.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.records_caption)
        self.records = _tree(
            "records",
            self.tr("Credit records"),
            [
                self.tr("State"),
                self.tr("Kind"),
                self.tr("Period"),
                self.tr("Decision number"),
                self.tr("Facts"),
            ],
            body,
        )
        self.records.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.records.customContextMenuRequested.connect(self._record_menu)
        self.records.setMinimumHeight(160)
        layout.addWidget(self.records)

        # -- checks --------------------------------------------------------------------------
        self.checks_caption = QLabel(self.tr("Entry checks"), body)
        self.checks_caption.setObjectName("checks_caption")
        self.checks_caption.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.checks_caption)
        self.checks = _tree(
            "checks",
            self.tr("Entry checks made for this subject"),
            [
                self.tr("Checked at"),
                self.tr("Result"),
                self.tr("Query"),
                self.tr("Operator"),
                self.tr("Notice number"),
            ],
            body,
        )
        self.checks.setRootIsDecorated(False)
        self.checks.setMinimumHeight(110)
        layout.addWidget(self.checks)
        layout.addStretch(1)
        self.setWidget(body)
        self._file_widgets: list[QWidget] = [
            self.reason,
            self.identity,
            self.records_caption,
            self.records,
            self.checks_caption,
            self.checks,
        ]
        self.show_message(self.tr("Type a name, a code or pinyin initials to look up a credit file."))

    # -- states --------------------------------------------------------------------------------
    def _set_banner(self, verdict: Verdict | None, text: str = "") -> None:
        if verdict is None:
            self.banner.hide()
            return
        background, foreground = VERDICT_COLOURS[verdict]
        self.banner.setText(text or verdict_label(verdict))
        self.banner.setStyleSheet(
            f"background: {background}; color: {foreground}; font-size: 30pt; font-weight: bold;"
            " border-radius: 6px; padding: 10px 16px;"
        )
        self.banner.show()

    def _show_file_widgets(self, visible: bool) -> None:
        for widget in self._file_widgets:
            widget.setVisible(visible)
        self.edit_button.setVisible(visible and self.can_propose)
        self.add_record_button.setVisible(visible and self.can_propose)
        if not visible:
            for button in self.unmask_buttons.values():
                button.hide()

    def show_message(self, text: str) -> None:
        """No subject: a plain message (nothing typed, or several results and none chosen)."""
        self.file = None
        self._set_banner(None)
        self._show_file_widgets(False)
        self.message.setText(text)
        self.message.show()

    def show_not_found(self, query: str, hint: str) -> None:
        self.file = None
        self._set_banner(Verdict.NOT_FOUND)
        self._show_file_widgets(False)
        lines = [self.tr("No credit file matches “{query}”.").format(query=query)]
        if hint:
            lines.append(hint)
        lines.append(
            self.tr("Press Ctrl+P (Check and print) to record the check and print a “not found” notice.")
        )
        self.message.setText("\n".join(lines))
        self.message.show()

    def show_file(self, file: SubjectFile) -> None:
        self.file = file
        self.message.hide()
        self._show_file_widgets(True)
        verdict = file.assessment.verdict
        self._set_banner(verdict)
        self.reason.setText(self._reason_text(file))
        self.reason.setStyleSheet(
            "font-size: 13pt; font-weight: bold; color: #b71c1c;"
            if verdict == Verdict.BANNED
            else "font-size: 13pt;"
        )
        self._fill_identity(file)
        self._fill_records(file.records)
        self._fill_checks(file.checks)

    def _reason_text(self, file: SubjectFile) -> str:
        if file.assessment.verdict != Verdict.BANNED or not file.barring_records:
            return file.assessment.reason
        lines = []
        for record in file.barring_records:
            number = unbreakable(record.decision_number) or self.tr("no decision number")
            authority = f"{record.authority} " if record.authority else ""
            lines.append(
                self.tr("{kind}: {authority}{number}, {period}").format(
                    kind=record_kind_label(record.kind),
                    authority=authority,
                    number=number,
                    period=record.period_text,
                )
            )
        return "\n".join(lines)

    def _fill_identity(self, file: SubjectFile) -> None:
        subject = file.subject
        person = bool(subject.id_number_masked) and not subject.uscc
        self.captions["identifier"].setText(
            (self.tr("ID number") if person else self.tr("USCC")) + self.tr(":")
        )
        values = {
            "name": subject.name,
            "kind": subject_kind_label(subject.kind),
            "identifier": subject.identifier or self.tr("(none)"),
            "phone": subject.phone_masked,
            "legal_representative": subject.legal_representative,
            "aliases": "、".join(alias.name for alias in subject.aliases),
            "expert_no": subject.expert_no,
            "specialty": subject.specialty,
            "pool_status": self._pool_text(file),
            "score": self._score_text(file),
        }
        is_expert = subject.kind.value == "expert"
        for key, value in values.items():
            shown = bool(value) or key in ("name", "kind", "identifier", "score")
            if key in ("expert_no", "specialty", "pool_status"):
                shown = is_expert and bool(value)
            self.values[key].setText(value)
            self.values[key].setVisible(shown)
            self.captions[key].setVisible(shown)
        self.unmask_buttons["id_number"].setVisible(self.can_unmask and person)
        self.unmask_buttons["phone"].setVisible(self.can_unmask and bool(subject.phone_masked))

    def _pool_text(self, file: SubjectFile) -> str:
        """An expert under a ban in force is suspended until its end (the evaluations' confirmed
        suspensions are such bans), whatever the file's own pool status says."""
        subject = file.subject
        ends = [r.ban_end for r in file.barring_records if r.kind == RecordKind.BAN and r.ban_end]
        if ends and subject.pool_status != ExpertPoolStatus.REMOVED:
            return self.tr("Suspended until %1").replace("%1", text_date(max(ends)))
        return pool_status_label(subject.pool_status) if subject.pool_status else ""

    def _score_text(self, file: SubjectFile) -> str:
        assessment = file.assessment
        if assessment.grade_overridden:
            return self.tr(
                "{score} points; grade {grade} while the ban lasts, whatever the score"
                " (for information; not an entry condition)"
            ).format(score=assessment.score, grade=assessment.grade)
        return self.tr("{score} points, grade {grade} (for information; not an entry condition)").format(
            score=assessment.score, grade=assessment.grade
        )

    def show_revealed(self, field: str, value: str) -> None:
        key = "identifier" if field == "id_number" else "phone"
        self.values[key].setText(value)
        self.unmask_buttons[field].hide()

    def period(self, record: RecordInfo) -> str:
        if record.kind == RecordKind.BAN and record.ban_start:
            end = table_date(record.ban_end) or "—"
            return self.tr("Banned {start} to {end}").format(start=table_date(record.ban_start), end=end)
        end = table_date(record.publicity_end) or "—"
        return self.tr("{start} to {end}").format(start=table_date(record.decision_date), end=end)

    def _record_tooltip(self, record: RecordInfo) -> str:
        sign = "+" if record.kind == RecordKind.GOOD else "−"
        lines = [
            self.tr("Severity: {severity}").format(severity=severity_label(record.severity)),
            self.tr("Authority: {authority}").format(authority=record.authority or "—"),
            self.tr("Points: {points}").format(points=f"{sign}{record.points}" if record.points else "0"),
        ]
        if record.legal_basis:
            lines.append(self.tr("Legal basis: {basis}").format(basis=record.legal_basis))
        if record.closed_reason:
            lines.append(self.tr("Reason closed: {reason}").format(reason=record.closed_reason))
        if record.facts:
            lines.append(self.tr("Facts: {facts}").format(facts=record.facts))
        return "\n".join(lines)

    def _fill_records(self, records: tuple[RecordInfo, ...]) -> None:
        self.records.clear()
        bold = QFont()
        bold.setBold(True)
        columns = self.records.columnCount()
        for record in records:
            kind = record_kind_label(record.kind)
            severity = severity_label(record.severity)
            number = unbreakable(record.decision_number)
            if record.authority:
                number = f"{number}（{record.authority}）" if number else record.authority
            item = QTreeWidgetItem(
                [record_state_label(record), f"{kind}·{severity}", self.period(record), number, record.facts]
            )
            item.setData(0, ITEM_ROLE, ("record", record))
            tooltip = self._record_tooltip(record)
            for column in range(columns):
                item.setToolTip(column, tooltip)
            if not record.in_force:
                for column in range(columns):
                    item.setForeground(column, QBrush(MUTED))
            elif record.kind in (RecordKind.BAN, RecordKind.SERIOUS):
                for column in range(3):
                    item.setForeground(column, QBrush(ALARM))
                    item.setFont(column, bold)
            for repair in record.repairs:
                decided = f"，{repair.decision_note}" if repair.decision_note else ""
                child = QTreeWidgetItem(
                    [
                        repair_status_label(repair),
                        self.tr("Repair request"),
                        table_date(repair.requested_on),
                        repair.decision_number,
                        f"{repair.applicant}：{repair.materials}{decided}".strip("：，"),
                    ]
                )
                child.setData(0, ITEM_ROLE, ("repair", repair))
                item.addChild(child)
            for attachment in record.attachments:
                child = QTreeWidgetItem(
                    [
                        self.tr("Attachment"),
                        attachment.filename,
                        table_time(attachment.added_at),
                        self.tr("{size} KB").format(size=max(1, round(attachment.size / 1024))),
                        attachment.added_by,
                    ]
                )
                child.setData(0, ITEM_ROLE, ("attachment", attachment))
                item.addChild(child)
            self.records.addTopLevelItem(item)
        self.records.expandAll()
        if not records:
            empty = QTreeWidgetItem([self.tr("No records")])
            empty.setForeground(0, QBrush(MUTED))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.records.addTopLevelItem(empty)
        self._lay_out_trees()

    def _fill_checks(self, checks: tuple[EntryCheckInfo, ...]) -> None:
        self.checks.clear()
        for check in checks:
            item = QTreeWidgetItem(
                [
                    table_time(check.checked_at),
                    verdict_label(check.verdict),
                    check.query,
                    check.operator_name or check.operator,
                    check.notice_number or "",
                ]
            )
            item.setForeground(1, QBrush(QColor(VERDICT_TEXT_COLOURS[check.verdict])))
            item.setData(0, ITEM_ROLE, ("check", check))
            self.checks.addTopLevelItem(item)
        if not checks:
            empty = QTreeWidgetItem([self.tr("Not checked at the desk yet")])
            empty.setForeground(0, QBrush(MUTED))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.checks.addTopLevelItem(empty)
        self._lay_out_trees()

    def mark_check(self, check_id: int) -> None:
        """Point at the check just recorded at this desk in the history (its notice number)."""
        for index in range(self.checks.topLevelItemCount()):
            item = self.checks.topLevelItem(index)
            data = item.data(0, ITEM_ROLE) if item is not None else None
            if data and data[1].id == check_id:
                self.checks.setCurrentItem(item)
                return

    # -- fitting the tables to the pane ---------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out_trees()

    def _lay_out_trees(self) -> None:
        """Columns share the pane's width (no horizontal scroll bar), each at least as wide as what
        must not break in it (a date, a decision number); rows wrap and the tables are as tall as
        their rows, at least five and at most ten: the pane scrolls, not each table."""
        if self.file is None:
            return
        metrics = self.records.fontMetrics()
        pad = 14
        cores = [m.group(0) for r in self.file.records for m in NUMBER_CORE.finditer(r.decision_number)]
        widest_number = max((metrics.horizontalAdvance(core) for core in cores), default=0)
        minimums = (
            max(metrics.horizontalAdvance(label) for label in ("未生效", "已到期"))
            + 30,  # the tree's branch for repairs and attachments
            metrics.horizontalAdvance("严重失") + pad,
            metrics.horizontalAdvance("2026-12-31") + pad,
            max(widest_number, metrics.horizontalAdvance("〔2026〕205号")) + pad,
            metrics.horizontalAdvance("串通投") + pad,
        )
        self._share_width(self.records, minimums, (0, 1, 1.4, 1.5, 2.2))
        check_metrics = self.checks.fontMetrics()
        self._share_width(
            self.checks,
            (
                check_metrics.horizontalAdvance("2026-12-06 14:05") + pad,
                check_metrics.horizontalAdvance(verdict_label(Verdict.RECORDS)) + pad,
                check_metrics.horizontalAdvance("华建建") + pad,
                check_metrics.horizontalAdvance("欧阳明明") + pad,
                check_metrics.horizontalAdvance("XY2026-000123") + pad,
            ),
            (0, 0, 1, 0.3, 0),
        )
        for tree in (self.records, self.checks):
            tree.setFixedHeight(self._fitting_height(tree))

    @staticmethod
    def _share_width(tree: QTreeWidget, minimums: tuple[int, ...], weights: tuple[float, ...]) -> None:
        available = tree.viewport().width() or tree.width() - 2 * tree.frameWidth()
        if sum(minimums) > available:  # a very narrow pane: every column gives way alike
            minimums = tuple(least * available // sum(minimums) for least in minimums)
        spare = max(0, available - sum(minimums))
        total = sum(weights) or 1
        for column, (least, weight) in enumerate(zip(minimums, weights, strict=True)):
            tree.setColumnWidth(column, least + int(spare * weight / total))

    @staticmethod
    def _fitting_height(tree: QTreeWidget, least: int = 5, most: int = 10) -> int:
        tree.doItemsLayout()
        heights = []
        item = tree.topLevelItem(0)
        while item is not None and len(heights) < most:
            heights.append(max(tree.visualItemRect(item).height(), 1))
            item = tree.itemBelow(item)
        one_line = tree.fontMetrics().height() + 10
        heights += [one_line] * max(0, least - len(heights))
        return tree.header().sizeHint().height() + sum(heights) + 2 * tree.frameWidth() + 2

    # -- records menu --------------------------------------------------------------------------
    def current_record_item(self) -> tuple[str, object] | None:
        item = self.records.currentItem()
        if item is None:
            return None
        data = item.data(0, ITEM_ROLE)
        return tuple(data) if data else None

    def _record_menu(self, pos: QPoint) -> None:
        item = self.records.itemAt(pos)
        if item is None:
            return
        data = item.data(0, ITEM_ROLE)
        if not data:
            return
        self.records.setCurrentItem(item)
        self.record_menu_requested.emit(data[0], data[1], self.records.viewport().mapToGlobal(pos))

    def record_texts(self) -> list[list[str]]:
        """Top-level rows as shown (for tests and screen readers)."""
        out = []
        for index in range(self.records.topLevelItemCount()):
            item = self.records.topLevelItem(index)
            if item is not None:
                out.append([item.text(c).replace(WORD_JOINER, "") for c in range(self.records.columnCount())])
        return out

    def record_is_muted(self, row: int) -> bool:
        item = self.records.topLevelItem(row)
        return item is not None and item.foreground(0).color() == MUTED
