# Two commands: `make run` sets everything up and runs the main job on the bundled example;
# `make test` sets up what the tests need and runs the whole suite (.ci/run calls it);
# `make docs` builds the documentation site into site/ (.ci/run calls it too);
# `make test-fast` runs the tests not marked slow (real engines, browsers, clusters, many
# processes, or over about half a second): the tier to run while working, under a minute.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# setuptools' warnings while it builds the editable install (packaging advice for maintainers,
# pages of it) are not a new user's concern: pip runs the build with this environment.
QUIET  := PYTHONWARNINGS=ignore
DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: run test test-fast setup system-packages bench docs clean

run: $(STAMP)
	$(BIN)/newsalign run examples/

test: $(STAMP) system-packages
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

setup: $(STAMP)

# Reinstalled whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(QUIET) $(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Debian packages the tests and the alignment use when present: Chromium and its driver
# (browser tests: the review page in `serve --review`, driven by selenium) and
# the Ding German-English dictionary (trans-de-en, read where installed, never copied). Without
# root or apt they are skipped with a note; the tests that need them then skip.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	[ -f /usr/share/trans/de-en ] || missing="$$missing trans-de-en"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    log=$${TMPDIR:-/tmp}/newsalign-apt.log; \
	    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >$$log 2>&1; \
	    then echo "installed$$missing"; \
	    else echo "could not install$$missing (apt's output: $$log); the tests that need them will be skipped"; fi; \
	  else echo "not installed:$$missing (needs root and apt-get); the tests that need them will be skipped"; fi; \
	fi

# The command reference is regenerated from --help first (tests/test_readme.py fails when the
# committed page is stale); --strict turns every broken link or missing page into an error.
docs: $(DOCS_STAMP)
	$(BIN)/python docs/gen_reference.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

$(DOCS_STAMP): $(STAMP)
	$(QUIET) $(BIN)/pip install -q -e '.[docs]'
	touch $(DOCS_STAMP)

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info site
