"""docker-compose.yml, .env.example, the image and .dockerignore keep secrets out: passwords only
by interpolation, documented without real values, a pinned non-root image.

No Docker engine is needed (see ``test_compose.py``).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlparse

import pytest

from compose_file import (
    APP_SERVICES,
    COMPOSE,
    DOCKERFILE,
    DOCKERIGNORE,
    DUMMY_ENV,
    ENV_EXAMPLE,
    INIT_SQL,
    REPO,
    SERVICE_ROLES,
    command,
    compose,
    environment,
    interpolate,
    service,
)


# -------------------------------------------------------------------------------- (e) secrets
@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_database_url_password_is_interpolated(name: str) -> None:
    prefix, _, _ = APP_SERVICES[name]
    raw = environment(name)[f"{prefix}DATABASE_URL"]
    part = r"(?:\$\{[^}]*\}|[^:@/${}]+)"  # one ${...} or literal text
    m = re.fullmatch(rf"postgresql://(?P<user>{part}):(?P<password>{part})@[^@]+", raw)
    assert m, f"{name}: {raw} is not postgresql://user:password@host/db"
    _, database, _ = APP_SERVICES[name]
    role, variable = SERVICE_ROLES[database]
    assert m["user"] == role, f"{name} connects as {m['user']}, not its service role {role}"
    assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]+\}}", m["password"]), m["password"]


def test_assessment_schema_is_made_by_the_owner_in_a_one_shot_migrate_service() -> None:
    migrate = service("assessment-migrate")
    assert command("assessment-migrate") == ["python", "-m", "assessment.entrypoints.migrate"]
    assert migrate["restart"] == "no"
    env = environment("assessment-migrate")
    owner = urlparse(interpolate(env["ASSESSMENT_OWNER_DATABASE_URL"], DUMMY_ENV))
    app = urlparse(interpolate(env["ASSESSMENT_DATABASE_URL"], DUMMY_ENV))
    assert (owner.username, owner.path) == ("assessment_owner", "/assessment")
    assert app.username == "assessment_app"
    assert re.search(r"CREATE DATABASE assessment OWNER assessment_owner", INIT_SQL.read_text())
    for name in ("assessment-api", "assessment-relay"):
        assert environment(name)["ASSESSMENT_CREATE_TABLES"] == "false", name
        assert service(name)["depends_on"]["assessment-migrate"] == {
            "condition": "service_completed_successfully"
        }
    # the postgres container sets the roles' passwords from the same variables
    pg = environment("postgres")
    for _, variable in SERVICE_ROLES.values():
        assert pg[variable] == f"${{{variable}:?set {variable} (see deploy/.env.example)}}"
    script = REPO / "deploy" / "postgres" / "init" / "02-role-passwords.sh"
    assert os.access(script, os.X_OK)
    for role, variable in (
        *SERVICE_ROLES.values(),
        ("assessment_owner", "DB_ASSESSMENT_OWNER_PASSWORD"),
    ):
        assert f"{role}:{variable}" in script.read_text()


def test_no_literal_secret_anywhere_in_the_compose_file() -> None:
    for name in compose()["services"]:
        for key, value in environment(name).items():
            if re.search(r"PASSWORD|SECRET|TOKEN", key):
                assert re.fullmatch(r"\$\{[^}]+\}", value), f"{name}: {key} is a literal"
    text = COMPOSE.read_text(encoding="utf-8").lower()
    for placeholder in ("changethis", "change-me", ":password@"):
        assert placeholder not in text


def test_env_example_documents_every_interpolated_variable_without_real_secrets() -> None:
    raw = COMPOSE.read_text(encoding="utf-8").replace("$$", "")
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", raw))
    documented: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            documented[key.strip()] = value.strip()
    assert used <= set(documented), f"undocumented: {sorted(used - set(documented))}"
    assert "POSTGRES_PASSWORD" in documented
    for key, value in documented.items():
        if re.search(r"PASSWORD|SECRET|TOKEN", key):
            assert value == "", f"{key}: leave secrets empty in the example"


# ------------------------------------------------------------------------------------- image
def test_dockerfile_is_pinned_non_root_and_secret_free() -> None:
    lines = [
        line.strip()
        for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    # base images are build arguments whose defaults are pinned official images
    args = dict(
        line.split(None, 1)[1].split("=", 1)
        for line in lines
        if line.upper().startswith("ARG ") and "=" in line
    )
    assert re.fullmatch(r"docker\.io/library/python:3\.11\.\d+-slim-bookworm", args["PYTHON_BASE"])
    assert re.fullmatch(r"docker\.io/library/node:20\.\d+-bookworm-slim", args["NODE_BASE"])
    froms = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    stages = {
        line.split()[3] for line in lines if line.upper().startswith("FROM ") and " AS " in line
    }
    assert froms and all(f in ("${PYTHON_BASE}", "${NODE_BASE}") for f in froms)
    assert stages == {"web", "build", "runtime"}
    assert froms[-1] == "${PYTHON_BASE}", "the runtime stage has no Node"
    text = "\n".join(lines)
    assert "libsodium23" in text
    assert re.search(r"pip install (--\S+ )*\.(\s|$)", text)
    assert "tools/build.mjs" in text and "web_dist/voter.bundle.js" in text
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    for line in lines:
        if line.upper().startswith(("ENV ", "ARG ")):
            assert not re.search(r"PASSWORD|SECRET|TOKEN|DATABASE_URL", line, re.I), line


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    entries = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".git", ".venv", "var", "node_modules", "**/node_modules", ".env"):
        assert required in entries, required
    for needed in ("deploy/kafka", "deploy", "shared", "services", "pyproject.toml"):
        assert needed not in entries, f"{needed} is needed by the image"
