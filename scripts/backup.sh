#!/usr/bin/env bash
# Back up the survey database to one file.
#   bash scripts/backup.sh FILE            # the database named by $DATABASE_URL (SQLite default)
#   bash scripts/backup.sh FILE URL        # an explicit postgres:// or sqlite:/// URL
# PostgreSQL: pg_dump custom format (-Fc), consistent while the site keeps running.
# SQLite: Python's sqlite3 online backup API, consistent while the site keeps running.
# Restore with scripts/restore.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: backup.sh FILE [DATABASE_URL]}
url=${2:-${DATABASE_URL:-}}
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
case "$url" in
  postgres://*|postgresql://*)
    pg_dump --format=custom --no-owner --no-privileges --file="$file" --dbname="$url"
    ;;
  sqlite://*|"")
    DATABASE_URL="$url" "$PY" - "$file" <<'PYTHON'
import os, sqlite3, sys
from pathlib import Path
from survey_site.env import parse_database_url
source = parse_database_url(os.environ.get("DATABASE_URL") or None, base_dir=Path.cwd())["NAME"]
if not Path(source).exists():
    sys.exit(f"backup: no SQLite database at {source}")
with sqlite3.connect(source) as live, sqlite3.connect(sys.argv[1]) as copy:
    live.backup(copy)
copy.close()
PYTHON
    ;;
  *) echo "backup: unsupported DATABASE_URL scheme: ${url%%:*}" >&2; exit 2 ;;
esac
echo "backup written to $file"
