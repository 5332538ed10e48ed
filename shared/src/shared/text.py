"""Text from users, without any web framework: the one NFC rule of every service."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator


def nfc(value: str) -> str:
    """NFC (some Vietnamese keyboards send decomposed marks), trimmed."""
    return unicodedata.normalize("NFC", value).strip()


NfcStr = Annotated[str, AfterValidator(nfc)]
"""Text from users: normalised to NFC and trimmed."""
