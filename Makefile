# Barnstorm: `make run` serves the demo, `make test` runs the whole suite with real services.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test venv test-deps migrate demo worker bench load clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed tests/requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

venv: $(VENV)/.installed

test-deps: $(VENV)/.test-installed

migrate: venv
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask seed demo --if-empty

run: demo
	@echo "Barnstorm on http://127.0.0.1:5000 (demo logins are printed by 'flask seed demo')"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

worker: venv
	$(BIN)/python -m app.jobs.pool --url "$${REDIS_URL:?set REDIS_URL}" -n "$${RQ_WORKERS:-2}" matching email default

test: test-deps
	bash tests/run.sh

# Benchmarks need the app's own requirements and the database services only (no npm, no browser).
bench: venv
	bash tests/run.sh --bench

# Large seeded PostgreSQL + gunicorn + wrk on the main pages beside hello world (docs/BENCHMARKS.md, "Load").
load: venv
	bash tests/benchmarks/load.sh

clean:
	rm -rf $(VENV) instance .test-services
