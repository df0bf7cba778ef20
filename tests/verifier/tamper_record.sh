#!/usr/bin/env bash
# Tamper suite (docs/verifier.md, "Tamper suite"): runs ONE small election through the real
# binaries (scripts/run-election), checks that haal-verify passes its record, then applies each
# tampering below to a fresh copy of the record and asserts that haal-verify fails AND that the
# intended check is among its FAILs (stage and a distinctive part of "check [location]: reason",
# read from --json).
# By default a tampered copy is re-indexed as a forger would (index.json's sizes and SHA-256, and
# its context_hash, recomputed), so that the semantic check and not only the index must catch it;
# the "no re-index" tamperings are for stage 1's index check. Where a tampering needs a
# dishonest party's key to get past an earlier check (the collector re-signing the board's head,
# a voter's device re-signing a ballot), the suite uses the demo's keys, so that the check
# under test is the one that catches it.
# Usage: tamper_record.sh REPO_DIR BIN_DIR [HAAL_VERIFY]   (HAAL_VERIFY: default BIN_DIR/haal-verify)
# HAAL_TAMPER_KEEP=1 keeps the work directory; HAAL_TAMPER_DEMO=DIR reuses the output directory
# of an earlier `scripts/run-election --voters 8` instead of running one. Prints "ok N - name" /
# "not ok N - name" and "tamper suite: N passed, M failed"; exits non-zero if any failed.
set -uo pipefail
repo=$1 bin=$2 verify=${3:-$2/haal-verify}
here=$(cd "$(dirname "$0")" && pwd)
for tool in perl openssl sha256sum truncate; do
  command -v "$tool" >/dev/null || { echo "tamper suite: $tool is required"; exit 1; }
done
perl -MJSON::PP -MDigest::SHA -e 1 || { echo "tamper suite: Perl's JSON::PP and Digest::SHA are required"; exit 1; }
tp() { perl "$here/tamper.pl" "$@"; }
work=$(mktemp -d)
if [ -n "${HAAL_TAMPER_KEEP:-}" ]; then echo "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi
start=$SECONDS

if [ -n "${HAAL_TAMPER_DEMO:-}" ]; then  # reuse a run-election output directory (development)
  cp -r "$HAAL_TAMPER_DEMO" "$work/demo"
else
  "$repo/scripts/run-election" --bin "$bin" --voters 8 --out "$work/demo" >"$work/run.log" 2>&1 ||
    { cat "$work/run.log"; echo "tamper suite: run-election failed"; exit 1; }
fi
export TAMPER_SECRETS=$work/demo   # the demo's keys: collector-key.json, credentials/
base=$work/demo/record
"$verify" "$base" --quiet --json "$work/honest.json" >"$work/honest.txt" 2>&1 ||
  { cat "$work/honest.txt"; echo "tamper suite: haal-verify fails the honest record"; exit 1; }
echo "ok 0 - the honest record passes ($(tail -n 1 "$work/honest.txt"))"

n=0 passed=0 failed=0
# tamper NAME STAGE REGEX FUNCTION [noindex]: FUNCTION runs in a fresh copy of the record (cwd),
# may set `target` (default: the copy) to what haal-verify is given.
tamper() {
  local name=$1 stage=$2 re=$3 fn=$4 mode=${5:-}
  n=$((n + 1))
  local d=$work/t$n
  cp -r "$base" "$d"
  target=$d
  if ! (cd "$d" && set -e && "$fn") >"$work/t$n.edit.log" 2>&1; then
    echo "not ok $n - $name (the tampering itself failed)"; sed 's/^/#   /' "$work/t$n.edit.log"
    failed=$((failed + 1)); return
  fi
  [ "$mode" = noindex ] || tp reindex "$d"
  [ -f "$work/t$n.target" ] && target=$(cat "$work/t$n.target")
  if "$verify" "$target" --quiet --json "$work/t$n.json" >"$work/t$n.txt" 2>&1; then
    echo "not ok $n - $name (haal-verify passed the tampered record)"; failed=$((failed + 1)); return
  fi
  if [ ! -s "$work/t$n.json" ]; then
    echo "not ok $n - $name (no JSON report)"; sed 's/^/#   /' "$work/t$n.txt"; failed=$((failed + 1)); return
  fi
  if tp check "$work/t$n.json" "$stage" "$re" >"$work/t$n.check"; then
    echo "ok $n - $name [stage $stage: $re]"; passed=$((passed + 1))
  else
    echo "not ok $n - $name"; cat "$work/t$n.check"; failed=$((failed + 1))
  fi
  [ -n "${HAAL_TAMPER_KEEP:-}" ] || rm -rf "$d"
}
use_target() { echo "$1" >"$work/t$n.target"; }

# Board helpers for the perl snippets: first counted ballot, a superseded one, the challenge.
# (cast.json lists the counted ballots' board indices.)
first_cast='my $c = read_json("cleanse/cast.json"); my $i = $c->{ballots}[0]{board_index}; my $j = $c->{ballots}[1]{board_index};'

# ---- stage 1: the index, without re-indexing ----
t_idx_alter() { tp json results.json '$_->{contests}[0]{choice}{option_votes}[0] += 1'; }
t_idx_delete() { rm plaintexts/poet.json; }
t_idx_extra() { echo forged >mix/mayor/nizkp/extra.bt; }
t_idx_truncate() { truncate -s -10 decrypt/mayor/trustee-1.json; }
t_tar_truncate() {  # the published archive cut at a block boundary inside its largest member
  local cut
  cut=$(perl -e 'open(my $f, "<:raw", $ARGV[0]) or die; my ($off, $best, $at) = (0, 0, 0);
    while (read($f, my $h, 512) == 512) { last if $h =~ /^\0{512}$/;
      my $size = oct(substr($h, 124, 11)); my $blocks = int(($size + 511) / 512);
      if ($size > $best) { $best = $size; $at = $off + 512 + int($blocks / 2) * 512; }
      $off += 512 + $blocks * 512; seek($f, $off, 0); }
    die "no member of 1024 bytes or more" if $best < 1024; print $at' "$work/demo/record.tar")
  head -c "$cut" "$work/demo/record.tar" >"$work/t$n.tar"; use_target "$work/t$n.tar"
}
t_tar_odd() { head -c 100000 "$work/demo/record.tar" >"$work/t$n.tar"; use_target "$work/t$n.tar"; }
t_tar_flip() {  # one digit of a count changed inside the archive (its header checksum stays valid)
  perl -0777 -pe 's/("option_votes":\[)(\d)/$1 . ($2 == 9 ? 8 : $2 + 1)/e' "$work/demo/record.tar" >"$work/t$n.tar"
  use_target "$work/t$n.tar"
}
# ---- stage 1 (re-indexed) ----
t_json_truncated() { truncate -s 100 manifest.json; }
t_manifest_name() { tp json manifest.json '$_->{contests}[0]{options}[0]{title} = "Alice Forged"'; }
t_manifest_name_ctx() {  # ... and context.json's manifest_hash made to match (context_hash follows)
  tp json manifest.json '$_->{contests}[0]{options}[0]{title} = "Alice Forged"'
  local h; h=$(head -c -1 manifest.json | sha256sum | cut -c1-64)
  tp json context.json "\$_->{manifest_hash} = '$h'"
}
# ---- stage 2: key ceremony ----
t_joint_key() { tp json context.json 'my $r = read_json("ceremony/result.json"); $_->{public_key} = $r->{trustees}[0]{verification_key}'; }
t_trustee_commitment() {
  tp json ceremony/round1-reveal-trustee-2.json \
    'my $o = read_json("ceremony/round1-reveal-trustee-1.json"); $_->{coefficient_commitments}[0] = $o->{coefficient_commitments}[0]'
}
t_result_vk() { tp json ceremony/result.json '$_->{trustees}[0]{verification_key} = $_->{trustees}[1]{verification_key}'; }
t_drop_reveals() { rm ceremony/round1-reveal-trustee-2.json ceremony/round1-reveal-trustee-3.json; }
t_ceremony_extra() { cp ceremony/round1-reveal-trustee-1.json ceremony/round1-reveal-trustee-4.json; }
# ---- stage 3: roll and board ----
t_roll_dup() { tp json roll.json '$_->{voters}[1]{public_key} = $_->{voters}[0]{public_key}'; }
t_board_drop() { tp board . "$first_cast"' splice @E, $i, 1'; }
t_board_drop_resigned() { tp board . "$first_cast"' splice @E, $i, 1' resign; }
t_board_reorder() { tp board . "$first_cast"' @E[$i, $j] = @E[$j, $i]'; }
t_board_reorder_resigned() { tp board . "$first_cast"' @E[$i, $j] = @E[$j, $i]' resign; }
t_head_root() { tp json board/head.json '$_->{root_hash} = "00" x 32'; }
t_head_size() { tp json board/head.json '$_->{tree_size} = $_->{tree_size} - 1'; }
t_head_resigned_wrong_root() { tp resign-head . "$(echo forged | sha256sum | cut -c1-64)"; }
t_collector_key() {  # context.json's collector key replaced by another valid key (a voter's)
  tp json context.json 'my $r = read_json("roll.json"); $_->{collector_key} = $r->{voters}[0]{public_key}'
}
t_collector_file() {  # a collector key published beside the context, as older records did
  printf '{"public_key":"%s"}\n' "$(perl -MJSON::PP -e 'print decode_json(do { local $/; <STDIN> })->{collector_key}' <context.json)" >board/collector.json
}
t_heads_proof() {
  local f; f=$(ls board/heads/*.json | head -n 1)
  tp json "$f" 'my $p = $_->{consistency_proof}{path}; $p->[0] =~ s/^(.)/$1 eq "0" ? "1" : "0"/e'
}
t_poll_close_sig() {
  tp board . 'my $k = find_entry(sub { $E[$_[0]]{kind} eq "poll-close" }); my $p = P($k);
    $p->{signature} =~ s/^(.)/$1 eq "0" ? "1" : "0"/e; SETP($k, $p)' resign
}
t_ballot_after_close() { tp board . "$first_cast"' my ($b) = splice @E, $i, 1; push @E, $b' resign; }
# ---- stage 4: ballots (the collector re-signs the head, so stage 3 passes) ----
t_not_on_roll() {  # a ballot added for a voter who is not on the roll
  tp board . "$first_cast"' my $b = P($i); $b->{voter_id} = "voter-999999"; $b->{sequence} += 1;
    my %e = %{$E[$i]}; $e{timestamp_ms} = $E[-1]{timestamp_ms}; splice @E, $#E, 0, \%e; SETP($#E - 1, $b)' resign
}
t_ballot_replaced() {  # a counted ballot replaced by another voter's ballot
  tp board . "$first_cast"' $E[$i]{payload} = $E[$j]{payload}' resign
}
t_ballot_voter_changed() { tp board . "$first_cast"' my $b = P($i); my $o = P($j); $b->{voter_id} = $o->{voter_id}; SETP($i, $b)' resign; }
flip_alpha='my $b = P($i); $b->{contests}[0]{ciphertexts}[0]{alpha} =~ s/^0(.)/"0" . ($1 eq "2" ? "3" : "2")/e;'
t_ct_flip() { tp board . "$first_cast$flip_alpha"' SETP($i, $b)' resign; }
t_ct_flip_resigned() { tp board . "$first_cast$flip_alpha"' SETP($i, sign_ballot($b))' resign; }
t_ct_not_in_group() {
  tp board . "$first_cast"' my $b = P($i); $b->{contests}[1]{ciphertexts}[0]{beta} =~ s/^0./05/; SETP($i, sign_ballot($b))' resign
}
t_proof_flip_resigned() {
  tp board . "$first_cast"' my $b = P($i); $b->{contests}[2]{proof}{responses}[0] =~ s/(.)$/sprintf("%x", hex($1) ^ 1)/e;
    SETP($i, sign_ballot($b))' resign
}
t_ballot_sig_flip() { tp board . "$first_cast"' my $b = P($i); $b->{signature} =~ s/^(.)/$1 eq "0" ? "1" : "0"/e; SETP($i, $b)' resign; }
t_challenge_named() {  # a voter id slipped into an anonymous challenge record
  tp board . 'my $k = find_entry(sub { $E[$_[0]]{kind} eq "challenge" }); my $p = P($k);
    $p->{voter_id} = "voter-000001"; SETP($k, $p)' resign
}
t_ballot_context() { tp board . "$first_cast"' my $b = P($i); $b->{context_hash} = "00" x 32; SETP($i, sign_ballot($b))' resign; }
t_revote_sequence() {  # the re-vote signed with a lower sequence number than the ballot it replaces
  tp board . 'my $e = read_json("cleanse/excluded.json"); my ($s) = grep { $_->{reason} eq "superseded" } @{$e->{entries}};
    my $b = P($s->{superseded_by}); $b->{sequence} = P($s->{board_index})->{sequence} - 1; SETP($s->{superseded_by}, sign_ballot($b))' resign
}
t_roll_voter_added() { tp json roll.json 'push @{$_->{voters}}, {voter_id => "voter-999999", public_key => "ab" x 32}'; }
t_roll_voter_removed() { tp json roll.json 'my $c = read_json("cleanse/cast.json"); my $v = $c->{ballots}[0]{voter_id}; $_->{voters} = [grep { $_->{voter_id} ne $v } @{$_->{voters}}]'; }
t_poll_open_removed() { tp board . 'splice @E, find_entry(sub { $E[$_[0]]{kind} eq "poll-open" }), 1' resign; }
# ---- stage 5: cleansing ----
t_cast_dropped() {
  tp json cleanse/cast.json 'my $x = shift @{$_->{ballots}}; my $e = read_json("cleanse/excluded.json");
    push @{$e->{entries}}, {board_index => $x->{board_index}, kind => "ballot", reason => "invalid"};
    $e->{entries} = [sort { $a->{board_index} <=> $b->{board_index} } @{$e->{entries}}]; write_json("cleanse/excluded.json", $e)'
}
t_revote_removed() {  # the earlier ballot of a voter who voted again counts instead of the last one
  tp json cleanse/cast.json 'load_board("."); my $e = read_json("cleanse/excluded.json");
    my ($s) = grep { $_->{reason} eq "superseded" } @{$e->{entries}};
    my ($x, $y) = ($s->{board_index}, $s->{superseded_by}); my $p = P($x);
    for (@{$_->{ballots}}) { next unless $_->{board_index} == $y;
      %$_ = (board_index => $x, voter_id => $p->{voter_id}, sequence => $p->{sequence}, ballot_hash => sha256_hex(pack("H*", $E[$x]{payload}))) }
    $_->{ballots} = [sort { $a->{board_index} <=> $b->{board_index} } @{$_->{ballots}}];
    %$s = (board_index => $y, kind => "ballot", reason => "superseded", superseded_by => $x);
    $e->{entries} = [sort { $a->{board_index} <=> $b->{board_index} } @{$e->{entries}}]; write_json("cleanse/excluded.json", $e)'
}
t_revote_removed_board() {  # the re-vote removed from the board; the collector re-signs
  tp board . 'my $e = read_json("cleanse/excluded.json"); my ($s) = grep { $_->{reason} eq "superseded" } @{$e->{entries}};
    splice @E, $s->{superseded_by}, 1' resign
}
t_count_challenged() {  # the challenged (opened) ballot counted
  tp json cleanse/cast.json 'load_board("."); my $k = find_entry(sub { $E[$_[0]]{kind} eq "challenge" }); my $bb = P($k);
    push @{$_->{ballots}}, {board_index => 0 + $k, voter_id => "voter-000001", sequence => 1, ballot_hash => sha256_hex(canon($bb))};
    $_->{ballots} = [sort { $a->{board_index} <=> $b->{board_index} } @{$_->{ballots}}];
    my $e = read_json("cleanse/excluded.json"); $e->{entries} = [grep { $_->{board_index} != $k } @{$e->{entries}}];
    write_json("cleanse/excluded.json", $e)'
}
t_benaloh_opening() {  # a challenge's opening claims other choices
  tp board . 'my $k = find_entry(sub { $E[$_[0]]{kind} eq "challenge" }); my $p = P($k); my $o = $p->{contests}[0];
    $o->{choices} = [$o->{choices}[0] eq "alice" ? "bob" : "alice"]; SETP($k, $p)' resign
}
t_excluded_reason() {
  tp json cleanse/excluded.json 'my ($s) = grep { $_->{reason} eq "superseded" } @{$_->{entries}}; $s->{reason} = "invalid"; delete $s->{superseded_by}'
}
# ---- stage 6: mixing (P-256, width 1: a list is node(array u, array v)) ----
mx=mix/mayor/nizkp
t_mix_swap() { tp bt $mx/proofs/Ciphertexts02.bt 'swap_nodes([0, 0], [0, 1]); swap_nodes([1, 0], [1, 1])'; }
t_mix_permute_last() {  # the last server's output rotated by one: a fresh shuffle without a proof
  tp bt $mx/proofs/Ciphertexts03.bt 'for my $k (0 .. $#{node_at(0)->{children}} - 1) { swap_nodes([0, $k], [0, $k + 1]); swap_nodes([1, $k], [1, $k + 1]) }'
  cp $mx/proofs/Ciphertexts03.bt $mx/ShuffledCiphertexts.bt
}
t_mix_substitute() {  # council's last output replaced by mayor's (same size, no proof for it)
  cp $mx/proofs/Ciphertexts03.bt mix/council/nizkp/proofs/Ciphertexts03.bt
  cp $mx/proofs/Ciphertexts03.bt mix/council/nizkp/ShuffledCiphertexts.bt
}
t_mix_alpha_swap() { tp bt $mx/proofs/Ciphertexts03.bt 'swap_nodes([0, 0], [0, 1])'; cp $mx/proofs/Ciphertexts03.bt $mx/ShuffledCiphertexts.bt; }
t_mix_reply() { tp bt $mx/proofs/PoSReply02.bt 'my ($o, $l) = span(0); substr($B, $o + $l - 1, 1) ^= "\x01"'; }
t_mix_commitment() { tp bt $mx/proofs/PoSCommitment01.bt 'swap_nodes([1], [3])'; }
t_mix_input() { tp bt $mx/Ciphertexts.bt 'swap_nodes([0, 0], [0, 1]); swap_nodes([1, 0], [1, 1])'; }
t_mix_auxsid() { printf 'c6d61796f72\n' >mix/council/nizkp/auxsid; }  # "c" || hex("mayor")
t_mix_vbitlenro() { sed -i 's|<vbitlenro>256</vbitlenro>|<vbitlenro>0</vbitlenro>|' mix/mayor/protInfo.xml; }  # challenge 0: proofs forgeable
t_mix_shuffled() { cp $mx/proofs/Ciphertexts02.bt $mx/ShuffledCiphertexts.bt; }
t_mix_dir_removed() { rm -r mix/poet; }
t_mix_server_removed() {  # the last mix server's proof removed, its input published as the output
  echo 2 >$mx/proofs/activethreshold; rm $mx/proofs/*03.bt; cp $mx/proofs/Ciphertexts02.bt $mx/ShuffledCiphertexts.bt
}
t_mix_chain_shortened() {  # ... and protInfo.xml's threshold lowered to match: fewer servers than the context
  t_mix_server_removed; sed -i 's|<thres>3</thres>|<thres>2</thres>|' mix/mayor/protInfo.xml
}
t_mix_statement_removed() { rm mix/mayor/statements/02.json; }
t_mix_statement_other_key() {  # server 1's statement re-signed by a key the context does not pin for it
  tp json mix/mayor/statements/01.json '$_->{signature} = resign_statement($_->{statement}, "collector-key.json")'
}
t_mix_statement_position() {  # server 2's statement claims position 1 (re-signed, here with the collector's key)
  tp json mix/mayor/statements/02.json '$_->{statement}{position} = 1; $_->{signature} = resign_statement($_->{statement}, "collector-key.json")'
}
t_mix_parties_reordered() {  # protInfo.xml names mix-2 first and mix-1 second
  sed -i 's|<name>mix-1</name>|<name>mix-X</name>|; s|<name>mix-2</name>|<name>mix-1</name>|; s|<name>mix-X</name>|<name>mix-2</name>|' mix/mayor/protInfo.xml
}
t_mix_extra_statement() { cp mix/mayor/statements/03.json mix/mayor/statements/04.json; }
# ---- stage 7: decryption ----
t_partial_value() { tp json decrypt/mayor/trustee-1.json 'my $v = $_->{values}; ($v->[0], $v->[1]) = ($v->[1], $v->[0])'; }
t_partial_proof() { tp json decrypt/mayor/trustee-1.json '$_->{proof}{response} =~ s/(.)$/sprintf("%x", hex($1) ^ 1)/e'; }
t_partial_sig() { tp json decrypt/mayor/trustee-3.json '$_->{signature} =~ s/^(.)/$1 eq "0" ? "1" : "0"/e'; }
t_partial_other_contest() { cp decrypt/council/trustee-1.json decrypt/mayor/trustee-1.json; }
t_partial_impersonated() { cp decrypt/mayor/trustee-1.json decrypt/mayor/trustee-3.json; }
t_plain_invalid() { tp json plaintexts/mayor.json 'my $b = $_->{ballots}[0]; delete $b->{selection}; $b->{invalid} = "undecodable"'; }
t_trustee_drop() { rm decrypt/mayor/trustee-3.json; }
t_plain_selection() {
  tp json plaintexts/mayor.json 'my $s = $_->{ballots}[0]{selection}; $s->[0] = $s->[0] eq "alice" ? "bob" : "alice"'
}
t_plain_swap() {  # two decrypted ballots swapped (elements and selections): not what decryption gave
  tp json plaintexts/mayor.json 'my $b = $_->{ballots}; my ($k) = grep { $b->[$_]{elements}[0] ne $b->[0]{elements}[0] } 1 .. $#$b;
    defined $k or die "all mayor ballots are equal"; @$b[0, $k] = @$b[$k, 0]'
}
# ---- stage 8: counting ----
res() { echo 'my %c = map { ($_->{contest_id} => $_) } @{$_->{contests}}; my %r = map { ($_->{contest_id} => $_) } @{$_->{ranked_alternatives}};'; }
t_count() { tp json results.json "$(res)"' $c{mayor}{choice}{option_votes}[0] += 1'; }
t_seed() { tp json results.json "$(res)"' $c{budget}{tie_break}{seed} = "ab" x 32'; }
t_schulze() { tp json results.json "$(res)"' $r{budget}{schulze}{pairwise}[0][1] += 1'; }
t_method_swap() {  # the comparison count published as the binding one (Schulze for an IRV contest)
  tp json results.json 'my $o = $_; my ($i) = grep { $o->{contests}[$_]{contest_id} eq "budget" } 0 .. $#{$o->{contests}};
    my ($j) = grep { $o->{ranked_alternatives}[$_]{contest_id} eq "budget" } 0 .. $#{$o->{ranked_alternatives}};
    ($o->{contests}[$i], $o->{ranked_alternatives}[$j]) = ($o->{ranked_alternatives}[$j], $o->{contests}[$i])'
}
t_irv_winner() { tp json results.json "$(res)"' $c{budget}{irv}{winner} = $c{budget}{irv}{winner} == 0 ? 1 : 0'; }
t_writein() { tp json results.json "$(res)"' $c{poet}{choice}{write_ins}[0]{text} = "Forged Poet"'; }
t_results_drop() { tp json results.json '$_->{contests} = [grep { $_->{contest_id} ne "council" } @{$_->{contests}}]'; }
t_results_truncated() { truncate -s 500 results.json; }
t_results_election() { tp json results.json '$_->{election_id} = "another-election"'; }
t_results_field() { tp json results.json '$_->{announcement} = "Bob Saar is elected mayor"'; }
t_stray_results() {  # a second, unverified results file published in the record
  tp json results.json '$_->{contests}[0]{choice}{option_votes}[0] += 100'; mv results.json results-final.json; cp "$base/results.json" results.json
}
t_stray_plaintexts() { cp plaintexts/mayor.json plaintexts/senate.json; }

tamper "index: a count changed, not re-indexed" 1 'record index.*results\.json' t_idx_alter noindex
tamper "index: a file deleted, not re-indexed" 1 'record index.*plaintexts/poet\.json.*missing' t_idx_delete noindex
tamper "index: a file added, not re-indexed" 1 'record index.*extra\.bt.*not listed' t_idx_extra noindex
tamper "index: a file truncated, not re-indexed" 1 'record index.*trustee-1\.json.*(size|truncated)' t_idx_truncate noindex
tamper "archive: record.tar truncated inside a member" 1 'record can be read.*offset [0-9]+: member .* truncated' t_tar_truncate noindex
tamper "archive: record.tar cut at an odd length" 1 'record can be read.*not a multiple of 512' t_tar_odd noindex
tamper "archive: a count changed inside record.tar" 1 'record index.*results\.json.*SHA-256' t_tar_flip noindex
tamper "truncated JSON (manifest.json)" 1 'manifest\.json:1:' t_json_truncated
tamper "manifest: a candidate's name changed" 1 'context\.json matches the manifest.*manifest_hash' t_manifest_name
tamper "manifest: a candidate's name changed, context.json's manifest_hash updated" 2 'trustee identities.*manifest_hash: does not match' t_manifest_name_ctx
tamper "joint public key replaced in context.json" 2 'joint public key is the product' t_joint_key
tamper "a trustee's Feldman commitment altered" 2 'signed by their trustee.*round1-reveal-trustee-2' t_trustee_commitment
tamper "ceremony/result.json: a verification key altered" 2 'result\.json is what the messages give' t_result_vk
tamper "ceremony: two trustees' reveals dropped (fewer than t)" 2 'at least threshold trustees qualify' t_drop_reveals
tamper "ceremony: a message of a fourth trustee added" 2 'ceremony/ holds only' t_ceremony_extra
tamper "roll: two voters with the same key" 3 'voter roll is well formed' t_roll_dup
tamper "board: a cast ballot dropped" 3 'Merkle root of the entries' t_board_drop
tamper "board: a cast ballot dropped, head re-signed by the collector" 3 'heads published during the election' t_board_drop_resigned
tamper "board: two leaves reordered" 3 'Merkle root of the entries' t_board_reorder
tamper "board: two leaves reordered, head re-signed by the collector" 3 'heads published during the election' t_board_reorder_resigned
tamper "final tree head: root hash changed" 3 "final tree head's signature" t_head_root
tamper "final tree head: tree size changed" 3 "final tree head's signature" t_head_size
tamper "final tree head: the collector signs a root the entries do not give" 3 'Merkle root of the entries equals' t_head_resigned_wrong_root
tamper "context.json's collector key replaced" 3 "final tree head's signature" t_collector_key
tamper "board/collector.json published beside the context" 1 'record holds only the files.*board/collector\.json' t_collector_file
tamper "a voter's head: consistency proof altered" 3 'heads published during the election' t_heads_proof
tamper "officials' poll-close signature altered" 3 'poll events are signed requests of the officials' t_poll_close_sig
tamper "a ballot moved after the poll-close" 3 'only between poll-open and poll-close' t_ballot_after_close
tamper "a ballot added for a voter not on the roll" 4 "credential is the roll's key.*payload" t_not_on_roll
tamper "a ballot replaced by another voter's" 4 'no replayed ballot' t_ballot_replaced
tamper "a ballot's voter id changed to another voter's" 4 "credential is the roll's key" t_ballot_voter_changed
tamper "a bit flipped in a ciphertext" 4 'ballot signature' t_ct_flip
tamper "a bit flipped in a ciphertext, re-signed with the voter's credential" 4 'ballot proofs' t_ct_flip_resigned
tamper "a ciphertext element not in the group, re-signed" 4 'ciphertext elements are in the group' t_ct_not_in_group
tamper "a bit flipped in a ballot proof, re-signed" 4 'ballot proofs' t_proof_flip_resigned
tamper "a bit flipped in a ballot signature" 4 'ballot signature' t_ballot_sig_flip
tamper "a voter id added to an anonymous Benaloh challenge" 4 'ballot is well formed' t_challenge_named
tamper "a ballot for another context, re-signed" 4 'for this election and context' t_ballot_context
tamper "a re-vote signed with a lower sequence number" 4 "re-vote sequence numbers increase" t_revote_sequence
tamper "roll: a voter added after the polls opened (the officials signed another roll)" 3 'poll events are signed.*roll_hash' t_roll_voter_added
tamper "roll: a voter who voted removed" 4 "credential is the roll's key.*not on the roll" t_roll_voter_removed
tamper "board: the poll-open entry removed, head re-signed" 3 "poll events are signed requests" t_poll_open_removed
tamper "cleanse: a counted ballot dropped (claimed invalid)" 5 'cast\.json lists exactly' t_cast_dropped
tamper "cleanse: a re-vote removed so the earlier ballot counts" 5 'cast\.json lists exactly' t_revote_removed
tamper "board: a re-vote removed, head re-signed by the collector" 3 'heads published during the election' t_revote_removed_board
tamper "cleanse: the challenged ballot counted" 5 'cast\.json lists exactly' t_count_challenged
tamper "cleanse: an exclusion's reason changed" 5 'excluded\.json lists every' t_excluded_reason
tamper "a Benaloh opening claims other choices" 5 "Benaloh openings of challenged ballots" t_benaloh_opening
tamper "mix: two ciphertexts of server 2's output swapped" 6 "mix server 2's proof of shuffle.*mayor" t_mix_swap
tamper "mix: server 3's output replaced by a permutation of it (no proof)" 6 "mix server 3's proof of shuffle.*mayor" t_mix_permute_last
tamper "mix: council's last output replaced by mayor's" 6 "mix server 3's proof of shuffle.*council" t_mix_substitute
tamper "mix: two alphas of the last output swapped" 6 "mix server 3's proof of shuffle.*mayor" t_mix_alpha_swap
tamper "mix: a bit flipped in a proof reply" 6 "mix server 2's proof of shuffle.*mayor" t_mix_reply
tamper "mix: two proof commitments swapped" 6 "mix server 1's proof of shuffle.*mayor" t_mix_commitment
tamper "mix: the input list reordered" 6 'mix input of contest mayor' t_mix_input
tamper "mix: auxsid of another contest" 6 'mix of contest council is bound' t_mix_auxsid
tamper "mix: ShuffledCiphertexts.bt is not the last output" 6 'mix of contest mayor is bound.*ShuffledCiphertexts\.bt.*differs' t_mix_shuffled
tamper "mix: a contest's mix directory removed" 6 'mix proof directory of contest poet.*missing' t_mix_dir_removed
tamper "mix: the last mix server removed" 6 "mix of contest mayor is bound" t_mix_server_removed
tamper "mix: the last mix server removed, protInfo.xml's threshold lowered" 6 "mix chain of contest mayor is context.json's 3 mix servers" t_mix_chain_shortened
tamper "mix: server 2's signed statement removed" 6 'mix server 2 \("mix-2"\) signed its shuffle of contest mayor.*missing' t_mix_statement_removed
tamper "mix: server 1's statement re-signed by another key" 6 'mix server 1 \("mix-1"\) signed its shuffle of contest mayor.*not an Ed25519 signature' t_mix_statement_other_key
tamper "mix: server 2's statement claims position 1" 6 'mix server 2 \("mix-2"\) signed its shuffle of contest mayor.*statement\.position' t_mix_statement_position
tamper "mix: the servers reordered in protInfo.xml" 6 "mix chain of contest mayor is context.json's 3 mix servers.*party 1" t_mix_parties_reordered
tamper "mix: a statement of a fourth server added" 6 "mix/mayor/ holds only the chain's files.*statements/04\.json" t_mix_extra_statement
tamper "decrypt: two partial decryptions swapped" 7 'partial decryptions of contest mayor by trustee 1' t_partial_value
tamper "decrypt: a bit flipped in a partial decryption proof" 7 'partial decryptions of contest mayor by trustee 1' t_partial_proof
tamper "decrypt: a bit flipped in a trustee's signature" 7 'partial decryptions of contest mayor by trustee 3' t_partial_sig
tamper "decrypt: another contest's partial decryptions" 7 'partial decryptions of contest mayor by trustee 1' t_partial_other_contest
tamper "decrypt: a trustee's file dropped (fewer than t)" 7 'at least t = 2 valid trustees decrypted contest mayor' t_trustee_drop
tamper "decrypt: trustee 1's file published as trustee 3's" 7 "partial decryptions of contest mayor by trustee 3" t_partial_impersonated
tamper "plaintexts: a valid ballot published as invalid" 7 "decoding of contest mayor's plaintexts" t_plain_invalid
tamper "plaintexts: a decoded selection altered" 7 "decoding of contest mayor's plaintexts" t_plain_selection
tamper "plaintexts: two decrypted ballots swapped" 7 'combined plaintexts of contest mayor' t_plain_swap
tamper "results: a count changed" 8 'counts of contest mayor' t_count
tamper "results: tie-break seed changed" 8 'counts of contest budget.*seed' t_seed
tamper "results: a Schulze pairwise matrix entry changed" 8 'budget by its second ranked method' t_schulze
tamper "results: the instant-runoff winner changed" 8 'counts of contest budget' t_irv_winner
tamper "results: a write-in's text changed" 8 'counts of contest poet' t_writein
tamper "results: a contest's results removed" 8 'counts of contest council.*no results for council' t_results_drop
tamper "results: results.json truncated" 8 'results\.json is readable.*invalid JSON' t_results_truncated
tamper "results: results.json names another election" 8 "results\.json is this election's results.*election_id" t_results_election
tamper "results: an unverified field added to results.json" 8 "results\.json is this election's results.*announcement.*unknown field" t_results_field
tamper "a second, altered results file added to the record" 1 "record holds only the files.*results-final\.json" t_stray_results
tamper "plaintexts of a contest not in the manifest added" 1 "record holds only the files.*plaintexts/senate\.json" t_stray_plaintexts
tamper "mix: protInfo.xml's challenge length vbitlenro set to 0" 6 "mix of contest mayor is bound.*<vbitlenro>: 0, Haal's profile requires 256" t_mix_vbitlenro
tamper "results: a ranked contest's comparison count published as the binding one" 8 "ranked contest budget is decided by the manifest's method" t_method_swap

echo "tamper suite: $passed passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" = 0 ]
