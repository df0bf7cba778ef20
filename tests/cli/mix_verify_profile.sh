#!/usr/bin/env bash
# `haal mix verify` pins the proof parameters (docs/mixnet.md 4.1): the forged sessions of
# tests/data/verifier-mix (a Haal sid, <vbitlenro> 0 and 8, proofs simulated for ballots nobody
# cast) are refused naming the parameter; an honest Haal session and Verificatum's own sessions
# pass; a foreign session with a weaker challenge is refused, with --haal-profile any other value.
set -uo pipefail
haal=$1 data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
refuses() {  # refuses NAME PATTERN DIR [FLAGS]
  local name=$1 pattern=$2 dir=$3
  shift 3
  if "$haal" mix verify --proof "$dir" "$@" >"$work/out" 2>&1; then
    echo "not ok - $name: accepted"; failed=1
  elif ! grep -qF -- "$pattern" "$work/out"; then
    echo "not ok - $name: no \"$pattern\" in:"; cat "$work/out"; failed=1
  else
    echo "ok - $name"
  fi
}
accepts() {  # accepts NAME DIR [FLAGS]
  local name=$1 dir=$2
  shift 2
  if "$haal" mix verify --proof "$dir" "$@" >"$work/out" 2>&1; then
    echo "ok - $name"
  else
    echo "not ok - $name"; cat "$work/out"; failed=1
  fi
}
for n in 0 8; do
  refuses "forged proof, vbitlenro $n" "protInfo.xml <vbitlenro>: $n, Haal's profile requires 256" \
    "$data/verifier-mix/forged-vbitlenro$n"
done
accepts "honest Haal session" "$data/verifier-mix/haal-record-council-mix"
accepts "Verificatum's mod-p session" "$data/verificatum/modp2048-shuffle-n10"
accepts "Verificatum's P-256 session, profile forced" "$data/verificatum/p256-mix-3party-n100" --haal-profile
cp -r "$data/verificatum/modp2048-shuffle-n10" "$work/weak"
sed -i 's|<vbitlenro>256</vbitlenro>|<vbitlenro>128</vbitlenro>|' "$work/weak/protInfo.xml"
refuses "foreign session, vbitlenro 128" "<vbitlenro>: 128, Haal requires 256 to 4096" "$work/weak"
cp -r "$data/verificatum/modp2048-shuffle-n10" "$work/strong"
sed -i 's|<statdist>100</statdist>|<statdist>120</statdist>|' "$work/strong/protInfo.xml"
refuses "foreign session, statdist 120, profile forced" "<statdist>: 120, Haal's profile requires 100" \
  "$work/strong" --haal-profile
[ "$failed" = 0 ] && echo "mix verify profile: all passed"
exit "$failed"
