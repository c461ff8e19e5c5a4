# One entry point for everything: `make test` and `make demo` build what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV_ROOT ?= .venv
# Oldest supported HA on the machine's stock Python 3.13.0 (pyenv), newest HA on a
# Python >= 3.13.2 that scripts/bootstrap-python finds or builds once.
PYTHON_OLD ?= $(or $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13.0/bin/python3.13),$(shell command -v python3.13))
PYTHON_NEW ?= $(shell scripts/bootstrap-python)

OLD := $(VENV_ROOT)/ha-2025.4
NEW := $(VENV_ROOT)/ha-2026.2
DEMO := $(VENV_ROOT)/demo
DEMO_OLD := $(VENV_ROOT)/demo-2025.4
PYTEST_ARGS ?=

# make demo CHARGERS=50 SPEED=60 FUSE=100 PORT=8124 (see README, Demo)
CHARGERS ?= 12
SPEED ?= 10
FUSE ?= 63
PORT ?= 8123
DEMO_ARGS ?=
CHROMIUM ?= /usr/bin/chromium
# The card's npm packages (TypeScript, Lit, esbuild; intl-messageformat for the
# translation test), installed from frontend/package-lock.json.
NODE_MODULES := frontend/node_modules/.package-lock.json

.PHONY: help test lint typecheck pytest pytest-old pytest-new bench demo browser-test browser-test-old card simulate audit clean venvs

help:
	@echo "make test    ruff + mypy strict + pytest on HA 2025.4.4 and HA 2026.2.3"
	@echo "make demo [CHARGERS=12] [SPEED=10] [FUSE=63] [PORT=8123]  a real Home Assistant"
	@echo "             with the integration on a simulated site (Ctrl-C stops it)"
	@echo "make browser-test  headless Chromium against a demo (part of make test)"
	@echo "make browser-test-old  the same on HA 2025.4.4's frontend (part of make test)"
	@echo "make card    build the site card (frontend/) into the integration"
	@echo "make bench   benchmarks (BENCH lines)"
	@echo "make simulate [SCENARIO=63A-50ev] [SIMULATE_ARGS='--json']  strategies side by side"

# A venv is rebuilt when its requirements change; the stamp records the last install.
$(OLD)/.stamp: requirements/ha-2025.4.txt requirements/common.txt
	@test -n "$(PYTHON_OLD)" || { echo "Python 3.13 not found (pyenv 3.13.0 expected)"; exit 1; }
	$(PYTHON_OLD) -m venv --clear $(OLD)
	$(OLD)/bin/python -m pip install --quiet uv
	$(OLD)/bin/uv pip install --quiet --python $(OLD)/bin/python -r requirements/ha-2025.4.txt
	touch $@

$(NEW)/.stamp: requirements/ha-2026.2.txt requirements/common.txt scripts/bootstrap-python
	$(PYTHON_NEW) -m venv --clear $(NEW)
	$(NEW)/bin/python -m pip install --quiet uv
	$(NEW)/bin/uv pip install --quiet --python $(NEW)/bin/python -r requirements/ha-2026.2.txt
	touch $@

# The demo's own environment: Home Assistant with its frontend (see requirements/demo.txt).
$(DEMO)/.stamp: requirements/demo.txt scripts/bootstrap-python
	$(PYTHON_NEW) -m venv --clear $(DEMO)
	$(DEMO)/bin/python -m pip install --quiet uv
	$(DEMO)/bin/uv pip install --quiet --python $(DEMO)/bin/python -r requirements/demo.txt
	touch $@

# The oldest supported Home Assistant with its own frontend, for the browser test.
$(DEMO_OLD)/.stamp: requirements/demo-2025.4.txt
	@test -n "$(PYTHON_OLD)" || { echo "Python 3.13 not found (pyenv 3.13.0 expected)"; exit 1; }
	$(PYTHON_OLD) -m venv --clear $(DEMO_OLD)
	$(DEMO_OLD)/bin/python -m pip install --quiet uv
	$(DEMO_OLD)/bin/uv pip install --quiet --python $(DEMO_OLD)/bin/python -r requirements/demo-2025.4.txt
	touch $@

# Either demo environment, with Playwright added for the browser test.
$(VENV_ROOT)/%/.browser-stamp: $(VENV_ROOT)/%/.stamp requirements/browser-test.txt
	$(VENV_ROOT)/$*/bin/uv pip install --quiet --python $(VENV_ROOT)/$*/bin/python -r requirements/browser-test.txt
	touch $@

venvs: $(OLD)/.stamp $(NEW)/.stamp

$(NODE_MODULES): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

card: $(NODE_MODULES)
	cd frontend && npm run --silent build

lint: $(OLD)/.stamp
	$(OLD)/bin/ruff format --check .
	$(OLD)/bin/ruff check .

typecheck: $(OLD)/.stamp $(NEW)/.stamp
	$(OLD)/bin/mypy
	$(NEW)/bin/mypy

# The translation and card tests run node on frontend/'s packages: required here.
pytest-old: $(OLD)/.stamp $(NODE_MODULES)
	@echo "== pytest on $$($(OLD)/bin/python -c 'from homeassistant.const import __version__ as v; print("Home Assistant", v)') =="
	EVLB_REQUIRE_NODE=1 $(OLD)/bin/python -m pytest -n 2 $(PYTEST_ARGS)

pytest-new: $(NEW)/.stamp $(NODE_MODULES)
	@echo "== pytest on $$($(NEW)/bin/python -c 'from homeassistant.const import __version__ as v; print("Home Assistant", v)') =="
	EVLB_REQUIRE_NODE=1 $(NEW)/bin/python -m pytest -n 2 $(PYTEST_ARGS)

pytest: pytest-old pytest-new

test: lint typecheck pytest browser-test browser-test-old

demo: $(DEMO)/.stamp
	$(DEMO)/bin/python -m evlb_sim.demo --chargers $(CHARGERS) --speed $(SPEED) --fuse $(FUSE) --port $(PORT) $(DEMO_ARGS)

# $(call browser-test,VENV,SCREENSHOTS): the browser test against a demo run by
# that demo environment's Home Assistant and frontend, its pictures saved in
# SCREENSHOTS. Runs where Chromium is installed (apt-get install chromium);
# says so where it is not.
ifeq ($(wildcard $(CHROMIUM)),)
browser-test = @echo "== browser test SKIPPED: Chromium is not installed ($(CHROMIUM); apt-get install chromium) =="
else
define browser-test
	@$(MAKE) --no-print-directory $(1)/.browser-stamp
	@echo "== browser test: headless Chromium against a demo on Home Assistant $$($(1)/bin/python -c 'from homeassistant.const import __version__ as v; print(v)') =="
	EVLB_SCREENSHOTS=$(2) $(1)/bin/python -m pytest -m browser -p no:cacheprovider --noconftest -rs tests/browser
endef
endif

browser-test:
	$(call browser-test,$(DEMO),build/browser)

# The same on the oldest supported Home Assistant's frontend (2025.4.4).
browser-test-old:
	$(call browser-test,$(DEMO_OLD),build/browser/ha-2025.4)

bench: $(OLD)/.stamp $(NEW)/.stamp
	$(OLD)/bin/python -m bench
	$(NEW)/bin/python -m bench ha

# make fuzz [FUZZ_EXAMPLES=5000]: the OCPP fuzz test of make test, run long
# (hypothesis examples of up to 8 frames each against the real server).
FUZZ_EXAMPLES ?= 5000
.PHONY: fuzz
fuzz: $(OLD)/.stamp
	EVLB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(OLD)/bin/python -m pytest -p no:cacheprovider tests/ocpp_cs/test_fuzz.py

SCENARIO ?= 63A-50ev
SIMULATE_ARGS ?=
simulate: $(OLD)/.stamp
	$(OLD)/bin/python -m evlb_sim simulate $(SCENARIO) $(SIMULATE_ARGS)

clean:
	rm -rf $(VENV_ROOT) .mypy_cache .pytest_cache .ruff_cache frontend/node_modules
