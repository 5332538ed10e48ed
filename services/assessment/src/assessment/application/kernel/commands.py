"""Commands are data: one frozen model per command, validated once, used by the route as its
body and by its handler as input. A model says where it is served (``route``) and which row of
the permission matrix guards it (``permission``, by default the command's name).

The field types here are the wire types of every context: text normalised to NFC, dates that
reach the aggregate as ISO strings (as the events store them), levels and steps by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

from shared.text import NfcStr

Text = NfcStr
"""Text from users: NFC (some Vietnamese keyboards send decomposed marks), trimmed."""

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)


def _bounded(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(
            f"Ngày phải trong khoảng {FIRST_DAY:%d/%m/%Y}–{LAST_DAY:%d/%m/%Y} / "
            f"the date must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
        )
    return value


Day = Annotated[
    date, AfterValidator(_bounded), PlainSerializer(lambda d: d.isoformat(), return_type=str)
]
"""A calendar day, bounded to 1900–2100 (a deadline of 9999-12-31 is a typing slip, refused
the same way at creation and at change), handed to the aggregate as ``YYYY-MM-DD``."""

LevelCode = Literal["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"]


@dataclass(frozen=True)
class Route:
    """Where a command is served: ``POST /v1`` + ``path``; path parameters become the handler's
    keyword arguments (ids of the aggregates it loads)."""

    path: str
    summary: str
    tag: str
    created: bool = True


class Data(BaseModel):
    """A frozen value inside a command (unknown fields refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=20_000)


class Command(Data):
    """The base of every command. Unknown fields are refused (a tenant smuggled in a body is a
    422); instances are immutable."""

    route: ClassVar[Route]
    permission: ClassVar[str | None] = None
    checked_on_target: ClassVar[bool] = False
    """False: the caller's role is checked before the handler runs (before any lookup). True:
    the handler loads its target first and checks there (``run.authorize_for``), so another
    tenant's target answers 404 like a missing one whatever the caller's role."""

    def fields(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The validated fields as the aggregate method takes them (dates as ISO strings)."""
        return self.model_dump(exclude=exclude)


class CommandResult(BaseModel):
    """What every command answers: the aggregate's id and version, plus what the handler adds
    (``grant_id``, ``finding_id``, ``milestone_id``…; extra keys are passed through)."""

    model_config = ConfigDict(extra="allow")

    id: str
    version: int
    grant_id: str | None = None
    late: bool | None = None
    late_by_seconds: int | None = None
    enrolled: list[str] | None = None
    request_id: str | None = None
    items: list[dict[str, Any]] | None = None
    """A batch command's per-item answers (e.g. the ids of the people imported)."""
