#!/usr/bin/env bash
# The ClickHouse clients the store's tests drive (tests/store-clients.test.ts), each from its own
# registry: Python's clickhouse-connect (PyPI), Go's clickhouse-go/v2 (Go module proxy, built once
# into tests/clients/go/.bin), clickhouse-jdbc 0.10 (Maven Central, classpath written to
# tests/clients/jdbc/.classpath). Idempotent: installs only what is missing. A client whose
# toolchain is absent is reported and its test says so; nothing else fails here.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '\033[1m[deps]\033[0m %s\n' "$*"; }

if command -v python3 >/dev/null 2>&1; then
  if ! python3 -c 'import clickhouse_connect' >/dev/null 2>&1; then
    say "clickhouse-connect (PyPI)"
    python3 -m pip install -q --disable-pip-version-check 'clickhouse-connect==1.12.0' || echo "[deps] could not install clickhouse-connect with pip" >&2
  fi
else
  echo "[deps] python3 not found: the clickhouse-connect test will be skipped" >&2
fi

if command -v go >/dev/null 2>&1; then
  GO_DIR="$ROOT/tests/clients/go"
  if [ ! -x "$GO_DIR/.bin/client" ] || [ -n "$(find "$GO_DIR" -maxdepth 1 \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -newer "$GO_DIR/.bin/client")" ]; then
    say "clickhouse-go/v2 client (Go module proxy)"
    (cd "$GO_DIR" && go build -o .bin/client .) || echo "[deps] could not build the clickhouse-go client" >&2
  fi
else
  echo "[deps] go not found: the clickhouse-go test will be skipped" >&2
fi

if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  J_DIR="$ROOT/tests/clients/jdbc"
  if [ ! -s "$J_DIR/.classpath" ] || [ "$J_DIR/pom.xml" -nt "$J_DIR/.classpath" ]; then
    say "clickhouse-jdbc (Maven Central)"
    (cd "$J_DIR" && mvn -q -B dependency:build-classpath -Dmdep.outputFile=.classpath >&2) || echo "[deps] could not fetch clickhouse-jdbc" >&2
  fi
else
  echo "[deps] mvn/java not found: the clickhouse-jdbc test will be skipped" >&2
fi
exit 0
