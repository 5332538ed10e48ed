"""The owner and service roles that ``migrate`` prepares on real PostgreSQL, and a service
running as the least-privilege role (fixtures, registered by this directory's conftest)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from pydantic import SecretStr

from assessment.adapters.event_tags import load_or_create_tag_key
from assessment.adapters.schema import migrate
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from shared.settings import AssessmentSettings

CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
)


@dataclass
class Roles:
    owner_url: str
    app_url: str
    app_role: str


def _with_user(url: str, user: str, password: str) -> str:
    parsed = urlparse(url)
    netloc = f"{user}:{password}@{parsed.hostname}:{parsed.port}"
    return urlunparse(parsed._replace(netloc=netloc))


@pytest.fixture
def roles(pg_url: str, pg_admin_url: str) -> Iterator[Roles]:
    suffix = uuid.uuid4().hex[:8]
    owner, app_role = f"t_owner_{suffix}", f"t_app_{suffix}"
    dbname = urlparse(pg_url).path.lstrip("/")
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN PASSWORD 'owner-pw'")
        conn.execute(f"CREATE ROLE {app_role} LOGIN PASSWORD 'app-pw'")
        conn.execute(f'ALTER DATABASE "{dbname}" OWNER TO {owner}')
    owner_url = _with_user(pg_url, owner, "owner-pw")
    migrate(owner_url, app_role)
    yield Roles(owner_url, _with_user(pg_url, app_role, "app-pw"), app_role)
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f"DROP ROLE IF EXISTS {app_role}")
        conn.execute(f"DROP ROLE IF EXISTS {owner}")


@pytest.fixture
def service(
    roles: Roles, tmp_path: Path
) -> Iterator[tuple[AssessmentApplication, Sealer, AssessmentSettings]]:
    key_file = tmp_path / "keys" / "audit.pem"
    load_or_create_signing_key(key_file, create=True)
    tag_file = tmp_path / "keys" / "event-tag.key"
    load_or_create_tag_key(tag_file, create=True)
    settings = AssessmentSettings(
        mode="production",
        database_url=SecretStr(roles.app_url),
        create_tables=False,
        audit_key_file=key_file,
        event_key_file=tag_file,
        checkpoint_every_events=3,
    )
    app = build_application(settings)
    sealer = build_sealer(app, settings)
    for i in range(6):
        app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
    sealer.seal()
    sealer.checkpoint_now()
    yield app, sealer, settings
    sealer.db.close()
    app.close()
