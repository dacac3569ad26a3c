#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (runtime, or runtime + dev with --dev).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian ships venv separately; install it when we may.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      echo "Cannot create a virtualenv: install python3-venv (sudo apt-get install python3-venv)." >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt
.venv/bin/python -m pip install -q --build-constraint constraints-build.txt -r "$requirements"
