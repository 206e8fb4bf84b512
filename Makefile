# Internet Pour Tous — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

# `make test` runs on PostgreSQL and Redis, as CI does; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipt
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/15

.PHONY: run test install messages lint bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

messages: install
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# A development checkout's settings: DEBUG on and a generated key, read by ipt/settings.py so that
# `.venv/bin/python manage.py …` works as is. Written once, never overwritten; ignored by git and Docker.
# Production has no .env (and refuses a key that starts with "dev-only-").
.env:
	@printf '# Development settings written by `make run` (read by ipt/settings.py). Never use in production.\nDEBUG=true\nSECRET_KEY=dev-only-%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "wrote $@ (DEBUG=true and a development SECRET_KEY)"

run: install messages .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "→ http://127.0.0.1:$(PORT)/  (logins: ville, accueil, gardien, bailleur, animateur — password: demo)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache

# Performance figures on PostgreSQL (creates the database ipt_bench if needed). SECTIONS="import" to pick.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipt_bench
bench: install messages
	psql "$(BENCH_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres ipt_bench
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python -m bench $(SECTIONS)
