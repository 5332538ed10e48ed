"""HTML pages of the reports with Jinja2 (autoescaped); templates under ``templates/*.html``.
Charts come as inline SVG beside a table of the same figures."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from reporting.render import fmt


@lru_cache(maxsize=1)
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("reporting.render", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters["vn_date"] = fmt.vn_date
    e.filters["vn_datetime"] = fmt.vn_datetime
    e.filters["short_ref"] = fmt.short_ref
    return e


def render(template: str, **context: Any) -> str:
    return env().get_template(template).render(**context)


def unit_page(report: dict[str, Any], links: dict[str, str]) -> str:
    return render("unit_report.html", r=report, links=links)


def caucus_page(report: dict[str, Any], links: dict[str, str], chart_svg: str | None) -> str:
    return render("caucus.html", r=report, links=links, chart_svg=chart_svg)


def dashboard_page(
    report: dict[str, Any],
    chart_svg: str | None,
    links: dict[str, str],
    drawn: dict[str, Any] | None = None,
) -> str:
    """``drawn``: every chart of the dashboard (``charts.dashboard_svgs``); ``chart_svg``, the
    levels chart alone, for callers that draw only that one."""
    return render("dashboard.html", r=report, chart_svg=chart_svg, links=links, charts=drawn)


def fragment(template: str, **context: Any) -> str:
    """The report's body only (no document, no styles): for the portal's own layout."""
    return render(template, layout="fragment.html", links={}, **context)
