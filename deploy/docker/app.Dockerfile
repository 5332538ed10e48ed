# syntax=docker/dockerfile:1
# One image for every congvu process (assessment API and relay, reporting consumer and API, the
# kafka-init topic creator); docker-compose.yml picks the command. Build from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t congvu-app .
# No secret is baked in: every setting comes from the environment at run time.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libsodium for pysodium (ballot crypto).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsodium23 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 congvu \
    && useradd --system --uid 10001 --gid congvu --home-dir /home/congvu --create-home \
        --shell /usr/sbin/nologin congvu

WORKDIR /app
# The repository minus .dockerignore (no .venv, var, .git, tests, .env files).
COPY . /app
RUN pip install . \
    && rm -rf /app/build /app/*.egg-info

USER congvu:congvu
EXPOSE 8000 8001
# Overridden per service in docker-compose.yml.
CMD ["uvicorn", "--factory", "assessment.entrypoints.api.app:create_app", "--host", "0.0.0.0", "--port", "8000"]
