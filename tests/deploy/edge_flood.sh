#!/usr/bin/env bash
# A soak run, not part of the default tests (docs/deploy.md section 11; `cmake --build build
# --target edge-flood`): deploy/haproxy/haal.cfg in front of the real haal-collector on loopback,
# flooded by N connections (default 9,500: HAProxy needs two descriptors per connection and this
# machine's hard limit is 20,000) from SOURCES addresses (default 250: 127.0.0.2 ...),
# half of them TLS connections that never finish their request head and half plain TCP
# connections that never send a byte, each replaced when HAProxy closes it. While the flood is
# held, an honest `haal loadgen` of VOTERS voters from 127.0.0.1 must get and check every receipt
# with p99 latency under 1 s; prints the latencies, what HAProxy did to the flood, and the
# collector's and HAProxy's resident memory.
# Usage: edge_flood.sh HAAL HAAL_COLLECTOR SOURCE_DIR [N] [SOURCES] [VOTERS]
set -euo pipefail
. "$(dirname "$0")/common.sh"
haal=$1
collector=$2
src=$3
n=${4:-9500}
sources=${5:-250}
voters=${6:-2000}
require_haproxy
# HAProxy reserves two descriptors per connection (client and server side) and refuses to start
# if maxconn needs more than the hard limit allows.
ulimit -n "$(ulimit -Hn)"
maxconn=$(((($(ulimit -n) - 40) / 2)))
[ "$maxconn" -gt $((n + 200)) ] || {
  echo "FAIL: a descriptor limit of $(ulimit -n) lets HAProxy hold $maxconn connections, not" \
    "$n and the honest ones (raise the hard limit, or give a smaller N)" >&2
  exit 1
}
work=$(mktemp -d)
collector_pid= haproxy_pid= flood_pid=
cleanup() {
  for pid in $flood_pid $haproxy_pid $collector_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; tail -5 haproxy.log >&2 || true; exit 1; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

start_collector_with_open_polls "$haal" "$collector" "$voters"

make_tls_bundle
read -r port http_port monitor_port spare_port < <(free_ports 4)
export_edge_env "$port" "$http_port" "$monitor_port" "$work" "$backend" "127.0.0.1:$spare_port"
# The deployed limits (haal.env's defaults), with maxconn sized for the flood, and a request rate
# per source high enough for the honest load generator, which stands for many voters but sends
# from one address (the flood completes no request, so that limit does not touch it).
export HAAL_MAXCONN=$maxconn HAAL_FRONTEND_MAXCONN=$((maxconn - 100)) HAAL_SRC_REQ_RATE=100000
haproxy -db -f "$src/deploy/haproxy/haal.cfg" >haproxy.log 2>&1 &
haproxy_pid=$!
url=https://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf --cacert tls.crt "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf --cacert tls.crt "$url/healthz" >/dev/null || fail "HAProxy does not serve /healthz"
rss_before=$(rss_mib "$collector_pid")

t0=$(date +%s)
python3 "$src/tests/deploy/slow_clients.py" flood 127.0.0.1 "$port" "$n" "$sources" 2 ready stop 600 \
  >flood.json &
flood_pid=$!
for _ in $(seq 1 1200); do [ -s ready ] && break; sleep 0.1; done
echo "flood: $(cat ready 2>/dev/null || echo 0) of $n connections open from $sources addresses after $(($(date +%s) - t0)) s"
[ "$(cat ready 2>/dev/null || echo 0)" -ge $((n * 95 / 100)) ] || fail "could not open the flood"

"$haal" loadgen --server "$url" --ca-cert tls.crt --election el --credentials creds \
  --voters "$voters" --concurrency 8 --quiet >loadgen.txt 2>&1 ||
  { cat loadgen.txt; fail "the honest loadgen failed under the flood"; }
sed 's/^/  honest voters: /' loadgen.txt
p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' loadgen.txt)
rss_collector=$(rss_mib "$collector_pid")
rss_haproxy=$(rss_mib "$haproxy_pid")
touch stop
wait "$flood_pid" || true
flood_pid=
echo "flood: $(cat flood.json)"
echo "resident memory: collector $rss_before -> $rss_collector MiB, HAProxy $rss_haproxy MiB"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)' "$p99" ||
  fail "honest p99 $p99 ms under the flood (target: under 1 s)"
[ "$rss_collector" -lt 300 ] || fail "the collector grew to $rss_collector MiB"
echo "edge flood: 1 passed, 0 failed"
