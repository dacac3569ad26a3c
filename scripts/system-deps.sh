#!/usr/bin/env bash
# Debian packages the browser, spreadsheet and report tests need (Playwright cannot download its
# own browser here): Chromium, LibreOffice Calc, LibreOffice Writer (it makes the PDF of the
# Laporan Hasil SKM from its .docx, in production too) and poppler-utils (pdftotext, pdftoppm).
# Installed only when missing and when we are root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# Liberation Sans has Arial's metrics: the report's PDF then breaks lines and pages as Word does.
fc-list 2>/dev/null | grep -qi "liberation sans" || missing+=(fonts-liberation2)
command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]} (browser/spreadsheet/report PDF tests will be skipped)." >&2
fi
