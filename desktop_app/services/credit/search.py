"""The lookup: subjects by any part of a name, former name, USCC (whole or prefix), ID number, or
pinyin initials, ranked, each with its verdict on the day asked about.

The hot path (results as the clerk types, over a million subjects): a handful of index-range
queries through SQLAlchemy Core, no ORM objects. Identifiers and initials are index ranges (initials
from the start of a name, then, when those fill no page, from inside one); a name of one or two
characters is one range of the unigram/bigram index; a longer one walks the names holding its rarest
bigram and checks each against the whole query. On PostgreSQL with the trigram index (migration
0006) a query of four characters or more first asks that index for every name containing it and ranks
them here; a phrase in more than four pages of names goes the own way, which reads them in rank order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import SubjectKind, unverifiable
from desktop_app.domain.identifiers import USCC_ALPHABET, looks_like_id_number
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.integrity import failing_rows_in, failure_text
from desktop_app.services.credit.search_index import search_keys
from desktop_app.services.credit.types import SearchResult, SubjectHit
from desktop_app.services.credit.verdicts import assessments_in
from desktop_app.store.credit_models import (
    CreditSubject,
    SearchGram,
    SearchInfixInitials,
    SearchInitials,
    SubjectAlias,
)
from desktop_app.store.database import Database

SEARCH_LIMIT = 50
# How far the lookup counts the subjects a query matches (and the clerk may scroll): past it the
# screen says "more than 1000", so a count costs the same however common the query's words are.
COUNT_CAP = 1000
QUERY_LIMIT = 200
# A long query is checked against names found through its rarest bigram; counting how common each
# bigram is stops at this many rows, so the probe costs the same however common a bigram is.
PROBE_CAP = 2000
# When every bigram of the query reaches PROBE_CAP (建设工, 工程监: words in thousands of names), they
# are counted again up to this many rows: picking 工程 (~29 % of a million companies) instead of 程监
# (~1 %) makes the check walk a hundred times more rows (0.4 s instead of 5 ms at 1M subjects),
# and a count this far costs ~2 ms per bigram.
PROBE_CAP_WIDE = 50_000
# PostgreSQL's trigram index on credit_subjects.search_text (migration 0006), where the server has it,
# for queries of this many characters or more. Measured at 1M subjects (CPU of client and server per
# query, the machine being shared): from 5 characters on it costs a half to a third of the own index
# at the median, and less at p95 for real names; for 3 characters (one trigram, often in thousands of
# names) its p95 is a third worse than the own index's, so 3 characters stay with the own index.
TRIGRAM_INDEX = "ix_credit_subjects_search_trgm"
TRIGRAM_MIN_LENGTH = 4
ONLY_LEGAL_FORM_HINT = "请输入名称中更有辨识度的部分（如字号），而不是“有限公司”等组织形式。"

# How a subject was found, best first: the first element of every sort key.
RANK_IDENTIFIER, RANK_NAME, RANK_ALIAS, RANK_INITIALS, RANK_INFIX_INITIALS, RANK_CODE_PREFIX = range(6)

Candidates = dict[int, tuple[tuple[Any, ...], str]]


def fold_query(query: str) -> str:
    return st.fold(query)[:QUERY_LIMIT]


def next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (ASCII only)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def candidates_in(session: Session, db: Database, folded: str, limit: int) -> Candidates:
    """Subject id → (sort key, how it matched). Identifiers first, then names, initials, prefixes."""
    found: Candidates = {}

    def offer(sid: int, key: tuple[Any, ...], how: str) -> None:
        if sid not in found or key < found[sid][0]:
            found[sid] = (key, how)

    code = folded.upper()
    if st.looks_like_code(folded):
        if looks_like_id_number(code):
            lookup = db.keyring.lookup_hash("id_number", code)
            for sid in session.scalars(
                select(CreditSubject.id).where(CreditSubject.id_number_lookup == lookup)
            ):
                offer(sid, (RANK_IDENTIFIER,), "id")
        if len(code) >= 2 and all(c in USCC_ALPHABET for c in code):
            for sid, uscc in session.execute(
                select(CreditSubject.id, CreditSubject.uscc)
                .where(CreditSubject.uscc >= code, CreditSubject.uscc < next_prefix(code))
                .order_by(CreditSubject.uscc)
                .limit(limit)
            ):
                if uscc == code:
                    offer(sid, (RANK_IDENTIFIER,), "uscc")
                else:
                    offer(sid, (RANK_CODE_PREFIX, uscc), "uscc_prefix")
        if st.looks_like_initials(folded):
            from_start = 0
            for sid, initials, rank in _initials_range(session, SearchInitials, folded, limit):
                from_start += 1
                exact = initials == folded
                offer(
                    sid,
                    (RANK_INITIALS, 0 if exact else 1, rank // st.RANK_BUCKET, len(initials), sid),
                    "initials",
                )
            # Initials of a run inside a name rank below every match from the start: with a full page
            # of those, none would be shown.
            if from_start < limit:
                for sid, initials, rank in _initials_range(session, SearchInfixInitials, folded, limit):
                    exact = initials == folded
                    offer(
                        sid,
                        (RANK_INFIX_INITIALS, 0 if exact else 1, rank // st.RANK_BUCKET, len(initials), sid),
                        "initials",
                    )
    trigram = len(folded) >= TRIGRAM_MIN_LENGTH and trigram_index_in(session, db)
    for sid, rank, how in _name_matches(session, folded, limit, trigram):
        offer(sid, (RANK_NAME if how == "name" else RANK_ALIAS, rank, sid), how)
    return found


def _initials_range(
    session: Session, table: type[SearchInitials] | type[SearchInfixInitials], folded: str, limit: int
) -> Iterable[tuple[int, str, int]]:
    """(subject id, initials, rank) of the rows starting with ``folded``: one index range."""
    rows = session.execute(
        select(table.subject_id, table.initials, table.rank)
        .where(table.initials >= folded, table.initials < next_prefix(folded))
        .order_by(table.initials, table.rank)
        .limit(limit)
    )
    return [(sid, initials, rank) for sid, initials, rank in rows]


def trigram_index_in(session: Session, db: Database) -> bool:
    """Whether migration 0006 could make the trigram index (PostgreSQL with pg_trgm reading CJK)."""
    if db.backend != "postgresql":
        return False
    known = db.capabilities.get(TRIGRAM_INDEX)
    if known is None:
        known = session.scalar(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": TRIGRAM_INDEX})
        db.capabilities[TRIGRAM_INDEX] = bool(known)
    return bool(known)


def _name_matches(session: Session, folded: str, limit: int, trigram: bool) -> Iterable[tuple[int, int, str]]:
    """(subject id, rank, 'name'|'alias') of names containing the folded query, best first."""
    if len(folded) <= 2:
        key = st.gram_key(folded)
        rows = session.execute(
            select(SearchGram.subject_id, SearchGram.rank)
            .where(SearchGram.gram == key)
            .order_by(SearchGram.rank, SearchGram.subject_id)
            .limit(limit * 2)
        )
        for sid, rank in rows:
            bucket = rank // st.RANK_BUCKET
            yield sid, rank, "alias" if bucket >= st.ALIAS_BUCKET_OFFSET else "name"
        return
    bigrams = list(dict.fromkeys(st.query_bigrams(folded)))
    useful = [b for b in bigrams if not st.is_suffix_bigram(b)]
    # Only legal-form pairs (有限公司): what the own index finds (names with them in the core) stays.
    trigram = trigram and bool(useful)
    useful = useful or bigrams
    if trigram:
        matches = _trigram_matches(session, folded, limit)
        if matches is not None:
            yield from matches
            return
    counts = []
    for bigram in useful:
        count = _gram_count(session, bigram, PROBE_CAP)
        if count == 0:
            return  # a bigram no name has: nothing can contain the whole query
        counts.append((count, bigram))
    if min(counts)[0] >= PROBE_CAP:  # all common: tell the common from the very common
        wide, best = [], PROBE_CAP_WIDE
        for position, (_, bigram) in enumerate(counts):
            count = _gram_count(session, bigram, best)  # past the best so far: no use
            wide.append((count, position, bigram))
            best = min(best, count)
        ordered = [bigram for _, _, bigram in sorted(wide)]
    else:
        ordered = [bigram for _, bigram in sorted(counts)]
    key_bigram = ordered[0]
    checked = session.execute(
        select(SearchGram.subject_id, SearchGram.rank, CreditSubject.search_text)
        .join(CreditSubject, CreditSubject.id == SearchGram.subject_id)
        .where(
            SearchGram.gram == st.gram_key(key_bigram),
            CreditSubject.search_text.contains(folded, autoescape=True),
        )
        .order_by(SearchGram.rank, SearchGram.subject_id)
        .limit(limit * 4)
    )
    for sid, _rank, names in checked:
        yield _long_match(sid, names, folded)


def _long_match(sid: int, search_text: str, folded: str) -> tuple[int, int, str]:
    """(subject id, rank, 'name'|'alias') of a subject whose names contain the long query."""
    names = search_text.split("\x01")
    primary = names[0]
    if folded in primary:
        return sid, _long_rank(folded, primary, st.strip_legal_suffix(primary), 0), "name"
    best = min(
        _long_rank(folded, n, st.strip_legal_suffix(n), st.ALIAS_BUCKET_OFFSET)
        for n in names[1:]
        if folded in n
    )
    return sid, best, "alias"


def _trigram_matches(session: Session, folded: str, limit: int) -> list[tuple[int, int, str]] | None:
    """Every subject whose names contain the query, through PostgreSQL's trigram index, ranked here;
    None when more than ``limit * 4`` do (a common phrase: the own index walks them in rank order)."""
    cap = limit * 4
    rows = session.execute(
        select(CreditSubject.id, CreditSubject.search_text)
        .where(CreditSubject.search_text.contains(folded, autoescape=True))
        .limit(cap + 1)
    ).all()
    if len(rows) > cap:
        return None
    return [_long_match(sid, names, folded) for sid, names in rows]


def _gram_count(session: Session, bigram: str, cap: int) -> int:
    """How many names have the bigram, counted up to ``cap`` (an index range, never a table scan)."""
    inner = select(SearchGram.subject_id).where(SearchGram.gram == st.gram_key(bigram)).limit(cap)
    return session.scalar(select(func.count()).select_from(inner.subquery())) or 0


def _long_rank(folded: str, name: str, core: str, offset: int) -> int:
    """Rank of a long query's match: at the start of the distinctive name first, shorter names first."""
    starts = name.startswith(folded)
    return (offset + (0 if starts else 1)) * st.RANK_BUCKET + min(len(core), st.RANK_BUCKET - 1)


def _matching_aliases(session: Session, subject_ids: list[int], folded: str) -> dict[int, tuple[str, str]]:
    """Subject id → (alias, its kind) of the first alias containing the query."""
    if not subject_ids:
        return {}
    found: dict[int, tuple[str, str]] = {}
    for row in session.execute(
        select(SubjectAlias.subject_id, SubjectAlias.name, SubjectAlias.kind)
        .where(SubjectAlias.subject_id.in_(subject_ids))
        .order_by(SubjectAlias.id)
    ):
        if row.subject_id not in found and folded in st.fold(row.name):
            found[row.subject_id] = (row.name, row.kind)
    return found


def query_names_subject_in(session: Session, db: Database, subject: CreditSubject, folded: str) -> bool:
    """Whether a query finds this subject by any of the lookup's rules (not only in the first page)."""
    code = folded.upper()
    if subject.uscc and len(code) >= 2 and subject.uscc.startswith(code):
        return True
    if looks_like_id_number(code) and subject.id_number_lookup == db.keyring.lookup_hash("id_number", code):
        return True
    if folded in subject.search_text:
        return True
    if st.looks_like_initials(folded):
        keys = search_keys(subject.kind, subject.name, [a.name for a in subject.aliases], subject.id_number)
        return any(folded in initials for initials, _ in keys.initials)  # from the start or inside
    return False


def search_in(
    session: Session, db: Database, query: str, on: date, limit: int = SEARCH_LIMIT
) -> SearchResult:
    """The subjects a query finds, best first, with their verdicts on ``on``."""
    folded = fold_query(query)
    if not folded:
        return SearchResult(query, on, ())
    # One more than shown: whether more match (a source stopped at its limit) costs one row.
    found = candidates_in(session, db, folded, limit + 1)
    if not found:
        return SearchResult(query, on, (), ONLY_LEGAL_FORM_HINT if st.is_only_legal_suffix(folded) else "")
    more = len(found) > limit
    ranked = sorted(found.items(), key=lambda item: item[1][0])[:limit]
    ids = [sid for sid, _ in ranked]
    rows = {
        row.id: row
        for row in session.execute(
            select(
                CreditSubject.id,
                CreditSubject.kind,
                CreditSubject.name,
                CreditSubject.uscc,
                CreditSubject.id_number_masked,
            ).where(CreditSubject.id.in_(ids))
        )
    }
    assessments = assessments_in(session, ids, on)
    aliases = _matching_aliases(session, [sid for sid, (_, how) in ranked if how == "alias"], folded)
    hits = []
    for sid, (_, how) in ranked:
        row, verdict = rows[sid], assessments[sid]
        alias, alias_kind = aliases.get(sid, ("", ""))
        hits.append(
            SubjectHit(
                subject_id=sid,
                kind=SubjectKind(row.kind),
                name=row.name,
                identifier=row.uscc or row.id_number_masked or "",
                matched_alias=alias,
                how=how,
                verdict=verdict.verdict,
                reason=verdict.reason,
                score=verdict.score,
                grade=verdict.grade,
                matched_alias_kind=alias_kind,
                grade_forced=verdict.grade_overridden,
            )
        )
    return SearchResult(query, on, tuple(hits), more=more)


def count_matches_in(session: Session, db: Database, query: str, cap: int = COUNT_CAP) -> int:
    """How many subjects the lookup finds for ``query`` (by the same rules as ``search_in``), counted
    up to ``cap + 1``: a result above ``cap`` means "more than cap". Not on the typing path: the page
    asks once the clerk pauses, and only when the first page of results is full."""
    folded = fold_query(query)
    if not folded:
        return 0
    return min(len(candidates_in(session, db, folded, cap + 1)), cap + 1)


class SearchOps(Service):
    def verify_hits(
        self, actor: CurrentUser, result: SearchResult, subject_ids: Iterable[int]
    ) -> SearchResult:
        """``result`` with the verdicts of ``subject_ids`` — the hits an answer rests on — checked
        against their rows' MACs (a search checks none: it is a guide, not the answer)."""
        actor.require(Permission.CREDIT_LOOKUP)
        with self.db.session() as session:
            failing = failing_rows_in(session, sorted(set(subject_ids)))
        if not failing:
            return result
        hits = []
        for hit in result.hits:
            if hit.subject_id in failing:
                answer = unverifiable(result.on, failure_text(failing[hit.subject_id]))
                hit = replace(hit, verdict=answer.verdict, reason=answer.reason, score=0, grade=answer.grade)
            hits.append(hit)
        return replace(result, hits=tuple(hits))

    def search(
        self, actor: CurrentUser, query: str, on: date | None = None, limit: int = SEARCH_LIMIT
    ) -> SearchResult:
        actor.require(Permission.CREDIT_LOOKUP)
        on = on or self.db.today()
        if not fold_query(query):
            return SearchResult(query, on, ())
        with self.db.session() as session:
            return search_in(session, self.db, query, on, limit)

    def count_matches(self, actor: CurrentUser, query: str, cap: int = COUNT_CAP) -> int:
        """How many subjects ``query`` finds, up to ``cap`` (``cap + 1``: more than that)."""
        actor.require(Permission.CREDIT_LOOKUP)
        with self.db.session() as session:
            return count_matches_in(session, self.db, query, cap)
