# The two commands of the README: `make run` (embedded system with demo data, no servers) and
# `make test` (everything: unit, integration on real PostgreSQL + Kafka, end to end).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed-stamp
WEB := services/ballot/web
PORTAL_TESTS := tests/e2e/portal

.PHONY: venv run test test-unit test-python test-web web-deps lint typecheck packages infra \
	infra-stop test-wheel test-stack stack-down \
	bench clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Embedded mode: SQLite event store, in-process bus, demo data; serves http://127.0.0.1:8000/
run: $(STAMP) web-deps
	$(VENV)/bin/congvu run

packages:
	deploy/local/packages.sh

infra: packages
	deploy/local/infra.sh start

infra-stop:
	deploy/local/infra.sh stop

## The whole suite. Integration tests talk to the servers started by `infra`; the web bundle's
## npm dependencies come first so the Python↔JavaScript interoperability tests run too.
test: $(STAMP) infra web-deps
	eval "$$(deploy/local/infra.sh env)" && $(VENV)/bin/pytest
	$(MAKE) test-web

web-deps:
	@if [ ! -f $(WEB)/package.json ]; then :; \
	elif command -v npm >/dev/null; then \
		cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the voter page (ballot web form) will be unavailable"; fi
	@if command -v npm >/dev/null; then \
		cd $(PORTAL_TESTS) && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the portal's axe-core checks cannot run"; fi

## Unit tier only: no servers.
test-unit: $(STAMP)
	$(VENV)/bin/pytest tests/unit tests/e2e/test_embedded_flow.py

## The ballot web crypto against the shared test vectors (node --test), when present.
test-web: web-deps
	@if [ -f $(WEB)/package.json ]; then \
		cd $(WEB) && npm test; \
	else echo "no $(WEB)/package.json: no JavaScript tests"; fi

## The built wheel in an empty virtualenv: every page, the voter page with its bundle (~40 s).
test-wheel: $(STAMP) web-deps
	CONGVU_STACK_TESTS=1 $(VENV)/bin/pytest tests/e2e/deploy/test_wheel.py

## The production topology for real: images built with podman from Debian packages, PyPI, npm
## and Maven Central (docker-compose.ci.yml), every container started, an end-to-end run
## through the gateway, containers killed and restarted (docs/OPERATIONS.md). Needs root.
## Not part of `make test`. CONGVU_STACK_KEEP=1 leaves the stack running (make stack-down).
test-stack: $(STAMP) web-deps
	deploy/local/packages.sh --stack
	CONGVU_STACK_TESTS=1 $(VENV)/bin/pytest -s tests/e2e/deploy/test_wheel.py \
		tests/e2e/deploy/test_stack.py

stack-down:
	deploy/containers/stack.sh down

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check shared services tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy shared/src services/assessment/src services/reporting/src \
		services/embedded/src services/ballot/src

## make bench BENCH_ARGS="--seconds 3 --events 20000 --ballots 200" for a shorter run
bench: $(STAMP) infra
	eval "$$(deploy/local/infra.sh env)" && $(VENV)/bin/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf var/embedded .pytest_cache .mypy_cache .ruff_cache
