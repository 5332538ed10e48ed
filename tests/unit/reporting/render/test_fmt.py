"""The reports write dates and moments exactly as the portal's pages do (one formatter)."""

from __future__ import annotations

from reporting.render import fmt, html
from shared.web import formats


def test_reports_use_the_portals_formatters() -> None:
    assert fmt.vn_datetime is formats.vn_datetime
    assert fmt.vn_date is formats.vn_date


def test_a_report_moment_reads_day_first_in_vietnam_time() -> None:
    # 08:00 UTC is 15:00 in Vietnam; the page format, not the old "15:00 04/12/2013"
    assert fmt.vn_datetime("2013-12-04T08:00:00+00:00") == "04/12/2013 15:00"
    assert fmt.vn_datetime(None) == "—"
    page = html.env().from_string("{{ t | vn_datetime }} · {{ d | vn_date }}")
    assert page.render(t="2013-12-04T08:00:00+00:00", d="2013-12-10") == (
        "04/12/2013 15:00 · 10/12/2013"
    )


def test_moment_of_a_date_is_its_midnight_in_vietnam() -> None:
    m = fmt.moment("2013-12-10")
    assert m is not None and m.utcoffset() == formats.VN_TZ.utcoffset(None)
    assert (m.year, m.month, m.day, m.hour) == (2013, 12, 10, 0)
    assert fmt.moment("") is None
