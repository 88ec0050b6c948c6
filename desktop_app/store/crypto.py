"""The key file and the personal-data column type.

The key file (outside the database, mode 0600) holds three random 256-bit keys: the HMAC key of the
audit chain, the AES-GCM key for personal data at rest, and the HMAC key for exact-match lookups of
personal data. The database keeps only a fingerprint, so a workstation with the wrong key file is
refused before it can write entries no one could verify. The key of the business rows' MACs
(``store.sealing``) is derived from the audit key, so the key file keeps its three keys.

Personal data is sealed in two formats, told apart by the first byte: version 1 (the kind of data as
associated data) is what databases before revision 0008 hold, reopened once and sealed again at the
first opening after the upgrade; version 2 binds the ciphertext to its table, row and column, so a
ciphertext copied or swapped to another row fails to open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from desktop_app.domain.errors import KeyMismatch

_FORMAT = 1
_CIPHER_VERSION = b"\x01"  # associated data: the kind (databases before revision 0008)
_BOUND_VERSION = b"\x02"  # associated data: kind, table, row id and column
_KEY_BYTES = 32


@dataclass(frozen=True)
class SealContext:
    """Where a sealed value lives: what its ciphertext is bound to."""

    table: str
    row_id: int
    column: str

    def associated_data(self, kind: str) -> bytes:
        return f"integrity-desk pii v2|{kind}|{self.table}|{self.row_id}|{self.column}".encode()


class SealedBlob(bytes):
    """A ciphertext made by ``Keyring.seal``: stored as it is by ``EncryptedPII``."""


@dataclass(frozen=True)
class Unopened:
    """A bound ciphertext read from the database and not opened yet: ``store.sealing`` opens it
    when the row is loaded, with the row's id (a column type alone does not know its row)."""

    kind: str
    blob: bytes


@dataclass(frozen=True)
class Keyring:
    audit_key: bytes
    data_key: bytes
    lookup_key: bytes

    @classmethod
    def generate(cls) -> Keyring:
        return cls(*(secrets.token_bytes(_KEY_BYTES) for _ in range(3)))

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for key in (self.audit_key, self.data_key, self.lookup_key):
            digest.update(hmac.new(key, b"integrity-desk key fingerprint", hashlib.sha256).digest())
        return digest.hexdigest()[:32]

    def mac(self, payload: bytes) -> str:
        return hmac.new(self.audit_key, payload, hashlib.sha256).hexdigest()

    @property
    def row_key(self) -> bytes:
        """The key of business rows' MACs, derived from the audit key (one key file, three keys)."""
        return hmac.new(self.audit_key, b"integrity-desk row mac key v1", hashlib.sha256).digest()

    def lookup_hash(self, kind: str, value: str) -> str:
        return hmac.new(self.lookup_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def encrypt(self, kind: str, plaintext: str) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # loaded on first use: ~40 ms

        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.data_key).encrypt(nonce, plaintext.encode(), kind.encode())
        return _CIPHER_VERSION + nonce + sealed

    def decrypt(self, kind: str, blob: bytes) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not blob or blob[:1] != _CIPHER_VERSION:
            raise KeyMismatch("个人信息密文格式无法识别。")
        try:
            return AESGCM(self.data_key).decrypt(blob[1:13], blob[13:], kind.encode()).decode()
        except InvalidTag:
            raise KeyMismatch("个人信息无法解密：密钥文件与数据库不匹配，或数据已被改动。") from None

    def seal(self, kind: str, plaintext: str, where: SealContext) -> SealedBlob:
        """Version 2: bound to its table, row and column."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.data_key).encrypt(nonce, plaintext.encode(), where.associated_data(kind))
        return SealedBlob(_BOUND_VERSION + nonce + sealed)

    def open(self, kind: str, blob: bytes, where: SealContext) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if blob[:1] != _BOUND_VERSION:
            raise KeyMismatch(f"个人信息密文格式无法识别（{where.table} 第 {where.row_id} 行）。")
        try:
            plain = AESGCM(self.data_key).decrypt(blob[1:13], blob[13:], where.associated_data(kind))
        except InvalidTag:
            raise PersonalDataMismatch(where) from None
        return plain.decode()

    # -- the file ---------------------------------------------------------------------------
    def save(self, path: Path, *, exclusive: bool = False) -> None:
        """Write the key file atomically (mode 0600). ``exclusive``: raise FileExistsError rather
        than replace a key file that exists, even one another program wrote a moment ago."""
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = {
            "format": _FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": self.fingerprint,
            "audit_key": base64.b64encode(self.audit_key).decode(),
            "data_key": base64.b64encode(self.data_key).decode(),
            "lookup_key": base64.b64encode(self.lookup_key).decode(),
        }
        # A name of its own: two programs writing at once must not interleave in one temporary file.
        tmp = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            if not exclusive:
                os.replace(tmp, path)
                return
            try:
                os.link(tmp, path)  # atomic, and never replaces an existing file
            except OSError as exc:
                if isinstance(exc, FileExistsError) or path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)  # a file system without hard links
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            keys = [
                base64.b64decode(body[name], validate=True)
                for name in ("audit_key", "data_key", "lookup_key")
            ]
        except FileNotFoundError:
            raise KeyMismatch(
                f"找不到密钥文件：{path}。多工作站使用同一数据库时，请从已有工作站复制密钥文件。"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyMismatch(f"密钥文件 {path} 无法读取：{exc}") from None
        if any(len(key) != _KEY_BYTES for key in keys):
            raise KeyMismatch(f"密钥文件 {path} 无法读取：密钥长度不对，文件可能已损坏。")
        return cls(*keys)


def is_bound(blob: bytes) -> bool:
    return blob[:1] == _BOUND_VERSION


class PersonalDataMismatch(KeyMismatch):
    """A ciphertext that does not open at its place: moved from another row, or changed."""

    def __init__(self, where: SealContext) -> None:
        super().__init__(
            f"数据校验失败 — 请联系审计管理员：{where.table} 第 {where.row_id} 行的个人信息"
            "无法解密（密文与该行不符，可能被调换或改动）。"
        )
        self.where = where


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = getattr(dialect, "integrity_keyring", None)
    if not isinstance(keyring, Keyring):
        raise RuntimeError("engine has no keyring; open it through store.database.Database")
    return keyring


class EncryptedPII(TypeDecorator[str]):
    """Personal data (ID numbers, phone numbers, addresses) sealed with AES-GCM at rest.

    Declare it with companion columns ``<name>_lookup`` (keyed hash for exact search) and
    ``<name>_masked`` (what screens show); ``store.sealing`` fills both whenever the value is set,
    and seals the value at flush with its table, row id and column as associated data (the type
    alone does not know the row): a ciphertext moved to another row or column fails to open. The
    column is written only through the ORM (a plain string reaching the type is refused).
    """

    impl = LargeBinary
    cache_ok = True

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, bytes):
            return bytes(value)  # sealed at flush (store.sealing), or copied as stored
        raise TypeError("personal data is sealed at flush: write it through a mapped object")

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return Unopened(self.kind, bytes(value))
