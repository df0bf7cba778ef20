#!/usr/bin/env bash
# The handbook is the test (issue 18): runs every command of docs/handbook/*.md, in the
# handbook's order, through the real binaries, each in its role's own directory (officials, the
# officials' CA, 3 trustees, the credential authority, 2 mix servers, the collector operator, an
# observer, 5 voters). Nothing is shared but the files the handbook says travel, copied by
# `carry`. TLS with the private CA of the handbook; voters ann and ben make their own keys, cat,
# dan and eve get theirs from the credential authority by two channels. Then it checks:
# - every command line of the handbook's sh blocks was run (words in <angle brackets> are
#   the reader's to fill in), so the handbook cannot drift from the tools;
# - the results (ann challenged then cast, dan re-voted, eve abstained), haal-verify on the
#   record, the voters' receipts;
# - no voter's private key is ever readable outside the voter's own directory: the officials',
#   the CA's, the collector's, the trustees', the mix servers' and the observer's files hold no
#   voter's seed (as hex), sealed seed box or delivery code, and the authority's holds none
#   after `haal authority destroy` (the scan is shown to find a planted one);
# - `haal authority` refuses to issue after destroying, and its log proves what it issued.
# Commands in the handbook prompt for passphrases; here each is given through --passphrase-env
# (appended by `on_pp`, not part of the compared text).
# Usage: run_handbook.sh REPO_DIR HAAL HAAL_COLLECTOR HAAL_VERIFY
set -euo pipefail
export LC_ALL=C  # date's output format
repo=$1
work=$(mktemp -d)
collector_pid=
cleanup() { [ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAILED: $*"; [ -f "$work/out.txt" ] && sed 's/^/  | /' "$work/out.txt"; exit 1; }
contains() { grep -qF -- "$1" "$work/out.txt" || fail "missing '$1'"; }
mkdir "$work/bin"
ln -s "$2" "$work/bin/haal"
ln -s "$3" "$work/bin/haal-collector"
ln -s "$4" "$work/bin/haal-verify"
export PATH="$work/bin:$PATH"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The commands as the handbook writes them are logged to ran.txt; what runs has the collector's
# name and port of this loopback test instead of vote.example.org:8443.
: >"$work/ran.txt"
substitute() {
  sed -e "s/vote\.example\.org:8443/localhost:$port/g" -e "s/0\.0\.0\.0:8443/127.0.0.1:$port/g" \
    -e 's/vote\.example\.org/localhost/g' <<<"$1"
}
# on ROLE <<'CMD' ... CMD: runs the command (one line) in ROLE's directory; output in out.txt.
on() {
  local role=$1 extra=${2:-} cmd
  cmd=$(cat)
  printf '%s\n' "$cmd" >>"$work/ran.txt"
  mkdir -p "$work/$role"
  (cd "$work/$role" && bash -c "$(substitute "$cmd")$extra" </dev/null) >"$work/out.txt" 2>&1 ||
    fail "[$role] $cmd"
}
# on_pp ROLE VAR <<'CMD': the same, with the passphrase from environment variable VAR.
on_pp() { on "$1" " --passphrase-env $2"; }
# carry FROM_ROLE PATH TO_ROLE [DEST]: a file or folder travels (USB stick, signed mail).
carry() {
  local dest=$work/$3/${4:-$2}
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest"
  cp -r "$work/$1/$2" "$dest"
}
value() { sed -n "s/^$1 //p" "$work/out.txt" | head -n 1; }

export PP_OFFICIALS="officials' passphrase" PP_T1="trustee one" PP_T2="trustee two" PP_T3="trustee three"
export PP_MIX1="mix one" PP_MIX2="mix two" PP_ANN="ann's own passphrase" PP_BEN="ben's own passphrase"

# == officials.md 1: the manifest (times: the test's window is open now)
mkdir -p "$work/officials"
cat >"$work/officials/manifest-source.json" <<JSON
{"election_id": "handbook-2026",
 "title": {"en": "Handbook election", "et": "Käsiraamatu valimised", "ru": "Выборы по руководству"},
 "contact": "valimised@handbook.example",
 "voting_window": {"opens": "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)", "closes": "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"},
 "group": "P-256", "trustees": {"count": 3, "threshold": 2},
 "contests": [{"id": "mayor", "title": {"en": "Mayor", "et": "Linnapea", "ru": "Мэр"},
   "kind": "plurality", "min": 1, "max": 1,
   "options": [{"id": "alice", "title": "Alice Tamm"}, {"id": "bob", "title": "Bob Saar"},
               {"id": "carol", "title": "Carol Kask"}]}]}
JSON
on officials <<'CMD'
TZ=Europe/Tallinn date -d 2026-11-20T08:00:00Z
CMD
contains "Fri Nov 20 10:00:00 EET 2026"
on officials <<'CMD'
haal election new --manifest manifest-source.json --out election
CMD
manifest_hash=$(value manifest_hash)
[ ${#manifest_hash} = 64 ] || fail "no manifest_hash"
# The manifest travels to every party, each of which reads the hash back aloud.
for role in trustee-1 trustee-2 trustee-3 authority mix-1 mix-2 collector; do
  carry officials election/manifest.json "$role"
  on "$role" <<'CMD'
haal election show --election election
CMD
  contains "manifest_hash $manifest_hash"
done

# == trustees.md 2: the key ceremony, trustee by trustee, the officials carrying the files
for i in 1 2 3; do
  mkdir -p "$work/trustee-$i/election/ceremony"
  on_pp "trustee-$i" "PP_T$i" <<CMD
haal trustee init --election election --trustee-dir store --index $i
CMD
  contains "round0-identity-trustee-$i.json"
done
ceremony_round() {  # each trustee runs STEP; the officials collect the files and hand out all
  local step=$1 i
  for i in 1 2 3; do
    on_pp "trustee-$i" "PP_T$i" <<CMD
haal trustee $step --election election --trustee-dir store
CMD
    cp "$work/trustee-$i"/election/ceremony/round*-trustee-"$i".json "$work/officials/election/ceremony/"
  done
  for i in 1 2 3; do carry officials election/ceremony "trustee-$i"; done
}
for i in 1 2 3; do
  mkdir -p "$work/officials/election/ceremony"
  cp "$work/trustee-$i"/election/ceremony/round0-identity-trustee-"$i".json "$work/officials/election/ceremony/"
done
for i in 1 2 3; do carry officials election/ceremony "trustee-$i"; done
on officials <<'CMD'
haal ceremony status --election election
CMD
on_pp trustee-1 PP_T1 <<'CMD'
haal trustee status --election election --trustee-dir store
CMD
for step in commit reveal shares verify-shares answer; do ceremony_round "$step"; done
result_hashes=
for i in 1 2 3; do
  on_pp "trustee-$i" "PP_T$i" <<CMD
haal trustee finalize --election election --trustee-dir store
CMD
  result_hashes+="$(grep -o '[0-9a-f]\{64\}' "$work/out.txt" | tail -n 1) "
done
on officials <<'CMD'
haal ceremony finalize --election election
CMD
on officials <<'CMD'
haal ceremony verify --election election
CMD
[ "$(tr ' ' '\n' <<<"$result_hashes" | sort -u | grep -c .)" = 1 ] || fail "trustees finalized different results: $result_hashes"
# Trustee 2 changes its passphrase; each trustee backs up the store holding its share
# (trustees.md 3).
export PP_T2_NEW="trustee two, new"
on trustee-2 " --passphrase-env PP_T2 --new-passphrase-env PP_T2_NEW" <<'CMD'
haal trustee passphrase --election election --trustee-dir store
CMD
export PP_T2=$PP_T2_NEW
for i in 1 2 3; do
  on_pp "trustee-$i" "PP_T$i" <<CMD
haal trustee backup --election election --trustee-dir store --out backup/trustee-$i.json
CMD
done

# == the parties' keys: officials, collector operator, mix servers
on_pp officials PP_OFFICIALS <<'CMD'
haal officials keygen --election election --out officials-key.json
CMD
on collector <<'CMD'
haal-collector keygen --election election --key collector.key --out collector.json
CMD
carry collector collector.json officials
for s in 1 2; do
  on_pp "mix-$s" "PP_MIX$s" <<CMD
haal mix-server keygen --election election --id mix-$s --out keys
CMD
  carry "mix-$s" keys/mix-server.json officials "mix-$s/mix-server.json"
done
on officials <<'CMD'
haal election seal --election election --collector collector.json --mix-servers mix-1/mix-server.json,mix-2/mix-server.json
CMD
context_hash=$(value context_hash)
[ ${#context_hash} = 64 ] || fail "no context_hash"

# == TLS: the officials' offline CA signs the collector operator's request (officials.md 4)
on ca <<'CMD'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -days 90 -nodes -subj "/CN=Haal election CA city-2026" -addext basicConstraints=critical,CA:TRUE,pathlen:0 -addext keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.crt
CMD
on collector <<'CMD'
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=vote.example.org" -addext subjectAltName=DNS:vote.example.org -keyout vote.key -out vote.csr
CMD
carry collector vote.csr ca
on ca <<'CMD'
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >server.ext
CMD
on ca <<'CMD'
openssl x509 -req -in vote.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 -copy_extensions copy -extfile server.ext -out vote.crt
CMD
on ca <<'CMD'
openssl x509 -in ca.crt -noout -fingerprint -sha256
CMD
fingerprint=$(sed -n 's/^sha256 Fingerprint=//Ip' "$work/out.txt")
[ -n "$fingerprint" ] || fail "no CA fingerprint"
carry ca vote.crt collector
carry ca ca.crt officials
on officials <<'CMD'
cp ca.crt election/collector-ca.pem
CMD

# == credentials: the authority (mailed) and voters' own keys
printf 'voter_id,name\ncat,Cat Kivi\ndan,Dan Mets\neve,Eve Org\n' >"$work/officials/voters-mail.csv"
carry officials voters-mail.csv authority voters.csv
on authority <<'CMD'
haal authority issue --election election --voters voters.csv --dir vault
CMD
authority_roll_hash=$(sed -n 's/.*voters, roll_hash \([0-9a-f]\{64\}\)$/\1/p' "$work/out.txt")
[ ${#authority_roll_hash} = 64 ] || fail "no roll_hash from the authority"
[ "$(stat -c %a "$work/authority/vault/delivery/credentials/cat.json")" = 600 ] || fail "credential file mode"
on authority <<'CMD'
haal authority status --dir vault
CMD
contains "HELD: the sealed credentials and letters"
# Destroying needs the confirmation (a usage error, exit 2, nothing erased).
status=0
(cd "$work/authority" && haal authority destroy --dir vault) >"$work/out.txt" 2>&1 || status=$?
[ "$status" = 2 ] || fail "destroy without --delivered exited $status"
contains "confirm with --delivered"
[ -f "$work/authority/vault/delivery/letters/eve.txt" ] || fail "destroy without --delivered erased files"
carry authority vault/roll.json officials roll.json
on officials <<'CMD'
haal credentials register --election election --roll roll.json
CMD
contains "registered 3 voters of roll.json (roll_hash $authority_roll_hash; 0 already on the roll)"
# Registering the same batch again adds nothing (and says so).
on officials <<'CMD'
haal credentials register --election election --roll roll.json
CMD
contains "registered 0 voters"
status=0
(cd "$work/officials" && haal credentials register --election election --roll roll.json --voter-id cat) \
  >"$work/out.txt" 2>&1 || status=$?
[ "$status" = 2 ] || fail "register --roll --voter-id exited $status"
contains "--roll excludes --voter-id and --public-key"
# The mailing house: the files by one channel, the letters by another; then the authority
# destroys everything it held.
for v in cat dan eve; do
  carry authority "vault/delivery/credentials/$v.json" "voter-$v" "$v.json"
  carry authority "vault/delivery/letters/$v.txt" "voter-$v" "letter.txt"
done
on authority <<'CMD'
haal authority destroy --dir vault --delivered
CMD
contains "destroyed 6 files"
on authority <<'CMD'
haal authority status --dir vault
CMD
contains "destroyed at"
contains "roll_hash $authority_roll_hash"
(cd "$work/authority" && haal authority issue --election election --voters voters.csv --dir vault) \
  >"$work/out.txt" 2>&1 && fail "the authority issued after destroying its credentials"
contains "issues no more"

# Voters ann and ben make their own keys (voters.md 1), from the published manifest.
for v in ann ben; do carry officials election/manifest.json "voter-$v"; done
on_pp voter-ann PP_ANN <<'CMD'
haal credentials keygen --election election --voter-id ann --out ann.json
CMD
ann_key=$(value "your public key:")
on_pp voter-ben PP_BEN <<'CMD'
haal credentials keygen --election election --voter-id ben --out ben.json
CMD
ben_key=$(value "your public key:")
on officials <<CMD
haal credentials register --election election --voter-id ann --public-key $ann_key
CMD
on officials <<CMD
haal credentials register --election election --voter-id ben --public-key $ben_key
CMD
on officials <<'CMD'
haal election show --election election
CMD
contains "sealed: context_hash $context_hash"
contains "roll: 5 voters"
roll_hash=$(sed -n 's/^roll: 5 voters, roll_hash //p' "$work/out.txt")

# == publication: the election files go to the collector, the voters and the observer
for role in collector observer voter-ann voter-ben voter-cat voter-dan voter-eve; do
  rm -rf "$work/$role/election"
  carry officials election "$role"
done
on observer <<'CMD'
openssl x509 -in election/collector-ca.pem -noout -fingerprint -sha256
CMD
contains "$fingerprint"
on observer <<'CMD'
haal election show --election election
CMD
contains "sealed: context_hash $context_hash"
contains "roll_hash $roll_hash"
# The titles in another language (the manifest's translations; untranslated options stay).
on observer <<'CMD'
haal election show --election election --lang et
CMD
contains "election handbook-2026: Käsiraamatu valimised"
contains "): Linnapea"
contains "alice: Alice Tamm"

# == the collector (collector-operator.md)
on collector <<'CMD'
openssl verify -CAfile election/collector-ca.pem -purpose sslserver -verify_hostname vote.example.org vote.crt
CMD
echo "haal-collector --election election --store sqlite:board.db --key collector.key --listen 0.0.0.0:8443 --tls-cert vote.crt --tls-key vote.key" >>"$work/ran.txt"
(cd "$work/collector" && exec haal-collector --election election --store sqlite:board.db --key collector.key \
  --listen "127.0.0.1:$port" --tls-cert vote.crt --tls-key vote.key >collector.log 2>&1) &
collector_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/collector/collector.log" 2>/dev/null && break
  kill -0 "$collector_pid" 2>/dev/null || { cat "$work/collector/collector.log"; fail "collector exited"; }
  sleep 0.1
done
on collector <<'CMD'
curl --silent --show-error --cacert election/collector-ca.pem https://vote.example.org:8443/healthz
CMD
contains '"polls":"not-opened"'
on observer <<'CMD'
curl --silent --show-error --cacert election/collector-ca.pem https://vote.example.org:8443/api/election
CMD
contains "\"context_hash\":\"$context_hash\""
contains "\"roll_hash\":\"$roll_hash\""

# Each voter checks that the roll lists their key (voters.md 2).
on_pp voter-ann PP_ANN <<'CMD'
haal credentials check --election election --credential ann.json
CMD
contains "OK: the roll"
for v in cat dan eve; do
  code=$(sed -n 's/^Delivery code: //p' "$work/voter-$v/letter.txt")
  [[ "$code" =~ ^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$ ]] || fail "delivery code of $v: '$code'"
  export "CODE_${v^^}=$code"
done
[ "$CODE_CAT" != "$CODE_DAN" ] && [ "$CODE_DAN" != "$CODE_EVE" ] || fail "two voters share a delivery code"
on_pp voter-cat CODE_CAT <<'CMD'
haal credentials check --election election --credential cat.json
CMD
contains "OK: the roll"
# Another voter's code does not open cat's file.
(cd "$work/voter-cat" && haal credentials check --election election --credential cat.json --passphrase-env CODE_DAN) \
  >"$work/out.txt" 2>&1 && fail "dan's code opened cat's credential"
contains "wrong passphrase"

# == polls open (officials.md 6)
on_pp officials PP_OFFICIALS <<'CMD'
haal polls open --server https://vote.example.org:8443 --officials-key officials-key.json --election election
CMD

# == voting (voters.md 3)
on_pp voter-ann PP_ANN <<'CMD'
haal vote --server https://vote.example.org:8443 --election election --credential ann.json --choices '{"mayor":["bob"]}' --challenge
CMD
# cast VOTER PASSPHRASE_VARIABLE OPTION: the voter casts a ballot for OPTION, keeps the receipt.
cast() {
  rm -f "$work/voter-$1/receipt.json"
  on_pp "voter-$1" "$2" <<CMD
haal vote --server https://vote.example.org:8443 --election election --credential $1.json --choices '{"mayor":["$3"]}' --cast --receipt-out receipt.json
CMD
  contains "Cast. Board position"
}
cast ann PP_ANN alice
cast ben PP_BEN carol
cast cat CODE_CAT alice
cast dan CODE_DAN carol
cast dan CODE_DAN bob  # dan changes their mind: the last ballot counts
on collector <<'CMD'
sqlite3 board.db ".backup board-backup.db"
CMD
[ -s "$work/collector/board-backup.db" ] || fail "no board backup"
on voter-ann <<'CMD'
haal receipt check --server https://vote.example.org:8443 --election election receipt.json
CMD
contains "status: cast"
# Voters may hand their receipts to the officials (their signed heads go into the record).
carry voter-ann receipt.json officials receipts/ann.json
carry voter-cat receipt.json officials receipts/cat.json

# == after the polls: close, cleanse, mix, decrypt, combine, publish
on_pp officials PP_OFFICIALS <<'CMD'
haal tally close --record record --election election --server https://vote.example.org:8443 --officials-key officials-key.json --receipts receipts
CMD
on officials <<'CMD'
haal tally cleanse --record record
CMD
carry officials record mix-1
on_pp mix-1 PP_MIX1 <<'CMD'
haal tally mix --record record --mix-server keys
CMD
carry mix-1 record mix-2
on_pp mix-2 PP_MIX2 <<'CMD'
haal tally mix --record record --mix-server keys
CMD
carry mix-2 record trustee-1
on_pp trustee-1 PP_T1 <<'CMD'
haal tally decrypt --record record --trustee-dir store
CMD
# Trustee 3's machine was lost: the store is restored from the backup (trustees.md 5); trustee 2
# is absent.
carry trustee-3 backup/trustee-3.json trustee-3-new backup/trustee-3.json
carry trustee-1 record trustee-3-new
carry officials election trustee-3-new
on_pp trustee-3-new PP_T3 <<'CMD'
haal trustee restore --election election --trustee-dir store --from backup/trustee-3.json
CMD
on_pp trustee-3-new PP_T3 <<'CMD'
haal tally decrypt --record record --trustee-dir store
CMD
carry trustee-3-new record officials
on officials <<'CMD'
haal tally combine --record record
CMD
on officials <<'CMD'
haal tally publish --record record --tar record.tar
CMD
on officials <<'CMD'
haal tally show --record record
CMD
on officials <<'CMD'
sha256sum record.tar
CMD
record_sha=$(cut -d' ' -f1 "$work/out.txt")
grep -q '"option_votes":\[2,1,1\]' "$work/officials/record/results.json" ||
  fail "counts: $(cat "$work/officials/record/results.json")"
grep -q '"trustees_used":\[1,3\]' "$work/officials/record/plaintexts/mayor.json" || fail "trustees used"

# == the observer and the voters check the published record
carry officials record.tar observer
on observer <<'CMD'
sha256sum record.tar
CMD
contains "$record_sha"
on observer <<'CMD'
haal-verify record.tar
CMD
contains "haal-verify: election handbook-2026, context_hash $context_hash"
contains ", 0 failed"
carry officials record.tar voter-ann
on voter-ann <<'CMD'
haal-verify receipt receipt.json record.tar
CMD
# The collector is stopped and its key destroyed once the record is published.
kill "$collector_pid"; wait "$collector_pid" 2>/dev/null || true; collector_pid=
on collector <<'CMD'
shred --remove collector.key
CMD
[ ! -e "$work/collector/collector.key" ] || fail "collector.key still there"

# == no voter's private key outside the voter's own directory
# Each voter's seed, opened from the credential file with the voter's passphrase or code by a
# second implementation of docs/crypto.md section 9 (Node's own scrypt and AES-256-GCM), which
# also checks that the seed gives the file's public key.
open_box='
const c = require("crypto"), fs = require("fs");
const [file, variable] = process.argv.slice(1);
const j = JSON.parse(fs.readFileSync(file, "utf8")), b = j.seed_box;
const key = c.scryptSync(Buffer.from(process.env[variable], "utf8"), Buffer.from(b.salt, "hex"), 32,
  { N: b.kdf.n, r: b.kdf.r, p: b.kdf.p, maxmem: 256 * 1024 * 1024 });
const lp = (s) => { const x = Buffer.from(s, "utf8"), l = Buffer.alloc(4); l.writeUInt32BE(x.length); return Buffer.concat([l, x]); };
const d = c.createDecipheriv("aes-256-gcm", key, Buffer.from(b.nonce, "hex"));
d.setAAD(Buffer.concat([lp("haal-passphrase-box-v1"), lp(b.label)]));
d.setAuthTag(Buffer.from(b.tag, "hex"));
const seed = Buffer.concat([d.update(Buffer.from(b.ciphertext, "hex")), d.final()]);
const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
const pub = c.createPublicKey(c.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }));
if (pub.export({ format: "der", type: "spki" }).subarray(12).toString("hex") !== j.public_key) {
  throw new Error(file + ": the seed does not give public_key");
}
console.log(seed.toString("hex"));'
command -v node >/dev/null || fail "node is needed (scripts/setup installs it)"
: >"$work/secrets.txt"
for v in ann:PP_ANN ben:PP_BEN cat:CODE_CAT dan:CODE_DAN eve:CODE_EVE; do
  file=$work/voter-${v%%:*}/${v%%:*}.json
  node -e "$open_box" "$file" "${v#*:}" >>"$work/secrets.txt" || fail "$file does not open"
  grep -o '"ciphertext":"[0-9a-f]*"' "$file" | cut -d'"' -f4 >>"$work/secrets.txt"
done
printf '%s\n' "$CODE_CAT" "$CODE_DAN" "$CODE_EVE" >>"$work/secrets.txt"
[ "$(grep -c '^[0-9a-f]\{64\}$' "$work/secrets.txt")" = 10 ] && [ "$(grep -c . "$work/secrets.txt")" = 13 ] ||
  fail "expected 5 seeds, 5 sealed seeds and 3 codes: $(cat "$work/secrets.txt")"
# scan DIR: fails if any file under DIR holds one of the secrets (text or binary).
holders() { grep -r -a -l -F -f "$work/secrets.txt" "$1" || true; }
for role in officials ca collector observer authority trustee-1 trustee-2 trustee-3 trustee-3-new mix-1 mix-2; do
  found=$(holders "$work/$role")
  [ -z "$found" ] || fail "a voter's sealed key or delivery code is readable in $role: $found"
done
[ ! -e "$work/authority/vault/delivery" ] || fail "the authority still holds vault/delivery"
# The scan finds a planted key (it can fail).
cp "$work/voter-dan/dan.json" "$work/officials/record/stray.json"
[ -n "$(holders "$work/officials")" ] || fail "the scan missed a planted credential"
rm "$work/officials/record/stray.json"
echo "$CODE_EVE" >"$work/authority/forgotten.txt"
[ -n "$(holders "$work/authority")" ] || fail "the scan missed a planted delivery code"
rm "$work/authority/forgotten.txt"
echo "{\"seed\":\"$(head -n 1 "$work/secrets.txt")\"}" >"$work/collector/unsealed.json"
[ -n "$(holders "$work/collector")" ] || fail "the scan missed a planted seed"
rm "$work/collector/unsealed.json"

# == every command of the handbook was run above
python3 - "$repo/docs/handbook" "$work/ran.txt" <<'PY' || fail "the handbook and this test differ"
import pathlib, re, sys
ran = [" ".join(l.split()) for l in open(sys.argv[2], encoding="utf-8")]
missing = []
count = 0
for page in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    block = None
    lines = page.read_text(encoding="utf-8").splitlines()
    joined = []
    for line in lines:
        if block is None:
            if line.strip() == "```sh":
                block = []
            continue
        if line.strip() == "```":
            block = None
            continue
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + line.strip()
        else:
            joined.append(line.strip())
        block.append(line)
    for cmd in joined:
        if not cmd or cmd.startswith("#"):
            continue
        count += 1
        words = " ".join(cmd.split())
        pattern = "".join("\\S+" if part.startswith("<") else re.escape(part)
                          for part in re.split(r"(<[^>]*>)", words))
        if not any(re.fullmatch(pattern, r) for r in ran):
            missing.append(f"{page.name}: {words}")
if count < 40:
    print(f"only {count} commands found in the handbook")
    sys.exit(1)
for m in missing:
    print("not run by the test:", m)
sys.exit(1 if missing else 0)
PY
echo "handbook: 1 passed, 0 failed"
