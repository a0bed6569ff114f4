# Developer and CI entry points. `make run` to try Vínculo, `make test` before every commit.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install: pip runs again only when pyproject.toml changes.
STAMP := $(VENV)/.installed

.PHONY: install run test bench messages clean

install: $(STAMP)
	@bash scripts/compilemessages.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "==> python3 -m venv failed; installing python3-venv"; \
		apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: install
	bash scripts/run.sh

test: install
	bash scripts/test.sh

bench: install
	bash scripts/bench.sh

messages: install
	$(PY) manage.py makemessages -l es --ignore='.venv/*' --ignore='var/*' --ignore='test-artifacts/*'
	$(PY) manage.py makemessages -d djangojs -l es --ignore='.venv/*' --ignore='var/*' \
		--ignore='test-artifacts/*' --ignore='*/static/vendor/*'

clean:
	rm -rf var/vinculo.sqlite3 var/vinculo.sqlite3-* var/cache var/static
