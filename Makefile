# zuofeng — 作风效能专项活动管理平台
# Two commands matter: `make run` and `make test` (see README.md).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
YEAR ?= $(shell date +%Y)
CAMPAIGN ?= campaigns/wujin-2018.yaml
# Test processes (pytest-xdist, whole files to a worker so module fixtures are built once): the
# suite waits on Chromium and the database much of the time, so two workers pay even on two cores.
PYTEST_WORKERS ?= 2

.PHONY: run test bench bench-http bench-surge deps dev-deps assets node-deps static db demo lint system-deps test-system-deps clean

# Debian packages: CJK fonts and Pango for PDF forms (WeasyPrint); Chromium for browser tests;
# LibreOffice only to check in tests that a Word form prints on one page.
RUN_PACKAGES := python3-venv fonts-noto-cjk fonts-lxgw-wenkai fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# postgresql-client: pg_dump/pg_restore for `manage.py backup`/`restore` on PostgreSQL (and their tests);
# poppler-utils: pdftotext -bbox reads the GB/T 9704 layout back from the PDF in tests.
TEST_PACKAGES := $(RUN_PACKAGES) chromium libreoffice-writer-nogui postgresql-client poppler-utils

## make run: install everything, set up the SQLite demo, serve http://127.0.0.1:$(PORT) the way
## production does: DEBUG off (Chinese error pages), static files served by WhiteNoise from the
## collected directory (unhashed: compressing the hashed manifest takes minutes, so production
## alone builds it), a SECRET_KEY made once into var/secret_key unless one is set, e-mail printed
## to the console.
run: system-deps deps assets db demo var/secret_key
	@echo "启动演示服务器（与生产环境相同：DEBUG 关闭）：http://127.0.0.1:$(PORT)  （后台任务进程 db_worker 同时启动，Ctrl-C 退出）"
	@export DEBUG=0 ZUOFENG_DEMO=1 STATIC_MANIFEST=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	    EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"; \
	  $(PY) manage.py jobs_worker -- --interval 5 > var/db_worker.log 2>&1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

var/secret_key:
	@mkdir -p var
	@umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## make test: install what the tests need and run lint, migration check and the whole suite
test: test-system-deps dev-deps assets
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db --cov --cov-report=term -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## make bench: build a larger dataset and print timings, then the HTTP bench against the bare reference,
## then the deadline-day surge (PostgreSQL when DATABASE_URL names one, then SQLite)
bench: dev-deps assets bench-deps
	$(PY) bench/run.py
	$(PY) bench/serve.py
	$(PY) bench/surge.py

## make bench-http: only the HTTP bench (gunicorn + wrk, product vs bare reference)
bench-http: dev-deps assets bench-deps
	$(PY) bench/serve.py

## make bench-surge: only the deadline-day surge (SURGE_USERS, SURGE_SECONDS, SURGE_THINK; see bench/surge.py)
bench-surge: dev-deps assets
	$(PY) bench/surge.py

bench-deps:
	$(call apt_ensure,wrk)

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

deps: $(VENV)/.runtime
dev-deps: $(VENV)/.dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node-deps node_modules/.installed

# Node.js and npm from the distribution, unless an npm is already on the PATH (NodeSource, nvm …):
# installed when run as root, otherwise the one apt command is printed.
node-deps:
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; \
	  else echo "缺少 Node.js 和 npm，请先运行：sudo apt-get install -y nodejs npm"; exit 1; fi; fi

# Installs missing Debian packages when run as root; otherwise says which to install.
# (Browser tests drive Debian's Chromium: Playwright cannot download its own browser here.)
define apt_ensure
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "缺少系统软件包，请先运行：sudo apt-get install -y" $$missing; exit 1; fi; fi
endef

system-deps:
	$(call apt_ensure,$(RUN_PACKAGES))

test-system-deps:
	$(call apt_ensure,$(TEST_PACKAGES))

static: deps assets
	@mkdir -p var
	DEBUG=1 $(PY) manage.py collectstatic --noinput --verbosity 0

db: deps static
	DEBUG=1 $(PY) manage.py migrate --noinput --verbosity 0
	DEBUG=1 $(PY) manage.py load_campaign $(CAMPAIGN) --year $(YEAR) --default

demo: db
	DEBUG=1 $(PY) manage.py demo_district
	DEBUG=1 $(PY) manage.py demo_ledgers
	DEBUG=1 $(PY) manage.py demo_nominations
	DEBUG=1 $(PY) manage.py demo_notices
	DEBUG=1 $(PY) manage.py demo_supervision
	DEBUG=1 $(PY) manage.py demo_projects
	DEBUG=1 $(PY) manage.py demo_complaints
	DEBUG=1 $(PY) manage.py demo_assessment
	@DEBUG=1 $(PY) manage.py demo_district --accounts

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf staticfiles .pytest_cache .coverage htmlcov
