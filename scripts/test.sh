#!/usr/bin/env bash
# The test command (`npm test`): brings what the tests need where it is missing — the Kafka
# jars through Maven, Debian's Chromium for browser tests — then runs every suite once with
# vitest: unit tests beside each workspace and the cross-service tests in tests/ (a real
# Kafka broker on loopback, real chDB, real Chromium). Prints one closing line:
# "Tests: N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

node -e 'const [maj]=process.versions.node.split(".").map(Number); if (maj < 20) { console.error("Node.js 20 or later is needed, found " + process.version); process.exit(2) }'

if [ ! -d node_modules ]; then
  say "installing npm packages (npm ci)"
  npm ci
fi

say "lint, before anything slow: Biome (rules, import cycles), knip (unused code and dependencies)"; npm run --silent lint

# Kafka: Java 17+ and the jars pinned in infra/kafka/pom.xml (cached in infra/kafka/.jars)
if ! command -v java >/dev/null 2>&1; then
  echo "[test] Java 17+ is needed for the Kafka broker the integration tests start (Debian: apt-get install openjdk-17-jre-headless)" >&2
  exit 2
fi
say "Kafka jars (Maven Central, cached)"
bash infra/kafka/kafka.sh fetch
# ClickHouse clients the store's tests drive: clickhouse-connect, clickhouse-go, clickhouse-jdbc
bash scripts/deps/store-clients.sh

# kcat (librdkafka) for the tests that write to Kafka with every codec
bash scripts/deps/kcat.sh
# LibreOffice (Debian) for the test that opens an exported XLSX in a real spreadsheet
bash scripts/deps/libreoffice.sh
# schemathesis (PyPI, in its own virtualenv) for the OpenAPI fuzz test, tests/edges-fuzz.test.ts
[ "${TEST_SCOPE:-all}" = unit ] || { say "schemathesis (PyPI, cached)"; bash scripts/deps/schemathesis.sh >/dev/null; }

# Chromium for the browser tests, from Debian's packages
if ls tests/browser/*.test.ts >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || { echo "[test] could not install chromium with apt-get; install it (apt-get install chromium) and re-run" >&2; exit 2; }
  else
    echo "[test] the browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2
    exit 2
  fi
fi

# pdftotext (Debian's poppler-utils) for the tests that read back generated PDF reports
if ls api/test/reports*.test.ts >/dev/null 2>&1 && ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's poppler-utils (pdftotext) for the report tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
      || { echo "[test] could not install poppler-utils with apt-get; install it (apt-get install poppler-utils) and re-run" >&2; exit 2; }
  else
    echo "[test] the report tests need pdftotext: run 'sudo apt-get install poppler-utils'" >&2
    exit 2
  fi
fi

say "typecheck (tsc: the workspaces, then the dashboard)"
npx tsc -p tsconfig.json --noEmit
npx tsc -p dashboard/tsconfig.json --noEmit

mkdir -p artifacts
# the browser tests drive the dashboard build the api serves: build it once here (when stale),
# not in each test file at the same time
if ls tests/browser/*.test.ts >/dev/null 2>&1; then
  say "dashboard build (vite, when its sources changed)"
  node dashboard/build-if-stale.mjs
fi
say "running vitest (unit + integration)"
status=0
TEST_SCOPE="${TEST_SCOPE:-all}" npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("artifacts/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' || status=1
exit $status
