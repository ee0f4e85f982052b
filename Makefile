# Two commands on a fresh machine: `make run` (dashboard on the sample data), `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
# The font of the PDF summary and the exported images (Debian's fonts-open-sans).
PRINT_FONT := /usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf

.PHONY: run serve test load lint sample bench clean chromium fonts nginx

# Python keeps its compiled modules (.pyc) even where the environment says not to: without
# them every process of the suite (workers, servers, command lines) compiles GX, pandas and
# Streamlit again, 15 s instead of 5 for `import great_expectations` alone.
unexport PYTHONDONTWRITEBYTECODE

# uv installs the pinned requirements in seconds (pip took over a minute here); it is itself
# pinned and installed into the venv by pip, so nothing but Python 3.11 is needed first.
UV_VERSION := 0.9.9
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.runtime: requirements.txt | $(BIN)/uv
	$(UV) -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/uv
	$(UV) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The load itself notices when nothing changed and then writes nothing.
load: $(VENV)/.runtime
	$(BIN)/python -m etl load || [ $$? -eq 1 ]

run: load fonts
	$(BIN)/streamlit run serve.py --server.port $(PORT) --server.headless true

# Served to others (behind nginx, see deploy/README.md): on a non-loopback HOST serve.py
# refuses to start unless .streamlit/secrets.toml has an [auth] section (the login).
HOST ?= 0.0.0.0
serve: load fonts
	$(BIN)/streamlit run serve.py --server.address $(HOST) --server.port $(PORT) \
	  --server.headless true

# Install Debian package $(2) when file $(1) is missing and that is possible (root or
# passwordless sudo, apt-get); otherwise say what follows ($(3)) and go on.
define apt_install
	@if [ ! -e $(1) ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	  else sudo=none; fi; \
	  if [ "$$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then \
	    echo "make: $(1) is missing and cannot be installed here (needs apt-get and" \
	      "root or sudo): $(3). Install Debian's $(2)." >&2; \
	  else \
	    echo "make: installing Debian's $(2)"; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $(2) \
	      || { $$sudo apt-get update && \
	           $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $(2); } \
	      || echo "make: installing $(2) failed: $(3)." >&2; \
	  fi; \
	fi
endef

# The browser test drives Debian's Chromium, never a browser that Playwright downloads
# (`playwright install` is not used). Installed here when missing and possible (root or
# passwordless sudo); otherwise make goes on and the browser test fails saying what to do.
chromium:
	$(call apt_install,$(CHROMIUM),chromium,the browser test will fail)

# The PDF summary and the images print in Open Sans, the open humanist sans closest to Stad
# Gent's Fira Sans that Debian ships (Debian has no Fira Sans); Chromium embeds it in the PDF.
# Installed like chromium: when missing and possible, else make goes on (the PDF then falls
# back to another sans and the reference-image test fails saying so).
fonts:
	$(call apt_install,$(PRINT_FONT),fonts-open-sans,the PDF falls back to another font)

# The deployment test (tests/test_deploy.py) runs Debian's nginx itself, in the foreground
# on loopback ports with a configuration of its own and a certificate that openssl makes.
# Installed like chromium: when missing and possible, else make goes on and the test fails
# saying what to do.
NGINX ?= /usr/sbin/nginx
OPENSSL ?= /usr/bin/openssl

nginx:
	$(call apt_install,$(NGINX),nginx,the deployment test will fail)
	$(call apt_install,$(OPENSSL),openssl,the deployment test will fail)

# Two workers (this machine has 2 cores); a test file stays on one worker, so its session
# fixtures (the year pack, the browser's server) are built once, the loaded sample once per worker.
# The files go out longest first (tests/conftest.py), not by their number of tests.
test: $(VENV)/.dev chromium fonts nginx
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

sample: $(VENV)/.runtime
	$(BIN)/python -m tools.sample --out data/raw --reference data/reference

bench: $(VENV)/.dev
	$(BIN)/python bench/etl.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/browser.py

clean:
	rm -rf $(VENV) data/parquet
