"""Evidence files stored by content: the SHA-256 of the bytes is their address.

The self-assessment records each evidence file's name, SHA-256 and size in its events; the bytes
live here, under that hash, per tenant (a file of one province is never served to another):

- :class:`DiskEvidenceStore` (embedded mode): ``<root>/<tenant>/<aa>/<sha256>``, written to a
  temporary file and renamed, so a file is either whole or absent;
- :class:`SqlEvidenceStore` (production: PostgreSQL, same SQL on SQLite): one row per tenant
  and hash, ``ON CONFLICT DO NOTHING`` (storing the same bytes twice stores them once).

:func:`check_evidence` is the type and size fence: the bytes must be of an accepted kind
(PDF, PNG, JPEG, Office Open XML, OpenDocument, plain text/CSV), judged by their content and
their name together, and not over the limit.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from shared.problems import AppError
from shared.settings import AssessmentSettings
from shared.sql import Database, PostgresDatabase

MAX_EVIDENCE_BYTES: Final = 20_000_000
_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_TENANT: Final = re.compile(r"^[a-z0-9-]{1,64}$")

# extension -> (media type, magic prefix or None for text)
KINDS: Final[dict[str, tuple[str, bytes | None]]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    "txt": ("text/plain; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}


@dataclass(frozen=True)
class StoredEvidence:
    name: str
    sha256: str
    size: int
    media_type: str


def _refuse(code: str, detail: str, status: int = 422) -> AppError:
    return AppError(
        code=code,
        title="Tài liệu kiểm chứng không hợp lệ",
        title_en="Invalid evidence file",
        status=status,
        detail=detail,
    )


def check_evidence(name: str, data: bytes, limit: int = MAX_EVIDENCE_BYTES) -> StoredEvidence:
    """The evidence's address and media type, or a problem (413 too large, 422 wrong type)."""
    if len(data) > limit:
        shown = f"{limit:,}".replace(",", ".")
        raise _refuse("evidence.too_large", f"tệp “{name}” vượt giới hạn {shown} byte", 413)
    if not data:
        raise _refuse("evidence.empty", f"tệp “{name}” rỗng")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(ext)
    if kind is None:
        raise _refuse(
            "evidence.type_not_allowed",
            f"không nhận loại tệp “.{ext}” (nhận: {', '.join(sorted(KINDS))})",
        )
    media_type, magic = kind
    if magic is not None and not data.startswith(magic):
        raise _refuse("evidence.type_mismatch", f"nội dung tệp “{name}” không phải tệp .{ext}")
    if magic is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse(
                "evidence.type_mismatch", f"tệp “{name}” không phải văn bản UTF-8"
            ) from None
    return StoredEvidence(name, hashlib.sha256(data).hexdigest(), len(data), media_type)


class EvidenceStore(Protocol):
    def put(self, tenant: str, name: str, data: bytes) -> StoredEvidence: ...
    def get(self, tenant: str, sha256: str) -> bytes | None: ...


def _check_keys(tenant: str, sha256: str) -> None:
    if not _TENANT.match(tenant) or not _SHA256.match(sha256):
        raise ValueError("bad tenant or sha256")


class DiskEvidenceStore:
    def __init__(self, root: Path, limit: int = MAX_EVIDENCE_BYTES) -> None:
        self.root = root
        self.limit = limit

    def _path(self, tenant: str, sha256: str) -> Path:
        _check_keys(tenant, sha256)
        return self.root / tenant / sha256[:2] / sha256

    def put(self, tenant: str, name: str, data: bytes) -> StoredEvidence:
        stored = check_evidence(name, data, self.limit)
        path = self._path(tenant, stored.sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return stored

    def get(self, tenant: str, sha256: str) -> bytes | None:
        try:
            path = self._path(tenant, sha256)
        except ValueError:
            return None
        if not path.is_file():
            return None
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:  # altered on disk: never served
            return None
        return data


SCHEMA: Final = """CREATE TABLE IF NOT EXISTS evidence_blob (
    tenant TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, media_type TEXT NOT NULL,
    content {blob} NOT NULL, PRIMARY KEY (tenant, sha256))"""


class SqlEvidenceStore:
    def __init__(
        self, db: Database, limit: int = MAX_EVIDENCE_BYTES, *, create_schema: bool = True
    ) -> None:
        self.db = db
        self.limit = limit
        if create_schema:  # else made by the owner (assessment.adapters.schema.migrate)
            blob = "BYTEA" if db.dialect == "postgres" else "BLOB"
            with db.transaction() as tx:
                tx.execute(SCHEMA.format(blob=blob))

    def put(self, tenant: str, name: str, data: bytes) -> StoredEvidence:
        stored = check_evidence(name, data, self.limit)
        _check_keys(tenant, stored.sha256)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO evidence_blob (tenant, sha256, size, media_type, content) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (tenant, sha256) DO NOTHING",
                (tenant, stored.sha256, stored.size, stored.media_type, data),
            )
        return stored

    def get(self, tenant: str, sha256: str) -> bytes | None:
        try:
            _check_keys(tenant, sha256)
        except ValueError:
            return None
        with self.db.transaction() as tx:
            row = tx.fetchone(
                "SELECT content FROM evidence_blob WHERE tenant = %s AND sha256 = %s",
                (tenant, sha256),
            )
        if row is None:
            return None
        data = bytes(row[0])
        return data if hashlib.sha256(data).hexdigest() == sha256 else None


def build_evidence_store(settings: AssessmentSettings | None = None) -> EvidenceStore:
    """PostgreSQL (the assessment database) when configured, else files beside the SQLite."""
    settings = settings or AssessmentSettings()
    if settings.database_url is not None:
        return SqlEvidenceStore(
            PostgresDatabase(settings.database_url.get_secret_value()),
            create_schema=settings.create_tables,
        )
    return DiskEvidenceStore(settings.sqlite_path.parent / "evidence")
