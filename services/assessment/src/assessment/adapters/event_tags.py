"""Events signed where they are written: an HMAC tag on every stored event.

The application appends ``TAG_MARK ‖ HMAC-SHA256(key, id ‖ version ‖ topic ‖ state)`` to the
stored state of each event (and snapshot) it writes; the key is a file the database never sees.
A row written any other way (``INSERT`` by SQL with the service's own grants, a copied row
under another aggregate or version, an edited state) has no tag or a wrong one, and the sealer
refuses to seal it: it never reaches the chain, Kafka or the read models.

JSON state never contains a NUL byte, so the mark cannot be confused with content.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent

TAG_MARK = b"\x00congvu-tag-v1:"
TAG_BYTES = 32
TAG_DOMAIN = b"congvu/assessment/event/v1\x00"


def tag_for(key: bytes, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    mac = hmac.new(key, TAG_DOMAIN, hashlib.sha256)
    mac.update(f"{originator_id}\x00{int(version)}\x00{topic}\x00".encode())
    mac.update(state)
    return mac.digest()


def split_tag(stored: bytes) -> tuple[bytes, bytes | None]:
    """(state without tag, tag or None when the row carries none)."""
    cut = len(stored) - TAG_BYTES - len(TAG_MARK)
    if cut >= 0 and stored[cut : cut + len(TAG_MARK)] == TAG_MARK:
        return stored[:cut], stored[-TAG_BYTES:]
    return stored, None


def check_tag(
    key: bytes, originator_id: Any, version: int, topic: str, stored: bytes
) -> str | None:
    """None when the row was written by the application; else why not (``untagged`` or
    ``wrong_tag``)."""
    state, tag = split_tag(stored)
    if tag is None:
        return "untagged"
    if not hmac.compare_digest(tag, tag_for(key, originator_id, version, topic, state)):
        return "wrong_tag"
    return None


class TaggingMapper(Mapper[Any]):
    """eventsourcing's mapper, with the tag added on write and removed on read."""

    tag_key: bytes = b""  # empty: read tagged rows, write untagged ones (no key configured)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        if not self.tag_key:
            return stored
        tag = tag_for(
            self.tag_key,
            stored.originator_id,
            stored.originator_version,
            stored.topic,
            stored.state,
        )
        return StoredEvent(
            originator_id=stored.originator_id,
            originator_version=stored.originator_version,
            topic=stored.topic,
            state=stored.state + TAG_MARK + tag,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        state, tag = split_tag(stored_event.state)
        if tag is None:
            return super().to_domain_event(stored_event)
        return super().to_domain_event(
            StoredEvent(
                originator_id=stored_event.originator_id,
                originator_version=stored_event.originator_version,
                topic=stored_event.topic,
                state=state,
            )
        )


def mapper_class_for(key: bytes | None) -> type[TaggingMapper]:
    return type("TaggingMapper", (TaggingMapper,), {"tag_key": key or b""})


def load_or_create_tag_key(path: Path, *, create: bool) -> bytes:
    """The event tag key: 32 random bytes, hex in a file (mode 0600) outside the database."""
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"event tag key {path} not found (no new key is made)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    raw = path.read_text().strip()
    key = bytes.fromhex(raw)
    if len(key) < 32:
        raise ValueError(f"event tag key {path} must hold at least 32 bytes (64 hex digits)")
    return key
