# Sourced by the tests/deploy scripts: loopback helpers shared by every run of the edge.

# Prints N free loopback TCP ports (bound and released at once, so another process could take
# one in between: good enough for tests on a quiet loopback).
free_ports() {
  python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])' "$1"
}

# Writes a throw-away self-signed certificate for 127.0.0.1 (tls.crt, tls.key) and HAProxy's PEM
# bundle of both (bundle.pem) into the current directory.
make_tls_bundle() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout tls.key -out tls.crt 2>/dev/null
  cat tls.crt tls.key >bundle.pem
}

# Exports the environment of deploy/haproxy/haal.cfg for an edge on loopback: public TLS port,
# port-80 redirect, monitoring port, the bundle made by make_tls_bundle in directory DIR, and the
# two collectors; HAProxy logs to stdout.
# Usage: export_edge_env PORT HTTP_PORT MONITOR_PORT DIR COLLECTOR_1 COLLECTOR_2
export_edge_env() {
  export HAAL_BIND=127.0.0.1:$1 HAAL_HTTP_BIND=127.0.0.1:$2 HAAL_MONITOR_BIND=127.0.0.1:$3 \
    HAAL_TLS_PEM=$4/bundle.pem HAAL_COLLECTOR_1=$5 HAAL_COLLECTOR_2=$6 HAAL_HAPROXY_LOG=stdout
}

# Exits 1 (never skips) when haproxy is not installed.
require_haproxy() {
  command -v haproxy >/dev/null && return
  echo "FAIL: haproxy is not installed (apt-get install haproxy; scripts/setup installs it)" >&2
  exit 1
}

now() { date +%s.%N; }
# Prints the seconds since a time printed by `now`, to the hundredth.
since() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }

# In the current directory: a throw-away test election of VOTERS voters (el/, creds/,
# officials.json, collector.key; officials' passphrase in HAAL_TEST_PASSPHRASE), one collector on
# loopback (SQLite, plain HTTP, with --ip-rate 0 and no per-address cap, as behind the edge, which
# does the per-source limits; logs collector.out/.log), and the polls opened. Sets collector_pid
# and backend (ADDR:PORT). Calls `fail` (the caller's) if the collector does not start.
# Usage: start_collector_with_open_polls HAAL HAAL_COLLECTOR VOTERS
start_collector_with_open_polls() {
  export HAAL_TEST_PASSPHRASE=test-passphrase
  "$1" loadgen test-election --election el --credentials creds --voters "$3" \
    --officials-key officials.json --collector-key collector.key \
    --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
  "$2" --election el --store sqlite:board.db --key collector.key --listen 127.0.0.1:0 \
    --ip-rate 0 --max-connections-per-address 0 --web none >collector.out 2>collector.log &
  collector_pid=$!
  for _ in $(seq 1 100); do grep -q 'listening on' collector.out 2>/dev/null && break; sleep 0.1; done
  backend=$(sed -n 's|.*listening on http://||p' collector.out)
  [ -n "$backend" ] || { cat collector.log >&2; fail "the collector did not start"; }
  "$1" polls open --server "http://$backend" --officials-key officials.json \
    --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
}
