"""Dialogs that change credit files. Each function opens its dialog modally, saves through the credit
service (``operations.run``: the change is announced, and the pages showing it refresh themselves),
and returns what was saved (or None/False when the user cancelled):

    edit_subject(parent, services, actor, subject_id=None) -> int | None      # new or edit; saved id
    add_record(parent, services, actor, subject_id) -> int | None             # saved record id
    confirm_record(parent, services, actor, record_id) -> bool                # leader
    decline_record(parent, services, actor, record_id) -> bool                # leader, asks a reason
    revoke_record(parent, services, actor, record_id) -> bool                 # asks a reason
    request_repair(parent, services, actor, record_id) -> bool
    decide_repair(parent, services, actor, repair_id) -> bool
    add_attachment(parent, services, actor, record_id) -> bool                # file dialog
    open_attachment(parent, services, actor, attachment_id) -> None           # save a copy / open
    reveal_personal_data(parent, services, actor, subject_id, field) -> str | None  # asks a reason

``decide_repair`` also takes ``record_id=`` (keyword) so that the dialog can show the application;
without it the dialog shows the application number only. Every modal dialog runs through
``desktop_app.ui.widgets.modal.run_dialog`` (tests replace it to drive the dialog); file choosers are
the static ``QFileDialog`` calls (tests patch them).

One module per part: ``subjects``, ``records``, ``decisions`` (confirm, decline, revoke),
``repairs``, ``attachments``, ``reveal``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit.editing.attachments import add_attachment, open_attachment
from desktop_app.ui.credit.editing.decisions import (
    ReasonDialog,
    confirm_record,
    decline_record,
    revoke_record,
)
from desktop_app.ui.credit.editing.records import RecordDialog, add_record
from desktop_app.ui.credit.editing.repairs import (
    RepairDecisionDialog,
    RepairRequestDialog,
    decide_repair,
    request_repair,
)
from desktop_app.ui.credit.editing.reveal import RevealDialog, reveal_personal_data
from desktop_app.ui.credit.editing.subjects import SubjectDialog, edit_subject

# An action on one row of a credit file: (parent, services, actor, the row's id) -> what it gave.
RowEdit = Callable[[QWidget | None, Services, CurrentUser, int], object]

__all__ = [
    "ReasonDialog",
    "RecordDialog",
    "RepairDecisionDialog",
    "RepairRequestDialog",
    "RevealDialog",
    "RowEdit",
    "SubjectDialog",
    "add_attachment",
    "add_record",
    "confirm_record",
    "decide_repair",
    "decline_record",
    "edit_subject",
    "open_attachment",
    "request_repair",
    "reveal_personal_data",
    "revoke_record",
]
