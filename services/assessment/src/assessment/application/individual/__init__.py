"""Individual context (seed 002; NĐ 90/2020–48/2023, NĐ 335/2025, QĐ 124/366-QĐ/TW): people,
Decree 335 score sheets, yearly ratings through their procedure, the "excellent" quota and the
tenant's settings. Commands in ``commands``, one handler each in ``handlers``, recorded reads of
personal data in ``reads``, its rows of the permission matrix in ``permissions``. It reaches
units through ``application.registry.api`` and the collective result through
``application.collective.api``."""

from __future__ import annotations

from assessment.application.individual import handlers, permissions
from assessment.application.kernel.catalogue import Context
from assessment.domain.individual.person import Person
from assessment.domain.individual.rating import IndividualRating

CONTEXT = Context.collect(
    "individual",
    "Đánh giá, xếp loại cá nhân / Individual rating",
    handlers=handlers,
    permissions=permissions.ROWS,
    snapshotted=(Person, IndividualRating),
)
