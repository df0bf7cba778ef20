#!/usr/bin/env bash
# Collector benchmark (not a timed test): sustained accepted ballots per second and latency
# percentiles of build/bin/haal-collector under `haal loadgen`, then an audit of every receipt.
#   bench/collector_bench.sh [--store sqlite|postgresql://...] [--voters N] [--concurrency C]
# (a PostgreSQL run uses a fresh schema, dropped afterwards; needs psql)
#                            [--revote-rate R]
# Needs a build (cmake --build build --target haal haal-collector). Prints the loadgen report.
set -euo pipefail
cd "$(dirname "$0")/.."
store=sqlite voters=20000 concurrency=64 revote=0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --voters) voters=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --revote-rate) revote=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/haal-collector-bench.XXXXXX)
server_pid=
schema=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  [ -n "$schema" ] && psql -q "$store" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
echo "bench-passphrase" > "$work/pass"
build/bin/haal loadgen test-election --election "$work/election" --credentials "$work/credentials" \
  --voters "$voters" --officials-key "$work/officials.key" --collector-key "$work/collector.key" \
  --passphrase-file "$work/pass"
if [ "$store" = sqlite ]; then
  store_url="sqlite:$work/board.db"
else
  schema="haal_collector_bench_$$"
  psql -q "$store" -c "CREATE SCHEMA $schema" >/dev/null
  case "$store" in *\?*) sep='&' ;; *) sep='?' ;; esac
  store_url="$store${sep}options=-csearch_path%3D$schema"
fi
build/bin/haal-collector --election "$work/election" --store "$store_url" --key "$work/collector.key" \
  --listen 127.0.0.1:0 --ip-rate 0 --max-connections-per-address 0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$work/server.out")
[ -n "$url" ] || { cat "$work/server.err"; exit 1; }
build/bin/haal polls open --server "$url" --officials-key "$work/officials.key" --passphrase-file "$work/pass"
echo "== haal loadgen: $voters voters, concurrency $concurrency, revote rate $revote, store ${store%%://*}, $(nproc) cores"
build/bin/haal loadgen --server "$url" --election "$work/election" --credentials "$work/credentials" \
  --voters "$voters" --concurrency "$concurrency" --revote-rate "$revote" --receipts "$work/receipts.jsonl"
build/bin/haal loadgen check --server "$url" --election "$work/election" --receipts "$work/receipts.jsonl" --quiet
tail -3 "$work/server.err"
