"""Complaints (服务投诉): intake with its receipt, handling to closure and 回访, the consequences for
staff months and credit files, the list, and the catalogue. ``ComplaintService`` is what the GUI
and the command line call; other modules use the ``*_in`` functions inside their own transaction.

Parts: ``types`` (what crosses the boundary), ``rules`` (the catalogue), ``cases`` (reading a case,
rights), ``intake`` (checks, duplicates, numbering, receipt), ``handling`` (moves, extensions,
closure and consequences, 回访, the reply letter), ``listing`` (find, list pages, status-bar counts),
``papers`` (the documents' content), ``replies`` (reply templates filled from a case), ``stats``
(the monthly figures and their table report), ``export`` (a filtered list to .xlsx).
"""

from __future__ import annotations

from desktop_app.services.complaints.cases import find_in, info_in, sees_internal
from desktop_app.services.complaints.export import ExportOps
from desktop_app.services.complaints.handling import HandlingOps
from desktop_app.services.complaints.intake import IntakeOps, check_input_in, register_in
from desktop_app.services.complaints.listing import ListingOps
from desktop_app.services.complaints.replies import RepliesOps
from desktop_app.services.complaints.rules import ComplaintRulesOps, rules_in
from desktop_app.services.complaints.stats import StatsOps
from desktop_app.services.complaints.types import (
    Assignment,
    Closure,
    ComplaintFilter,
    ComplaintInfo,
    ComplaintInput,
    ComplaintRow,
    DeadlinePreview,
    DuplicateHit,
    EvidenceInput,
    IntakeResult,
    ListOrder,
    MonthlyStats,
    ReplyTemplate,
    WorkloadCounts,
)


class ComplaintService(
    IntakeOps, HandlingOps, ListingOps, RepliesOps, ComplaintRulesOps, StatsOps, ExportOps
):
    """The use cases of the complaints module, one transaction and one audit entry each."""


__all__ = [
    "Assignment",
    "Closure",
    "ComplaintFilter",
    "ComplaintInfo",
    "ComplaintInput",
    "ComplaintRow",
    "ComplaintService",
    "DeadlinePreview",
    "DuplicateHit",
    "EvidenceInput",
    "IntakeResult",
    "ListOrder",
    "MonthlyStats",
    "ReplyTemplate",
    "WorkloadCounts",
    "check_input_in",
    "find_in",
    "info_in",
    "register_in",
    "rules_in",
    "sees_internal",
]
