#!/usr/bin/env bash
# The benchmarks in about a minute, so they never rot (called from .ci/run).
# Fails only on a functional failure (lost or doubled rows, request errors, a page that does not
# answer 200, a crash), never on a missed speed target. Writes nothing to bench/RESULTS.md.
#
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_smoke bash bench/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
DB="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_smoke}"
export BENCH_NO_RECORD=1
started=$(date +%s)

echo "== smoke: generate 2,000 responses into ${DB##*/}"
"$PYTHON" bench/generate.py --responses 2000 --database-url "$DB" --fresh --no-record

echo "== smoke: 10 s of submissions from 10 clients (gunicorn, production settings)"
"$PYTHON" bench/run_submissions.py --database-url "$DB" --clients 10 --duration 10 --app-only --no-record

echo "== smoke: report pages"
"$PYTHON" bench/run_reports.py --database-url "$DB" --repeat 3 --no-record

echo "== smoke: one small export"
if DATABASE_URL="$DB" DEBUG=1 "$PYTHON" manage.py help export_workbook >/dev/null 2>&1; then
  out="$(mktemp -d)"
  period_id=$(psql "$DB" -Atc "select id from surveys_period where state = 'open' order by start desc limit 1")
  DATABASE_URL="$DB" DEBUG=1 "$PYTHON" manage.py export_workbook --unit opd-disdukcapil --period "$period_id" \
    --out "$out/unit.xlsx"
  test -s "$out/unit.xlsx"
  rm -rf "$out"
else
  echo "(export_workbook is not in this build yet: skipped)"
fi

echo "== smoke passed in $(( $(date +%s) - started )) s"
