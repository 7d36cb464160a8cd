# RAWA: build, check and export the publication.
# `make help` lists every target. Sphinx options are strict: warnings are errors.

SHELL        := /bin/bash
PYTHON       ?= python3
VENV         ?= .venv
BIN          := $(VENV)/bin
SPHINXBUILD  := $(BIN)/sphinx-build
SOURCEDIR    := source
BUILDDIR     ?= _build
SPHINXOPTS   ?=
STRICT       := -W --keep-going -n -T
SPHINX       = $(SPHINXBUILD) $(STRICT) -c . $(SPHINXOPTS)
# the venv step ran (tests point it elsewhere, so a scratch copy never reinstalls the venv)
VENV_STAMP   ?= $(VENV)/.installed
STAMP        := $(VENV_STAMP)
TEST_WORKERS ?= 2
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
# rendered diagrams, reused by the next build (html, pdf) instead of rendered again
export RAWA_PLANTUML_STORE ?= $(abspath $(BUILDDIR))/plantuml-store

.DEFAULT_GOAL := help
.PHONY: help venv dev deps html pdf latexpdf latexpdf-legacy livehtml test clean lock release versions baseline bench bench-terms gemma-snapshot

help: ## Alle doelen met een regel uitleg
	@echo "Gebruik: make <doel>"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	@# our extensions, the package rawa in _ext/rawa, editable: edits count at once
	$(BIN)/python -m pip install --quiet --require-virtualenv --no-deps -e .
	@touch $@

venv: $(STAMP) ## Virtuele omgeving maken of bijwerken uit requirements.lock

dev: $(STAMP) ## Ontwikkelhulpmiddelen (pre-commit) installeren en de commit-hooks aanzetten
	$(BIN)/pre-commit install

deps: $(STAMP) ## Java en Graphviz voor lokale PlantUML controleren (op Debian installeren)
	@$(BIN)/python tools/ensure_system_deps.py plantuml

html: deps ## Website streng bouwen in _build/html
	$(SPHINX) -b html -d $(BUILDDIR)/doctrees-html $(SOURCEDIR) $(BUILDDIR)/html

pdf: deps ## Toegankelijke PDF-editie (getagd, PDF/UA-1) streng bouwen in _build/pdf/rawa.pdf
	@$(BIN)/python tools/ensure_system_deps.py pdf
	@# -E: a fresh environment; incremental sphinx-needs builds can keep stale needs
	$(SPHINX) -E -b rawapdf -d $(BUILDDIR)/doctrees-pdf $(SOURCEDIR) $(BUILDDIR)/pdf

latexpdf: pdf ## Oude naam van 'make pdf': bouwt dezelfde toegankelijke PDF

latexpdf-legacy: deps ## Alleen voor vergelijking: de ongetagde LaTeX-PDF in _build/latex (niet publiceren)
	@$(BIN)/python tools/ensure_system_deps.py latex
	@# -E: a fresh environment; incremental sphinx-needs builds can keep stale needs
	$(SPHINX) -E -b latex $(SOURCEDIR) $(BUILDDIR)/latex
	@rm -f $(BUILDDIR)/latex/*.aux $(BUILDDIR)/latex/*.toc $(BUILDDIR)/latex/*.lof $(BUILDDIR)/latex/*.lot
	$(MAKE) -C $(BUILDDIR)/latex LATEXMKOPTS="-halt-on-error -interaction=nonstopmode" all-pdf \
	  || { $(BIN)/python tools/check_latex_log.py $(BUILDDIR)/latex/rawa.log --sources $(SOURCEDIR); exit 1; }
	$(BIN)/python tools/check_latex_log.py $(BUILDDIR)/latex/rawa.log --sources $(SOURCEDIR)

livehtml: deps ## Voorbeeldweergave: bij elke wijziging opnieuw bouwen en de browser verversen
	$(BIN)/sphinx-autobuild -c . $(SOURCEDIR) $(BUILDDIR)/livehtml --watch diagrams --watch _ext --watch publicatie.toml

test: deps ## Alle tests; installeert eerst TeX Live en Chromium (RAWA_SKIP_SYSTEM_TESTS=1: zonder PDF- en browsertests)
	@$(BIN)/python tools/ensure_system_deps.py $(if $(filter 1,$(RAWA_SKIP_SYSTEM_TESTS)),plantuml,plantuml latex pdf browser)
	@# --no-loadscope-reorder: the files in the order of LONGEST_FIRST (tests/conftest.py),
	@# not by their number of tests
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

gemma-snapshot: $(STAMP) ## GEMMA-momentopname in data/gemma verversen: make gemma-snapshot GEMMA=<checkout of .git-map>
	@test -n "$(GEMMA)" || { echo "Geef GEMMA=<pad naar een checkout of .git-map van de GEMMA-Archi-repository>"; exit 2; }
	$(BIN)/python tools/gemma_snapshot.py "$(GEMMA)" --out data/gemma

bench-terms: deps ## Bouwtijd met en zonder de termlinker meten (verhouding)
	$(BIN)/python tools/bench_terms.py

release: ## Release: make release VERSION=x.y.z STATUS="Consultatieversie" [DATE=jjjj-mm-dd] [OVERWRITE=1]
	@test -n "$(VERSION)" -a -n "$(STATUS)" || { echo 'Gebruik: make release VERSION=1.1.0 STATUS="Consultatieversie"'; exit 2; }
	$(BIN)/python tools/release.py "$(VERSION)" "$(STATUS)" $(if $(DATE),--date $(DATE)) $(if $(OVERWRITE),--overwrite)

versions: deps ## Alle releases (git-tags vX.Y.Z) bouwen in _build/site met x, x.y en latest
	$(BIN)/python tools/publish_versions.py --site $(BUILDDIR)/site

baseline: deps ## Schone build en needs.json opslaan als baselines/needs-<versie>.json
	$(SPHINX) -E -b html -d $(BUILDDIR)/doctrees-html $(SOURCEDIR) $(BUILDDIR)/html
	$(BIN)/python tools/make_baseline.py --needs-json $(BUILDDIR)/html/needs.json $(if $(OVERWRITE),--overwrite)

bench: deps ## Bouwtijden en verhoudingen meten, ook op tien keer de omvang (één meting, geen test)
	@$(BIN)/python tools/ensure_system_deps.py latex || true
	$(BIN)/python tools/bench.py

clean: ## Alle bouwresultaten verwijderen
	rm -rf $(BUILDDIR)

lock: ## requirements.lock opnieuw maken uit pyproject.toml (beheerders)
	@rm -rf $(BUILDDIR)/lockenv && $(PYTHON) -m venv $(BUILDDIR)/lockenv
	$(BUILDDIR)/lockenv/bin/pip install --quiet ".[test,dev]"
	$(BUILDDIR)/lockenv/bin/pip freeze --exclude-editable | grep -v '^rawa' > requirements.lock
