"""One unit's imported register of work items in one inspection.

The items are stored as facts (received, handled, advised moments, deadline, passed on to whom)
in batches (at most :data:`BATCH` items, about :data:`BATCH_BYTES` of JSON) per event, so that
no event grows past what the event bus carries;
one import is one command, so all its batches are saved in one transaction. A later import
replaces the earlier one (its events stay in the history) until the unit's case-file register
is committed for sampling.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.inspection.values import text
from assessment.domain.inspection.work_items import WorkItem, figures_by
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import StepClosed, ValidationFailed

REGISTER_NAMESPACE = uuid.UUID("0c6e2f4a-8b1d-5c3e-a7f9-2d4b6e8a0c13")
BATCH = 500
BATCH_BYTES = 200_000  # an event stays well under the event bus's 1 MB per message
PERSONS_PER_EVENT = 300
MAX_ITEMS = 200_000
MAX_PER_IMPORT = 20_000  # one command, one transaction; a larger register comes in parts


def _batches(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """At most :data:`BATCH` items and about :data:`BATCH_BYTES` of JSON per event."""
    out: list[list[dict[str, Any]]] = [[]]
    size = 0
    for d in items:
        n = len(json.dumps(d, ensure_ascii=False).encode("utf-8"))
        if out[-1] and (len(out[-1]) >= BATCH or size + n > BATCH_BYTES):
            out.append([])
            size = 0
        out[-1].append(d)
        size += n
    return out


def work_register_id_for(inspection_id: UUID, unit_id: str) -> UUID:
    return uuid.uuid5(REGISTER_NAMESPACE, f"{inspection_id}/{unit_id}")


class WorkRegister(TenantAggregate):
    TOPIC = "assessment.WorkRegister"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.WorkRegister.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.WorkRegister.Opened"
        inspection_id: UUID
        unit_id: str

    class ImportStarted(Event):
        TOPIC = "assessment.WorkRegister.ImportStarted"
        import_no: int
        filename: str
        sha256: str
        size: int
        item_count: int

        def apply(self, aggregate: Any) -> None:
            aggregate.import_no = self.import_no
            aggregate.source = {
                "filename": self.filename,
                "sha256": self.sha256,
                "size": self.size,
                "item_count": self.item_count,
                "imported_at": self.occurred_at.isoformat(),
            }
            aggregate.raw_items = []
            aggregate._items = None

    class PartAppended(Event):
        TOPIC = "assessment.WorkRegister.PartAppended"
        import_no: int
        filename: str
        sha256: str
        size: int
        item_count: int

        def apply(self, aggregate: Any) -> None:
            source = dict(aggregate.source or {})
            parts = [*source.get("parts", []), {"filename": self.filename, "sha256": self.sha256}]
            source.update(parts=parts, item_count=source.get("item_count", 0) + self.item_count)
            aggregate.source = source

    class ItemsAdded(Event):
        TOPIC = "assessment.WorkRegister.ItemsAdded"
        import_no: int
        items: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            # a new list, never extended in place: copies of the aggregate may share it
            aggregate.raw_items = [*aggregate.raw_items, *self.items]
            aggregate._items = None

    class FiguresRecorded(Event):
        """The figures derived from the items as of a moment, with the calendar used: a
        summary the read side shows (it never re-derives them), recomputed on every import."""

        TOPIC = "assessment.WorkRegister.FiguresRecorded"
        import_no: int
        part: int
        parts: int
        as_of: str
        calendar: dict[str, Any]
        by_field: dict[str, dict[str, Any]]
        by_person: dict[str, dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.figures_as_of = self.as_of

    class Frozen(Event):
        TOPIC = "assessment.WorkRegister.Frozen"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.frozen = True

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: UUID,
        unit_id: str,
    ) -> None:
        self.tenant = tenant
        self.inspection_id = inspection_id
        self.unit_id = unit_id
        self.import_no = 0
        self.source: dict[str, Any] | None = None
        self.raw_items: list[dict[str, Any]] = []
        self.frozen = False
        self.figures_as_of: str | None = None
        self._items: list[WorkItem] | None = None

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: UUID,
        unit_id: str,
    ) -> WorkRegister:
        return cls._create(
            cls.Opened,
            id=work_register_id_for(inspection_id, unit_id),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            inspection_id=inspection_id,
            unit_id=unit_id,
        )

    def import_items(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        items: Sequence[WorkItem],
        filename: str,
        sha256: str,
        size: int,
        append: bool = False,
    ) -> None:
        """Replace the register (``append=False``) or add a part to the current import."""
        if self.frozen:
            raise StepClosed("sổ đã được chốt để rút mẫu; không nhập lại được")
        if not items:
            raise ValidationFailed("sổ không có công việc nào")
        if len(items) > MAX_PER_IMPORT:
            raise ValidationFailed(
                f"một lần nhập tối đa {MAX_PER_IMPORT} công việc; nhập phần còn lại với append"
            )
        append = append and self.import_no > 0
        ids = [i.item_id for i in items]
        known = {d["item_id"] for d in self.raw_items} if append else set()
        if len(set(ids)) != len(ids) or known.intersection(ids):
            raise ValidationFailed("có số, ký hiệu công việc trùng nhau")
        if len(known) + len(ids) > MAX_ITEMS:
            raise ValidationFailed(f"sổ có quá {MAX_ITEMS} công việc")
        digest = text(sha256, "sha256", limit=64).lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValidationFailed("sha256 của tệp phải là 64 chữ số hex")
        number = self.import_no if append else self.import_no + 1
        kept = self.items() if append else []  # parsed once; the new part is parsed already
        self._trigger(
            self.PartAppended if append else self.ImportStarted,
            actor=actor,
            occurred_at=occurred_at,
            import_no=number,
            filename=text(filename, "tên tệp", limit=255),
            sha256=digest,
            size=max(0, int(size)),
            item_count=len(items),
        )
        for batch in _batches([i.to_dict() for i in items]):
            self._trigger(
                self.ItemsAdded,
                actor=actor,
                occurred_at=occurred_at,
                import_no=number,
                items=batch,
            )
        self._items = [*kept, *items]  # what ``items()`` would parse from ``raw_items``

    def record_figures(
        self, *, actor: dict[str, Any], occurred_at: datetime, calendar: WorkingCalendar
    ) -> None:
        """Per person (in parts of :data:`PERSONS_PER_EVENT`) and per field, as of now."""
        per_person, per_field = figures_by(
            self.items(), calendar, occurred_at, ("person",), ("field",)
        )
        people = [(str(k[0]), f.to_dict()) for k, f in sorted(per_person.items())]
        chunks = [
            people[i : i + PERSONS_PER_EVENT] for i in range(0, len(people), PERSONS_PER_EVENT)
        ]
        for part, chunk in enumerate(chunks or [[]]):
            self._trigger(
                self.FiguresRecorded,
                actor=actor,
                occurred_at=occurred_at,
                import_no=self.import_no,
                part=part,
                parts=max(1, len(chunks)),
                as_of=occurred_at.isoformat(),
                calendar=calendar.to_dict(),
                by_field={str(k[0]): f.to_dict() for k, f in sorted(per_field.items())}
                if part == 0
                else {},
                by_person=dict(chunk),
            )

    def freeze(self, *, actor: dict[str, Any], occurred_at: datetime, reason: str) -> None:
        if not self.frozen:
            self._trigger(self.Frozen, actor=actor, occurred_at=occurred_at, reason=reason)

    def __deepcopy__(self, memo: dict[int, Any]) -> WorkRegister:
        """Copies (the application's aggregate cache makes one per load) share the item lists:
        they are replaced, never changed in place, so sharing is safe — and a copy of a
        100,000-item register costs nothing instead of seconds."""
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            shared = key in ("raw_items", "_items")
            new.__dict__[key] = value if shared else copy.deepcopy(value, memo)
        return new

    def items(self) -> list[WorkItem]:
        if self._items is None:
            self._items = [WorkItem.from_dict(d) for d in self.raw_items]
        return self._items
