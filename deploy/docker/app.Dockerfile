# syntax=docker/dockerfile:1
# One image for every congvu process (assessment API and relay, reporting consumer and API, the
# ballot API and relay, the kafka-init topic creator); docker-compose.yml picks the command.
# Build from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t congvu-app .
# Three stages: Node builds the voter page's browser bundle (esbuild, pinned by the lockfile);
# Python installs the pinned dependencies and the project's wheel (which then holds every
# template, style, script and the bundle) into /opt/venv; the runtime stage is the base image
# plus libsodium, that venv and a non-root user. No secret is baked in: every setting comes
# from the environment, keys from mounted secret files (docs/OPERATIONS.md).
#
# Behind a TLS-inspecting proxy, pass its CA bundle as the build secret "build_ca"
# (`--secret id=build_ca,src=/etc/ssl/certs/ca-certificates.crt`): npm and pip use it during the
# build only; it is never written into a layer.
#
# The base images are build arguments: the official images by default; CI, which cannot pull
# from a public registry, passes images built from Debian packages (deploy/containers/).
ARG NODE_BASE=docker.io/library/node:20.19-bookworm-slim
ARG PYTHON_BASE=docker.io/library/python:3.11.13-slim-bookworm

# ------------------------------------------------------------------ 1. the voter bundle --
FROM ${NODE_BASE} AS web
WORKDIR /web
COPY services/ballot/web/package.json services/ballot/web/package-lock.json ./
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi \
    && npm ci --no-audit --no-fund --loglevel=error
COPY services/ballot/web/src ./src
COPY services/ballot/web/tools ./tools
RUN node tools/build.mjs /out && test -s /out/voter.bundle.js

# ------------------------------------------------------- 2. dependencies and the project --
FROM ${PYTHON_BASE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv
WORKDIR /src
# The dependencies first (their layer is reused while only the code changes): the pins of
# pyproject.toml, read without installing anything.
COPY pyproject.toml ./
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export PIP_CERT=/run/secrets/build_ca; fi \
    && python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" >/tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY setup.py README.md ./
COPY shared ./shared
COPY services ./services
# setup.py puts the prebuilt bundle into the wheel (there is no Node in this stage)
COPY --from=web /out/voter.bundle.js services/ballot/src/ballot/web_dist/voter.bundle.js
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export PIP_CERT=/run/secrets/build_ca; fi \
    && /opt/venv/bin/pip install --no-deps . \
    && test -s /opt/venv/lib/python3*/site-packages/ballot/web_dist/voter.bundle.js

# ---------------------------------------------------------------------------- 3. runtime --
FROM ${PYTHON_BASE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
# libsodium for pysodium (ballot crypto).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsodium23 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 congvu \
    && useradd --system --uid 10001 --gid congvu --home-dir /home/congvu --create-home \
        --shell /usr/sbin/nologin congvu
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# kafka-init runs `python deploy/kafka/create_topics.py`
COPY deploy/kafka/create_topics.py deploy/kafka/topics.json deploy/kafka/
USER congvu:congvu
EXPOSE 8000 8001 8002
# Overridden per service in docker-compose.yml.
CMD ["uvicorn", "--factory", "assessment.entrypoints.api.app:create_app", "--http", "shared.server:GuardedHttpToolsProtocol", "--loop", "uvloop", "--host", "0.0.0.0", "--port", "8000"]
