"""Verification of issued documents, reprints (补打), the archive and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_user
from sqlalchemy import select, text, update

from desktop_app.domain.errors import NotFound
from desktop_app.domain.roles import Role
from desktop_app.notices import documents
from desktop_app.services.notices import normalize_code, verification_code
from desktop_app.store.models import AuditEntry
from desktop_app.store.notice_models import IssuedNotice, NoticeCopy

from . import support

# Checks of the verification logic itself run on SQLite only; what touches the database differently
# (archive rows, copies, reprints, audit) runs on both.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def issued(services, admin):
    return services.notices.issue(admin, "receipt", support.receipt(), title="服务投诉受理回执")


def audit(services, action: str) -> list[AuditEntry]:
    with services.db.session() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))
        )


def test_issue_archives_content_pdf_and_hashes(services, admin, issued, tmp_path):
    assert issued.number.startswith("HZ") and issued.title == "服务投诉受理回执"
    with services.db.session() as session:
        row = session.scalar(select(IssuedNotice).where(IssuedNotice.number == issued.number))
        assert row is not None
        content, pdf = row.content, row.pdf
        copies = session.execute(select(NoticeCopy.kind, NoticeCopy.pdf_sha256)).all()
    assert documents.from_content(row.layout, content) == support.receipt()
    assert pdf == issued.pdf and row.pdf_sha256 == issued.pdf_sha256
    assert copies == [("original", issued.pdf_sha256)]
    assert row.verify_code == issued.verify_code
    assert row.issued_by == admin.username and row.workstation == services.db.workstation
    # The code printed is the code archived, and the PDF says so.
    printed = support.pdf_text(support.save(issued.pdf, tmp_path))
    assert issued.number in printed and issued.verify_code in printed


@SQLITE_ONLY
@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: f"  {code.replace('-', ' ').lower()} ",
    ],
    ids=["as-printed", "lower-case", "no-dashes", "spaces"],
)
def test_the_genuine_code_is_accepted_however_typed(services, admin, issued, typed):
    outcome = services.notices.verify(admin, issued.number.lower(), typed(issued.verify_code))
    assert outcome.genuine, outcome.reason
    assert outcome.reason.startswith("真实有效")
    assert outcome.number == issued.number and outcome.doc_label == "回执"
    assert outcome.title == "服务投诉受理回执"
    # What it said: the verifier sees the archived content.
    assert f"投诉人：{support.RARE_NAMES}" in outcome.content
    assert f"金额：{support.MONEY}" in outcome.content


@SQLITE_ONLY
def test_codes_read_off_paper_with_look_alikes_are_accepted(services, admin, issued):
    # Base32 has no 0, 1 or 8: a person typing O as 0, I as 1, B as 8 meant the letter.
    look_alike = issued.verify_code.translate(str.maketrans("OIB", "018"))
    assert normalize_code(look_alike) == issued.verify_code
    assert services.notices.verify(admin, issued.number, look_alike).genuine


@SQLITE_ONLY
def test_full_width_input_is_read_as_typed_and_garbage_is_no_crash(services, admin, issued):
    # A Chinese input method types full-width letters and digits: the same code, the same number.
    full_width = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    outcome = services.notices.verify(
        admin, issued.number.translate(full_width), issued.verify_code.translate(full_width)
    )
    assert outcome.genuine, outcome.reason
    for garbage in ("验证码", "ＡＢＣＤ-一二三四-é", "\u200b", "💥" * 12):
        outcome = services.notices.verify(admin, issued.number, garbage)
        assert not outcome.genuine and "验证码" in outcome.reason


@SQLITE_ONLY
def test_a_changed_code_is_rejected(services, admin, issued):
    code = issued.verify_code
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    outcome = services.notices.verify(admin, issued.number, changed)
    assert not outcome.genuine
    assert "验证码" in outcome.reason
    assert outcome.content == ()  # the content is shown only with the right code
    # The code of another number does not verify this one.
    other = services.notices.issue(admin, "receipt", support.receipt())
    assert not services.notices.verify(admin, issued.number, other.verify_code).genuine
    assert not services.notices.verify(admin, issued.number, "").genuine


@SQLITE_ONLY
def test_a_number_that_does_not_exist_is_rejected(services, admin, issued):
    outcome = services.notices.verify(admin, "HZ2026-999999", issued.verify_code)
    assert not outcome.genuine
    assert "查无" in outcome.reason
    with pytest.raises(NotFound):
        services.notices.reprint(admin, "HZ2026-999999")


@SQLITE_ONLY
def test_a_file_with_one_byte_changed_is_rejected(services, admin, issued):
    assert services.notices.verify(admin, issued.number, issued.verify_code, issued.pdf).genuine
    for position in (0, len(issued.pdf) // 2, len(issued.pdf) - 1):
        tampered = bytearray(issued.pdf)
        tampered[position] ^= 0x01
        outcome = services.notices.verify(admin, issued.number, issued.verify_code, bytes(tampered))
        assert not outcome.genuine, position
        assert "文件" in outcome.reason
    # Another genuine document's file is not this one's.
    other = services.notices.issue(admin, "receipt", support.receipt())
    assert not services.notices.verify(admin, issued.number, issued.verify_code, other.pdf).genuine


TAMPERINGS = {
    "content": lambda content: content.replace(support.RARE_NAMES, "张三"),
    "pdf": lambda pdf: bytes(pdf) + b"\n% appended",
    "verify_code": lambda code: "AAAA-BBBB-CCCC",
}


def test_a_tampered_archive_row_is_not_genuine(services, admin):
    for column, change in TAMPERINGS.items():
        issued = services.notices.issue(admin, "receipt", support.receipt())
        with services.db.session(write=True) as session:
            current = session.execute(
                text(f"SELECT {column} FROM notices WHERE number = :n"), {"n": issued.number}
            ).scalar_one()
            session.execute(
                text(f"UPDATE notices SET {column} = :v WHERE number = :n"),
                {"v": change(current), "n": issued.number},
            )
        outcome = services.notices.verify(admin, issued.number, issued.verify_code)
        assert not outcome.genuine, column
        assert "改动" in outcome.reason, column
        assert outcome.content == (), column


def test_tampering_content_and_its_hash_together_breaks_the_code(services, admin, issued):
    with services.db.session(write=True) as session:
        row = session.scalar(select(IssuedNotice).where(IssuedNotice.number == issued.number))
        assert row is not None
        forged = row.content.replace(support.RARE_NAMES, "张三")
        session.execute(
            update(IssuedNotice)
            .where(IssuedNotice.id == row.id)
            .values(content=forged, content_sha256=documents.content_hash(forged))
        )
    outcome = services.notices.verify(admin, issued.number, issued.verify_code)
    assert not outcome.genuine  # the code is an HMAC with a key outside the database
    assert verification_code(services.db.keyring, issued.number, documents.content_hash(forged)) != (
        issued.verify_code
    )


def test_reprint_is_marked_and_its_file_verifies(services, admin, issued, tmp_path):
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    reprint = services.notices.reprint(clerk, issued.number.lower())
    assert reprint.reprint and reprint.number == issued.number
    assert reprint.verify_code == issued.verify_code  # the same document, the same code
    assert reprint.pdf != issued.pdf
    text_layer = support.pdf_text(support.save(reprint.pdf, tmp_path))
    assert text_layer.count("补打") == 2  # above each copy of the A4 receipt
    assert "补打" not in support.pdf_text(support.save(issued.pdf, tmp_path, "original.pdf"))
    for pdf in (issued.pdf, reprint.pdf):
        outcome = services.notices.verify(clerk, issued.number, issued.verify_code, pdf)
        assert outcome.genuine, outcome.reason
    assert outcome.reprints == 1
    second = services.notices.reprint(clerk, issued.number)
    assert services.notices.verify(clerk, issued.number, issued.verify_code, second.pdf).reprints == 2
    with services.db.session() as session:
        kinds = session.execute(select(NoticeCopy.kind, NoticeCopy.made_by).order_by(NoticeCopy.id)).all()
    assert kinds == [("original", admin.username), ("reprint", "clerk"), ("reprint", "clerk")]
    assert services.notices.archived(issued.number).pdf == issued.pdf


def test_every_step_leaves_an_audit_entry(services, admin, issued):
    services.notices.reprint(admin, issued.number)
    services.notices.verify(admin, issued.number, issued.verify_code)
    services.notices.verify(admin, issued.number, "WRONG-CODE")
    services.notices.verify(admin, "HZ2026-999999", "WRONG-CODE")
    services.notices.record_output(admin, issued.number, "print", "HP LaserJet")

    (issue,) = audit(services, "notice.issue")
    assert (issue.object_type, issue.object_id, issue.username) == ("notice", issued.number, admin.username)
    assert json.loads(issue.summary) == {
        "doc_type": "receipt",
        "title": "服务投诉受理回执",
        "pdf_sha256": issued.pdf_sha256,
    }
    (reprint,) = audit(services, "notice.reprint")
    assert reprint.object_id == issued.number and json.loads(reprint.summary)["reprint"] == 1
    verifies = audit(services, "notice.verify")
    assert [(v.object_id, json.loads(v.summary)["genuine"]) for v in verifies] == [
        (issued.number, True),
        (issued.number, False),
        ("HZ2026-999999", False),
    ]
    (printed,) = audit(services, "print")
    assert printed.object_id == issued.number
    with pytest.raises(ValueError):
        services.notices.record_output(admin, issued.number, "fax")


@SQLITE_ONLY
def test_the_audit_chain_stays_intact(services, admin, issued):
    services.notices.reprint(admin, issued.number)
    services.notices.verify(admin, issued.number, issued.verify_code)
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    result = services.audit_log.verify(auditor)
    assert result.intact, result.reason


def test_every_layout_can_be_issued_reprinted_and_verified(services, admin, tmp_path: Path):
    for doc_type, document in (
        ("official_notice", support.official_notice(14)),
        ("receipt", support.receipt("A5")),
        ("table_report", support.table_report(80)),
        ("test_page", support.test_page()),
    ):
        original = services.notices.issue(admin, doc_type, document)
        reprint = services.notices.reprint(admin, original.number)
        path = support.save(reprint.pdf, tmp_path, f"{doc_type}.pdf")
        pages = support.page_count(path)
        for page in range(1, pages + 1):
            assert "补打" in support.pdf_text(path, page=page), (doc_type, page)
        outcome = services.notices.verify(admin, original.number, original.verify_code, reprint.pdf)
        assert outcome.genuine, (doc_type, outcome.reason)
