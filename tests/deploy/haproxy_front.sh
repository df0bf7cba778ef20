#!/usr/bin/env bash
# deploy/haproxy/haal.cfg in front of the real haal-collector, everything on loopback: 300
# slowloris connections (a header line every 2 s, replaced when closed) hang on HAProxy while an
# honest `haal loadgen` of 50 voters through HAProxy's TLS gets every receipt; HAProxy answers
# each slow connection 408 and closes it within its 10 s `timeout http-request`; an oversized
# body gets 413 without reaching the collector; the per-source connection and request-rate
# limits refuse the excess; HSTS is sent and no Server banner; /metrics is not public.
# Fails (never skips) when haproxy is not installed.
# Usage: haproxy_front.sh HAAL HAAL_COLLECTOR SOURCE_DIR
set -euo pipefail
. "$(dirname "$0")/common.sh"
haal=$1
collector=$2
src=$3
require_haproxy
work=$(mktemp -d)
collector_pid= haproxy_pid= slow_pid=
cleanup() {
  for pid in $slow_pid $haproxy_pid $collector_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; echo "--- haproxy log (tail)" >&2; tail -20 haproxy.log >&2 || true; exit 1; }

start_collector_with_open_polls "$haal" "$collector" 50

make_tls_bundle
read -r port http_port monitor_port standby_port < <(free_ports 4)
export_edge_env "$port" "$http_port" "$monitor_port" "$work" "$backend" "127.0.0.1:$standby_port"
export HAAL_SRC_CONN_MAX=320 HAAL_SRC_CONN_RATE=5000 HAAL_SRC_REQ_RATE=300 \
  HAAL_MAXCONN=2000 HAAL_FRONTEND_MAXCONN=1500
# (maxconn 2000: HAProxy needs 2 descriptors per connection and the test's limit may be low.)
# collector2 points at a port where nothing listens: a standby waiting for the writer lease.
haproxy -c -q -f "$src/deploy/haproxy/haal.cfg" || fail "haproxy -c rejects the configuration"
haproxy -db -f "$src/deploy/haproxy/haal.cfg" >haproxy.log 2>&1 &
haproxy_pid=$!
url=https://127.0.0.1:$port
for _ in $(seq 1 100); do
  kill -0 "$haproxy_pid" 2>/dev/null || fail "haproxy exited"
  curl -sf --cacert tls.crt "$url/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --cacert tls.crt "$url/healthz" >/dev/null || fail "HAProxy does not serve /healthz"

# Headers: HSTS, no Server banner; /metrics only on the monitoring frontend; port 80 redirects.
curl -s -D headers.txt -o /dev/null --cacert tls.crt "$url/api/election"
grep -qi '^Strict-Transport-Security: max-age=63072000' headers.txt || fail "no HSTS header"
! grep -qi '^Server:' headers.txt || fail "a Server header reached the client"
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert tls.crt "$url/metrics")" = 404 ] ||
  fail "/metrics is public"
curl -sf "http://127.0.0.1:$monitor_port/metrics" | grep -q '^haal_collector_board_entries' ||
  fail "the monitoring frontend does not serve the collector's /metrics"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/x")" = \
  "301 https://127.0.0.1:$http_port/x" ] || fail "port 80 does not redirect to https"

# 300 slowloris connections, kept up for the whole honest run.
python3 "$src/tests/deploy/slow_clients.py" slowloris 127.0.0.1 "$port" 300 2 ready stop 45 \
  >slow.json &
slow_pid=$!
for _ in $(seq 1 200); do [ -s ready ] && break; sleep 0.1; done
[ "$(cat ready 2>/dev/null)" = 300 ] || fail "could not open 300 slow connections ($(cat ready 2>/dev/null))"
attack_start=$(now)

# While they hang: the honest voters. Every receipt, within 30 s.
t0=$(now)
timeout 30 "$haal" loadgen --server "$url" --ca-cert tls.crt --election el --credentials creds \
  --voters 50 --concurrency 4 >loadgen.txt 2>&1 || { cat loadgen.txt; fail "loadgen through HAProxy failed"; }
echo "loadgen through HAProxy under 300 slowloris connections: $(since "$t0") s"
grep -E 'accepted|ballots/s|p50' loadgen.txt | sed 's/^/  /'

# An oversized body: 413 from HAProxy on the Content-Length header alone, before any body is read
# (sent without the body: HAProxy's close after a 413 resets a connection with unread data).
answer=$(python3 "$src/tests/deploy/slow_clients.py" announce 127.0.0.1 "$port" 262145 tls.crt)
[[ "$answer" == "HTTP/1.1 413 "*'"payload-too-large"'* ]] || fail "oversized body: $answer"
! curl -s "http://$backend/metrics" | grep -q 'payload-too-large' ||
  fail "the oversized body reached the collector"
# A body at the limit passes HAProxy (the collector answers it: 400, not JSON).
head -c 262144 /dev/zero | tr '\0' 'x' >max.json
code=$(curl -s -o max.out -w '%{http_code}' --cacert tls.crt -H 'Content-Type: application/json' \
  --data-binary @max.json "$url/api/ballots")
[ "$code" = 400 ] && grep -q '"bad-json"' max.out || fail "body at the limit: $code $(cat max.out)"

# Per-source connection limit (320): with 300 slow connections held, most of 40 more are refused.
probe=$(python3 "$src/tests/deploy/slow_clients.py" probe 127.0.0.1 "$port" 40)
echo "connection-limit probe with 300 slow connections held: $probe"
python3 -c 'import json,sys; p=json.loads(sys.argv[1]); sys.exit(0 if p["closed_at_once"] >= 15 and p["kept"] >= 5 else 1)' \
  "$probe" || fail "per-source connection limit: $probe"

# Let every first-generation slow connection reach HAProxy's 10 s deadline, then stop the attack.
while python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 12.5 else 1)' "$(since "$attack_start")"; do
  sleep 0.5
done
touch stop
wait "$slow_pid"
slow_pid=
echo "slowloris: $(cat slow.json)"
python3 - slow.json <<'EOF' || fail "slow connections: $(cat slow.json)"
import json, sys
r = json.load(open(sys.argv[1]))
# All of the first 300 were answered 408 and closed by HAProxy at its timeout http-request (10 s,
# plus slack), none left hanging on the collector. Replacements whose head was complete (the slow
# bodies) may instead be refused 429 at once: the 408s count towards the source's request rate.
closed = r["closed_by_server"]
ok = (closed.get("408", 0) >= 300 and set(closed) <= {"408", "429"}
      and r["max_lifetime_s"] <= 12.0 and r["min_lifetime_s"] >= 8.0)
sys.exit(0 if ok else 1)
EOF
grep -q ' 408 .* cR' haproxy.log || fail "no 408 cR line in HAProxy's log"

# Per-source request-rate limit (300 per 10 s), from another loopback address (127.0.0.2, whose
# counters the attack from 127.0.0.1 did not touch): of 400 requests the first 300 pass, the rest
# get 429.
burst=$(python3 "$src/tests/deploy/slow_clients.py" burst 127.0.0.1 "$port" 400 127.0.0.2 tls.crt)
echo "request-rate burst of 400 from 127.0.0.2: $burst"
[ "$burst" = '{"200": 300, "429": 100}' ] || fail "request-rate limit: $burst"
# Anonymous challenges: at most 20 per 10 minutes from one source address (from 127.0.0.3, whose
# counters nothing else touched); the collector answers the first 20 (these bodies are not
# challenges: 400), HAProxy refuses the rest with 429 before the collector sees them.
challenges=$(for _ in $(seq 1 23); do
  curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.3 --cacert tls.crt \
    -H 'Content-Type: application/json' -d '{}' "$url/api/challenges"
done | sort | uniq -c | awk '{printf "%s%s:%s", sep, $2, $1; sep=" "}')
echo "23 challenges from 127.0.0.3: $challenges"
[ "$challenges" = "400:20 429:3" ] || fail "per-address challenge limit: $challenges"
# collector2 (nothing listening, as a standby) is down and took no request.
grep -q 'collector2 is DOWN' haproxy.log || fail "collector2 was not marked down by its health check"
echo "haproxy front: 1 passed, 0 failed"
