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
STAMP        := $(VENV)/.installed
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.DEFAULT_GOAL := help
.PHONY: help venv deps html latexpdf livehtml test clean lock release versions bench-terms
.PHONY: help venv deps html latexpdf livehtml test clean lock baseline
.PHONY: help venv deps html latexpdf livehtml test clean lock release versions
.PHONY: help venv deps html latexpdf livehtml test clean lock baseline bench

help: ## List the targets with one line each
	@echo "Gebruik: make <doel>"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	@touch $@

venv: $(STAMP) ## Create or refresh the virtual environment from the lock file

deps: $(STAMP) ## Check (and on Debian install) Java and Graphviz for local PlantUML
	@$(BIN)/python tools/ensure_system_deps.py plantuml

html: deps ## Build the HTML site strictly into _build/html
	$(SPHINX) -b html -d $(BUILDDIR)/doctrees-html $(SOURCEDIR) $(BUILDDIR)/html

latexpdf: deps ## Build the PDF edition strictly into _build/latex/rawa.pdf and check the LaTeX log
	@$(BIN)/python tools/ensure_system_deps.py latex
	@# -E: a fresh environment; incremental sphinx-needs builds can keep stale needs
	$(SPHINX) -E -b latex $(SOURCEDIR) $(BUILDDIR)/latex
	@rm -f $(BUILDDIR)/latex/*.aux $(BUILDDIR)/latex/*.toc $(BUILDDIR)/latex/*.lof $(BUILDDIR)/latex/*.lot
	$(MAKE) -C $(BUILDDIR)/latex LATEXMKOPTS="-halt-on-error -interaction=nonstopmode" all-pdf \
	  || { $(BIN)/python tools/check_latex_log.py $(BUILDDIR)/latex/rawa.log --sources $(SOURCEDIR); exit 1; }
	$(BIN)/python tools/check_latex_log.py $(BUILDDIR)/latex/rawa.log --sources $(SOURCEDIR)

livehtml: deps ## Preview: rebuild and reload the browser on every save
	$(BIN)/sphinx-autobuild -c . $(SOURCEDIR) $(BUILDDIR)/livehtml --watch diagrams --watch _ext --watch publicatie.toml

test: deps ## Run the whole test suite (builds the publication once)
	$(BIN)/python -m pytest

bench-terms: deps ## Time the build with and without the term linker; prints the overhead ratio
	$(BIN)/python tools/bench_terms.py

release: ## Release: make release VERSION=x.y.z STATUS="Consultatieversie" [DATE=jjjj-mm-dd]
	@test -n "$(VERSION)" -a -n "$(STATUS)" || { echo 'Gebruik: make release VERSION=1.1.0 STATUS="Consultatieversie"'; exit 2; }
	$(BIN)/python tools/release.py "$(VERSION)" "$(STATUS)" $(if $(DATE),--date $(DATE))

versions: deps ## Build every tagged release into _build/site with x, x.y and latest paths
	$(BIN)/python tools/publish_versions.py --site $(BUILDDIR)/site
baseline: deps ## At release: fresh HTML build, then store its needs as baselines/needs-<versie>.json
	$(SPHINX) -E -b html $(SOURCEDIR) $(BUILDDIR)/html
	$(BIN)/python tools/make_baseline.py --needs-json $(BUILDDIR)/html/needs.json

bench: deps ## Time clean, incremental, PlantUML, term-linker and PDF builds (one run)
	@$(BIN)/python tools/ensure_system_deps.py latex || true
	$(BIN)/python tools/bench.py

clean: ## Remove all build output
	rm -rf $(BUILDDIR)

lock: ## Regenerate requirements.lock from pyproject.toml (maintainers only)
	@rm -rf $(BUILDDIR)/lockenv && $(PYTHON) -m venv $(BUILDDIR)/lockenv
	$(BUILDDIR)/lockenv/bin/pip install --quiet ".[test,dev]"
	$(BUILDDIR)/lockenv/bin/pip freeze --exclude-editable | grep -v '^rawa' > requirements.lock
