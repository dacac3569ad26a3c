#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh.
#   bash scripts/restore.sh FILE            # into the database named by $DATABASE_URL
#   bash scripts/restore.sh FILE URL        # into an explicit postgres:// or sqlite:/// URL
# PostgreSQL: restore into an empty database (createdb first); pg_restore runs in one
# transaction, so a failed restore leaves nothing half-written. Existing objects are replaced.
# SQLite: the target file is replaced by the backup (the old file is kept as FILE.before-restore).
# Stop the app servers while restoring.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: restore.sh FILE [DATABASE_URL]}
url=${2:-${DATABASE_URL:-}}
[ -r "$file" ] || { echo "restore: cannot read $file" >&2; exit 2; }
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
case "$url" in
  postgres://*|postgresql://*)
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname="$url" "$file"
    ;;
  sqlite://*|"")
    DATABASE_URL="$url" "$PY" - "$file" <<'PYTHON'
import os, shutil, sqlite3, sys
from pathlib import Path
from survey_site.env import parse_database_url
target = Path(parse_database_url(os.environ.get("DATABASE_URL") or None, base_dir=Path.cwd())["NAME"])
with sqlite3.connect(sys.argv[1]) as backup:
    if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        sys.exit("restore: the backup file is damaged")
    if target.exists():
        shutil.copy2(target, f"{target}.before-restore")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(target) as live:
        backup.backup(live)
PYTHON
    ;;
  *) echo "restore: unsupported DATABASE_URL scheme: ${url%%:*}" >&2; exit 2 ;;
esac
echo "restored $file"
