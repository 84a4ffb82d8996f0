# Porte-voix — every set-up step lives here, so that a fresh clone needs only
# `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: run test build check lint format clean bench icc-profile lock lock-upgrade

LOCK := requirements.lock
# Only `make lock` uses uv: it resolves in seconds where pip-compile took minutes.
UV_VERSION := 0.13.8

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Every package at the version and hash of requirements.lock (pip, setuptools included), then
# porte-voix itself without touching them. `uv pip check` catches a dependency added to
# pyproject.toml without `make lock`. uv (the tool `make lock` already uses) installs the same
# hashed lock as pip would, in seconds instead of a minute of every clean `make test`.
UV_PIP = $(BIN)/uv pip --quiet
$(STAMP): pyproject.toml $(LOCK) | $(VENV)/bin/python
	@$(UV_INSTALL)
	$(UV_PIP) install --python $(BIN)/python --require-hashes -r $(LOCK)
	rm -rf porte_voix.egg-info  # left by older setuptools: it would hide the venv's metadata
	$(UV_PIP) install --python $(BIN)/python --no-deps --no-build-isolation -e .
	@$(UV_PIP) check --python $(BIN)/python >/dev/null || { $(UV_PIP) check --python $(BIN)/python; \
		echo "requirements.lock ne suit plus pyproject.toml : lance « make lock », puis relance."; exit 1; }
	touch $(STAMP)

## make lock: write requirements.lock (runtime and test packages, pip and setuptools, with their
## hashes) from pyproject.toml and requirements-venv.in; versions already locked stay as they are.
## make lock-upgrade: the same, with the newest versions that pyproject.toml allows.
LOCK_COMMAND = $(BIN)/uv pip compile --quiet --generate-hashes --extra test \
	--python $(BIN)/python --custom-compile-command "make lock" \
	-o $(LOCK) pyproject.toml requirements-venv.in
UV_INSTALL = $(BIN)/uv --version 2>/dev/null | grep -qx 'uv $(UV_VERSION)' || \
	$(BIN)/pip install --quiet uv==$(UV_VERSION) 2>&1 | grep -v "Location .* is ignored" || true
lock: | $(VENV)/bin/python
	@$(UV_INSTALL)
	$(LOCK_COMMAND)

lock-upgrade: | $(VENV)/bin/python
	@$(UV_INSTALL)
	$(LOCK_COMMAND) --upgrade

## make run: build the site and serve it on http://$(HOST):$(PORT), reloading on save
run: $(STAMP)
	$(BIN)/porte-voix serve --host $(HOST) --port $(PORT)

# Tests use Debian's Chromium (never a downloaded browser: `playwright install` fails here),
# the real PDF tools (qpdf --check, pdfinfo/pdfimages/pdftoppm from poppler-utils),
# SpamAssassin's local rules (`spamassassin -t -L`) to score every kind of e-mail sent,
# exiftool (libimage-exiftool-perl) to read what an uploaded photo still carries, and Java for
# the W3C Nu HTML checker.
DEBIAN_PACKAGES := chromium qpdf poppler-utils spamassassin libimage-exiftool-perl default-jre-headless
DEBIAN_TOOLS := /usr/bin/chromium /usr/bin/qpdf /usr/bin/pdfinfo /usr/bin/spamassassin /usr/bin/exiftool /usr/bin/java
$(DEBIAN_TOOLS) &:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	else \
		echo "Il manque des outils pour les tests : lance « sudo apt-get install $(DEBIAN_PACKAGES) », puis relance make test."; \
		exit 1; \
	fi

# Mozilla's ical.js (Thunderbird's parser) reads the built calendars in the tests.
ICALJS := tests/js/node_modules/.package-lock.json
$(ICALJS): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund

# The W3C Nu HTML checker, pinned; --ignore-scripts: its install script would download a Java
# runtime, Debian's is used instead.
VNU := tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU): tests/vnu/package.json tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund
	touch $(VNU)

## make test: install what the tests need (Python packages, Chromium, PDF tools, SpamAssassin,
## exiftool, Java, ical.js, the W3C checker), then lint and run them
test: $(STAMP) $(DEBIAN_TOOLS) $(ICALJS) $(VNU)
	$(BIN)/ruff check generator forms_backend tests bench
	$(BIN)/ruff format --check generator forms_backend tests bench
	$(BIN)/pytest

build: $(STAMP)
	$(BIN)/porte-voix build

check: $(STAMP)
	$(BIN)/porte-voix check

format: $(STAMP)
	$(BIN)/ruff format generator forms_backend tests
	$(BIN)/ruff check --fix generator forms_backend tests

clean:
	rm -rf site .site-builds .cache

## make bench: measure (not test) and write the figures to BENCHMARKS.md
bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || \
		(echo "wrk manque : installe-le avec « apt-get install wrk » (root)"; exit 1)
	$(BIN)/python bench/backend_load.py
	$(BIN)/python bench/flyers_bench.py
	$(BIN)/python bench/images_bench.py
	$(BIN)/python bench/build_scale.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/reload_bench.py
	$(BIN)/python bench/upload_memory.py
	$(BIN)/python bench/reminders_bench.py
	test -x bench/lighthouse/node_modules/.bin/lighthouse || npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(BIN)/python bench/lighthouse_bench.py

## make icc-profile: recompute theme/flyers/FOGRA39L-300.icc (CMYK for --cmyk) from the FOGRA39
## measurements of Debian's icc-profiles-free with ArgyllCMS; the result is kept in the repository.
icc-profile:
	@command -v colprof >/dev/null || (apt-get update -qq && apt-get install -y -qq argyll icc-profiles-free)
	rm -rf .cache/icc && mkdir -p .cache/icc
	cp /usr/share/color/icc/FOGRA39L.ti3 .cache/icc/
	cd .cache/icc && ARGYLL_NOT_INTERACTIVE=1 colprof -qm -bl -kr -l 300 \
		-D "FOGRA39L (ISO 12647-2 coated paper), ink limit 300%" \
		-C "Made with ArgyllCMS colprof from FOGRA39L.ti3 of icc-profiles-free (Kai-Uwe Behrmann, Zlib)" FOGRA39L
	cp .cache/icc/FOGRA39L.icc theme/flyers/FOGRA39L-300.icc
