# 委託先監督ポータル — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the portal needs: OCR for scanned contracts, LibreOffice and CJK fonts for
# generated test PDFs, poppler for page images, Chromium for the browser tests, the PostgreSQL
# client (pg_dump/pg_restore) for backups.
APT_PACKAGES := tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert libreoffice-writer-nogui \
	fonts-noto-cjk fonts-ipaexfont-mincho poppler-utils chromium postgresql-client

.PHONY: install run test lint format translations worker clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	bash infra/install-system-packages.sh $(APT_PACKAGES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/python -m portal.translations.update --compile

run: install
	$(BIN)/portal db upgrade
	PORTAL_DEMO=1 $(BIN)/portal demo load --if-empty
	PORTAL_DEMO=1 bash infra/dev-run.sh

worker: install
	$(BIN)/portal worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r portal clauses contracts bench --severity-level high -q

test: install lint
	$(BIN)/pytest

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache artifacts
