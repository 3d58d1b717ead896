# Every target bootstraps .venv itself; `make site` and `make test` are the quick start.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site test check serve bench fuzz lint clean releases-demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)    ## create .venv and install zhibu (CI runs this too)

check: $(STAMP)
	$(BIN)/zhibu check

site: $(STAMP)
	$(BIN)/zhibu check
	$(BIN)/zhibu build --out site

serve: $(STAMP)
	$(BIN)/zhibu serve

test: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py --hypothesis-show-statistics

# make bench BIG=1: only the figures of one generated college of 6,000 branches (REPO=DIR keeps it there
# for the next run). Without BIG: the demo, the releases, the workbooks and a 1,000-branch college.
bench: $(STAMP)
	$(BIN)/python -m generator.demo.bench $(if $(BIG),--branches 6000) $(if $(REPO),--repo $(REPO))

# Three tagged releases of the demo records in a temporary Git repository, every version built into
# site-releases/ (version selector, latest, changes pages). Nothing is pushed. About a minute.
releases-demo: $(STAMP)
	rm -rf site-releases
	$(BIN)/zhibu releases-demo --out site-releases

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

clean:
	rm -rf site site-releases .bench .pytest_cache
