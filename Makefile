# Two commands for a newcomer: `make start` and `make test` (see README.rst).
PYTHON ?= python3
VENV := .venv
BUILDOUT := $(VENV)/bin/buildout
SITE_ID ?= servicedesk

.PHONY: start test install site bench clean i18n lint

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(BUILDOUT): requirements.txt constraints.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q -r requirements.txt
	touch $(BUILDOUT)

bin/instance bin/pytest: $(BUILDOUT) buildout.cfg versions.cfg setup.py
	$(BUILDOUT) -N
	touch bin/instance bin/pytest

## install: everything needed to run and test (virtualenv + buildout)
install: bin/instance bin/pytest

## site: create the Plone site with demo content unless it exists (keeps existing data);
## var/cache keeps Chameleon's compiled templates between starts (CHAMELEON_CACHE)
site: bin/instance
	mkdir -p var/filestorage var/blobstorage var/log var/instance var/cache
	SITE_ID=$(SITE_ID) bin/instance run scripts/create_site.py

## start: install, create the site if absent, serve http://localhost:8080/servicedesk
start: site
	bin/instance fg

## test: install, then run the whole test suite
test: bin/pytest
	bin/pytest $(PYTEST_ARGS)

## bench: benchmarks that print figures (each takes its own options; see bench/*_bench.py)
bench: bin/pytest
	for b in bench/*_bench.py; do bin/py $$b || exit 1; done

## lint: ruff's rules and formatting (pyproject.toml), checked, nothing changed
RUFF := $(VENV)/bin/ruff
$(RUFF): requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q -r requirements-dev.txt
	touch $(RUFF)

lint: $(RUFF)
	$(RUFF) check --no-fix .; checked=$$?; $(RUFF) format --check . && exit $$checked

clean:
	rm -rf $(VENV) bin parts develop-eggs .installed.cfg

## i18n: rebuild the .pot from code and templates, sync the fa and en catalogues
I18NDUDE := $(VENV)/bin/i18ndude
$(I18NDUDE): | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q -c constraints.txt i18ndude

i18n: $(I18NDUDE)
	cd src/uni/servicedesk && ../../../$(I18NDUDE) rebuild-pot --pot locales/uni.servicedesk.pot --create uni.servicedesk .
	cd src/uni/servicedesk && ../../../$(I18NDUDE) sync --pot locales/uni.servicedesk.pot locales/*/LC_MESSAGES/uni.servicedesk.po
