#!/usr/bin/env bash
# kcat (librdkafka's command-line client, Debian's `kcat`) for the tests that produce to Kafka
# with a client nobody here wrote (tests/kafka-codecs.test.ts). Idempotent: installs only when
# missing, with apt-get when running as root; otherwise says what to run.
set -euo pipefail
if command -v kcat >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[deps] installing Debian's kcat for the Kafka codec tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null) \
    || { echo "[deps] could not install kcat with apt-get; install it (apt-get install kcat) and re-run" >&2; exit 2; }
  command -v kcat >/dev/null 2>&1 || { echo "[deps] apt-get ran but kcat is still missing" >&2; exit 2; }
else
  echo "[deps] the Kafka codec tests need kcat (librdkafka's client): run 'sudo apt-get install kcat' (Debian/Ubuntu) or install kcat from your system's packages" >&2
  exit 2
fi
