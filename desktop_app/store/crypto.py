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

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from desktop_app.domain.errors import KeyMismatch

_FORMAT = 1
_CIPHER_VERSION = b"\x01"


@dataclass(frozen=True)
class Keyring:
    audit_key: bytes
    data_key: bytes
    lookup_key: bytes

    @classmethod
    def generate(cls) -> Keyring:
        return cls(secrets.token_bytes(32), secrets.token_bytes(32), secrets.token_bytes(32))

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
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.data_key).encrypt(nonce, plaintext.encode(), kind.encode())
        return _CIPHER_VERSION + nonce + sealed

    def decrypt(self, kind: str, blob: bytes) -> str:
        if not blob or blob[:1] != _CIPHER_VERSION:
            raise KeyMismatch("个人信息密文格式无法识别。")
        try:
            return AESGCM(self.data_key).decrypt(blob[1:13], blob[13:], kind.encode()).decode()
        except InvalidTag:
            raise KeyMismatch("个人信息无法解密：密钥文件与数据库不匹配，或数据已被改动。") from None

    # -- the file ---------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "format": _FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": self.fingerprint,
            "audit_key": base64.b64encode(self.audit_key).decode(),
            "data_key": base64.b64encode(self.data_key).decode(),
            "lookup_key": base64.b64encode(self.lookup_key).decode(),
        }
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                base64.b64decode(body["audit_key"]),
                base64.b64decode(body["data_key"]),
                base64.b64decode(body["lookup_key"]),
            )
        except FileNotFoundError:
            raise KeyMismatch(
                f"找不到密钥文件：{path}。多工作站使用同一数据库时，请从已有工作站复制密钥文件。"
            ) from None
        except (OSError, ValueError, KeyError) as exc:
            raise KeyMismatch(f"密钥文件 {path} 无法读取：{exc}") from None


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = getattr(dialect, "integrity_keyring", None)
    if keyring is None:
        raise RuntimeError("engine has no keyring; open it through store.database.Database")
    return keyring  # type: ignore[no-any-return]


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
