"""Reports that join the read models (seed 000, seed 002): the accountability report of a unit
and of its head, the caucus/chairman report, the published results. Each is a plain dict
(built here from the rows of one transaction, or as of a past moment by replaying the event
history into a throw-away database: ``as_of``); ``reporting.render`` turns them into HTML,
PDF, XLSX and CSV."""

from __future__ import annotations
