#!/usr/bin/env bash
# Debian packages the browser and spreadsheet tests need (Playwright cannot download its own
# browser here): Chromium and LibreOffice Calc. Installed only when missing and when we are root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]} (browser/spreadsheet tests will be skipped)." >&2
fi
