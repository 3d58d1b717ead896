# Every target bootstraps .venv itself; `make site` and `make test` are the quick start.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site test check serve bench fuzz lint clean releases-demo deploy-rsync deploy-dest

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
	$(BIN)/vulture
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

# Publish a built site to a web server atomically (generator/deploy/upload.py): a new releases/<id>/, then
# the `current` link switched in one rename; the last KEEP releases stay. DEST is a folder here or
# user@host:/srv/zhibu/public over SSH; the web server's root is DEST/current (README: 在校园部署).
SITE ?= site
KEEP ?= 5
deploy-rsync: deploy-dest $(STAMP)  # prerequisites run in order: no install when DEST is missing
	$(BIN)/zhibu deploy "$(SITE)" "$(DEST)" --keep $(KEEP)

deploy-dest:
	@test -n "$(DEST)" || { echo "用法：make deploy-rsync DEST=用户@主机:/srv/zhibu/public [SITE=site] [KEEP=5]" >&2; exit 2; }

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/vulture

clean:
	rm -rf site site-releases .bench .pytest_cache
