"""Issuing, reprinting and verifying numbered documents.

A number is taken from the counter row inside the same transaction that archives the notice and
writes its audit entry: if anything fails, the number is not used, so numbers have no gaps; the row
lock (PostgreSQL) or the write lock (SQLite) keeps two workstations from taking the same one.

A transaction that issues hundreds of notices at once (批量核验) calls ``render_later_in`` first: its
notices are numbered and archived (content, content hash, verification code) inside it, and their
PDFs are drawn after the commit by ``complete`` and stored, each with its original copy and audit
entry, in one short transaction: reportlab's ~7 ms a page is not spent holding the write lock. A
notice whose PDF is still to come (the program stopped in between) verifies by its content and is
drawn from it when viewed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, undefer

from desktop_app.domain.errors import DataCheckFailed, NotFound, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.notices import documents
from desktop_app.notices.base import IssueStamp
from desktop_app.services.base import Service
from desktop_app.services.center import is_demo_in
from desktop_app.services.context import CurrentUser
from desktop_app.store.crypto import Keyring
from desktop_app.store.models import User
from desktop_app.store.notice_models import IssuedNotice, NoticeCopy, NoticeCounter
from desktop_app.store.sealing import TAMPERED, failing_ids

CODE_LENGTH = 12
PENDING_PDFS = "notices.pending_pdfs"  # session.info key: the notices of render_later_in


@dataclass(frozen=True)
class IssuedDocument:
    notice_id: int
    number: str
    verify_code: str
    title: str
    pdf: bytes
    pdf_sha256: str
    reprint: bool = False


@dataclass(frozen=True)
class Verification:
    genuine: bool
    reason: str
    number: str = ""
    title: str = ""
    doc_label: str = ""
    issued_at: datetime | None = None
    issued_by: str = ""
    reprints: int = 0
    content: tuple[str, ...] = ()


@dataclass(frozen=True)
class PendingPdf:
    """A notice numbered and archived in a transaction whose PDF is drawn after the commit."""

    notice_id: int
    number: str
    title: str
    layout: str
    document: documents.Document
    stamp: IssueStamp


def render_later_in(session: Session) -> list[PendingPdf]:
    """From now on in this transaction, ``issue_in`` numbers and archives notices without drawing
    them; the list it returns collects them for ``NoticeService.complete`` after the commit."""
    pending: list[PendingPdf] = session.info.setdefault(PENDING_PDFS, [])
    return pending


def verification_code(keyring: Keyring, number: str, content_sha256: str) -> str:
    """Short code a person can type: HMAC of number and content hash, base32, grouped by four."""
    digest = hmac.new(
        keyring.audit_key, f"notice|{number}|{content_sha256}".encode(), hashlib.sha256
    ).digest()
    text = base64.b32encode(digest).decode()[:CODE_LENGTH]
    return "-".join(text[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    # NFKC first: a Chinese input method types full-width letters (ＡＢＣＤ). Only ASCII letters and
    # digits are kept (hmac.compare_digest refuses other characters with a TypeError).
    folded = unicodedata.normalize("NFKC", code).upper()
    cleaned = "".join(c for c in folded if c.isascii() and c.isalnum())
    # Base32 has no 0/1/8: what a person reads as O/I/B on paper is what was meant.
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def normalize_number(number: str) -> str:
    """A document number as typed (full-width, lower-case, spaces around) as it is stored."""
    return unicodedata.normalize("NFKC", number).strip().upper()


def next_serial(session: Session, doc_type: str, year: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(NoticeCounter).values(doc_type=doc_type, year=year, last_serial=0).on_conflict_do_nothing()
    )
    return int(
        session.execute(
            update(NoticeCounter)
            .where(NoticeCounter.doc_type == doc_type, NoticeCounter.year == year)
            .values(last_serial=NoticeCounter.last_serial + 1)
            .returning(NoticeCounter.last_serial)
        ).scalar_one()
    )


def warm_up() -> None:
    """Load what issuing the first document of a session needs — reportlab's modules, the CJK font
    (parsing it takes a good part of a second on a hall PC) and its glyph map, the layouts' first
    run — so that the clerk's first Ctrl+P does not wait for them. Called on the opener's thread
    while the password is typed; thread-safe (the font registers under its lock, layouts render
    under theirs)."""
    from desktop_app.notices.receipt import Receipt

    documents.render(
        "receipt",
        Receipt("诚信服务台", "预热", (("查询", "预热"),), copies=("存根（大厅留存）", "当事人收执")),
        IssueStamp("XY2000-000000", "AAAA-AAAA-AAAA", datetime(2000, 1, 1, tzinfo=UTC)),
    )


def _display_name(session: Session, username: str) -> str:
    """The person's name (李晓珺) for a known account, the bare username otherwise: whoever checks a
    paper reads who issued it; the login name stays in the archive and the audit trail."""
    name = session.scalar(select(User.display_name).where(User.username == username))
    return name or username


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class NoticeService(Service):
    def demo_center(self) -> bool:
        """Whether this is a demo center (its papers say 演示数据); read until it is: it never stops."""
        if not getattr(self, "_demo", False):
            with self.db.session() as session:
                self._demo = is_demo_in(session)
        return self._demo

    def issue(
        self, actor: CurrentUser, doc_type: str, document: documents.Document, title: str = ""
    ) -> IssuedDocument:
        if doc_type == "test_page":  # a number taken is a write: the audit admin only reads
            actor.require(Permission.PRINT_TEST_PAGE)
        with self.write() as session:
            return self.issue_in(session, actor, doc_type, document, title)

    def issue_in(
        self,
        session: Session,
        actor: CurrentUser,
        doc_type: str,
        document: documents.Document,
        title: str = "",
    ) -> IssuedDocument:
        """Issue inside the caller's transaction: the notice is numbered only if the caller's work commits."""
        kind = documents.DOCUMENT_TYPES.get(doc_type)
        if kind is None:
            raise ValidationError(f"未知文书类型：{doc_type}")
        content = documents.to_content(document)
        content_sha = documents.content_hash(content)
        now = self.db.now()
        year = now.astimezone().year
        serial = next_serial(session, doc_type, year)
        number = f"{kind.prefix}{year}-{serial:06d}"
        code = verification_code(self.db.keyring, number, content_sha)
        stamp = IssueStamp(number, code, now)
        pending: list[PendingPdf] | None = session.info.get(PENDING_PDFS)
        demo = is_demo_in(session)
        pdf = b"" if pending is not None else documents.render(kind.layout, document, stamp, demo)
        pdf_sha = _sha256(pdf) if pdf else ""  # "": drawn by complete() after the commit
        notice = IssuedNotice(
            doc_type=doc_type,
            year=year,
            serial=serial,
            number=number,
            title=(title or getattr(document, "title", "") or kind.label)[:200],
            layout=kind.layout,
            content=content,
            content_sha256=content_sha,
            verify_code=code,
            pdf=pdf,
            pdf_sha256=pdf_sha,
            issued_at=now,
            issued_by=actor.username,
            workstation=self.db.workstation,
        )
        session.add(notice)
        session.flush()
        if pending is not None:
            pending.append(PendingPdf(notice.id, number, notice.title, kind.layout, document, stamp))
        else:
            self._record_copy(
                session, actor, notice, "original", pdf_sha, {"doc_type": doc_type, "title": notice.title}
            )
        return IssuedDocument(notice.id, number, code, notice.title, pdf, pdf_sha)

    def complete(self, actor: CurrentUser, pending: Sequence[PendingPdf]) -> dict[str, IssuedDocument]:
        """Draw the PDFs of notices issued after ``render_later_in`` (outside any transaction), then
        store each with its original copy and audit entry in one short transaction. By number."""
        demo = self.demo_center()
        drawn = [(item, documents.render(item.layout, item.document, item.stamp, demo)) for item in pending]
        with self.write() as session:
            for item, pdf in drawn:
                # Through the object, locked: its row MAC covers the hash (store.sealing).
                notice = session.get_one(IssuedNotice, item.notice_id, with_for_update=True)
                if notice.pdf_sha256 == "":
                    notice.pdf = pdf
                    notice.pdf_sha256 = _sha256(pdf)
                    summary: dict[str, object] = {"doc_type": notice.doc_type, "title": notice.title}
                    self._record_copy(session, actor, notice, "original", _sha256(pdf), summary)
        return {
            item.number: IssuedDocument(
                item.notice_id, item.number, item.stamp.verify_code, item.title, pdf, _sha256(pdf)
            )
            for item, pdf in drawn
        }

    def reprint(self, actor: CurrentUser, number: str) -> IssuedDocument:
        """A new copy from the archived content, marked 补打 with the reprint time; logged as a reprint."""
        with self.write() as session:
            # Locked: two workstations reprinting at once must not both write reprints = n + 1.
            notice = self._find(session, number, lock=True)
            now = self.db.now()
            document = documents.from_content(notice.layout, notice.content)
            pdf = documents.render(
                notice.layout,
                document,
                IssueStamp(notice.number, notice.verify_code, notice.issued_at, reprinted_at=now),
                is_demo_in(session),
            )
            pdf_sha = _sha256(pdf)
            notice.reprints += 1
            self._record_copy(session, actor, notice, "reprint", pdf_sha, {"reprint": notice.reprints})
            return IssuedDocument(
                notice.id, notice.number, notice.verify_code, notice.title, pdf, pdf_sha, True
            )

    def _record_copy(
        self,
        session: Session,
        actor: CurrentUser,
        notice: IssuedNotice,
        kind: str,
        pdf_sha: str,
        summary: dict[str, object],
    ) -> None:
        """Every PDF made of a notice is remembered (so a file can be verified) and audited."""
        session.add(
            NoticeCopy(
                notice_id=notice.id,
                kind=kind,
                made_at=self.db.now(),
                made_by=actor.username,
                pdf_sha256=pdf_sha,
            )
        )
        action = "notice.issue" if kind == "original" else "notice.reprint"
        self.audit(session, actor, action, "notice", notice.number, {**summary, "pdf_sha256": pdf_sha})

    def archived(self, number: str) -> IssuedDocument:
        """The original as issued, from the archive (for viewing; printing it again is a reprint).
        One whose PDF was never stored (render_later_in, then the program stopped) is drawn from its
        archived content for viewing."""
        with self.db.session() as session:
            notice = self._find(session, number)
            pdf, pdf_sha = notice.pdf, notice.pdf_sha256
            if not pdf_sha:
                document = documents.from_content(notice.layout, notice.content)
                pdf = documents.render(
                    notice.layout,
                    document,
                    IssueStamp(notice.number, notice.verify_code, notice.issued_at),
                    is_demo_in(session),
                )
            return IssuedDocument(notice.id, notice.number, notice.verify_code, notice.title, pdf, pdf_sha)

    def record_output(self, actor: CurrentUser, number: str, how: str, target: str = "") -> None:
        """Printing and saving leave an audit entry ("print" / "export")."""
        if how not in ("print", "export"):
            raise ValueError(how)
        with self.write() as session:
            self.audit(session, actor, how, "notice", number, {"target": target[:200]})

    def verify(self, actor: CurrentUser, number: str, code: str, pdf: bytes | None = None) -> Verification:
        """Genuine only if the number exists, the code matches its archived content, the archive itself
        is unchanged, and (when a file is given) the file is one of the copies the hall made."""
        wanted = normalize_number(number)
        outcome = self._verify(wanted, normalize_code(code), pdf)
        with self.write() as session:
            self.audit(
                session,
                actor,
                "notice.verify",
                "notice",
                wanted[:64],
                {"genuine": outcome.genuine, "reason": outcome.reason, "file": pdf is not None},
            )
        return outcome

    def _verify(self, number: str, code: str, pdf: bytes | None) -> Verification:
        with self.db.session() as session:
            notice = session.scalar(
                select(IssuedNotice)
                .where(IssuedNotice.number == number)
                .options(undefer(IssuedNotice.content), undefer(IssuedNotice.pdf))
            )
            if notice is None:
                return Verification(False, "查无此编号的文书。", number)
            kind = documents.DOCUMENT_TYPES.get(notice.doc_type)
            known = Verification(
                False,
                "",
                number=notice.number,
                title=notice.title,
                doc_label=kind.label if kind else notice.doc_type,
                issued_at=notice.issued_at,
                issued_by=_display_name(session, notice.issued_by),
                reprints=notice.reprints,
            )
            expected = verification_code(self.db.keyring, notice.number, notice.content_sha256)
            if not hmac.compare_digest(expected, code):
                return replace(known, reason="验证码与该编号不符，文书不是本中心出具的原件。")
            if failing_ids(session, IssuedNotice, IssuedNotice.id == notice.id):
                return replace(known, reason=f"{TAMPERED}：档案中的该文书记录与其校验码不符（已被改动）。")
            archive_intact = (
                documents.content_hash(notice.content) == notice.content_sha256
                # A PDF still to be drawn (render_later_in) has no hash yet: its content is the proof.
                and (_sha256(notice.pdf) == notice.pdf_sha256 or not (notice.pdf or notice.pdf_sha256))
                and notice.verify_code == expected
            )
            if not archive_intact:
                return replace(known, reason="档案中的该文书记录已被改动，请联系信息科核查。")
            known = replace(known, content=tuple(documents.summary_lines(notice.layout, notice.content)))
            if pdf is not None:
                # Only copies whose own row still matches its MAC vouch for a file.
                forged = set(failing_ids(session, NoticeCopy, NoticeCopy.notice_id == notice.id))
                copies = {
                    sha
                    for copy_id, sha in session.execute(
                        select(NoticeCopy.id, NoticeCopy.pdf_sha256).where(NoticeCopy.notice_id == notice.id)
                    )
                    if copy_id not in forged
                }
                if _sha256(pdf) not in copies:
                    return replace(known, reason="文件内容与本中心出具的文书不一致（文件可能被修改）。")
            return replace(known, genuine=True, reason="真实有效：编号、验证码与档案一致。")

    def _find(self, session: Session, number: str, lock: bool = False) -> IssuedNotice:
        query = (
            select(IssuedNotice)
            .where(IssuedNotice.number == normalize_number(number))
            .options(undefer(IssuedNotice.content), undefer(IssuedNotice.pdf))
        )
        notice = session.scalar(query.with_for_update() if lock else query)
        if notice is None:
            raise NotFound(f"查无编号为 {number} 的文书。")
        if failing_ids(session, IssuedNotice, IssuedNotice.id == notice.id):
            raise DataCheckFailed(
                f"{TAMPERED}：档案中编号为 {notice.number} 的文书记录与其校验码不符，不能查看或补打。"
            )
        return notice
