#!/usr/bin/env bash
# One command for the whole test suite: install everything it needs, then run pytest.
# SQLite by default; set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
bash scripts/system-deps.sh
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" "$@"
