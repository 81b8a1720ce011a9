#!/usr/bin/env bash
# LibreOffice Calc without a GUI (Debian's libreoffice-calc-nogui), for the test that opens an
# exported XLSX in a real spreadsheet and reads back how its cells show (api/test/kpi-export.test.ts).
# Idempotent: installs only when `soffice` is missing, with apt-get when running as root;
# otherwise says what to run.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[deps] installing Debian's libreoffice-calc-nogui for the spreadsheet export test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null) \
    || { echo "[deps] could not install libreoffice-calc-nogui with apt-get; install it and re-run" >&2; exit 2; }
  command -v soffice >/dev/null 2>&1 || { echo "[deps] apt-get ran but soffice is still missing" >&2; exit 2; }
else
  echo "[deps] the export test needs LibreOffice: run 'sudo apt-get install libreoffice-calc-nogui'" >&2
  exit 2
fi
