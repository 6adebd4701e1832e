# mlflow-oidc-stack. `make` alone prints this help.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ENV_FILE ?= .env
VENV := .venv
PY := PYTHONPATH=src $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.setup-done
PYTEST_ARGS ?=

.PHONY: help setup secrets up down ps logs test test-static bootstrap-keycloak doctor doctor-client bench

help: ## Show this help
	@echo "mlflow-oidc-stack: MLflow behind Keycloak SSO (Compose, or native binaries without Docker)"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-20s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: STACK=compose|native forces a mode; ENV_FILE=path (default .env)."

$(SETUP_STAMP): scripts/setup compose/mlflow/requirements.txt requirements/dev.txt compose/docker-compose.yml
	scripts/setup
	@touch $@

setup: ## Install everything (Debian packages, Python >= 3.12 venv, Keycloak); safe to re-run
	scripts/setup
	@touch $(SETUP_STAMP)

secrets: $(SETUP_STAMP) ## Create .env from .env.example and fill empty secrets (never overwrites)
	$(PY) -m mlflow_oidc_stack.envfile --env-file $(ENV_FILE)

up: $(SETUP_STAMP) ## Start the stack (Compose if a Docker engine answers, else native) and wait
	scripts/stack up --env-file $(ENV_FILE)

down: ## Stop the stack; data is kept (named volumes / .stack/volumes)
	scripts/stack down --env-file $(ENV_FILE)

ps: ## Show the services and their state
	scripts/stack ps --env-file $(ENV_FILE)

logs: ## Show recent logs of every service (SERVICES="mlflow keycloak" to choose)
	scripts/stack logs --env-file $(ENV_FILE) $(SERVICES)

test: $(SETUP_STAMP) ## Run the whole test suite (installs what it needs, starts its own native stack)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

test-static: $(SETUP_STAMP) ## Run only the fast tests that need no running stack
	$(VENV)/bin/python -m pytest -m "not stack" $(PYTEST_ARGS)

bootstrap-keycloak: $(SETUP_STAMP) ## Converge Keycloak to the realm/client/groups/mappers MLflow needs (ARGS=--dry-run)
	scripts/bootstrap-keycloak --env-file $(ENV_FILE) $(ARGS)

doctor: $(SETUP_STAMP) ## Check configuration and the running stack; name each problem and its fix
	scripts/doctor --env-file $(ENV_FILE) $(ARGS)

doctor-client: $(SETUP_STAMP) ## For data scientists: why does the mlflow client get 401/403/HTML?
	scripts/doctor --client $(ARGS)

bench: $(SETUP_STAMP) ## Print measured figures (startup, login latency, memory) side by side
	$(PY) -m mlflow_oidc_stack.bench $(ARGS)
