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


def _t(text: str) -> str:
    return QCoreApplication.translate("ComplaintLabels", text)


def channel_label(channel: Channel) -> str:
    return {
        Channel.WINDOW: _t("At the window"),
        Channel.PHONE: _t("Phone"),
        Channel.LETTER: _t("Letter"),
        Channel.BOX: _t("Suggestion box"),
        Channel.MAILBOX: _t("Online mailbox"),
        Channel.HOTLINE: _t("12345 hotline transfer"),
        Channel.RATING: _t("Bad rating"),
    }[Channel(channel)]


def category_label(category: Category) -> str:
    return {
        Category.ATTITUDE: _t("Service attitude"),
        Category.EFFICIENCY: _t("Efficiency"),
        Category.FEES: _t("Improper fees"),
        Category.SHIRKING: _t("Shirking and delay"),
        Category.DISCIPLINE: _t("Discipline"),
        Category.SYSTEM: _t("System failure"),
        Category.OTHER: _t("Other"),
    }[Category(category)]


def state_label(state: State) -> str:
    return {
        State.REGISTERED: _t("Registered"),
        State.ACCEPTED: _t("Accepted"),
        State.REJECTED: _t("Not accepted"),
        State.TRANSFERRED: _t("Transferred"),
        State.INVESTIGATING: _t("Under investigation"),
        State.CLOSED: _t("Closed"),
        State.VISITED: _t("Followed up"),
    }[State(state)]


def action_label(action: Action) -> str:
    return {
        Action.ACCEPT: _t("Accept"),
        Action.REJECT: _t("Do not accept"),
        Action.TRANSFER: _t("Transfer"),
        Action.INVESTIGATE: _t("Start investigation"),
        Action.CLOSE: _t("Close with reply"),
        Action.VISIT: _t("Follow-up visit"),
    }[Action(action)]


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.TRUE: _t("Founded"),
        Outcome.PARTLY: _t("Partly founded"),
        Outcome.FALSE: _t("Unfounded"),
    }[Outcome(outcome)]


def satisfaction_label(satisfaction: Satisfaction) -> str:
    return {
        Satisfaction.VERY_SATISFIED: _t("Very satisfied"),
        Satisfaction.SATISFIED: _t("Satisfied"),
        Satisfaction.FAIRLY: _t("Fairly satisfied"),
        Satisfaction.DISSATISFIED: _t("Dissatisfied"),
        Satisfaction.VERY_DISSATISFIED: _t("Very dissatisfied"),
    }[Satisfaction(satisfaction)]


def time_limit_label(limit: TimeLimit) -> str:
    return {
        TimeLimit.SIMPLE: _t("Simple"),
        TimeLimit.GENERAL: _t("General"),
        TimeLimit.COMPLEX: _t("Complex"),
    }[TimeLimit(limit)]


def statutory_label(statutory: Statutory) -> str:
    return {
        Statutory.NONE: _t("No"),
        Statutory.BIDDING: _t("Bidding complaint (statutory)"),
        Statutory.PROCUREMENT: _t("Procurement complaint (statutory)"),
    }[Statutory(statutory)]


def respondent_kind_label(kind: RespondentKind) -> str:
    return {
        RespondentKind.STAFF: _t("Staff member"),
        RespondentKind.DEPARTMENT: _t("Department"),
        RespondentKind.WINDOW: _t("Window"),
        RespondentKind.SUBJECT: _t("Market subject"),
        RespondentKind.NONE: _t("Not named"),
    }[RespondentKind(kind)]


def id_type_label(kind: IdType) -> str:
    return {
        IdType.RESIDENT: _t("Resident ID card"),
        IdType.PASSPORT: _t("Passport"),
        IdType.OTHER: _t("Other document"),
    }[IdType(kind)]


def deduction_kind_label(kind: DeductionKind) -> str:
    return {
        DeductionKind.FOUND_TRUE: _t("Complaint founded"),
        DeductionKind.OVERDUE: _t("Closed after the deadline"),
    }[DeductionKind(kind)]


def extension_state_label(state: ExtensionState) -> str:
    return {
        ExtensionState.PENDING: _t("Waiting for approval"),
        ExtensionState.APPROVED: _t("Approved"),
        ExtensionState.REFUSED: _t("Refused"),
    }[ExtensionState(state)]
