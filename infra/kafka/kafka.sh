#!/usr/bin/env bash
# A single Apache Kafka broker (KRaft, combined broker+controller) on loopback, from the jars
# pinned in pom.xml. No Docker, no download at run time other than Maven Central on `fetch`.
#
#   infra/kafka/kafka.sh fetch                 copy the jars into infra/kafka/.jars (cached)
#   infra/kafka/kafka.sh start [port] [dir]    format dir (once) and start; waits until ready
#   infra/kafka/kafka.sh stop [dir]            stop the broker started with dir
#   infra/kafka/kafka.sh run-class CLASS ...   run a Kafka tool class (console producer, perf tests)
#
# Environment: KAFKA_PORT (9092), KAFKA_DIR (.kafka-data at the repo root), KAFKA_HEAP (-Xmx512m).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JARS="$HERE/.jars"

need_java() {
  if ! command -v java >/dev/null 2>&1; then
    echo "kafka.sh: java not found; install a JDK 17+ (Debian: apt-get install openjdk-17-jre-headless)" >&2
    exit 2
  fi
}

fetch() {
  if [ -f "$JARS/.complete" ] && [ "$JARS/.complete" -nt "$HERE/pom.xml" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "kafka.sh: mvn not found; install Maven (Debian: apt-get install maven) to fetch the Kafka jars" >&2
    exit 2
  fi
  echo "kafka.sh: fetching Apache Kafka jars from Maven Central into $JARS …" >&2
  rm -rf "$JARS"
  (cd "$HERE" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$JARS" -DincludeScope=runtime) >&2
  touch "$JARS/.complete"
  echo "kafka.sh: $(ls "$JARS"/*.jar | wc -l) jars ready" >&2
}

java_run() {
  need_java
  fetch
  java ${KAFKA_HEAP:--Xmx512m -Xms256m} -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/log4j2.yaml" -cp "$JARS/*" "$@"
}

# the broker's process is alive: `kill -0` alone also answers for a zombie, a broker that was
# SIGKILLed and not yet reaped (its parent is init once kafka.sh exits, and an init may reap late)
running() {
  local pid="$1" state=""
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/stat" ]; then state="$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null)"; fi
  [ "$state" != "Z" ]
}

start() {
  local port="${1:-${KAFKA_PORT:-9092}}"
  local dir="${2:-${KAFKA_DIR:-$ROOT/.kafka-data}}"
  local cport=$((port + 1))
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/broker.pid" ] && running "$(cat "$dir/broker.pid")"; then
    echo "kafka.sh: broker already running (pid $(cat "$dir/broker.pid")) on 127.0.0.1:$port" >&2
    return 0
  fi
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/logs
num.partitions=4
# single broker: internal topics cannot have more replicas than brokers, or consumers never
# find a group coordinator and transactions never start
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
log.retention.hours=6
PROPS
  fetch
  if [ ! -f "$dir/logs/meta.properties" ]; then
    local cid
    cid="$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java_run kafka.tools.StorageTool format -t "$cid" -c "$dir/server.properties" --standalone >"$dir/format.log" 2>&1 \
      || java_run kafka.tools.StorageTool format -t "$cid" -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
      || { echo "kafka.sh: formatting $dir failed:" >&2; cat "$dir/format.log" >&2; exit 1; }
  fi
  need_java
  nohup java ${KAFKA_HEAP:--Xmx512m -Xms256m} -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/log4j2.yaml" -cp "$JARS/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/broker.log" 2>&1 &
  echo $! >"$dir/broker.pid"
  echo "kafka.sh: starting broker pid $(cat "$dir/broker.pid") on 127.0.0.1:$port (data $dir)" >&2
  local i
  for i in $(seq 1 240); do
    if ! running "$(cat "$dir/broker.pid")"; then
      echo "kafka.sh: broker exited during start; last log lines:" >&2
      tail -30 "$dir/broker.log" >&2
      exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      if grep -q "Transition from STARTING to STARTED\|Kafka Server started\|Transitioning from RECOVERY to RUNNING\|started (kafka.server" "$dir/broker.log" 2>/dev/null || [ "$i" -gt 20 ]; then
        echo "kafka.sh: broker ready on 127.0.0.1:$port after ~$((i / 4))s" >&2
        return 0
      fi
    fi
    sleep 0.25
  done
  echo "kafka.sh: broker did not become ready within 60s; see $dir/broker.log" >&2
  exit 1
}

stop() {
  local dir="${1:-${KAFKA_DIR:-$ROOT/.kafka-data}}"
  [ -f "$dir/broker.pid" ] || return 0
  local pid
  pid="$(cat "$dir/broker.pid")"
  if running "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do running "$pid" || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/broker.pid"
  echo "kafka.sh: broker stopped" >&2
}

cmd="${1:-}"
shift || true
case "$cmd" in
  fetch) fetch ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  run-class) java_run "$@" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 1 ;;
esac
