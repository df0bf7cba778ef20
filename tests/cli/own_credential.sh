#!/usr/bin/env bash
# A voter's own key (issue 18), through the real binaries on loopback: the voter makes a
# credential on their device (`haal credentials keygen`); the roll check fails before the
# officials register its public key and passes after; a roll listing another key for the voter
# is reported as a failure (exit 1); the collector accepts the voter's ballot signed with the
# key no official ever held; a wrong passphrase and an existing file are refused.
set -euo pipefail
haal=$1
collector=$2
. "$(dirname "$0")/common.sh"
export HAAL_TEST_PASSPHRASE=test-passphrase MY_PASSPHRASE=my-own-passphrase
"$haal" loadgen test-election --election el --credentials creds --voters 2 --officials-key officials.json \
  --collector-key collector.key --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null

# The voter's device (a directory the officials never read).
mkdir voter
"$haal" credentials keygen --election el --voter-id ann --out voter/ann.json \
  --passphrase-env MY_PASSPHRASE >out.txt
contains "your public key: [0-9a-f]\{64\}"
public_key=$(sed -n 's/^your public key: //p' out.txt)
[ "$(stat -c %a voter/ann.json)" = 600 ] || { echo "credential file mode $(stat -c %a voter/ann.json)"; exit 1; }
! grep -q '"seed"' voter/ann.json || { echo "the seed is stored unsealed"; exit 1; }
expect_fail "$haal" credentials keygen --election el --voter-id ann --out voter/ann.json --no-passphrase
contains "already exists"
expect_fail "$haal" credentials check --election el --credential voter/ann.json --passphrase-env MY_PASSPHRASE
contains "FAILED: voter ann is not on the roll"
MY_PASSPHRASE=wrong expect_fail "$haal" credentials check --election el --credential voter/ann.json \
  --passphrase-env MY_PASSPHRASE
contains "wrong passphrase"

# The officials register the public key the voter gave them.
"$haal" credentials register --election el --voter-id ann --public-key "$public_key" >/dev/null
"$haal" credentials check --election el --credential voter/ann.json --passphrase-env MY_PASSPHRASE >out.txt
contains "OK: the roll (roll_hash [0-9a-f]*) lists voter ann with your key $public_key"

# A roll that lists another key for the voter (as a dishonest official would publish) fails.
cp el/roll.json roll.good
other=$("$haal" credentials keygen --election el --voter-id ann --out other.json --no-passphrase |
  sed -n 's/^your public key: //p')
sed -i "s/$public_key/$other/" el/roll.json
expect_fail "$haal" credentials check --election el --credential voter/ann.json --passphrase-env MY_PASSPHRASE
contains "lists voter ann with the key $other, not yours"
cp roll.good el/roll.json

# The collector (started after registration) takes the ballot signed with the voter's own key.
port=$((20000 + RANDOM % 20000))
"$collector" --election el --store sqlite:board.db --key collector.key --listen 127.0.0.1:$port \
  --web none >server.log 2>&1 &
server_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 50); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"$haal" polls open --server "$url" --officials-key officials.json --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
"$haal" vote --server "$url" --credential voter/ann.json --passphrase-env MY_PASSPHRASE \
  --choices '{"mayor":["bob"]}' --cast --receipt-out r.json >out.txt
contains "Cast. Board position"
"$haal" receipt check --server "$url" r.json >out.txt
contains "status: cast"
echo "own credential: 1 passed, 0 failed"
