# The two commands a new user runs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint typecheck pytest chromium postgres clean

SEED := ../shared/corpus/seed-readme.md
JOBS := ../shared/corpus/jobs

run: $(VENV)/.installed
	$(BIN)/diymasters init --if-empty
	$(BIN)/diymasters status
	@if [ -f $(SEED) ]; then \
		echo; echo "Against the seed's 'Example Qualifications of a Machine Learning Engineer by Microsoft':"; \
		sed -n '/Example Qualifications/,/^## Curriculum/p' $(SEED) | $(BIN)/diymasters gaps --posting -; \
		echo; echo "The plan that covers those qualifications, at 8 hours a week:"; \
		sed -n '/Example Qualifications/,/^## Curriculum/p' $(SEED) | $(BIN)/diymasters plan --posting - --hours-per-week 8 --no-save; \
	fi
	@if [ -d $(JOBS) ]; then \
		echo; echo "Against the ML engineer postings in $(JOBS):"; \
		$(BIN)/diymasters gaps --corpus $(JOBS) --role "ML engineer"; \
	fi
	@echo
	$(BIN)/diymasters serve

test: $(VENV)/.installed-dev lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src tests scripts benchmarks

# The tests run on every core (pytest-xdist; tests of one group, Spark's, on one worker),
# measured by coverage, subprocesses included;
# the core (everything but the two frontends) must keep 90% of its lines covered.
CORE_OMIT := */diymasters/cli/*,*/diymasters/web/*,*/diymasters/entry.py,*/diymasters/__main__.py
COVERAGE_FLOOR := 90

pytest: $(VENV)/.installed-dev chromium postgres
	@rm -f .coverage .coverage.*
	$(BIN)/pytest -n auto --dist loadgroup --cov --cov-report=
	$(BIN)/coverage report --omit='$(CORE_OMIT)' --fail-under=$(COVERAGE_FLOOR)
	@echo "Frontends:"; $(BIN)/coverage report --include='$(CORE_OMIT)' --format=total | sed 's/^/  /;s/$$/% of lines/'

# The browser tests drive Debian's Chromium; install it when it is missing and we can.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 \
			&& apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } \
		|| echo "Could not install chromium: the browser tests will skip"; \
	else \
		echo "No chromium, and installing it needs root and apt-get: the browser tests will skip"; \
	fi

# The store's tests also run on a throwaway PostgreSQL server (tests/postgres.py) from Debian's
# binaries; install them when they are missing and we can.
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql for the PostgreSQL tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 \
			&& apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; } \
		|| echo "Could not install postgresql: the PostgreSQL tests will skip"; \
	else \
		echo "No PostgreSQL server, and installing it needs root and apt-get: the PostgreSQL tests will skip"; \
	fi

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet --editable . --group dev
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build .coverage .coverage.*
