"""The lookup's own index: the unigram/bigram and pinyin-initials keys (from the start of a name, and
from each later character) of each subject's names.

Written in the same transaction as the subject (so a name is findable the moment it is saved), and
rewritten as a difference when names change. How the keys are read is ``search``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import PERSON_KINDS, SubjectKind
from desktop_app.store.credit_models import SearchGram, SearchInfixInitials, SearchInitials


def is_person(kind: str, id_number: str | None) -> bool:
    """People's names are read with surname readings (单 shan → s); a buyer with an ID is a person."""
    return SubjectKind(kind) in PERSON_KINDS or (kind == SubjectKind.BUYER.value and bool(id_number))


def search_keys(kind: str, name: str, aliases: Sequence[str], id_number: str | None) -> st.SearchKeys:
    return st.subject_search_keys(name, aliases, person=is_person(kind, id_number))


def keys_only_in(keys: st.SearchKeys, other: st.SearchKeys) -> st.SearchKeys:
    """The keys of ``keys`` that ``other`` lacks."""
    return st.SearchKeys(
        keys.grams - other.grams,
        keys.initials - other.initials,
        keys.search_text,
        keys.infix_initials - other.infix_initials,
    )


def write_search_keys(session: Session, subject_id: int, keys: st.SearchKeys) -> None:
    write_search_keys_of(session, [(subject_id, keys)])


def write_search_keys_of(session: Session, subjects: Sequence[tuple[int, st.SearchKeys]]) -> None:
    """The keys of many subjects in one executemany per table (an import's thousands at once)."""
    grams = [{"gram": g, "rank": r, "subject_id": sid} for sid, keys in subjects for g, r in keys.grams]
    initials = [
        {"initials": i, "rank": r, "subject_id": sid} for sid, keys in subjects for i, r in keys.initials
    ]
    infixes = [
        {"initials": i, "rank": r, "subject_id": sid}
        for sid, keys in subjects
        for i, r in keys.infix_initials
    ]
    # The tables, not the ORM classes: a plain executemany, without the ORM's bulk bookkeeping.
    if grams:
        session.execute(insert(cast(Table, SearchGram.__table__)), grams)
    if initials:
        session.execute(insert(cast(Table, SearchInitials.__table__)), initials)
    if infixes:
        session.execute(insert(cast(Table, SearchInfixInitials.__table__)), infixes)


def delete_search_keys(session: Session, subject_id: int, keys: st.SearchKeys) -> None:
    # By whole primary key: the old keys are recomputed from the old names, so no index on
    # subject_id is needed (it would double the size of the largest table).
    for gram, rank in keys.grams:
        session.execute(
            delete(SearchGram).where(
                SearchGram.gram == gram, SearchGram.rank == rank, SearchGram.subject_id == subject_id
            )
        )
    for initials, rank in keys.initials:
        session.execute(
            delete(SearchInitials).where(
                SearchInitials.initials == initials,
                SearchInitials.rank == rank,
                SearchInitials.subject_id == subject_id,
            )
        )
    for initials, rank in keys.infix_initials:
        session.execute(
            delete(SearchInfixInitials).where(
                SearchInfixInitials.initials == initials,
                SearchInfixInitials.rank == rank,
                SearchInfixInitials.subject_id == subject_id,
            )
        )


def replace_search_keys(session: Session, subject_id: int, old: st.SearchKeys, new: st.SearchKeys) -> None:
    """Rewrite only the keys that differ between the old and the new names."""
    delete_search_keys(session, subject_id, keys_only_in(old, new))
    write_search_keys(session, subject_id, keys_only_in(new, old))
