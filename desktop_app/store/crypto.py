"""The key file and the personal-data column type.

The key file (outside the database, mode 0600) holds three random 256-bit keys: the HMAC key of the
audit chain, the AES-GCM key for personal data at rest, and the HMAC key for exact-match lookups of
personal data. The database keeps only a fingerprint, so a workstation with the wrong key file is
refused before it can write entries no one could verify.
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
_CIPHER_VERSION = b"\x01"
_KEY_BYTES = 32


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


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = getattr(dialect, "integrity_keyring", None)
    if not isinstance(keyring, Keyring):
        raise RuntimeError("engine has no keyring; open it through store.database.Database")
    return keyring


class EncryptedPII(TypeDecorator[str]):
    """Personal data (ID numbers, phone numbers, addresses) sealed with AES-GCM at rest.

    Declare it with companion columns ``<name>_lookup`` (keyed hash for exact search) and
    ``<name>_masked`` (what screens show); ``store.models`` fills both whenever the value is set.
    The kind is the AES-GCM associated data, so a ciphertext moved to another column fails to open.
    """

    impl = LargeBinary
    cache_ok = True

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return keyring_of(dialect).encrypt(self.kind, value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).decrypt(self.kind, bytes(value))
