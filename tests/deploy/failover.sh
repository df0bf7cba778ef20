#!/usr/bin/env bash
# Failover (docs/deploy.md section 7): two haal-collectors on one PostgreSQL store behind
# deploy/haproxy/haal.cfg, everything on loopback. Voters cast through HAProxy's TLS without a
# pause (`haal loadgen --retry-for`, rounds of 100 voters re-voting), while the active collector is
# killed with SIGKILL KILLS times, each time at a random moment, and restarted once the other one
# has taken over; it must then wait as the standby.
# Checks: every loadgen round gets every receipt; after each kill the other collector takes over
# and HAProxy serves /healthz again within 10 s (the time without service is printed); at the end
# every receipt of every round is on the board under a head consistent with the current one
# (`haal loadgen check`), and a last restart recovers the board, which re-checks every stored head.
# Skips (exit 77) without HAAL_TEST_POSTGRES_URL; fails when haproxy is not installed.
# Usage: failover.sh HAAL HAAL_COLLECTOR SOURCE_DIR [KILLS]
set -euo pipefail
. "$(dirname "$0")/common.sh"
haal=$1
collector=$2
src=$3
kills=${4:-10}
if [ -z "${HAAL_TEST_POSTGRES_URL:-}" ]; then
  echo "SKIP: the failover test needs PostgreSQL (HAAL_TEST_POSTGRES_URL; scripts/test sets it)"
  exit 77
fi
require_haproxy
work=$(mktemp -d)
schema=haal_failover_$$
base_url=$HAAL_TEST_POSTGRES_URL
case "$base_url" in *\?*) sep='&' ;; *) sep='?' ;; esac
store_url="$base_url${sep}options=-csearch_path%3D$schema"
pids=()
load_pid=
cleanup() {
  touch "$work/stop-load" 2>/dev/null || true
  [ -n "$load_pid" ] && wait "$load_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$base_url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  [ -n "${HAAL_KEEP_WORK:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() {
  echo "FAIL: $*" >&2
  for f in c1.log c2.log loadgen-rounds.txt; do echo "--- $f (tail)" >&2; tail -15 "$f" >&2 || true; done
  exit 1
}
psql "$base_url" -qc "CREATE SCHEMA $schema" >/dev/null || fail "cannot create schema $schema"

export HAAL_TEST_PASSPHRASE=test-passphrase
"$haal" loadgen test-election --election el --credentials creds --voters 100 \
  --officials-key officials.json --collector-key collector.key \
  --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null

read -r port http_port monitor_port port1 port2 < <(free_ports 5)
declare -A collector_pid
# The same 100 voters re-vote every round, many times a second: no per-voter rate limit here.
start_collector() {  # start_collector N: collector N on port N, appending to cN.log
  local n=$1 p
  p=$([ "$n" = 1 ] && echo "$port1" || echo "$port2")
  "$collector" --election el --store "$store_url" --key collector.key --listen "127.0.0.1:$p" \
    --ip-rate 0 --voter-rate 0 --max-connections-per-address 0 --web none >>"c$n.out" 2>>"c$n.log" &
  collector_pid[$n]=$!
  pids+=("$!")
}
answers() { curl -sf --max-time 1 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; }
active_collector() {  # prints the number of the collector that serves, or nothing
  answers "$port1" && { echo 1; return; }
  answers "$port2" && { echo 2; return; }
  true
}

start_collector 1
for _ in $(seq 1 100); do answers "$port1" && break; sleep 0.1; done
answers "$port1" || fail "collector 1 did not start"
start_collector 2
sleep 0.5
grep -q 'standby for' c2.log || fail "collector 2 is not waiting as the standby: $(cat c2.log)"
answers "$port2" && fail "collector 2 serves while collector 1 holds the writer lease"
"$haal" polls open --server "http://127.0.0.1:$port1" --officials-key officials.json \
  --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null

make_tls_bundle
export_edge_env "$port" "$http_port" "$monitor_port" "$work" "127.0.0.1:$port1" "127.0.0.1:$port2"
export HAAL_SRC_REQ_RATE=100000 HAAL_SRC_CONN_RATE=100000 HAAL_MAXCONN=2000 HAAL_FRONTEND_MAXCONN=1500
haproxy -db -f "$src/deploy/haproxy/haal.cfg" >haproxy.log 2>&1 &
pids+=("$!")
url=https://127.0.0.1:$port
edge_serves() { curl -sf --max-time 1 --cacert tls.crt "$url/healthz" >/dev/null 2>&1; }
# Until its first check HAProxy takes collector 2 (the standby, not listening) for up: wait for
# that check, so the probes below measure failovers, not HAProxy's start.
for _ in $(seq 1 100); do grep -q 'collector2 is DOWN' haproxy.log && break; sleep 0.1; done
grep -q 'collector2 is DOWN' haproxy.log || fail "HAProxy did not mark the standby down"
for _ in $(seq 1 100); do edge_serves && break; sleep 0.1; done
edge_serves || fail "HAProxy does not serve /healthz"

# The voters: loadgen rounds back to back until told to stop. A round that could not even start
# (the election fetched during an outage) is tried again; one that sent ballots must get every
# receipt.
(
  round=0
  while [ ! -e stop-load ]; do
    round=$((round + 1))
    if "$haal" loadgen --server "$url" --ca-cert tls.crt --election el --credentials creds \
      --voters 100 --concurrency 4 --retry-for 30 --receipts receipts.jsonl --quiet \
      >"round.txt" 2>&1; then
      echo "round $round: $(head -1 round.txt) | $(grep latency round.txt)" >>loadgen-rounds.txt
    elif grep -q '^sent ' round.txt; then
      { echo "round $round FAILED:"; cat round.txt; } >>loadgen-rounds.txt
      touch load-failed
      exit 1
    else
      echo "round $round could not start: $(tail -1 round.txt)" >>loadgen-rounds.txt
      sleep 0.2
    fi
  done
) &
load_pid=$!

outages=()
for k in $(seq 1 "$kills"); do
  sleep "$(python3 -c 'import random; print(round(random.uniform(1.5, 3.5), 2))')"
  [ -e load-failed ] && fail "a loadgen round lost ballots"
  active=$(active_collector)
  [ -n "$active" ] || fail "kill $k: no collector serves"
  other=$((3 - active))
  answers "$([ "$other" = 1 ] && echo "$port1" || echo "$port2")" &&
    fail "kill $k: both collectors serve"
  t_kill=$(now)
  kill -9 "${collector_pid[$active]}"
  wait "${collector_pid[$active]}" 2>/dev/null || true
  while ! edge_serves; do
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 20 else 1)' "$(since "$t_kill")" ||
      fail "kill $k: no service 20 s after killing collector $active"
    sleep 0.05
  done
  outage=$(since "$t_kill")
  [ "$(active_collector)" = "$other" ] || fail "kill $k: collector $other did not take over"
  echo "kill $k: collector $active killed, collector $other took over; no service for $outage s"
  # The killed one comes back (as systemd restarts it) and must wait as the new standby.
  start_collector "$active"
  sleep 0.3
  [ "$(active_collector)" = "$other" ] || fail "kill $k: the restarted collector $active serves"
  outages+=("$outage")
done
sleep 2
touch stop-load
wait "$load_pid" || fail "the loadgen rounds failed"
load_pid=
[ -e load-failed ] && fail "a loadgen round lost ballots"
rounds=$(grep -c '^round .*: sent' loadgen-rounds.txt || true)
echo "loadgen: $rounds complete rounds of 100 ballots through HAProxy during $kills kills"
grep '^round' loadgen-rounds.txt | sed 's/^/  /' | tail -5
receipts=$(wc -l <receipts.jsonl)
[ "$receipts" -ge $((100 * kills / 2)) ] || fail "only $receipts receipts: the load did not run"

# Every receipt of every round on the board, every receipt's head consistent with today's.
"$haal" loadgen check --server "$url" --ca-cert tls.crt --election el --receipts receipts.jsonl --quiet \
  >check.txt 2>&1 || { cat check.txt; fail "receipt audit after $kills kills"; }
grep -q '^OK' check.txt || fail "receipt audit: $(cat check.txt)"
echo "receipt audit: $(head -1 check.txt)"
# Each takeover recovered the board from the store and re-checked every stored signed head.
takeovers=$(cat c1.log c2.log | grep -c 'took over the writer lease' || true)
[ "$takeovers" -ge "$kills" ] || fail "$takeovers takeovers logged for $kills kills"
! grep -q 'RecoveryError\|board recovery' c1.log c2.log || fail "a recovery failed"
python3 - "${outages[@]}" <<'EOF' || fail "a takeover took 10 s or more"
import sys
t = sorted(float(x) for x in sys.argv[1:])
print("time without service over %d kills: median %.2f s, max %.2f s" % (len(t), t[len(t) // 2], t[-1]))
sys.exit(0 if t[-1] < 10 else 1)
EOF
echo "failover: 1 passed, 0 failed"
