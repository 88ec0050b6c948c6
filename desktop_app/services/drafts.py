"""Drafts of forms: what a user typed and has not saved, kept sealed in the database (it may hold
personal data) so that a crash, an idle lock or a closed window loses nothing. One per user and form;
not audited (nothing is decided by a draft), removed when the form is saved or the user discards it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store.complaint_models import FormDraft

DRAFT_KIND = "form-draft"


class DraftService(Service):
    def save(self, actor: CurrentUser, form: str, values: dict[str, Any]) -> datetime:
        blob = self.db.keyring.encrypt(
            f"{DRAFT_KIND}|{actor.username}|{form}", json.dumps(values, ensure_ascii=False)
        )
        now = self.db.now()
        with self.db.session(write=True) as session:
            row = session.scalar(
                select(FormDraft).where(FormDraft.username == actor.username, FormDraft.form == form)
            )
            if row is None:
                session.add(FormDraft(username=actor.username, form=form, content=blob, saved_at=now))
            else:
                row.content = blob
                row.saved_at = now
        return now

    def load(self, actor: CurrentUser, form: str) -> tuple[dict[str, Any], datetime] | None:
        """The user's draft of a form and when it was kept; None when there is none."""
        with self.db.session() as session:
            row = session.scalar(
                select(FormDraft).where(FormDraft.username == actor.username, FormDraft.form == form)
            )
            if row is None:
                return None
            text = self.db.keyring.decrypt(f"{DRAFT_KIND}|{actor.username}|{form}", row.content)
            values: dict[str, Any] = json.loads(text)
            return values, row.saved_at

    def discard(self, actor: CurrentUser, form: str) -> None:
        with self.db.session(write=True) as session:
            session.execute(
                delete(FormDraft).where(FormDraft.username == actor.username, FormDraft.form == form)
            )
