"""The report pages' as-of form: dd/mm/yyyy and hh:mm in Vietnam time, errors by field."""

from __future__ import annotations

from datetime import UTC, datetime

from reporting.entrypoints.web.reports import parse_moment


def test_empty_means_now() -> None:
    assert parse_moment("", " ") == (None, {})


def test_day_and_time_are_vietnam_time() -> None:
    moment, errors = parse_moment("31/12/2013", "17:30")
    assert errors == {}
    assert moment is not None
    assert moment.astimezone(UTC) == datetime(2013, 12, 31, 10, 30, tzinfo=UTC)


def test_day_alone_means_its_end() -> None:
    moment, _ = parse_moment("04/12/2013", "")
    assert moment is not None and (moment.hour, moment.minute) == (23, 59)


def test_bad_fields_are_refused_by_name() -> None:
    assert set(parse_moment("31/02/2013", "25:00")[1]) == {"ngay", "gio"}
    assert set(parse_moment("", "10:00")[1]) == {"ngay"}
    assert parse_moment("01/01/2014", "abc")[1]["gio"].startswith("Giờ không hợp lệ")
