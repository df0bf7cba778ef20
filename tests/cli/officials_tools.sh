#!/usr/bin/env bash
# The officials' tools through the real binaries on loopback, as an official meets them:
# - `haal election seal` before the key ceremony says to run the ceremony first;
# - TLS: the private CA of docs/deploy.md section 2 (its very commands, for the name localhost),
#   a collector serving its certificate, clients that refuse it without the CA and say what to
#   do, a host-name mismatch, the CA pinned from the election directory (collector-ca.pem);
# - `haal tally close --receipts` reading receipts as `haal vote` saves them and as
#   `haal loadgen` writes them.
# Sections (`# -- NAME` ... `# -- end`) group the checks by tool.
# Usage: officials_tools.sh REPO_DIR HAAL HAAL_COLLECTOR
set -euo pipefail
repo=$1 haal=$2 collector=$3
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
fail() { echo "FAILED: $*"; [ -f out.txt ] && sed 's/^/  | /' out.txt; exit 1; }
expect_fail() { if "$@" >out.txt 2>&1; then fail "expected failure: $*"; fi; }
contains() { grep -qF -- "$1" out.txt || fail "missing '$1'"; }
lacks() { if grep -qF -- "$1" out.txt; then fail "unexpected '$1'"; fi; }
export P=tls-test-passphrase
pp=(--passphrase-env P)

# -- seal
# 1. Sealing before the key ceremony names the step to run first.
cat >m.json <<JSON
{"election_id": "seal-order", "title": "t",
 "voting_window": {"opens": "2026-01-01T00:00:00Z", "closes": "2026-01-02T00:00:00Z"},
 "group": "P-256", "trustees": {"count": 1, "threshold": 1},
 "contests": [{"id": "q", "title": "Q", "kind": "plurality", "min": 1, "max": 1,
   "options": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}]}]}
JSON
"$haal" election new --manifest m.json --out early >/dev/null
expect_fail "$haal" election seal --election early --collector c.json --mix-servers s.json
contains "run the key ceremony first"
lacks "cannot open"

# -- end
# -- tls
# 2. The documented private CA, run as written (name and output folder substituted).
awk '/<!-- private-ca:/ {on = 1; next} on && /^```sh/ {inside = 1; next} inside && /^```/ {exit}
     inside {print}' "$repo/docs/deploy.md" |
  sed -e 's/vote\.example\.org/localhost/g' -e 's|/etc/haal/tls/|./|g' >private-ca.sh
grep -q 'openssl x509 -req' private-ca.sh || fail "no private-CA block found in docs/deploy.md"
bash -e private-ca.sh >ca.log 2>&1 || { cat ca.log; fail "the documented openssl commands"; }
[ -s ca.crt ] && [ -s vote.crt ] && [ -s vote.key ] && [ -s localhost.pem ] || fail "CA files missing"

# -- end
# -- tls
# 3. A test election served over TLS with the CA-signed certificate.
"$haal" loadgen test-election --election el --credentials creds --voters 3 --officials-key officials.json \
  --collector-key collector.key "${pp[@]}" >/dev/null
: >server.log
"$collector" --election el --store sqlite:board.db --key collector.key --listen 127.0.0.1:0 \
  --tls-cert vote.crt --tls-key vote.key >server.log 2>&1 &
server_pid=$!
ip_url=
for _ in $(seq 1 300); do
  ip_url=$(sed -n 's/^haal-collector: listening on //p' server.log)
  [ -n "$ip_url" ] && break
  sleep 0.1
done
[ -n "$ip_url" ] || { cat server.log; fail "the collector did not start"; }
url=https://localhost:${ip_url##*:}

# 4. Without the CA: refused, and the message says what to do.
expect_fail "$haal" polls open --server "$url" --officials-key officials.json "${pp[@]}"
contains "Give --ca-cert FILE with the certificate of the CA that signed the collector's certificate"
contains "collector-ca.pem"
expect_fail "$haal" vote --server "$url" --credential creds/voter-000001.json --choices '{"mayor":["bob"]}' --cast
contains "SSLServerVerification ("
contains "Give --ca-cert FILE"
# The right CA but the wrong name (the certificate names localhost, not 127.0.0.1).
expect_fail "$haal" vote --server "$ip_url" --ca-cert ca.crt --credential creds/voter-000001.json \
  --choices '{"mayor":["bob"]}' --cast
contains "not issued for the host name of the server URL"
# An unreadable CA file.
expect_fail "$haal" vote --server "$url" --ca-cert missing.pem --credential creds/voter-000001.json --cast
contains "SSLLoadingCerts: the CA certificate file"

# 5. With --ca-cert: polls open; a voter casts.
"$haal" polls open --server "$url" --ca-cert ca.crt --officials-key officials.json "${pp[@]}" >out.txt 2>&1 ||
  fail "polls open with --ca-cert"
mkdir saved
"$haal" vote --server "$url" --ca-cert ca.crt --credential creds/voter-000001.json \
  --choices '{"mayor":["bob"]}' --cast --receipt-out saved/r1.json >out.txt 2>&1 || fail "vote with --ca-cert"

# 6. The CA pinned from the election files: no --ca-cert needed with --election.
cp ca.crt el/collector-ca.pem
"$haal" vote --server "$url" --election el --credential creds/voter-000002.json \
  --choices '{"mayor":["alice"]}' --cast --receipt-out saved/r2.json >out.txt 2>&1 || fail "vote pinned by el/collector-ca.pem"
contains "Cast. Board position"
"$haal" receipt check --server "$url" --election el saved/r2.json >out.txt 2>&1 || fail "receipt check pinned"
contains "status: cast"
# An explicit --ca-cert wins over the election's file (here a wrong one: refused).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=other \
  -keyout other.key -out other.crt >/dev/null 2>&1
expect_fail "$haal" receipt check --server "$url" --election el --ca-cert other.crt saved/r2.json
contains "Give --ca-cert FILE"
# Another election's files: the served context is not theirs.
"$haal" loadgen test-election --election other-el --credentials other-creds --voters 1 \
  --officials-key other-officials.json --collector-key other-collector.key "${pp[@]}" >/dev/null
cp ca.crt other-el/collector-ca.pem
expect_fail "$haal" vote --server "$url" --election other-el --credential creds/voter-000003.json \
  --choices '{"mayor":["carol"]}' --cast
contains "serves another election"

# -- end
# -- receipts
# 7. loadgen (JSON lines) with the pinned CA.
"$haal" loadgen --server "$url" --election el --credentials creds --voters 3 --concurrency 1 \
  --receipts loadgen.jsonl --quiet >out.txt 2>&1 || fail "loadgen"
[ "$(wc -l <loadgen.jsonl)" = 3 ] || fail "loadgen wrote $(wc -l <loadgen.jsonl) receipts"

# 8. tally close --receipts: anything but receipts is refused before the polls close.
echo 'voter 1 says hello' >notes.txt
expect_fail "$haal" tally close --record rec --election el --server "$url" --officials-key officials.json \
  --receipts saved,notes.txt "${pp[@]}"
contains "notes.txt line 1: not a receipt"
"$haal" vote --server "$url" --election el --credential creds/voter-000003.json \
  --choices '{"mayor":["carol"]}' --cast --receipt-out r3.json >out.txt 2>&1 || fail "the polls closed on a bad --receipts"
# Both formats, files and a directory, with the pinned CA: the heads of saved/r1.json,
# saved/r2.json, r3.json and the 3 loadgen receipts.
"$haal" tally close --record rec --election el --server "$url" --officials-key officials.json \
  --receipts loadgen.jsonl,saved,r3.json "${pp[@]}" >out.txt 2>&1 || fail "tally close --receipts"
contains "polls closed"
heads=$(sed -n 's/.*), \([0-9]*\) heads shown to voters.*/\1/p' out.txt)
expected=$(cat saved/*.json r3.json loadgen.jsonl | grep -o '"tree_size": *[0-9]*' | tr -d ' ' | sort -u | wc -l)
[ "$heads" = "$expected" ] && [ "$heads" -ge 4 ] || fail "expected $expected distinct heads, got '$heads'"
[ "$(ls rec/board/heads | wc -l)" = "$heads" ] || fail "rec/board/heads does not hold $heads heads"
# -- end
echo "officials' tools: 1 passed, 0 failed"
