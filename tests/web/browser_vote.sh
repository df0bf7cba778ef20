#!/usr/bin/env bash
# End to end in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): a
# 5-contest election with passphrase-protected credentials on a loopback collector serving the
# built web app; browser_vote.mjs sees the page before the polls open, opens them, votes,
# challenges, votes again, casts and checks the receipt, makes the voter's own key and checks
# keys on the roll, closes the polls; then this script confirms on the server side with the C++
# tools.
# Usage: browser_vote.sh HAAL HAAL_COLLECTOR NODE WEB_APP_DIR ARTIFACT_DIR
set -euo pipefail
haal=$1
collector=$2
node=$3
web_app=$4
artifacts=$5
here=$(cd "$(dirname "$0")" && pwd)
chromium=${HAAL_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "browser_vote: $chromium not found (scripts/setup installs chromium)"; exit 1; }
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    status=0
    wait "$server_pid" || status=$?
    [ "$status" -eq 0 ] || { echo "haal-collector exited with status $status; its log:"; cat "$work/server.log"; }
  fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$artifacts" && mkdir -p "$artifacts"
cd "$work"
export HAAL_TEST_PASSPHRASE=officials-passphrase
export HAAL_VOTER_PASSPHRASE='voter passphrase ü'
export OWN_PASSPHRASE='my own passphrase ö'

# The 5-contest manifest of the ballot vector (plurality with write-in, approval, referendum,
# ranked, ranked of 10), with a voting window around now and 1 trustee. The vector's ranked
# contest also offers a write-in, which `haal election new` refuses (it could not be counted):
# it is dropped here. The election's and the mayor contest's titles are translated, and the
# officials' contact is given in English and Estonian (Russian readers get the English one:
# docs/ballots.md 2, display rule).
"$node" -e '
  const v = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const m = v.manifest;
  m.election_id = "web-test-2026";
  m.title = {en: "Browser test election", et: "Brauseri testvalimised", ru: "Тестовые выборы в браузере"};
  m.contests.find((c) => c.id === "mayor").title = {en: "Mayor", et: "Linnapea", ru: "Мэр"};
  m.contact = {en: "officials@example.org, phone 600 0000", et: "valimised@example.org, telefon 600 0000"};
  m.voting_window = {opens: "2020-01-01T00:00:00Z", closes: "2099-12-31T23:59:59Z"};
  m.trustees = {count: 1, threshold: 1};
  delete m.contests.find((c) => c.id === "board").write_in;
  require("fs").writeFileSync("manifest.json", JSON.stringify(m));
' "$here/../vectors/ballot-p256.json"
"$haal" election new --manifest manifest.json --out el >/dev/null
"$haal" ceremony run --election el --trustees-root trustees --passphrase-env HAAL_TEST_PASSPHRASE >ceremony.log 2>&1 \
  || { cat ceremony.log; exit 1; }
"$haal" officials keygen --election el --out officials.json --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
"$collector" keygen --election el --key collector.key --out collector-public.json >/dev/null
"$haal" mix-server keygen --election el --id mix-1 --out mix-1 --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
"$haal" election seal --election el --collector collector-public.json --mix-servers mix-1/mix-server.json >/dev/null
printf 'voter_id,name\nvoter-0001,Mari Maasikas\nvoter-0002,Jaan Tamm\n' >voters.csv
"$haal" credentials issue --election el --voters voters.csv --out creds --protect \
  --passphrase-env HAAL_VOTER_PASSPHRASE >/dev/null 2>&1
# A key for a voter on the roll that is not the roll's (the page's roll check says "another key").
"$haal" credentials keygen --election el --voter-id voter-0002 --out other-0002.json --no-passphrase >/dev/null

port=$((20000 + RANDOM % 20000))
"$collector" --election el --store sqlite:board.db --key collector.key --listen 127.0.0.1:$port --web "$web_app" \
  --results results.json --check-lookups 4 --check-window 1200 >server.log 2>&1 &
server_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url/healthz" >/dev/null || { echo "the collector did not start:"; cat server.log; exit 1; }
# The polls stay closed until browser_vote.mjs has seen the page before they open.

# The page itself: no request may leave the origin (Content-Security-Policy on every file).
curl -sfI "$url/" | grep -qi "^content-security-policy: default-src 'none'" \
  || { echo "the web app is served without its Content-Security-Policy"; exit 1; }

"$node" "$here/browser_vote.mjs" --url "$url" --work "$work" --artifacts "$artifacts" \
  --chromium "$chromium" --haal "$haal"

# Server side: the cast ballot's receipt checks with the C++ client, and the board holds the
# browser-made challenge record, which the C++ verifier opens.
"$haal" receipt check --server "$url" "$artifacts/receipt.json" >check.txt
cat check.txt
grep -q "status: cast" check.txt || { echo "the browser's ballot is not the voter's cast ballot"; exit 1; }
index=$("$node" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).board_index)' "$artifacts/challenge-receipt.json")
curl -sf "$url/api/board/entries?from=$index&to=$((index + 1))" >entry.json
"$node" -e '
  const e = JSON.parse(require("fs").readFileSync("entry.json")).entries[0];
  if (e.kind !== "challenge") { console.error("entry is a " + e.kind); process.exit(1); }
  require("fs").writeFileSync("challenge.json", Buffer.from(e.payload, "hex"));
'
"$haal" ballot open --election el --challenge challenge.json >open.txt
cat open.txt
grep -q "bob" open.txt || { echo "the challenge does not open to the challenged choices"; exit 1; }
# The key the page made and the voter downloaded opens in the C++ loader and, once the
# officials register it (on a copy of the election: the running collector keeps its roll), the
# roll check passes.
cp -r el el-own
own_key=$("$node" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).public_key)' own-voter-0003.json)
"$haal" credentials register --election el-own --voter-id voter-0003 --public-key "$own_key" >/dev/null
"$haal" credentials check --election el-own --credential own-voter-0003.json --passphrase-env OWN_PASSPHRASE >own-check.txt \
  || { cat own-check.txt; echo "haal does not find the browser-made key on the roll"; exit 1; }
grep -q "^OK: .* lists voter voter-0003 with your key $own_key" own-check.txt || { cat own-check.txt; exit 1; }
echo "browser vote: 1 passed, 0 failed"
