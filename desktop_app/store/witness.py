"""What this workstation has seen of the audit chain, kept outside the database.

Anyone who can write the database can delete the newest entries and put back an older head row with
its genuine MAC: the chain that is left verifies. So each workstation keeps, in its own data folder,
the highest (segment, seq, hash) it has seen of each database, sealed with the audit key, and writes
a sealed copy beside every backup it makes. An entry is never appended below what the workstation
saw, and ``audit verify`` checks these statements and names the entries missing since.

Why not (also) a table of workstations' witnesses in the database: whoever can cut the chain can
cut that table back too (an older row keeps its genuine MAC). The sealed file in the data folder is
the witness; a workstation's statement is only what that workstation saw, so the damage surfaces at
the first workstation that saw the lost entries (its writes stop, and ``audit verify`` there names
them). An attacker who can also write this data folder can delete the file: backups kept elsewhere
carry the same statement.

The file holds one record per database (its URL without the password), each the highest entry
seen in every segment, so that a statement about a segment closed by a recorded break still says,
after the break, how far this workstation had seen.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from desktop_app.store.crypto import Keyring

log = logging.getLogger(__name__)

_FORMAT = 1
SIDECAR_SUFFIX = ".witness.json"
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclass(frozen=True, order=True)
class Seen:
    """An entry of the chain as someone saw it: in which segment, its number, its hash."""

    segment: int
    seq: int
    hash: str


@dataclass(frozen=True)
class Statement:
    """One sealed statement: who saw it (``source``, in words) and the highest entry per segment."""

    source: str
    seen: tuple[Seen, ...]

    @property
    def latest(self) -> Seen | None:
        return max(self.seen) if self.seen else None


def database_key(url: str) -> str:
    """The database a statement is about: its URL, without the password (never written to disk)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return f"sqlite:///{Path(parsed.database).resolve().as_posix()}"
    return parsed.render_as_string(hide_password=True)


def _seal(keyring: Keyring, body: dict[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return keyring.mac(b"audit-witness:" + text.encode())


def _encode(seen: Iterable[Seen]) -> dict[str, list[Any]]:
    return {str(s.segment): [s.seq, s.hash] for s in seen}


def _decode(segments: dict[str, Any]) -> dict[int, Seen]:
    found: dict[int, Seen] = {}
    for segment, (seq, entry_hash) in segments.items():
        found[int(segment)] = Seen(int(segment), int(seq), str(entry_hash))
    return found


def _write_sealed(path: Path, keyring: Keyring, body: dict[str, Any], in_place: bool = False) -> None:
    """Write a sealed file: through a temporary file and a rename, or (``in_place``, for the
    witness written after every audited commit) over the file's first bytes in one write.

    A rename over an existing file costs a few milliseconds on ext4 (it flushes the data first); one
    write is a few microseconds and is never interleaved with another program's write. What an
    earlier, longer write left after the end is ignored by the reader, and a write torn by a power
    cut fails the seal: the statement is then reported unusable and starts again, never believed."""
    sealed = dict(body, mac=_seal(keyring, body))
    data = json.dumps(sealed, ensure_ascii=False, indent=1).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if in_place:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return
    # A name of its own, so two programs writing at once never share a temporary file.
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_sealed(path: Path, keyring: Keyring) -> dict[str, Any] | None:
    """The body of a sealed file, or None when it is missing; raises ValueError when it does not
    verify with this key (changed, or sealed with another center's key)."""
    try:
        # The first document: an in-place write shorter than the one before leaves its tail after it.
        sealed, _end = json.JSONDecoder().raw_decode(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"无法读取：{exc}") from None
    if not isinstance(sealed, dict) or sealed.get("format") != _FORMAT:
        raise ValueError("格式无法识别")
    mac = sealed.pop("mac", None)
    if mac != _seal(keyring, sealed):
        raise ValueError("密封校验码不符（文件被改动，或由另一密钥写成）")
    return sealed


class WitnessFile:
    """This workstation's sealed statement about one database, and the copies beside its backups."""

    def __init__(
        self, folder: Path, backups: Path | None, keyring: Keyring, url: str, workstation: str
    ) -> None:
        # One file per key: a center set up anew (demo --force, a new key) starts a file of its own.
        self.path = folder / f"audit-witness-{keyring.fingerprint[:12]}.json"
        self.backups = backups
        self.keyring = keyring
        self.database = database_key(url)
        self.workstation = workstation
        self._cache: dict[int, Seen] | None = None
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(self.path.resolve(), threading.Lock())

    # -- this workstation ---------------------------------------------------------------------------
    def _load_all(self) -> dict[str, Any]:
        body = _read_sealed(self.path, self.keyring)
        return body if body is not None else {"format": _FORMAT, "databases": {}}

    def seen(self) -> dict[int, Seen]:
        """The highest entry seen per segment; empty when the file is missing or does not verify."""
        if self._cache is None:
            with self._lock:
                try:
                    record = self._load_all()["databases"].get(self.database, {})
                    self._cache = _decode(record.get("segments", {}))
                except (ValueError, KeyError, TypeError):
                    log.warning("audit witness file %s does not verify; ignored", self.path.name)
                    self._cache = {}
        return dict(self._cache)

    def latest(self) -> Seen | None:
        seen = self.seen()
        return max(seen.values()) if seen else None

    def problem(self) -> str:
        """Why this workstation's file cannot be used ("" when it can, or when there is none yet)."""
        try:
            self._load_all()
        except ValueError as exc:
            return f"本工作站的审计见证文件 {self.path.name} 无法使用：{exc}"
        return ""

    def saw(self, seen: Seen) -> None:
        """Remember ``seen`` if it is beyond what this workstation saw of its segment. Never raises: the
        change it follows is committed already, and a witness left behind only protects less."""
        known = self.seen().get(seen.segment)
        if known is not None and known.seq >= seen.seq:
            return
        try:
            with self._lock:
                try:
                    body = self._load_all()
                except ValueError:
                    # Kept as evidence under another name; the statement starts again from here.
                    self.path.replace(self.path.with_name(f"{self.path.name}.unverified"))
                    body = {"format": _FORMAT, "databases": {}}
                record = body["databases"].setdefault(self.database, {"segments": {}})
                segments = _decode(record["segments"])
                # Another program on this folder may have seen further meanwhile: keep the higher.
                if seen.segment not in segments or segments[seen.segment].seq < seen.seq:
                    segments[seen.segment] = seen
                record["segments"] = _encode(segments.values())
                _write_sealed(self.path, self.keyring, body, in_place=True)
                self._cache = segments
        except OSError:
            log.warning("could not write the audit witness file %s", self.path.name, exc_info=True)

    def statement(self) -> Statement:
        return Statement("本工作站", tuple(sorted(self.seen().values())))

    # -- backups --------------------------------------------------------------------------------
    def write_beside(self, backup: Path, now: datetime) -> Path | None:
        """A sealed copy of this workstation's statement next to a backup it made."""
        sidecar = backup.with_name(backup.name + SIDECAR_SUFFIX)
        body = {
            "format": _FORMAT,
            "key": self.keyring.fingerprint[:12],
            "database": self.database,
            "workstation": self.workstation,
            "backup": backup.name,
            "made_at": now.isoformat(timespec="seconds"),
            "segments": _encode(self.seen().values()),
        }
        try:
            _write_sealed(sidecar, self.keyring, body)
        except OSError:
            log.warning("could not write the witness beside backup %s", backup.name, exc_info=True)
            return None
        return sidecar

    def backup_statements(self) -> tuple[list[Statement], list[str]]:
        """The statements beside this folder's backups about this database, and the copies that do
        not verify (by name)."""
        statements: list[Statement] = []
        problems: list[str] = []
        if self.backups is None or not self.backups.is_dir():
            return statements, problems
        for sidecar in sorted(self.backups.glob(f"*{SIDECAR_SUFFIX}")):
            try:
                raw, _end = json.JSONDecoder().raw_decode(sidecar.read_text(encoding="utf-8"))
                if isinstance(raw, dict) and raw.get("key") not in (None, self.keyring.fingerprint[:12]):
                    continue  # another center's (a demo set aside)
                body = _read_sealed(sidecar, self.keyring)
                if body is None or body.get("database") != self.database:
                    continue
                seen = _decode(body.get("segments", {}))
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"备份见证 {sidecar.name} 无法使用：{exc}")
                continue
            source = f"备份 {body.get('backup', sidecar.name)}（工作站 {body.get('workstation', '?')}）"
            statements.append(Statement(source, tuple(sorted(seen.values()))))
        return statements, problems
