"""Recorded reads of persons' work-item figures (personal data of officials).

The figures of a unit's register name persons; a read by anyone but those persons is recorded
(``FiguresReadLog.ReadRecorded``: reader, role, whose figures, which view) in the same
transaction as the answer is built, like the individual context's reads of a person's file.
It runs through the executor (role check on ``read_inspection`` first) and is not in
``handlers`` (no POST route is derived for it): the GET route and the page call
``app.execute(READ_WORK_FIGURES, ctx, ReadFigures(...), ids)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.inspection.commands import AT_UNIT
from assessment.application.inspection.queries import work_figures
from assessment.application.kernel.catalogue import CommandSpec, Outcome
from assessment.application.kernel.commands import Command, Route
from assessment.application.kernel.executor import Run
from assessment.domain.inspection.figures_reads import FiguresReadLog, figures_log_id_for

Dimension = Literal["person", "field", "kind", "year", "quarter"]


class ReadFigures(Command):
    route: ClassVar = Route(
        AT_UNIT + "/work-items/figures",
        "Số liệu đúng hạn / trễ hạn theo người, lĩnh vực / Work-item figures",
        "inspections",
    )

    by: tuple[Dimension, ...] = Field(default=("person", "field"), min_length=1, max_length=5)
    as_of: datetime | None = None


def persons_in(answer: dict[str, Any]) -> list[str]:
    """Every person whose figures the answer shows (a group keyed by person, or the register's
    items behind a group that is not: then all persons of the register)."""
    found = {str(g["key"]["person"]) for g in answer["groups"] if "person" in g["key"]}
    return sorted(found | set(answer.get("persons", [])))


def read_work_figures(run: Run, cmd: ReadFigures, inspection_id: UUID, unit_id: UUID) -> Outcome:
    answer = work_figures(run, inspection_id, unit_id, by=cmd.by, as_of=cmd.as_of)
    persons = persons_in(answer)
    answer.pop("persons", None)
    ident = figures_log_id_for(inspection_id, str(unit_id))
    log = run.find(FiguresReadLog, ident, "nhật ký xem số liệu")
    if log is None:
        log = FiguresReadLog.open(
            tenant=run.tenant, **run.by, inspection_id=inspection_id, unit_id=str(unit_id)
        )
    view = "số liệu theo " + ", ".join(cmd.by)
    if not log.record_read(**run.by, persons=persons, what=view):
        return [], answer | {"read_recorded": False}
    return [log], answer | {"read_recorded": True}


READ_WORK_FIGURES = CommandSpec(
    name="read_work_figures",
    model=ReadFigures,
    handler=read_work_figures,
    permission="read_inspection",
    target=("inspection_id", "unit_id"),
)
