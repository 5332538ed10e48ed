"""``python -m assessment.entrypoints.migrate``: create the schema as the owner role.

Reads ``ASSESSMENT_OWNER_DATABASE_URL`` (owner) and grants the user of
``ASSESSMENT_DATABASE_URL`` (the service role) least privilege; run before the API and the
relay, which then start with ``ASSESSMENT_CREATE_TABLES=false``.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import unquote, urlparse

from assessment.adapters.schema import migrate
from shared.logging import configure_logging
from shared.settings import AssessmentSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app-role", help="service role (default: user of DATABASE_URL)")
    args = parser.parse_args()
    settings = AssessmentSettings()
    configure_logging(settings.log_level, settings.log_json)
    if settings.owner_database_url is None:
        sys.exit("ASSESSMENT_OWNER_DATABASE_URL is required")
    role = args.app_role
    if role is None and settings.database_url is not None:
        role = unquote(urlparse(settings.database_url.get_secret_value()).username or "")
    if not role:
        sys.exit("give --app-role or ASSESSMENT_DATABASE_URL")
    migrate(settings.owner_database_url.get_secret_value(), role)


if __name__ == "__main__":
    main()
