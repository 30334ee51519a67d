# mamori — two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export MAMORI_DATA_DIR ?= $(CURDIR)/var
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test install lint format lock chromium libreoffice tesseract test-sqlite test-postgres clean third-party

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

## run: install, migrate the SQLite database in ./var, load the demo company, serve on :8000
## with the background task worker beside the server (both stop on Ctrl-C)
## (the demo's officer signs in with the password alone: MAMORI_MFA_REQUIRED=none here,
## while a real installation requires a second factor of the officer by default)
run: $(VENV)/.installed
	$(BIN)/mamori migrate --noinput
	$(BIN)/mamori demo --if-empty
	@echo "mamori is starting on http://127.0.0.1:8000 (Ctrl-C to stop)"
	MAMORI_MFA_REQUIRED=$${MAMORI_MFA_REQUIRED:-none} $(BIN)/mamori run 127.0.0.1:8000

## test: install test tools, Debian chromium, LibreOffice and tesseract if missing, lint, then the suite on SQLite
## and, when a PostgreSQL server answers on 127.0.0.1:5432, again on PostgreSQL (without
## tests/engines: the engines are plain Python and never touch a database)
test: $(VENV)/.installed-test chromium libreoffice tesseract lint test-sqlite test-postgres

test-sqlite: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the suite again on PostgreSQL ($(POSTGRES_TEST_URL))"; \
		MAMORI_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/python -m pytest -n 2 \
			--ignore=tests/engines $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL does not answer at $(POSTGRES_TEST_URL): suite ran on SQLite only"; \
	fi

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "== installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## libreoffice: Debian's Writer without GUI, which the negotiation-draft tests convert to PDF with
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
		echo "== installing Debian's libreoffice-writer-nogui for the negotiation-draft tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui >/dev/null; }

## tesseract: Debian's OCR engine with its Japanese data, which reads scanned PDF pages and
## pictures in documents (the black-boxing check and the contract checker)
tesseract:
	@{ command -v pdftoppm >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx jpn; } || { \
		echo "== installing Debian's tesseract-ocr, tesseract-ocr-jpn and poppler-utils (OCR; PDF tests)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			tesseract-ocr tesseract-ocr-jpn poppler-utils >/dev/null; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

## lock: refresh constraints.txt from what is installed in the virtual environment
lock: $(VENV)/.installed-test
	$(BIN)/pip freeze --exclude-editable --exclude mamori > constraints.txt

## third-party: rewrite THIRD_PARTY.md, the licences of the runtime dependencies and the font
third-party: $(VENV)/.installed-test
	$(BIN)/python scripts/third_party.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
