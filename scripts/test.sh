#!/usr/bin/env bash
# The whole test suite: everything on SQLite (browser tests in headless Chromium included),
# then everything but the browser tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup_venv.sh
scripts/ensure_test_services.sh
PG_URL=${DATABASE_URL_PG:-postgres://postgres@127.0.0.1:5432/test}
start=$(date +%s)
echo "== Lint and migrations =="
.venv/bin/python -m ruff check .
env -u DATABASE_URL DATA_DIR="$(mktemp -d)" .venv/bin/python manage.py makemigrations --check --dry-run
echo "== SQLite (with browser tests) =="
env -u DATABASE_URL DATA_DIR="$(mktemp -d)" .venv/bin/python -m pytest -q "$@"
echo "== PostgreSQL ($PG_URL) =="
DATABASE_URL=$PG_URL DATA_DIR="$(mktemp -d)" .venv/bin/python -m pytest -q -m "not browser" "$@"
echo "Whole suite took $(( $(date +%s) - start ))s"
