#!/usr/bin/env bash
# `haproxy -c` accepts deploy/haproxy/haal.cfg with the template deploy/haproxy/haal.env (its
# certificate paths replaced by a throw-away self-signed bundle and CA), both with a TLS peer
# collector and with a single collector (collector2 "disabled"); and refuses it when a required variable is
# missing, so the check can fail. Fails (never skips) when haproxy is not installed.
# Usage: haproxy_check.sh SOURCE_DIR
set -euo pipefail
src=$1
if ! command -v haproxy >/dev/null; then
  echo "FAIL: haproxy is not installed (apt-get install haproxy; scripts/setup installs it)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=vote.test \
  -addext subjectAltName=DNS:vote.test -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
cat "$work/tls.crt" "$work/tls.key" >"$work/bundle.pem"
check() {  # check EXPECTED [VAR=VALUE...]: haproxy -c with the template environment and overrides
  local expected=$1
  shift
  if (set -a; . "$src/deploy/haproxy/haal.env"; set +a
      export HAAL_TLS_PEM=$work/bundle.pem HAAL_HAPROXY_LOG=stdout
      export HAAL_COLLECTOR_2_OPTS="ssl verify required ca-file $work/tls.crt verifyhost collector-2.internal"
      for a in "$@"; do export "${a?}"; done
      haproxy -c -f "$src/deploy/haproxy/haal.cfg") >"$work/out" 2>&1; then
    result=valid
  else
    result=invalid
  fi
  if [ "$result" != "$expected" ]; then
    echo "FAIL: expected $expected with $*:"; cat "$work/out"; exit 1
  fi
}
check valid
check valid HAAL_COLLECTOR_2_OPTS=disabled
check invalid HAAL_TLS_PEM=
check invalid HAAL_COLLECTOR_1=
check invalid HAAL_TLS_PEM=$work/missing.pem
echo "haproxy -c: 5 passed, 0 failed"
