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
