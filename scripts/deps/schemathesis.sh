#!/usr/bin/env bash
# schemathesis (PyPI), the OpenAPI fuzzer of tests/openapi-fuzz.test.ts, in its own virtualenv
# so the system Python stays untouched. Installs only when missing or at another version;
# prints where it is. SCHEMATHESIS_BIN overrides (a schemathesis installed elsewhere).
set -euo pipefail
VERSION=4.32.5
VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/haidang/schemathesis-$VERSION}"
BIN="$VENV/bin/schemathesis"
if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$BIN"; exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "[deps] schemathesis needs Python 3.9+ (Debian: apt-get install python3 python3-venv)" >&2
  exit 2
fi
echo "[deps] installing schemathesis $VERSION from PyPI into $VENV" >&2
python3 -m venv "$VENV" >&2 || { echo "[deps] python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 2; }
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2 \
  || { echo "[deps] pip could not install schemathesis $VERSION (is PyPI reachable?)" >&2; exit 2; }
echo "$BIN"
