# Minimal placeholder (written with deploy/local/infra.sh and .ci/run); the project's full
# Makefile replaces it. Targets: venv, infra, test.
SHELL := /bin/bash
PYTHON ?= python3.11

.PHONY: venv infra test

venv:
	test -x .venv/bin/python || $(PYTHON) -m venv .venv
	.venv/bin/python -m pip install -e '.[dev]'

infra:
	deploy/local/infra.sh start

# Unit and integration tests against the local servers (started if needed).
test: infra
	eval "$$(deploy/local/infra.sh env)" && .venv/bin/pytest
