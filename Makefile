# Porte-voix — every set-up step lives here, so that a fresh clone needs only
# `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: run test build check lint format clean bench icc-profile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: build the site and serve it on http://$(HOST):$(PORT), reloading on save
run: $(STAMP)
	$(BIN)/porte-voix serve --host $(HOST) --port $(PORT)

# Tests use Debian's Chromium (never a downloaded browser: `playwright install` fails here),
# the real PDF tools (qpdf --check, pdfinfo/pdfimages/pdftoppm from poppler-utils) and Java for
# the W3C Nu HTML checker.
DEBIAN_TOOLS := /usr/bin/chromium /usr/bin/qpdf /usr/bin/pdfinfo /usr/bin/java
$(DEBIAN_TOOLS) &:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium qpdf poppler-utils default-jre-headless >/dev/null; \
	else \
		echo "Il manque des outils pour les tests : lance « sudo apt-get install chromium qpdf poppler-utils default-jre-headless », puis relance make test."; \
		exit 1; \
	fi

## make test: install what the tests need (Python packages, Chromium, PDF tools), then lint and run them
test: $(STAMP) $(DEBIAN_TOOLS)
	@# The W3C Nu HTML checker, pinned; --ignore-scripts: its install script would download a Java
	@# runtime, Debian's is used instead.
	test -f tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar || npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund
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
	rm -rf site .cache

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
