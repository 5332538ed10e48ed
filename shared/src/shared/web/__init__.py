"""The portal's shared web layer: one layout, one term list, one set of formats for every service.

Services' ``entrypoints/web`` packages import this package; it holds no domain logic.

- :mod:`shared.web.terms` — the term list (levels, steps, statuses, roles), Vietnamese first.
- :mod:`shared.web.formats` — Vietnamese formats via Babel (dd/mm/yyyy, decimal comma, Vietnam
  time) and the parsing of what people type.
- :mod:`shared.web.i18n` — the gettext catalogue (Vietnamese source text, English from
  ``locale/en/LC_MESSAGES/messages.po``, compiled when loaded).
- :mod:`shared.web.pages` — the Jinja2 environment with the base layout and navigation by
  role, static assets (htmx vendored, one CSS file) and the strict security headers.
- :mod:`shared.web.security` — CSRF on every form (asgi-csrf) and request-body limits (413).
- :mod:`shared.web.session` — the encrypted session cookie.
- :mod:`shared.web.oidc` and :mod:`shared.web.signin` — sign-in (OIDC code flow with PKCE via
  Authlib; the development sign-in of embedded mode) and sign-out.
- :mod:`shared.web.docs` — Swagger UI and Redoc from local files, bearer security in OpenAPI.
"""

from __future__ import annotations
