"""Subjects of the credit files: companies by USCC, people by resident ID, their former and short
names and contacts. ``create_subject_in`` is the public way for another module (an import, the demo,
a complaint naming a new company) to open a file inside its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import ExpertPoolStatus, SubjectKind
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service, audit_in, audit_many_in, changes, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.search_index import (
    replace_search_keys,
    search_keys,
    write_search_keys_of,
)
from desktop_app.services.credit.types import (
    AliasInput,
    ContactInfo,
    ContactInput,
    SubjectInfo,
    SubjectInput,
)
from desktop_app.services.credit.validation import validated_subject
from desktop_app.store.audit import PlannedEntry
from desktop_app.store.credit_models import CreditSubject, SubjectAlias, SubjectContact
from desktop_app.store.database import Database

DUPLICATE_CODE = "该统一社会信用代码、身份证号或专家编号已登记在另一个主体下。"


def find_subject_by_code(
    session: Session, db: Database, uscc: str | None, id_number: str | None
) -> CreditSubject | None:
    """The subject registered under this USCC or resident ID number, if any."""
    if uscc:
        found = session.scalar(select(CreditSubject).where(CreditSubject.uscc == uscc))
        if found is not None:
            return found
    if id_number:
        lookup = db.keyring.lookup_hash("id_number", id_number)
        return session.scalar(select(CreditSubject).where(CreditSubject.id_number_lookup == lookup))
    return None


@dataclass
class NewSubject:
    """A subject ready to insert: its row (with aliases and contacts), search keys and audit entries.

    Made without a session (``new_subject``), so an import prepares thousands before it takes the
    write lock and ``insert_subjects_in`` writes them in bulk."""

    row: CreditSubject
    keys: st.SearchKeys
    summary: dict[str, Any]
    override_reason: str


def new_subject(actor: CurrentUser, values: dict[str, Any]) -> NewSubject:
    """The row of a subject from ``validation.validated_subject``'s values (no database)."""
    values = dict(values)
    aliases: list[AliasInput] = values.pop("aliases")
    contacts: list[ContactInput] = values.pop("contacts")
    subject = CreditSubject(**values, created_by=actor.username, updated_by=actor.username)
    keys = search_keys(values["kind"], values["name"], [a.name for a in aliases], values["id_number"])
    subject.search_text = keys.search_text
    subject.aliases = [SubjectAlias(name=a.name, kind=a.kind) for a in aliases]
    subject.contacts = [SubjectContact(name=c.name, role=c.role, phone=c.phone or None) for c in contacts]
    summary = {
        "kind": values["kind"],
        "name": values["name"],
        "uscc": values["uscc"] or "",
        "id_number": "（已登记）" if values["id_number"] else "",
        "aliases": [a.name for a in aliases],
    }
    reason = values["identifier_override_reason"]
    if reason:
        summary["identifier_override_reason"] = reason
    return NewSubject(subject, keys, summary, reason)


def insert_subjects_in(
    session: Session, db: Database, actor: CurrentUser, subjects: Sequence[NewSubject]
) -> list[CreditSubject]:
    """Insert prepared subjects in one flush, with their search keys and audit entries in bulk.

    The caller has checked that no code is already on file (a unique index catches a race)."""
    session.add_all([s.row for s in subjects])
    session.flush()
    write_search_keys_of(session, [(s.row.id, s.keys) for s in subjects])
    entries: list[PlannedEntry] = []
    for item in subjects:
        subject = item.row
        if item.override_reason:
            entries.append(
                PlannedEntry(
                    "credit.identifier_override",
                    "credit_subject",
                    subject.id,
                    {"reason": item.override_reason, "uscc": subject.uscc or ""},
                )
            )
        entries.append(PlannedEntry("credit.subject.create", "credit_subject", subject.id, item.summary))
    audit_many_in(session, actor, entries)
    return [s.row for s in subjects]


def create_subject_in(
    session: Session, db: Database, actor: CurrentUser, values: dict[str, Any]
) -> CreditSubject:
    """Open a credit file inside the caller's transaction, with its audit entries.

    ``values`` come from ``validation.validated_subject``; the caller checks the actor's right."""
    existing = find_subject_by_code(session, db, values["uscc"], values["id_number"])
    if existing is not None:
        field_name = "uscc" if values["uscc"] and existing.uscc == values["uscc"] else "id_number"
        raise Conflict(f"该代码已登记为“{existing.name}”，请在其信用档案中修改。", field=field_name)
    return insert_subjects_in(session, db, actor, [new_subject(actor, values)])[0]


def _audit_override(
    session: Session, actor: CurrentUser, subject: CreditSubject, values: dict[str, Any]
) -> None:
    audit_in(
        session,
        actor,
        "credit.identifier_override",
        "credit_subject",
        subject.id,
        {"reason": values["identifier_override_reason"], "uscc": values["uscc"] or ""},
    )


def subject_info_in(subject: CreditSubject) -> SubjectInfo:
    """A detached copy of a subject, personal data masked (reads its aliases and contacts)."""
    return SubjectInfo(
        id=subject.id,
        kind=SubjectKind(subject.kind),
        name=subject.name,
        uscc=subject.uscc or "",
        id_number_masked=subject.id_number_masked or "",
        phone_masked=subject.phone_masked or "",
        legal_representative=subject.legal_representative,
        expert_no=subject.expert_no or "",
        specialty=subject.specialty,
        pool_status=ExpertPoolStatus(subject.pool_status) if subject.pool_status else None,
        staff_id=subject.staff_id,
        note=subject.note,
        aliases=tuple(AliasInput(a.name, a.kind) for a in subject.aliases),
        contacts=tuple(ContactInfo(c.id, c.name, c.role, c.phone_masked or "") for c in subject.contacts),
        identifier_override_reason=subject.identifier_override_reason,
        version=subject.version,
        created_at=subject.created_at,
        created_by=subject.created_by,
        updated_at=subject.updated_at,
        updated_by=subject.updated_by,
    )


def _replace_aliases(subject: CreditSubject, aliases: list[AliasInput]) -> bool:
    """Make the subject's aliases these, keeping the rows of names that stay; True if anything changed."""
    if [(a.name, a.kind) for a in subject.aliases] == [(a.name, a.kind) for a in aliases]:
        return False
    kept = {row.name: row for row in subject.aliases}
    rows = []
    for alias in aliases:
        row = kept.pop(alias.name, None) or SubjectAlias(name=alias.name)
        row.kind = alias.kind
        rows.append(row)
    subject.aliases = rows
    return True


def _replace_contacts(subject: CreditSubject, contacts: list[ContactInput]) -> bool:
    """Make the subject's contacts these; a contact left without a phone in the form keeps the phone
    it has (shown masked). True if anything changed."""
    kept_phones = {(c.name, c.role): c.phone or "" for c in subject.contacts}
    contacts = [c if c.phone else replace(c, phone=kept_phones.get((c.name, c.role), "")) for c in contacts]
    old = [(c.name, c.role, c.phone or "") for c in subject.contacts]
    if old == [(c.name, c.role, c.phone) for c in contacts]:
        return False
    subject.contacts = [SubjectContact(name=c.name, role=c.role, phone=c.phone or None) for c in contacts]
    return True


class SubjectOps(Service):
    def create_subject(self, actor: CurrentUser, data: SubjectInput) -> SubjectInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        values = validated_subject(data)
        with self.write(DUPLICATE_CODE, "uscc") as session:
            return subject_info_in(create_subject_in(session, self.db, actor, values))

    def update_subject(
        self, actor: CurrentUser, subject_id: int, data: SubjectInput, expected_version: int | None
    ) -> SubjectInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        with self.write(DUPLICATE_CODE, "uscc") as session:
            subject: CreditSubject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            self.check_version(subject, expected_version)
            # An edit form shows personal data masked and leaves it empty: empty means "keep".
            if not data.id_number.strip() and subject.id_number:
                data = replace(data, id_number=subject.id_number)
            if not data.phone.strip() and subject.phone:
                data = replace(data, phone=subject.phone)
            values = validated_subject(data)
            old_keys = search_keys(
                subject.kind, subject.name, [a.name for a in subject.aliases], subject.id_number
            )
            aliases: list[AliasInput] = values.pop("aliases")
            contacts: list[ContactInput] = values.pop("contacts")
            new_keys = search_keys(
                values["kind"], values["name"], [a.name for a in aliases], values["id_number"]
            )
            old_alias_names = [a.name for a in subject.aliases]
            summary = changes(subject, values, personal=frozenset({"id_number", "phone"}))
            if _replace_aliases(subject, aliases):
                summary["aliases"] = [old_alias_names, [a.name for a in aliases]]
            if _replace_contacts(subject, contacts):
                summary["contacts"] = "（已修改）"
            if old_keys != new_keys:
                replace_search_keys(session, subject.id, old_keys, new_keys)
                subject.search_text = new_keys.search_text
            if not summary:
                return subject_info_in(subject)
            touch(subject, actor, self.db)
            session.flush()
            if "identifier_override_reason" in summary and values["identifier_override_reason"]:
                _audit_override(session, actor, subject, values)
            audit_in(session, actor, "credit.subject.update", "credit_subject", subject.id, summary)
            return subject_info_in(subject)

    def subject(self, subject_id: int) -> SubjectInfo:
        with self.db.session() as session:
            return subject_info_in(self.get_or_404(session, CreditSubject, subject_id, "该主体"))

    def subject_input(self, actor: CurrentUser, subject_id: int) -> SubjectInput:
        """The subject as an edit form starts from (personal data left empty: it is kept unless retyped)."""
        info = self.subject(subject_id)
        return SubjectInput(
            kind=info.kind,
            name=info.name,
            uscc=info.uscc,
            legal_representative=info.legal_representative,
            expert_no=info.expert_no,
            specialty=info.specialty,
            pool_status=info.pool_status,
            staff_id=info.staff_id,
            note=info.note,
            aliases=info.aliases,
            contacts=tuple(ContactInput(c.name, c.role, "") for c in info.contacts),
            identifier_override_reason=info.identifier_override_reason,
        )

    def reveal_personal_data(self, actor: CurrentUser, subject_id: int, field_name: str, reason: str) -> str:
        """The clear ID number or phone of a subject, for someone with the right and a stated reason."""
        actor.require(Permission.UNMASK_PERSONAL_DATA)
        if field_name not in ("id_number", "phone"):
            raise ValidationError("只能查看身份证号或联系电话。")
        if len(reason.strip()) < 2:
            raise ValidationError("请填写查看原因。", field="reason")
        with self.write() as session:
            subject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            value = getattr(subject, field_name) or ""
            audit_in(
                session,
                actor,
                "pii.unmask",
                "credit_subject",
                subject.id,
                {"field": field_name, "reason": reason.strip()},
            )
            return str(value)
