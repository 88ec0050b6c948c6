"""Tamper-evident business rows, and personal data bound to its row.

A row that decides an outcome (a credit record's kind and periods, a notice's hashes, later a
complaint's deadline or a month's score) carries ``row_mac``: an HMAC, with a key derived from the key
file, over its table, its id and the fields its model lists in ``sealed_fields``. It is computed here
at every flush that changes one of those fields, in the same transaction as the change; a row changed
in the database behind the program's back no longer matches, and whoever reads it for a verdict or a
document (``failing_ids``) says so instead of answering from it. A flush that would re-seal a row
whose stored values already fail is refused: an edit must not launder a tampered row.

Personal data (``EncryptedPII`` columns) is sealed here too, at flush, with its table, row id and
column as AES-GCM associated data, and opened when the row is loaded: the column type alone does not
know which row it is in. Both need the row's id before the INSERT, so new rows of these models get
their ids here (the table's sequence on PostgreSQL; the next id under the write lock on SQLite,
which is what SQLite would have chosen).

A new module declares its deciding fields by inheriting ``RowSealed`` and listing ``sealed_fields``
(and ``sealed_label``); its migration adds the nullable ``row_mac`` column and asks for a one-time
seal of the existing rows (``store.resealing``). docs/ARCHITECTURE.md has the convention.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, String, Table, event, func, inspect, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from desktop_app.domain.errors import DataCheckFailed, DomainError
from desktop_app.domain.identifiers import mask
from desktop_app.store.base import Base
from desktop_app.store.crypto import EncryptedPII, Keyring, SealContext, Unopened, keyring_of

MAC_VERSION = "1"
TAMPERED = "数据校验失败 — 请联系审计管理员"
_PLAIN_AFTER_FLUSH = "sealing.plain_after_flush"  # session.info key
_ID_POOLS = "sealing.id_pools"  # session.info key: PostgreSQL ids taken and not used yet
ID_BATCH = 32


class RowSealed:
    """Mixin of a model whose rows decide an outcome: ``row_mac`` over ``sealed_fields``.

    ``sealed_fields`` names the mapped attributes (columns) a verdict or a document rests on;
    ``sealed_label`` is what a person calls the table (in messages and in ``audit verify``)."""

    sealed_fields: ClassVar[tuple[str, ...]] = ()
    sealed_label: ClassVar[str] = ""

    # NULL only between the migration that adds it and the first opening after it (store.resealing).
    row_mac: Mapped[str | None] = mapped_column(String(80), nullable=True)


class RowTampered(DataCheckFailed):
    """A row whose stored values do not match its MAC was about to be used or re-sealed."""

    def __init__(self, label: str, row_id: Any) -> None:
        super().__init__(f"{TAMPERED}：{label} 第 {row_id} 行与其校验码不符（数据库中的数据被改动过）。")
        self.label = label
        self.row_id = row_id


# -- the MAC ----------------------------------------------------------------------------------------
def canonical(value: Any) -> Any:
    """A value as the MAC sees it: the same whether it was just assigned or read back."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return "t:" + aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return "d:" + value.isoformat()
    if isinstance(value, bytes):
        return "b:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # Points and totals: 15 assigned and 15.0 read back are one value; others by their repr.
        return int(value) if value.is_integer() else "f:" + repr(value)
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def row_mac(keyring: Keyring, table: str, row_id: int, fields: Sequence[str], values: Sequence[Any]) -> str:
    payload = json.dumps(
        [table, row_id, [[f, canonical(v)] for f, v in zip(fields, values, strict=True)]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hmac.new(keyring.row_key, payload.encode(), hashlib.sha256).hexdigest()
    return f"{MAC_VERSION}:{digest}"


def mac_matches(
    keyring: Keyring, cls: type[RowSealed], row_id: int, values: Sequence[Any], stored: str | None
) -> bool:
    if not stored:
        return False  # after the one-time seal, a row without a MAC was written behind our back
    expected = row_mac(keyring, table_of(cls).name, row_id, cls.sealed_fields, values)
    return hmac.compare_digest(expected, stored)


def table_of(cls: type[Any]) -> Table:
    table = inspect(cls).local_table
    assert isinstance(table, Table)
    return table


def sealed_models() -> list[type[RowSealed]]:
    """Every mapped model with a row MAC, by table name."""
    found = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, RowSealed)]
    return sorted(found, key=lambda c: table_of(c).name)


def personal_data_attributes(cls: type[Any]) -> list[tuple[str, str]]:
    """(attribute, kind) of every EncryptedPII column of a mapped class."""
    found = []
    for column in inspect(cls).columns:
        if isinstance(column.type, EncryptedPII):
            found.append((column.key, column.type.kind))
    return found


def personal_data_models() -> list[type[Any]]:
    found = [m.class_ for m in Base.registry.mappers if personal_data_attributes(m.class_)]
    return sorted(found, key=lambda c: table_of(c).name)


_PII_CACHE: dict[type[Any], list[tuple[str, str]]] = {}


def _pii_of(cls: type[Any]) -> list[tuple[str, str]]:
    if cls not in _PII_CACHE:
        _PII_CACHE[cls] = personal_data_attributes(cls)
    return _PII_CACHE[cls]


def _column_name(cls: type[Any], attr: str) -> str:
    return str(inspect(cls).columns[attr].name)


def seal_context(cls: type[Any], row_id: int, attr: str) -> SealContext:
    return SealContext(table_of(cls).name, row_id, _column_name(cls, attr))


# -- reading: which rows fail -----------------------------------------------------------------------
def failing_ids(
    session: Session, cls: type[RowSealed], where: ColumnElement[bool] | None = None, batch: int = 5000
) -> list[int]:
    """Ids of the rows of ``cls`` (those ``where`` selects; all without it) that fail their MAC."""
    keyring = keyring_of(session.get_bind().dialect)
    mapped: Any = cls
    query = select(mapped.id, mapped.row_mac, *(getattr(mapped, f) for f in cls.sealed_fields))
    if where is not None:
        query = query.where(where)
    bad = []
    for row in session.execute(query.order_by(mapped.id).execution_options(yield_per=batch)):
        if not mac_matches(keyring, cls, row[0], row[2:], row[1]):
            bad.append(int(row[0]))
    return bad


def unopenable_ids(session: Session, cls: type[Any], batch: int = 2000) -> list[int]:
    """Ids of rows of ``cls`` whose personal data does not open at its place (moved or changed)."""
    keyring = keyring_of(session.get_bind().dialect)
    attrs = _pii_of(cls)
    mapped: Any = cls
    query = select(mapped.id, *(getattr(mapped, a) for a, _ in attrs)).order_by(mapped.id)
    bad = []
    for row in session.execute(query.execution_options(yield_per=batch)):
        for (attr, kind), value in zip(attrs, row[1:], strict=True):
            if value is None:
                continue
            try:
                keyring.open(kind, value.blob, seal_context(cls, row[0], attr))
            except DomainError:
                bad.append(int(row[0]))
                break
    return bad


def row_count(session: Session, cls: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(table_of(cls))) or 0)


# -- writing: at every flush -------------------------------------------------------------------------
def _needs_work(cls: type[Any]) -> bool:
    return issubclass(cls, RowSealed) or bool(_pii_of(cls))


@event.listens_for(Session, "before_flush")
def _seal_before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    # session.new is a fresh set each time it is read: read once, not once an object (an import
    # flushes thousands).
    added = session.new
    new = [o for o in added if _needs_work(type(o))]
    dirty = [o for o in session.dirty if _needs_work(type(o)) and o not in added]
    session.info[_PLAIN_AFTER_FLUSH] = []
    if not new and not dirty:
        return
    keyring = keyring_of(session.get_bind().dialect)
    _reserve_ids(session, new)
    for obj in new:
        _fill_defaults(obj)
        _seal_personal_data(session, keyring, obj, is_new=True)
        if isinstance(obj, RowSealed):
            obj.row_mac = _mac_of(keyring, obj)
    for obj in dirty:
        _seal_personal_data(session, keyring, obj, is_new=False)
        if isinstance(obj, RowSealed):
            _reseal(keyring, obj)


@event.listens_for(Session, "after_flush_postexec")
def _plaintext_after_flush(session: Session, flush_context: Any) -> None:
    """The objects keep the plaintext they were given (the database keeps the ciphertext)."""
    for obj, attr, plain in session.info.pop(_PLAIN_AFTER_FLUSH, ()):
        set_committed_value(obj, attr, plain)


def _mac_of(keyring: Keyring, obj: RowSealed) -> str:
    cls = type(obj)
    values = [getattr(obj, f) for f in cls.sealed_fields]
    return row_mac(keyring, table_of(cls).name, obj.id, cls.sealed_fields, values)  # type: ignore[attr-defined]


def _reseal(keyring: Keyring, obj: RowSealed) -> None:
    cls = type(obj)
    state = inspect(obj)
    if not any(state.attrs[f].history.has_changes() for f in cls.sealed_fields):
        return
    old = []
    for name in (*cls.sealed_fields, "row_mac"):
        history = state.attrs[name].history
        if history.deleted:
            old.append(history.deleted[0])
        elif history.unchanged:
            old.append(history.unchanged[0])
        else:
            old = []  # a value set before it was ever loaded: nothing to check it against
            break
    if old and not mac_matches(keyring, cls, obj.id, old[:-1], old[-1]):  # type: ignore[attr-defined]
        raise RowTampered(cls.sealed_label or table_of(cls).name, obj.id)  # type: ignore[attr-defined]
    obj.row_mac = _mac_of(keyring, obj)


def _fill_defaults(obj: Any) -> None:
    """Python-side column defaults now, not at INSERT: the MAC is computed before it."""
    cls = type(obj)
    if not isinstance(obj, RowSealed):
        return
    columns = inspect(cls).columns
    for name in obj.sealed_fields:
        if getattr(obj, name) is not None:
            continue
        default: Any = columns[name].default
        if default is None:
            continue
        if default.is_scalar:
            setattr(obj, name, default.arg)
        elif default.is_callable:
            setattr(obj, name, default.arg(None))


def _seal_personal_data(session: Session, keyring: Keyring, obj: Any, is_new: bool) -> None:
    """Fill ``<name>_lookup`` and ``<name>_masked`` from each new value, and seal it to this row."""
    cls = type(obj)
    attrs = _pii_of(cls)
    if not attrs:
        return
    state = inspect(obj)
    for attr, kind in attrs:
        if not is_new and not state.attrs[attr].history.has_changes():
            continue
        value = getattr(obj, attr)
        if not isinstance(value, str):
            if value is None:
                setattr(obj, f"{attr}_lookup", None)
                setattr(obj, f"{attr}_masked", None)
            continue
        setattr(obj, f"{attr}_lookup", keyring.lookup_hash(kind, value))
        setattr(obj, f"{attr}_masked", mask(kind, value))
        setattr(obj, attr, keyring.seal(kind, value, seal_context(cls, obj.id, attr)))
        session.info[_PLAIN_AFTER_FLUSH].append((obj, attr, value))


def _reserve_ids(session: Session, objects: Iterable[Any]) -> None:
    waiting: dict[Table, list[Any]] = defaultdict(list)
    for obj in objects:
        if getattr(obj, "id", None) is None:
            waiting[table_of(type(obj))].append(obj)
    for table, group in waiting.items():
        for obj, new_id in zip(group, _next_ids(session, table, len(group)), strict=True):
            obj.id = new_id


def _next_ids(session: Session, table: Table, count: int) -> Iterator[int]:
    if session.get_bind().dialect.name == "postgresql":
        # Taken a few dozen at a time: a row at a time (an import flushes each) would be a round
        # trip each. Unused ones are gaps, as a rolled-back insert leaves; ids carry no meaning.
        pools: dict[str, list[int]] = session.info.setdefault(_ID_POOLS, {})
        pool = pools.setdefault(table.name, [])
        if len(pool) < count:
            rows = session.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table.name, "n": count - len(pool) + ID_BATCH},
            )
            pool.extend(int(r[0]) for r in rows)
        taken, pool[:] = pool[:count], pool[count:]
        yield from taken
        return
    # SQLite: writers hold the write lock from BEGIN IMMEDIATE, so nobody takes these meanwhile;
    # ids already given to rows of this flush but not inserted yet are above the table's maximum.
    highest = session.execute(select(func.max(table.c.id))).scalar() or 0
    pending = [o.id for o in session.new if table_of(type(o)) is table and getattr(o, "id", None)]
    start = max([int(highest), *pending]) + 1
    yield from range(start, start + count)


# -- writing in bulk (Core/ORM bulk INSERT, which no flush sees) --------------------------------------
def prepare_bulk_rows(session: Session, cls: type[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``cls`` (attribute → value dicts) made ready for a bulk INSERT as a flush would make
    them: ids taken, personal data sealed to its row with its lookup hash and mask, defaults of the
    deciding fields filled, ``row_mac`` computed. Insert them before preparing the next batch of the
    same table (SQLite takes ids above the table's current maximum)."""
    keyring = keyring_of(session.get_bind().dialect)
    table = table_of(cls)
    waiting = [row for row in rows if row.get("id") is None]
    for row, new_id in zip(waiting, _next_ids(session, table, len(waiting)), strict=True):
        row["id"] = new_id
    columns = inspect(cls).columns
    fields: tuple[str, ...] = cls.sealed_fields if issubclass(cls, RowSealed) else ()
    for row in rows:
        for attr, kind in _pii_of(cls):
            value = row.get(attr)
            if isinstance(value, str):
                row[f"{attr}_lookup"] = keyring.lookup_hash(kind, value)
                row[f"{attr}_masked"] = mask(kind, value)
                row[attr] = keyring.seal(kind, value, seal_context(cls, row["id"], attr))
        for name in fields:
            default: Any = columns[name].default
            if row.get(name) is None and default is not None:
                row[name] = default.arg if default.is_scalar else default.arg(None)
        if fields:
            row["row_mac"] = row_mac(keyring, table.name, row["id"], fields, [row.get(f) for f in fields])
    return rows


# -- reading: opening personal data when its row loads ---------------------------------------------
def _open_loaded(target: Any, attrs: Iterable[str] | None) -> None:
    cls = type(target)
    fields = _pii_of(cls)
    if not fields:
        return
    state = inspect(target)
    session = state.session
    if session is None:
        return
    keyring: Keyring | None = None
    for attr, kind in fields:
        if attrs is not None and attr not in attrs:
            continue
        value = state.dict.get(attr)
        if isinstance(value, Unopened):
            keyring = keyring or keyring_of(session.get_bind().dialect)
            plain = keyring.open(kind, value.blob, seal_context(cls, target.id, attr))
            set_committed_value(target, attr, plain)


@event.listens_for(Base, "load", propagate=True)
def _open_on_load(target: Any, context: Any) -> None:
    _open_loaded(target, None)


@event.listens_for(Base, "refresh", propagate=True)
def _open_on_refresh(target: Any, context: Any, attrs: Iterable[str] | None) -> None:
    _open_loaded(target, attrs)
