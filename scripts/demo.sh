#!/usr/bin/env bash
# One command for a newcomer: install, migrate, load the Kota Palembang demo, serve on :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG=1
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
mkdir -p var
# The background worker builds large Excel exports; it stops with the server.
.venv/bin/python manage.py db_worker >var/db_worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null' EXIT
echo "Open http://127.0.0.1:8000/  (staff login: http://127.0.0.1:8000/akun/masuk/)"
.venv/bin/python manage.py runserver 127.0.0.1:8000
