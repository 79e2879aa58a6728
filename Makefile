# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.sqlite3
DEMO_STAGE ?= year
PG_URL ?= postgres://postgres@127.0.0.1:5432/kbo_bench

.PHONY: install demo demo-data serve test test-fast bench smoke messages check clean

$(VENV)/.installed: requirements.txt build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check "pip==26.3"
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt --build-constraint build-constraints.txt
	touch $@

install: $(VENV)/.installed

demo: install
	@mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py build_demo --stage $(DEMO_STAGE) $(DEMO_ARGS)
	@echo
	@echo "  KBO demo: http://127.0.0.1:8000/   (logins above; see README.md)"
	@echo "  The task worker (workbook imports) runs beside the server and stops with it."
	@echo
	export DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB); \
	$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs on as many processes as TEST_WORKERS (pytest-xdist; each has its own test
# database and live server): the information-flow walks and the browser tests take most of it.
TEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

bench: install
	DATABASE_URL=$(PG_URL) $(BIN)/python bench/run.py

# The README's production recipe under gunicorn on PostgreSQL (database kbo_smoke), checked
# over HTTP on 127.0.0.1; CI runs it too.
smoke: install
	bash .ci/smoke

# Re-extract and compile translations (needs gettext; the compiled .mo files are committed).
messages: install
	$(BIN)/python manage.py makemessages -l th --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages -l th --ignore=.venv

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles
