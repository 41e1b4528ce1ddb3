PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench lint system-packages migrate

$(VENV)/.installed: requirements.txt | system-packages
	@command -v $(PYTHON) >/dev/null || { echo "djbiz needs $(PYTHON) (set PYTHON=... to use another 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

system-packages:
	@PYTHON=$(PYTHON) bin/system-packages

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py setup_schedules

run: migrate
	$(PY) manage.py demo --if-empty
	bin/run

test: $(VENV)/.installed
	$(VENV)/bin/pytest

bench: $(VENV)/.installed
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
