.PHONY: run test lint bench setup migrate seed

PY := .venv/bin/python

setup:
	scripts/setup_venv.sh

# Set up and run the console on SQLite at http://127.0.0.1:8000 (with the demo account).
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_aws_managed_policies --if-empty
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole test suite: SQLite + browser tests, then PostgreSQL.
test:
	scripts/test.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Benchmarks print their figures (and ratios to peers); they are not tests.
bench: setup
	$(PY) bench/eval_bench.py
	$(PY) bench/simulator_bench.py

# The Query API against moto_server (issue 7): gunicorn on SQLite and PostgreSQL, boto3 workload.
bench-api: setup
	$(PY) bench/api_bench.py
