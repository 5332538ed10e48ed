"""Uploaded evidence files of the collective pages: checked by type and size and hashed before
any command runs; the bytes are kept (by the caller) only after the command succeeded."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile

from assessment.adapters.evidence_store import StoredEvidence, check_evidence
from shared.problems import AppError
from shared.web.pages import Portal


async def read_groups(
    form: Any, cycle: dict[str, Any], portal: Portal
) -> tuple[dict[str, dict[str, Any]], list[tuple[StoredEvidence, bytes]], dict[str, str], bool]:
    """Each content group's texts and uploaded files, checked and hashed: (groups, files to
    keep once the command succeeded, errors by field, whether a file was over the limit)."""
    errors: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {}
    files: list[tuple[StoredEvidence, bytes]] = []
    for group in cycle["content_groups"]:
        gc = group["code"]
        evidence, too_big = await read_files(form.getlist(f"{gc}.evidence"), portal, files)
        if isinstance(evidence, str):
            errors[f"{gc}.evidence"] = evidence
            if too_big:
                return groups, files, errors, True
            evidence = []
        groups[gc] = {
            "results": str(form.get(f"{gc}.results") or "").strip(),
            "limitations": str(form.get(f"{gc}.limitations") or "").strip(),
            "evidence": evidence,
        }
    return groups, files, errors, False


async def read_files(
    uploads: list[Any], portal: Portal, files: list[tuple[StoredEvidence, bytes]]
) -> tuple[list[dict[str, Any]] | str, bool]:
    """Uploaded files checked by type and size: their evidence entries (appended to ``files``
    to be kept later), or the first refusal's message and whether it was the size."""
    evidence = []
    for upload in uploads:
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read()
        try:
            checked = check_evidence(upload.filename, data, portal.settings.upload_max_bytes)
        except AppError as exc:
            return exc.detail or exc.title, exc.status == 413
        files.append((checked, data))
        evidence.append({"name": checked.name, "sha256": checked.sha256, "size": checked.size})
    return evidence, False
