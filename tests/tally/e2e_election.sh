#!/usr/bin/env bash
# End to end through the real binaries and the real collector on loopback: a 4-voter election
# run by scripts/run-election (a Benaloh challenge, write-ins, a client-refused over-long write-in,
# a re-vote, 3 mix servers, trustee 2 absent), plus a ballot widened by an over-long write-in
# that the collector must reject. The published counts must equal what was cast; haal-verify
# must pass the record and fail a record with a changed count.
# Usage: e2e_election.sh REPO_DIR BIN_DIR
set -euo pipefail
repo=$1 bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }

# Voting hook: with the collector running, cast a ballot whose write-in contest carries one
# ciphertext more than the contest's width (what an over-long write-in would need).
cat >"$work/hook.sh" <<'HOOK'
set -euo pipefail
cred=credentials/voter-000001.json
echo '{"mayor":["alice"],"council":[],"budget":["roads"],"poet":["kalju"]}' >hook-choices.json
"$HAAL" ballot encrypt --election election --credential "$cred" --choices hook-choices.json --out hook-ballot.json >/dev/null
# Duplicate the first ciphertext of the last contest (poet; canonical JSON: one line, keys sorted).
perl -0pe 's/(.*\{"ciphertexts":\[)(\{"alpha":"[0-9a-f]+","beta":"[0-9a-f]+"\})/$1$2,$2/s' hook-ballot.json >hook-wide.json
cmp -s hook-ballot.json hook-wide.json && { echo "hook: could not widen the ballot"; exit 1; }
code=$(curl -s -o hook-answer.json -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @hook-wide.json "$HAAL_URL/api/ballots")
echo "collector answered $code: $(cat hook-answer.json)"
[ "$code" = 400 ] || { echo "hook: expected 400"; exit 1; }
grep -q 'malformed' hook-answer.json || { echo "hook: expected a malformed-ballot error"; exit 1; }
touch hook-passed
HOOK

HAAL_RUN_ELECTION_HOOK="$work/hook.sh" "$repo/scripts/run-election" --bin "$bin" --voters 4 \
  --out "$work/demo" >"$work/run.log" 2>&1 || { cat "$work/run.log"; fail "run-election"; }
d=$work/demo
[ -f "$d/hook-passed" ] || { cat "$work/run.log"; fail "the widened ballot was not refused"; }
has "$work/run.log" "refused:"
r=$d/record

# Cleansing: 4 counted ballots; the challenge, and voter 4's first ballot superseded.
has "$r/cleanse/excluded.json" '"kind":"challenge","reason":"challenged"'
has "$r/cleanse/excluded.json" '"reason":"superseded","superseded_by":'
[ "$(grep -o '"board_index"' "$r/cleanse/cast.json" | wc -l)" = 4 ] || fail "cast.json should list 4 ballots"
[ "$(grep -o '"board_index"' "$r/cleanse/excluded.json" | wc -l)" = 2 ] || fail "excluded.json should list 2 entries"

# Decryption by trustees 1 and 3 only (trustee 2 absent).
[ -f "$r/decrypt/mayor/trustee-1.json" ] && [ -f "$r/decrypt/mayor/trustee-3.json" ] || fail "partials missing"
[ ! -e "$r/decrypt/mayor/trustee-2.json" ] || fail "trustee 2 was absent"
has "$r/plaintexts/mayor.json" '"trustees_used":[1,3]'

# The counts equal the cast votes (voter 1 after the challenge; voter 4's second ballot):
#   mayor: alice (v1, v4), bob (v2), carol (v3); council: ann ben | none | cid dora eli | eli;
#   poet: kalju (v1), marie (v4), write-ins "Juhan Liiv" (v2), "Kreutzwald" (v3).
res=$r/results.json
has "$res" '"choice":{"leaders":[0],"option_votes":[2,1,1],"write_ins":[]},"contest_id":"mayor"'
has "$res" '"choice":{"leaders":[4],"option_votes":[1,1,1,1,2],"write_ins":[]},"contest_id":"council"'
has "$res" '"option_votes":[1,1],"write_ins":[{"text":"Juhan Liiv","votes":1},{"text":"Kreutzwald","votes":1}]},"contest_id":"poet"'
has "$res" '"blank":1,"invalid":0'
has "$res" '"contest_id":"budget","format":"haal-contest-results-v1","irv":'
has "$res" '"ranked_alternatives":[{"ballots":'
has "$res" '"kind":"schulze"'
# Plaintexts are published in full: the write-in exactly as typed.
has "$r/plaintexts/poet.json" '{"write_in":"Juhan Liiv"}'

# The verifier passes the honest record, directory and archive.
"$bin/haal-verify" "$r" --quiet >"$work/verify.txt" || { cat "$work/verify.txt"; fail "haal-verify on the record"; }
has "$work/verify.txt" ", 0 failed"
# It names the election and the context hash first (as index.json states them, for observers
# to compare with the announcement); --quiet prints no PASS line, the full report does.
ctx=$(grep -o '"context_hash":"[0-9a-f]*"' "$r/index.json" | cut -d'"' -f4)
[ ${#ctx} = 64 ] || fail "no context_hash in index.json"
head -n 1 "$work/verify.txt" | grep -qx "haal-verify: election demo-[0-9]*, context_hash $ctx" ||
  fail "haal-verify --quiet does not start with the election and context hash: $(head -n 1 "$work/verify.txt")"
if grep -q '^PASS' "$work/verify.txt"; then fail "haal-verify --quiet printed PASS lines"; fi
[ "$(wc -l <"$work/verify.txt")" = 2 ] || { cat "$work/verify.txt"; fail "--quiet: more than identity and verdict"; }
"$bin/haal-verify" "$d/record.tar" >"$work/verify-tar.txt" 2>/dev/null || fail "haal-verify on record.tar"
head -n 1 "$work/verify-tar.txt" | grep -qx "haal-verify: election demo-[0-9]*, context_hash $ctx" ||
  fail "haal-verify does not start with the election and context hash"
grep -q '^PASS ' "$work/verify-tar.txt" || fail "haal-verify without --quiet printed no PASS line"
# Voter 4's re-vote came seconds before the close: the late re-vote figure counts it.
grep -qx 'NOTE re-votes: 1 of 4 counted ballots replaced an earlier ballot of the same voter in the hour before the polls closed (1 superseded ballots in all); a sudden rise can mean stolen voting keys' \
  "$work/verify-tar.txt" || fail "haal-verify's late re-vote note: $(grep '^NOTE' "$work/verify-tar.txt")"
! grep -q '^NOTE' "$work/verify.txt" || fail "haal-verify --quiet printed a NOTE"
# A voter's receipt: counted.
"$bin/haal-verify" receipt "$(ls "$d"/receipt-voter-*.json | head -n 1)" "$r" --quiet >"$work/receipt.txt" ||
  { cat "$work/receipt.txt"; fail "receipt check"; }

# A changed count is caught by the recount and the index.
cp -r "$r" "$work/bad"
sed -i 's/"option_votes":\[2,1,1\]/"option_votes":[1,2,1]/' "$work/bad/results.json"
if "$bin/haal-verify" "$work/bad" --quiet >"$work/bad.txt" 2>&1; then fail "a changed count passed"; fi
has "$work/bad.txt" "FAIL counts of contest mayor recomputed equal results.json"
if grep -q '^PASS' "$work/bad.txt"; then fail "haal-verify --quiet printed PASS lines"; fi
# A trustee never decrypts what a broken mix chain produced.
cp -r "$r" "$work/badmix"
perl -0777 -pi -e 'substr($_, 100, 1) = chr(ord(substr($_, 100, 1)) ^ 1)' "$work/badmix/mix/mayor/nizkp/proofs/PoSReply02.bt"
if HAAL_DEMO_PASSPHRASE="demo passphrase, not for a real election" "$bin/haal" tally decrypt --quiet \
  --record "$work/badmix" --trustee-dir "$d/trustees/trustee-1" --passphrase-env HAAL_DEMO_PASSPHRASE \
  >"$work/badmix.txt" 2>&1; then fail "a trustee decrypted after a broken proof of shuffle"; fi
has "$work/badmix.txt" "mix server 2 (mix-2): proof of shuffle rejected"
export HAAL_DEMO_PASSPHRASE="demo passphrase, not for a real election"
pp=(--passphrase-env HAAL_DEMO_PASSPHRASE)
# ... nor after a chain whose last server did not sign its shuffle (statements are checked).
cp -r "$r" "$work/unsigned"
rm "$work/unsigned/mix/mayor/statements/03.json"
if "$bin/haal" tally decrypt --quiet --record "$work/unsigned" --trustee-dir "$d/trustees/trustee-1" "${pp[@]}" \
  >"$work/unsigned.txt" 2>&1; then fail "a trustee decrypted an unsigned shuffle"; fi
has "$work/unsigned.txt" "contest mayor: mix server 3 (mix-3): statements/03.json is missing"
# ... nor a chain shorter than the context's (the last server's work removed).
cp -r "$r" "$work/short"
rm "$work/short"/mix/mayor/nizkp/proofs/*03.bt "$work/short/mix/mayor/statements/03.json"
if "$bin/haal" tally decrypt --quiet --record "$work/short" --trustee-dir "$d/trustees/trustee-1" "${pp[@]}" \
  >"$work/short.txt" 2>&1; then fail "a trustee decrypted a shortened chain"; fi
has "$work/short.txt" "contest mayor: only 2 of the 3 mix servers of context.json have mixed"
# A mix server runs once, in its turn, and only with a key the context pins.
if "$bin/haal" tally mix --quiet --record "$r" --mix-server "$d/mix-servers/mix-1" "${pp[@]}" \
  >"$work/again.txt" 2>&1; then fail "a mix server mixed twice"; fi
has "$work/again.txt" "mix server 1 (mix-1) has already mixed"
"$bin/haal" mix-server keygen --election "$d/election" --id intruder --out "$work/intruder" "${pp[@]}" >/dev/null
if "$bin/haal" tally mix --quiet --record "$r" --mix-server "$work/intruder" "${pp[@]}" \
  >"$work/intruder.txt" 2>&1; then fail "an unpinned mix server mixed"; fi
has "$work/intruder.txt" "its key is not one of context.json mix_servers"
# One trustee alone cannot decrypt (threshold 2).
cp -r "$r" "$work/onetrustee"
rm "$work/onetrustee"/decrypt/*/trustee-3.json
if "$bin/haal" tally combine --quiet --record "$work/onetrustee" >"$work/one.txt" 2>&1; then fail "combined with one trustee"; fi
has "$work/one.txt" "only 1 valid trustees' partial decryptions; threshold is 2"
echo "e2e election: 1 passed, 0 failed"
