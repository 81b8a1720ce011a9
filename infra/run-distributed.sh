#!/usr/bin/env bash
# The distributed set on this machine, every part its own process on loopback:
#
#   Kafka broker (infra/kafka/kafka.sh)            127.0.0.1:$KAFKA_PORT
#   haidang store   (chDB behind ClickHouse HTTP)  127.0.0.1:$STORE_PORT   ops :$OPS_BASE
#   haidang stream  × $WORKERS (one consumer group, sharing the partitions)  ops :$OPS_BASE+1…
#   haidang api --alerts (api + dashboard; the one judge of the alert rules) http://127.0.0.1:$API_PORT
#   haidang ingest  (the simulator at --rate, publishing to Kafka)         ops :$OPS_BASE+$WORKERS+1
#
# chDB opens a data folder from one process only, so every process that opens the store
# talks to `haidang store` through CLICKHOUSE_URL. Each process logs to $DIR/logs/<name>.log
# and, prefixed with its name, to this terminal. Ctrl-C stops them all: the producer first,
# then the api, the workers (each finishes and commits its batch), the store, the broker.
#
#   infra/run-distributed.sh [--rate N] [--workers N]      (npm run distributed -- --rate 500)
#
# Environment: HAIDANG_DIST_DIR (.distributed at the repo root), KAFKA_PORT (19092; the
# controller takes the next port), STORE_PORT (18123), API_PORT (8080), OPS_BASE (9464),
# HAIDANG_ADMIN_PASSWORD (unset = a random one, printed once).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RATE=200
WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-distributed: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

DIR="$(mkdir -p "${HAIDANG_DIST_DIR:-$ROOT/.distributed}" && cd "${HAIDANG_DIST_DIR:-$ROOT/.distributed}" && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19092}"
STORE_PORT="${STORE_PORT:-18123}"
API_PORT="${API_PORT:-8080}"
OPS_BASE="${OPS_BASE:-9464}"
mkdir -p "$DIR/logs"

# secrets for this run only: generated here, never written into the repo
STORE_USER=haidang
STORE_PASSWORD="$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')"
ADMIN_PASSWORD="${HAIDANG_ADMIN_PASSWORD:-$(node -e 'process.stdout.write(require("crypto").randomBytes(12).toString("base64url"))')}"
# `haidang` refuses HAIDANG_* keys it does not know: keep this script's own out of the children
unset HAIDANG_DIST_DIR HAIDANG_ADMIN_PASSWORD
export CLICKHOUSE_URL="http://127.0.0.1:$STORE_PORT"
export CLICKHOUSE_USER="$STORE_USER" CLICKHOUSE_PASSWORD="$STORE_PASSWORD"
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export CI="${CI:-}" LOG_LEVEL="${LOG_LEVEL:-info}"

# JSON lines go to the log files; a terminal sees them readable (pino-pretty, a dependency of stream)
PRETTY=cat
if [ -t 1 ] && [ -x node_modules/.bin/pino-pretty ]; then
  PRETTY="node_modules/.bin/pino-pretty --colorize --singleLine --translateTime SYS:HH:MM:ss --ignore pid,hostname,name"
fi

say() { printf '\033[1m[distributed]\033[0m %s\n' "$*"; }
PIDS=()
NAMES=()

# `launch NAME ENV… -- haidang ARGS…`: one process, its output prefixed here and kept in logs/NAME.log
launch() {
  local name="$1"; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  # setsid: its own process group, so stopping it stops tsx and node together, not this script
  # --max-semi-space-size: 16 for the store and the api (64 bought no speed and cost ~80 MiB); 8 for
  # a stream worker, which keeps it under 200 MiB at the same CPU an event (docs/benchmarks.md, a worker's memory)
  local semi=16
  if [ "$1" = stream ]; then semi=8; fi
  env "${envs[@]}" UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}" setsid node --max-semi-space-size=$semi bin/haidang.mjs "$@" > >(tee -a "$DIR/logs/$name.log" | $PRETTY | sed -u "s/^/[$name] /") 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
}

# `wait_ready NAME URL`: until URL answers 200, the process exits, or 2 minutes pass (its log's end is shown)
wait_ready() {
  local name="$1" url="$2" i n pid=""
  for n in "${!NAMES[@]}"; do if [ "${NAMES[$n]}" = "$name" ]; then pid="${PIDS[$n]}"; fi; done
  for i in $(seq 1 240); do
    if curl -fsS --max-time 2 "$url" >/dev/null 2>&1; then say "$name ready ($url)"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name exited before it was ready; the end of $DIR/logs/$name.log:"
      tail -n 20 "$DIR/logs/$name.log" | sed "s/^/  /"
      return 1
    fi
    sleep 0.5
  done
  say "$name did not become ready at $url within 2 minutes; the end of $DIR/logs/$name.log:"
  tail -n 20 "$DIR/logs/$name.log" | sed "s/^/  /"
  return 1
}

stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  say "stopping"
  local i
  # services first (newest first), the store after them, the broker last
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${PIDS[$i]}" 2>/dev/null || true
    say "${NAMES[$i]} stopped"
  done
  bash infra/kafka/kafka.sh stop "$DIR/kafka" || true
  say "all stopped; logs in $DIR/logs"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

say "data and logs in $DIR"
bash infra/kafka/kafka.sh start "$KAFKA_PORT" "$DIR/kafka"

launch store HAIDANG_DATA_DIR="$DIR/store" HAIDANG_STORE_PORT="$STORE_PORT" HAIDANG_OPS_PORT="$OPS_BASE" -- store
wait_ready store "http://127.0.0.1:$OPS_BASE/readyz"
node bin/haidang.mjs migrate 2>&1 | sed -u 's/^/[migrate] /'

for n in $(seq 1 "$WORKERS"); do
  launch "stream-$n" HAIDANG_OPS_PORT="$((OPS_BASE + n))" -- stream
done
for n in $(seq 1 "$WORKERS"); do wait_ready "stream-$n" "http://127.0.0.1:$((OPS_BASE + n))/readyz"; done

# the wall the api serves at / (vite; nothing to do when dashboard/dist is current)
node dashboard/build-if-stale.mjs || say "dashboard build failed: the api answers 503 at / until \`npm run build\` succeeds"

# the api before the producer: its alert judge reads from the end of the topics once it has joined
launch api HAIDANG_ADMIN_PASSWORD="$ADMIN_PASSWORD" HAIDANG_COOKIE_SECURE=false HAIDANG_PORT="$API_PORT" -- api --alerts
wait_ready api "http://127.0.0.1:$API_PORT/readyz"

INGEST_OPS=$((OPS_BASE + WORKERS + 1))
launch ingest HAIDANG_OPS_PORT="$INGEST_OPS" -- ingest --rate "$RATE"
wait_ready ingest "http://127.0.0.1:$INGEST_OPS/readyz"

cat <<EOF

  Hải Đăng, distributed on this machine:
    dashboard + api   http://127.0.0.1:$API_PORT  (admin / $ADMIN_PASSWORD)   docs: /docs   (judges the alerts)
    simulator         haidang ingest --rate $RATE → Kafka; $WORKERS haidang stream workers store it
    Kafka             $KAFKA_BROKERS   (data $DIR/kafka)
    store             $CLICKHOUSE_URL   user $STORE_USER, password $STORE_PASSWORD   (chDB in $DIR/store)
    ops               store :$OPS_BASE, stream workers :$((OPS_BASE + 1))…:$((OPS_BASE + WORKERS)), ingest :$INGEST_OPS, api: its own port
                      /healthz /readyz /metrics on each (metrics: loopback only)
    query             CLICKHOUSE_URL=$CLICKHOUSE_URL CLICKHOUSE_USER=$STORE_USER CLICKHOUSE_PASSWORD=$STORE_PASSWORD node bin/haidang.mjs sql "SELECT count() FROM capacity_raw"
  Ctrl-C stops everything.

EOF

# stay until Ctrl-C, or until a process dies on its own
while :; do
  for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      say "${NAMES[$i]} exited on its own; stopping the rest (see $DIR/logs/${NAMES[$i]}.log)"
      exit 1
    fi
  done
  sleep 1
done
