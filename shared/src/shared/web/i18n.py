"""The gettext catalogue: Vietnamese is the source language, English a translation.

Templates write Vietnamese text inside ``{% trans %}`` / ``_()``; English comes from
``locale/en/LC_MESSAGES/messages.po``, compiled in memory when first loaded (Babel), so the
wheel carries only the ``.po`` file. Extract new strings with
``pybabel extract -F shared/src/shared/web/babel.cfg -o messages.pot services shared`` and
merge with ``pybabel update``.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
LANGUAGES: Final = ("vi", "en")
LANG_COOKIE: Final = "congvu_lang"


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue for ``lang``; Vietnamese (the source text) needs none."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "vi" or not po.is_file():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def choose_language(cookie: str | None, query: str | None = None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    return "vi"
