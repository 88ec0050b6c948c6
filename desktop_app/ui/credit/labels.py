"""The credit module's words on screen, one table per enum, through the translator: every credit
screen takes its labels from here. (The domain's Chinese labels stay for the services' messages and
the printed notices; the English interface speaks English.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.credit import (
    ExpertPoolStatus,
    RecordKind,
    RecordStatus,
    Severity,
    SubjectKind,
    Verdict,
)
from desktop_app.services.credit import LineState, RecordInfo, RepairInfo
from desktop_app.ui.dates import text_date


def subject_kind_label(kind: SubjectKind) -> str:
    return {
        SubjectKind.AGENCY: QCoreApplication.translate("CreditLabels", "Agency"),
        SubjectKind.BIDDER: QCoreApplication.translate("CreditLabels", "Bidder"),
        SubjectKind.SUPPLIER: QCoreApplication.translate("CreditLabels", "Supplier"),
        SubjectKind.BUYER: QCoreApplication.translate("CreditLabels", "Buyer"),
        SubjectKind.EXPERT: QCoreApplication.translate("CreditLabels", "Evaluation expert"),
        SubjectKind.STAFF: QCoreApplication.translate("CreditLabels", "Staff member"),
    }[SubjectKind(kind)]


def record_kind_label(kind: RecordKind) -> str:
    return {
        RecordKind.GOOD: QCoreApplication.translate("CreditLabels", "Good conduct"),
        RecordKind.BAD: QCoreApplication.translate("CreditLabels", "Bad conduct"),
        RecordKind.SERIOUS: QCoreApplication.translate("CreditLabels", "Serious dishonesty list"),
        RecordKind.BAN: QCoreApplication.translate("CreditLabels", "Entry ban"),
        RecordKind.EXPERT_DEDUCTION: QCoreApplication.translate("CreditLabels", "Expert deduction"),
        RecordKind.STAFF_RECORD: QCoreApplication.translate("CreditLabels", "Staff integrity record"),
    }[RecordKind(kind)]


def severity_label(severity: Severity) -> str:
    return {
        Severity.MINOR: QCoreApplication.translate("CreditLabels", "Minor"),
        Severity.GENERAL: QCoreApplication.translate("CreditLabels", "General"),
        Severity.SERIOUS: QCoreApplication.translate("CreditLabels", "Serious"),
        Severity.NONE: QCoreApplication.translate("CreditLabels", "Not graded"),
    }[Severity(severity)]


def status_label(status: RecordStatus) -> str:
    return {
        RecordStatus.PENDING: QCoreApplication.translate("CreditLabels", "Awaiting leader confirmation"),
        RecordStatus.CONFIRMED: QCoreApplication.translate("CreditLabels", "In effect"),
        RecordStatus.DECLINED: QCoreApplication.translate("CreditLabels", "Not confirmed"),
        RecordStatus.REPAIRED: QCoreApplication.translate("CreditLabels", "Repaired"),
        RecordStatus.REVOKED: QCoreApplication.translate("CreditLabels", "Revoked"),
    }[RecordStatus(status)]


def pool_status_label(status: ExpertPoolStatus) -> str:
    return {
        ExpertPoolStatus.ACTIVE: QCoreApplication.translate("CreditLabels", "In the pool"),
        ExpertPoolStatus.SUSPENDED: QCoreApplication.translate("CreditLabels", "Suspended from draws"),
        ExpertPoolStatus.REMOVED: QCoreApplication.translate("CreditLabels", "Removed"),
    }[ExpertPoolStatus(status)]


def verdict_label(verdict: Verdict) -> str:
    """The entry verdict: 禁止入场 … in Chinese."""
    return {
        Verdict.BANNED: QCoreApplication.translate("CreditLookup", "No entry"),
        Verdict.RECORDS: QCoreApplication.translate("CreditLookup", "Has bad records"),
        Verdict.CLEAR: QCoreApplication.translate("CreditLookup", "May enter"),
        Verdict.NOT_FOUND: QCoreApplication.translate("CreditLookup", "Not found"),
        Verdict.TAMPERED: QCoreApplication.translate(
            "CreditLookup", "Data check failed — contact the audit administrator"
        ),
    }[Verdict(verdict)]


ALIAS_KINDS = ("former", "short")


def alias_kind_label(kind: str) -> str:
    """A subject's other name: a former name (曾用名) or a short name (简称)."""
    return {
        "former": QCoreApplication.translate("CreditLabels", "Former name"),
        "short": QCoreApplication.translate("CreditLabels", "Short name"),
    }[kind]


def repair_status_label(repair: RepairInfo) -> str:
    words = {
        "requested": QCoreApplication.translate("CreditLabels", "Awaiting decision"),
        "approved": QCoreApplication.translate("CreditLabels", "Repair granted"),
        "rejected": QCoreApplication.translate("CreditLabels", "Repair refused"),
    }
    return words.get(repair.status, repair.status_label)


def record_state_label(record: RecordInfo) -> str:
    """生效中 / 已到期 / 未开始, or the status of a record that never took effect or was closed."""
    if record.status in (RecordStatus.PENDING, RecordStatus.DECLINED, RecordStatus.REVOKED):
        return status_label(record.status)
    if record.in_force:
        return QCoreApplication.translate("CreditLabels", "In force")
    if record.state == "未开始":
        return QCoreApplication.translate("CreditLabels", "Not started")
    if record.status == RecordStatus.REPAIRED:
        return status_label(record.status)
    return QCoreApplication.translate("CreditLabels", "Expired")


def version_state_label(state: str) -> str:
    """A catalogue version (record rules, score rules) on a given day: 现行, 已被替代, 尚未生效."""
    return {
        "in_force": QCoreApplication.translate("CatalogueVersions", "In force"),
        "superseded": QCoreApplication.translate("CatalogueVersions", "Superseded"),
        "future": QCoreApplication.translate("CatalogueVersions", "Not yet in force"),
    }[state]


def record_summary(record: RecordInfo) -> str:
    """One line naming a record: kind, severity, decision number and date."""
    number = f" {record.decision_number}" if record.decision_number else ""
    return (
        f"{record_kind_label(record.kind)}（{severity_label(record.severity)}）{number} "
        f"{text_date(record.decision_date)}"
    )


def line_state_label(state: LineState) -> str:
    """A line of a bid opening's list (批量核验) before the clerk decides it."""
    return {
        LineState.MATCHED: QCoreApplication.translate("CreditLabels", "Subject found"),
        LineState.NOT_FOUND: QCoreApplication.translate("CreditLabels", "Not on file"),
        LineState.DUPLICATE: QCoreApplication.translate("CreditLabels", "Repeated line"),
        LineState.AMBIGUOUS: QCoreApplication.translate("CreditLabels", "Name of several subjects"),
        LineState.CONFLICT: QCoreApplication.translate("CreditLabels", "Code and name disagree"),
        LineState.SIMILAR: QCoreApplication.translate("CreditLabels", "Only similar names"),
        LineState.ERROR: QCoreApplication.translate("CreditLabels", "Line to correct"),
    }[LineState(state)]
