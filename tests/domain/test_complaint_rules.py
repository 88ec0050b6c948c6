"""The complaint rules without a database: the state machine, lookup codes, duplicates, overdue."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.complaints import (
    CODE_ALPHABET,
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    ComplaintRules,
    State,
    TimeLimit,
    allowed_actions,
    complaint_number,
    is_overdue,
    looks_like_number,
    new_lookup_code,
    next_state,
    normalize_lookup_code,
    similar_facts,
    transition_refusal,
)

# What DOMAIN.md §3 draws: 登记 → 受理 / 不予受理 / 转办 → 调查处理 → 办结 → 回访.
EXPECTED = {
    State.REGISTERED: {
        Action.ACCEPT: State.ACCEPTED,
        Action.REJECT: State.REJECTED,
        Action.TRANSFER: State.TRANSFERRED,
    },
    State.ACCEPTED: {Action.INVESTIGATE: State.INVESTIGATING, Action.TRANSFER: State.TRANSFERRED},
    State.TRANSFERRED: {Action.INVESTIGATE: State.INVESTIGATING, Action.CLOSE: State.CLOSED},
    State.INVESTIGATING: {Action.CLOSE: State.CLOSED},
    State.CLOSED: {Action.VISIT: State.VISITED},
    State.REJECTED: {},
    State.VISITED: {},
}


def test_every_pair_of_state_and_action_is_allowed_or_refused_as_drawn() -> None:
    for state in State:
        for action in Action:
            assert next_state(state, action) == EXPECTED[state].get(action), (state, action)
            if action not in EXPECTED[state]:
                message = transition_refusal(state, action)
                assert "不能" in message
    assert set(TRANSITIONS) == {(s, a) for s, moves in EXPECTED.items() for a in moves}
    assert all(allowed_actions(s) == () for s in FINAL_STATES)
    assert all(allowed_actions(s) for s in OPEN_STATES | {State.CLOSED})


@given(st.lists(st.sampled_from(list(Action)), max_size=12))
def test_random_sequences_only_follow_the_drawn_paths(actions: list[Action]) -> None:
    state = State.REGISTERED
    path = [state]
    for action in actions:
        target = next_state(state, action)
        if target is None:
            assert action not in EXPECTED[state]
            continue
        state = target
        path.append(state)
    # A case is closed only after someone took it up, and visited only after it was closed.
    if State.CLOSED in path:
        before = path[: path.index(State.CLOSED)]
        assert State.INVESTIGATING in before or State.TRANSFERRED in before
    if State.VISITED in path:
        assert path[path.index(State.VISITED) - 1] is State.CLOSED
    if State.REJECTED in path:
        assert path == [State.REGISTERED, State.REJECTED]
    assert len(path) == len(set(path))  # no state is entered twice: the machine has no cycle


@given(st.text(alphabet=CODE_ALPHABET, min_size=8, max_size=8))
def test_a_code_is_found_however_it_is_typed(raw: str) -> None:
    code = f"{raw[:4]}-{raw[4:]}"
    assert normalize_lookup_code(code) == code
    assert normalize_lookup_code(raw.lower()) == code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in raw)
    assert normalize_lookup_code(f" {full_width} ") == code


def test_codes_leave_out_what_is_misread_on_the_phone() -> None:
    assert not set("01258BILOSZ") & set(CODE_ALPHABET)
    code = new_lookup_code()
    assert normalize_lookup_code(code) == code
    assert normalize_lookup_code("ABCD-EFG") == ""
    assert normalize_lookup_code("0000-0000") == ""


def test_numbers() -> None:
    assert complaint_number("TS", 2026, 123) == "TS2026-000123"
    assert looks_like_number(" ts2026-000123 ")
    assert not looks_like_number("TS2026-123")


def test_similar_facts() -> None:
    assert similar_facts("窗口人员态度恶劣，拒绝解答", "窗口人员态度恶劣，拒绝解答问题")
    assert not similar_facts("窗口人员态度恶劣", "系统无法上传文件")
    assert not similar_facts("", "系统无法上传文件")


def test_overdue_open_or_closed_late() -> None:
    deadline = date(2026, 11, 25)
    assert not is_overdue(State.INVESTIGATING, deadline, date(2026, 11, 25))
    assert is_overdue(State.INVESTIGATING, deadline, date(2026, 11, 26))
    assert not is_overdue(State.CLOSED, deadline, date(2026, 12, 30), closed_on=date(2026, 11, 25))
    assert is_overdue(State.VISITED, deadline, date(2026, 12, 30), closed_on=date(2026, 11, 26))
    assert not is_overdue(State.REJECTED, deadline, date(2026, 12, 30), closed_on=date(2026, 12, 1))


def test_rules_from_the_catalogue_ignore_unknown_names() -> None:
    rules = ComplaintRules.from_values({"simple_days": 3, "unknown": 9})
    assert rules.days_for(TimeLimit.SIMPLE) == 3 and rules.days_for(TimeLimit.COMPLEX) == 10
