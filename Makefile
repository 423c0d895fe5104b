# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check clean bench loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Serve the site on http://127.0.0.1:8000 with sample data in var/db.sqlite3.
run: $(STAMP)
	env -u DATABASE_URL $(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL $(BIN)/python manage.py load_sample_data --if-empty
	env -u DATABASE_URL $(BIN)/python manage.py ensure_local_admin
	env -u DATABASE_URL $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set.
test: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== again on $${DATABASE_URL%%://*} =="; \
		$(BIN)/pytest $(PYTEST_ARGS); \
	fi

## Lint, formatting, migrations and system checks, as CI runs them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/python manage.py check

## Benchmarks against floors at 500 and 5,000 meetings (PostgreSQL: the databases
## $(BENCH_DB)_500 and $(BENCH_DB)_5000 are created and filled when empty).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/minutes_bench
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DB)_500 $(BIN)/python -m bench.run --meetings 500
	DATABASE_URL=$(BENCH_DB)_5000 $(BIN)/python -m bench.run --meetings 5000

## 50 readers, then 20 writers, 60 s each, against gunicorn on 127.0.0.1:8765.
loadtest: $(STAMP)
	DATABASE_URL=$(BENCH_DB)_5000 $(BIN)/python -m bench.run --meetings 5000 --prepare-only
	DATABASE_URL=$(BENCH_DB)_5000 $(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
