#!/usr/bin/env bash
# End to end through the real binaries on loopback: a voter challenges a ballot, casts, re-votes,
# and checks receipts; a tampered receipt and an unknown option are rejected with non-zero exits.
set -euo pipefail
haal=$1
collector=$2
. "$(dirname "$0")/common.sh"
export HAAL_TEST_PASSPHRASE=test-passphrase
"$haal" loadgen test-election --election el --credentials creds --voters 2 --officials-key officials.json --collector-key collector.key \
  --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
port=$((20000 + RANDOM % 20000))
"$collector" --election el --store sqlite:board.db --key collector.key --listen 127.0.0.1:$port >server.log 2>&1 &
server_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 50); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"$haal" polls open --server "$url" --officials-key officials.json --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null


# A challenge needs no credential and puts no voter id on the board.
"$haal" vote --server "$url" --choices '{"mayor":["bob"]}' --challenge >out.txt
contains 'mayor: \["bob"\]'
contains "no voter identity"
curl -sf "$url/api/board/entries?from=0&to=2" >board.json
if grep -q 'voter-000001' board.json; then echo "FAIL: the challenge names its voter" >&2; exit 1; fi
# --lang names one of the manifest's languages; an untranslated title is shown as it is.
expect_fail "$haal" vote --server "$url" --choices '{"mayor":["bob"]}' --challenge --lang de
contains "lang: expected en, et or ru, not 'de'"
printf 'alice\ncast\n' | "$haal" vote --server "$url" --credential creds/voter-000001.json --receipt-out r1.json --lang et >out.txt
contains "Cast. Board position"
# The second-device check: the printed command opens the cast ballot, 3 times at most.
check=$(grep -o 'haal ballot check .*' out.txt)
for _ in 1 2 3; do
  # shellcheck disable=SC2086  # the printed command's words
  "$haal" ${check#haal } >out.txt
  contains 'mayor: {"choices":\["alice"\]}'
done
# shellcheck disable=SC2086
expect_fail "$haal" ${check#haal }
contains "already been checked 3 times"
code=$(echo "$check" | sed 's/.*--tracking-code \([^ ]*\).*/\1/')
key=$(echo "$check" | sed 's/.*--check-key \([^ ]*\).*/\1/')
expect_fail "$haal" ballot check --server "$url" --tracking-code "$code" --check-key "${key%?}1"
contains "invalid character"
"$haal" receipt check --server "$url" r1.json >out.txt
contains "status: cast"
"$haal" vote --server "$url" --credential creds/voter-000001.json --choices '{"mayor":["carol"]}' --cast --receipt-out r2.json >/dev/null
"$haal" receipt check --server "$url" r1.json >out.txt
contains "status: superseded"
contains "extends the receipt's"
sed 's/"board_index": [0-9]*/"board_index": 0/' r2.json >bad.json
expect_fail "$haal" receipt check --server "$url" bad.json
contains "not the receipted ballot"
expect_fail "$haal" vote --server "$url" --credential creds/voter-000002.json --choices '{"mayor":["zed"]}' --cast
contains 'unknown option id "zed"'
echo "vote and receipt: 1 passed, 0 failed"
