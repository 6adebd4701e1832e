# mlflow-oidc-stack. `make` alone prints this help.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ENV_FILE ?= .env
VENV := .venv
PYTEST_ARGS ?=
SERVICES ?= $(SERVICE)
export ENV_FILE

.PHONY: help setup secrets up down k8s-up k8s-down ps logs reset backup restore upgrade sync-users images test test-static lint lock bootstrap-keycloak keycloak-schema tls-ca doctor doctor-client bench

help: ## Show this help
	@echo "mlflow-oidc-stack: MLflow behind Keycloak SSO (Compose, or native binaries without Docker)"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-20s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: STACK=compose|native forces a mode; ENV_FILE=path (default .env);"
	@echo "           SERVICE=name for logs; CONFIRM=yes for reset/restore; BACKUP=path for restore;"
	@echo "           ARGS=... passed to the command."

setup: ## Install what `make up` needs in the mode it would choose (scripts/setup --help)
	scripts/setup auto

secrets: ## Create .env from .env.example and fill empty secrets (never overwrites)
	@scripts/setup auto >/dev/null
	$(VENV)/bin/mlflow-oidc-secrets --env-file $(ENV_FILE)

up: ## Start the stack (Compose if a Docker engine answers, else native) and wait until healthy
	scripts/setup auto
	scripts/stack up --env-file $(ENV_FILE)

down: ## Stop the stack; data is kept (the project's volumes / .stack/volumes)
	scripts/stack down --env-file $(ENV_FILE)

ps: ## Show the services and their state
	scripts/stack ps --env-file $(ENV_FILE)

logs: ## Show recent logs (SERVICE=keycloak for one service)
	scripts/stack logs --env-file $(ENV_FILE) $(SERVICES)

reset: ## Delete every piece of this checkout's stack data (asks, or CONFIRM=yes)
	scripts/stack reset --env-file $(ENV_FILE)

backup: ## One archive of the running stack: 3 databases, artifacts, manifest (ARGS=--with-env adds .env; ARGS=--k8s: the k8s-up release)
	@scripts/setup auto >/dev/null
	scripts/backup backup --env-file $(ENV_FILE) $(ARGS)

restore: ## Restore BACKUP=path onto this checkout's stack (CONFIRM=yes to replace existing data; ARGS=--k8s: the k8s-up release)
	@test -n "$(BACKUP)" || { echo "restore: say which archive: make restore BACKUP=backups/<file>.tar" >&2; exit 64; }
	@scripts/setup auto >/dev/null
	scripts/backup restore "$(BACKUP)" --env-file $(ENV_FILE) $(ARGS)

upgrade: ## Move the running stack to this checkout's pins: backup first, migrations, doctor
	@scripts/setup auto >/dev/null
	scripts/upgrade --env-file $(ENV_FILE) $(ARGS)

sync-users: ## Offboarding now: deactivate in MLflow who Keycloak disabled, deleted or ungrouped (ARGS=--dry-run)
	@scripts/setup auto >/dev/null
	scripts/sync-users --env-file $(ENV_FILE) $(ARGS)

k8s-up: ## The Helm chart, self-contained, on KUBECONFIG's cluster or this host's test cluster (built; root, Docker)
	scripts/setup compose
	scripts/k8s up --env-file $(ENV_FILE)

k8s-down: ## Uninstall from KUBECONFIG's cluster, or stop and remove this host's test cluster
	@scripts/setup compose >/dev/null
	scripts/k8s down --env-file $(ENV_FILE)

images: ## Compose mode: pull the images, or build the bundle's own where none can be pulled
	scripts/setup compose
	scripts/stack images --env-file $(ENV_FILE)

keycloak-schema: ## After a Keycloak bump: remake compose/postgres/keycloak/schema.sql from what Keycloak builds (ARGS=--check compares)
	scripts/setup native
	$(VENV)/bin/python -m mlflow_oidc_stack.runtime.keycloak_schema $(ARGS)

bootstrap-keycloak: ## Converge Keycloak to the realm/client/groups/mappers MLflow needs (ARGS=--dry-run)
	@scripts/setup auto >/dev/null
	scripts/bootstrap-keycloak --env-file $(ENV_FILE) $(ARGS)

tls-ca: ## HTTPS profile: make (once) the local CA for localhost/test hosts; prints its path last
	@scripts/setup auto >/dev/null
	scripts/stack tls-ca --env-file $(ENV_FILE)

doctor: ## Check configuration and the running stack; name each problem and its fix
	@scripts/setup auto >/dev/null
	scripts/doctor --env-file $(ENV_FILE) $(ARGS)

doctor-client: ## For data scientists: why does the mlflow client get 401/403/HTML?
	@scripts/setup auto >/dev/null
	scripts/doctor --client $(ARGS)

lint: ## ruff (lint + format check), mypy on src/, shellcheck, hadolint, the Helm chart (helm lint, kubeconform)
	scripts/setup test
	$(VENV)/bin/ruff check src tests compose/mlflow/app
	$(VENV)/bin/ruff format --check src tests compose/mlflow/app
	$(VENV)/bin/mypy
	$(VENV)/bin/shellcheck scripts/setup scripts/stack scripts/k8s scripts/doctor scripts/bootstrap-keycloak scripts/backup scripts/upgrade scripts/sync-users scripts/test scripts/lock .ci/run compose/postgres/init-databases.sh compose/postgres/keycloak-schema.sh compose/images/postgres/docker-entrypoint.sh compose/images/keycloak/start.sh compose/images/keycloak/make-class-archive.sh
	$(VENV)/bin/hadolint --config .hadolint.yaml compose/mlflow/Dockerfile compose/tools/Dockerfile compose/images/*/Dockerfile
	$(VENV)/bin/python -m mlflow_oidc_stack.runtime.kubetools lint

test: lint ## Lint, then the whole suite on every mode that can run here, one pytest per mode at once (installs what it needs)
	scripts/test $(PYTEST_ARGS)

test-static: ## Run only the fast tests that need no running stack
	scripts/setup test
	$(VENV)/bin/python -m pytest -m "not stack" $(PYTEST_ARGS)

lock: ## Regenerate the hashed lock files from the pins in requirements/*.txt and compose/mlflow/requirements.txt
	scripts/setup test
	scripts/lock

bench: ## Print measured figures (startup, throughput vs auth off, memory) side by side
	scripts/setup test
	$(VENV)/bin/mlflow-oidc-bench $(ARGS)
