"""The complaints module's words on screen, one table per enum, through the translator. (The
domain's Chinese labels stay for the services' messages and the printed papers.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.complaints import (
    Action,
    Category,
    Channel,
    DeductionKind,
    ExtensionState,
    IdType,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    Statutory,
    TimeLimit,
)


def channel_label(channel: Channel) -> str:
    return {
        Channel.WINDOW: QCoreApplication.translate("ComplaintLabels", "At the window"),
        Channel.PHONE: QCoreApplication.translate("ComplaintLabels", "Phone"),
        Channel.LETTER: QCoreApplication.translate("ComplaintLabels", "Letter"),
        Channel.BOX: QCoreApplication.translate("ComplaintLabels", "Suggestion box"),
        Channel.MAILBOX: QCoreApplication.translate("ComplaintLabels", "Online mailbox"),
        Channel.HOTLINE: QCoreApplication.translate("ComplaintLabels", "12345 hotline transfer"),
        Channel.RATING: QCoreApplication.translate("ComplaintLabels", "Bad rating"),
    }[Channel(channel)]


def category_label(category: Category) -> str:
    return {
        Category.ATTITUDE: QCoreApplication.translate("ComplaintLabels", "Service attitude"),
        Category.EFFICIENCY: QCoreApplication.translate("ComplaintLabels", "Efficiency"),
        Category.FEES: QCoreApplication.translate("ComplaintLabels", "Improper fees"),
        Category.SHIRKING: QCoreApplication.translate("ComplaintLabels", "Shirking and delay"),
        Category.DISCIPLINE: QCoreApplication.translate("ComplaintLabels", "Discipline"),
        Category.SYSTEM: QCoreApplication.translate("ComplaintLabels", "System failure"),
        Category.OTHER: QCoreApplication.translate("ComplaintLabels", "Other"),
    }[Category(category)]


def state_label(state: State) -> str:
    return {
        State.REGISTERED: QCoreApplication.translate("ComplaintLabels", "Registered"),
        State.ACCEPTED: QCoreApplication.translate("ComplaintLabels", "Accepted"),
        State.REJECTED: QCoreApplication.translate("ComplaintLabels", "Not accepted"),
        State.TRANSFERRED: QCoreApplication.translate("ComplaintLabels", "Transferred"),
        State.INVESTIGATING: QCoreApplication.translate("ComplaintLabels", "Under investigation"),
        State.CLOSED: QCoreApplication.translate("ComplaintLabels", "Closed"),
        State.VISITED: QCoreApplication.translate("ComplaintLabels", "Followed up"),
    }[State(state)]


def action_label(action: Action) -> str:
    return {
        Action.ACCEPT: QCoreApplication.translate("ComplaintLabels", "Accept"),
        Action.REJECT: QCoreApplication.translate("ComplaintLabels", "Do not accept"),
        Action.TRANSFER: QCoreApplication.translate("ComplaintLabels", "Transfer"),
        Action.INVESTIGATE: QCoreApplication.translate("ComplaintLabels", "Start investigation"),
        Action.CLOSE: QCoreApplication.translate("ComplaintLabels", "Close with reply"),
        Action.VISIT: QCoreApplication.translate("ComplaintLabels", "Follow-up visit"),
    }[Action(action)]


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.TRUE: QCoreApplication.translate("ComplaintLabels", "Founded"),
        Outcome.PARTLY: QCoreApplication.translate("ComplaintLabels", "Partly founded"),
        Outcome.FALSE: QCoreApplication.translate("ComplaintLabels", "Unfounded"),
    }[Outcome(outcome)]


def satisfaction_label(satisfaction: Satisfaction) -> str:
    return {
        Satisfaction.VERY_SATISFIED: QCoreApplication.translate("ComplaintLabels", "Very satisfied"),
        Satisfaction.SATISFIED: QCoreApplication.translate("ComplaintLabels", "Satisfied"),
        Satisfaction.FAIRLY: QCoreApplication.translate("ComplaintLabels", "Fairly satisfied"),
        Satisfaction.DISSATISFIED: QCoreApplication.translate("ComplaintLabels", "Dissatisfied"),
        Satisfaction.VERY_DISSATISFIED: QCoreApplication.translate("ComplaintLabels", "Very dissatisfied"),
    }[Satisfaction(satisfaction)]


def time_limit_label(limit: TimeLimit) -> str:
    return {
        TimeLimit.SIMPLE: QCoreApplication.translate("ComplaintLabels", "Simple"),
        TimeLimit.GENERAL: QCoreApplication.translate("ComplaintLabels", "General"),
        TimeLimit.COMPLEX: QCoreApplication.translate("ComplaintLabels", "Complex"),
    }[TimeLimit(limit)]


def statutory_label(statutory: Statutory) -> str:
    return {
        Statutory.NONE: QCoreApplication.translate("ComplaintLabels", "No"),
        Statutory.BIDDING: QCoreApplication.translate("ComplaintLabels", "Bidding complaint (statutory)"),
        Statutory.PROCUREMENT: QCoreApplication.translate(
            "ComplaintLabels", "Procurement complaint (statutory)"
        ),
    }[Statutory(statutory)]


def respondent_kind_label(kind: RespondentKind) -> str:
    return {
        RespondentKind.STAFF: QCoreApplication.translate("ComplaintLabels", "Staff member"),
        RespondentKind.DEPARTMENT: QCoreApplication.translate("ComplaintLabels", "Department"),
        RespondentKind.WINDOW: QCoreApplication.translate("ComplaintLabels", "Window"),
        RespondentKind.SUBJECT: QCoreApplication.translate("ComplaintLabels", "Market subject"),
        RespondentKind.NONE: QCoreApplication.translate("ComplaintLabels", "Not named"),
    }[RespondentKind(kind)]


def id_type_label(kind: IdType) -> str:
    return {
        IdType.RESIDENT: QCoreApplication.translate("ComplaintLabels", "Resident ID card"),
        IdType.PASSPORT: QCoreApplication.translate("ComplaintLabels", "Passport"),
        IdType.OTHER: QCoreApplication.translate("ComplaintLabels", "Other document"),
    }[IdType(kind)]


def deduction_kind_label(kind: DeductionKind) -> str:
    return {
        DeductionKind.FOUND_TRUE: QCoreApplication.translate("ComplaintLabels", "Complaint founded"),
        DeductionKind.OVERDUE: QCoreApplication.translate("ComplaintLabels", "Closed after the deadline"),
    }[DeductionKind(kind)]


def extension_state_label(state: ExtensionState) -> str:
    return {
        ExtensionState.PENDING: QCoreApplication.translate("ComplaintLabels", "Waiting for approval"),
        ExtensionState.APPROVED: QCoreApplication.translate("ComplaintLabels", "Approved"),
        ExtensionState.REFUSED: QCoreApplication.translate("ComplaintLabels", "Refused"),
    }[ExtensionState(state)]


def rule_label(name: str) -> str:
    """A catalogue figure's name (``domain.complaints.RULE_LABELS``); an unknown one as stored."""
    labels = {
        "simple_days": QCoreApplication.translate("ComplaintLabels", "Simple case time limit (working days)"),
        "general_days": QCoreApplication.translate(
            "ComplaintLabels", "General case time limit (working days)"
        ),
        "complex_days": QCoreApplication.translate(
            "ComplaintLabels", "Complex case time limit (working days)"
        ),
        "acceptance_days": QCoreApplication.translate(
            "ComplaintLabels", "Time to decide on acceptance (working days)"
        ),
        "found_true_points": QCoreApplication.translate(
            "ComplaintLabels", "Points for a founded complaint (staff member)"
        ),
        "overdue_points": QCoreApplication.translate(
            "ComplaintLabels", "Points for closing after the deadline (handler)"
        ),
        "followup_contact_days": QCoreApplication.translate(
            "ComplaintLabels", "Bad rating: contact the rater within (working days)"
        ),
        "followup_rectify_days": QCoreApplication.translate(
            "ComplaintLabels", "Bad rating: rectify within (working days)"
        ),
        "bidding_accept_days": QCoreApplication.translate(
            "ComplaintLabels", "Bidding complaint: time to accept (working days)"
        ),
        "bidding_decide_days": QCoreApplication.translate(
            "ComplaintLabels", "Bidding complaint: time to decide (working days)"
        ),
        "procurement_decide_days": QCoreApplication.translate(
            "ComplaintLabels", "Procurement complaint: time to decide (working days)"
        ),
        "duplicate_window_days": QCoreApplication.translate(
            "ComplaintLabels", "Duplicate check looks back (calendar days)"
        ),
    }
    return labels.get(name, name)
