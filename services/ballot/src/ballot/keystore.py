"""Secrets at rest for the trustee CLI: JSON sealed with a passphrase.

Key derivation Argon2id (RFC 9106's second recommended setting: 64 MiB, 3 passes, 4 lanes, 16-byte
random salt) → 32-byte key; ChaCha20-Poly1305 with a random 96-bit nonce. The public header
(format, purpose, KDF parameters, salt and any public fields) is the AEAD's associated data, so
it cannot be altered either. Files are written atomically with mode 0600.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from shared.envelope import canonical_json

FORMAT: Final = "congvu/ballot/sealed/v1"
KDF: Final[dict[str, Any]] = {
    "name": "argon2id",
    "memory_kib": 65536,
    "iterations": 3,
    "lanes": 4,
    "length": 32,
}


class KeyFileError(Exception):
    code = "ballot.keyfile_invalid"


def _derive(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise KeyFileError("unsupported key derivation")
    return Argon2id(
        salt=salt,
        length=int(kdf["length"]),
        iterations=int(kdf["iterations"]),
        lanes=int(kdf["lanes"]),
        memory_cost=int(kdf["memory_kib"]),
    ).derive(passphrase.encode("utf-8"))


def _header(purpose: str, salt: bytes, kdf: dict[str, Any], public: dict[str, Any]) -> bytes:
    return canonical_json(
        {"format": FORMAT, "purpose": purpose, "kdf": kdf, "salt": salt.hex(), "public": public}
    )


def seal(
    secret: dict[str, Any], passphrase: str, *, purpose: str, public: dict[str, Any] | None = None
) -> dict[str, Any]:
    if not passphrase:
        raise KeyFileError("an empty passphrase is not allowed")
    public = public or {}
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    key = _derive(passphrase, salt, KDF)
    ct = ChaCha20Poly1305(key).encrypt(
        nonce, canonical_json(secret), _header(purpose, salt, KDF, public)
    )
    return {
        "format": FORMAT,
        "purpose": purpose,
        "kdf": dict(KDF),
        "salt": salt.hex(),
        "public": public,
        "nonce": nonce.hex(),
        "ciphertext": ct.hex(),
    }


def unseal(blob: dict[str, Any], passphrase: str, *, purpose: str) -> dict[str, Any]:
    try:
        if blob["format"] != FORMAT or blob["purpose"] != purpose:
            raise KeyFileError(f"not a sealed {purpose} file")
        salt = bytes.fromhex(blob["salt"])
        key = _derive(passphrase, salt, blob["kdf"])
        plain = ChaCha20Poly1305(key).decrypt(
            bytes.fromhex(blob["nonce"]),
            bytes.fromhex(blob["ciphertext"]),
            _header(purpose, salt, blob["kdf"], blob["public"]),
        )
    except InvalidTag:
        raise KeyFileError("wrong passphrase, or the file was altered") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"malformed sealed file: {exc}") from None
    value = json.loads(plain)
    if not isinstance(value, dict):
        raise KeyFileError("malformed sealed content")
    return value


def write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically, readable by the owner only; never over another file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any]:
    value = json.loads(path.read_text("utf-8"))
    if not isinstance(value, dict):
        raise KeyFileError(f"{path}: not a JSON object")
    return value
