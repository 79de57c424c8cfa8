# Maillage — developer commands. Two set-up commands: `make demo` and `make test`.
#
# Works on a fresh Debian 12 machine with python3.11, git, make and apt: the virtualenv is
# created in .venv and the project installed in it (again only when pyproject.toml changes).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.maillage-installed
DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

# The interpreter that creates the virtualenv: python3.11 if present, else python3 if it is 3.11+.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3)

# Debian packages: required (WeasyPrint's libraries and the PDF font) and recommended (PDF
# text checks and browser tests, skipped loudly without them).
REQUIRED_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
RECOMMENDED_DEBS := poppler-utils chromium

.PHONY: help demo test lint bench messages install system-check clean

help:
	@echo "Maillage — commandes disponibles :"
	@echo "  make demo      base de démonstration + serveur sur http://$(DEMO_ADDR)/"
	@echo "  make test      suite de tests complète (pytest)"
	@echo "  make lint      ruff check, ruff format --check, mypy"
	@echo "  make bench     mesures de performance (manage.py bench)"
	@echo "  make messages  met à jour et compile le catalogue français (gettext requis)"
	@echo "  make clean     supprime .venv, la base SQLite locale et les fichiers générés"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Python 3.11 ou plus récent est requis (trouvé : $(PYTHON))."; \
	  echo "Sur Debian 12 : sudo apt-get install -y python3.11 python3.11-venv"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Le module venv de Python est absent. Installez-le puis relancez la commande :"; \
	  echo "  sudo apt-get install -y $$($(PYTHON) -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

system-check:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "Note : vérification des paquets système ignorée (pas de dpkg-query)."; exit 0; fi; \
	missing=""; \
	for deb in $(REQUIRED_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q "ok installed" || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Bibliothèques système manquantes (WeasyPrint, police des PDF). Installez-les :"; \
	  echo "  sudo apt-get install -y$$missing"; exit 1; fi; \
	missing=""; \
	for deb in $(RECOMMENDED_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q "ok installed" || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Attention : sans$$missing, les tests PDF et navigateur seront sautés. Pour les lancer :"; \
	  echo "  sudo apt-get install -y$$missing"; fi

demo: system-check $(STAMP)
	DJANGO_ENV=development $(PY) manage.py migrate --no-input
	DJANGO_ENV=development $(PY) manage.py load_communes
	DJANGO_ENV=development $(PY) manage.py seed_demo
	@echo ""
	@echo "Maillage tourne sur http://$(DEMO_ADDR)/ (Ctrl+C pour arrêter)."
	DJANGO_ENV=development $(PY) manage.py runserver $(DEMO_ADDR)

# DATABASE_URL, REDIS_URL and REQUIRE_BROWSER pass through from the environment.
test: system-check $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# mypy's Django plugin loads the settings: test mode, which needs no secret key.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_ENV=test $(VENV)/bin/mypy .

bench: $(STAMP)
	DJANGO_ENV=development $(PY) manage.py bench

# The catalogue's msgids are the French source strings; msgen copies them into msgstr so
# French plural rules apply once compiled. It is rebuilt from scratch (no fuzzy merges) and
# without source locations, so it only changes when a string changes; CI checks it is current.
PO := locale/fr/LC_MESSAGES/django.po
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { \
	  echo "msgfmt est absent : sudo apt-get install -y gettext"; exit 1; }
	rm -f $(PO)
	DJANGO_ENV=development $(PY) manage.py makemessages -l fr --no-location --no-obsolete \
	  --ignore=.venv --ignore=tests --ignore=build --ignore=staticfiles
	msgen $(PO) -o $(PO)
	sed -i -e '/^#, fuzzy$$/d' -e 's/^"Language: \\n"$$/"Language: fr\\n"/' \
	  -e 's/^"Project-Id-Version: PACKAGE VERSION\\n"$$/"Project-Id-Version: Maillage\\n"/' $(PO)
	DJANGO_ENV=development $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal staticfiles test-artifacts bench-results \
	  .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
	find locale -name '*.mo' -delete 2>/dev/null || true
