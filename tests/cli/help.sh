#!/usr/bin/env bash
# Every `haal` command family answers `help` and `--help` (stdout, exit 0), prints its usage
# when run without arguments (stderr, exit 2), and answers a usage error with its usage (exit 2).
# Usage: help.sh HAAL
set -uo pipefail
haal=$1
out=$(mktemp)
trap 'rm -f "$out" "$out.out" "$out.err"' EXIT
failures=0
fail() { echo "FAILED: $*"; sed 's/^/  | /' "$out"; failures=$((failures + 1)); }
# expect STATUS STREAM TEXT -- COMMAND...: the command exits STATUS and STREAM (out|err) has TEXT.
expect() {
  local status=$1 stream=$2 text=$3
  shift 4
  "$haal" "$@" >"$out.out" 2>"$out.err"
  local got=$?
  cat "$out.out" "$out.err" >"$out"
  [ "$got" = "$status" ] || { fail "haal $* exited $got, expected $status"; return; }
  grep -qF -- "$text" "$out.$stream" || fail "haal $*: std$stream lacks '$text'"
}

expect 0 out "usage: haal <command>" -- help
expect 0 out "usage: haal <command>" -- --help
expect 2 err "usage: haal <command>" -- 
expect 2 err "unknown command 'nonsense'" -- nonsense
expect 2 err "unknown command 'nonsense'" -- help nonsense

families=$("$haal" help | sed -n '/^commands:/,/^$/p' | awk 'NF && !/^commands:/ {print $1}' | grep -v '^version$')
[ "$(echo "$families" | wc -w)" -ge 12 ] || fail "haal help lists only: $families"
for f in $families; do
  expect 0 out "usage:" -- help "$f"
  expect 0 out "usage:" -- "$f" help
  expect 0 out "usage:" -- "$f" --help
  expect 0 out "usage:" -- "$f" -h
  expect 2 err "usage:" -- "$f"
  expect 2 err "usage:" -- "$f" no-such-step --no-such-option
done

# A command's own help, wherever the request stands.
expect 0 out "usage: haal vote" -- vote --help
expect 0 out "usage: haal vote" -- vote --server https://example.org --help
expect 0 out "--ca-cert" -- vote --help
expect 2 err "usage: haal vote" -- vote
expect 2 err "unknown option --bogus" -- vote --bogus
expect 2 err "missing --server" -- vote --credential c.json --cast
expect 2 err "missing --credential" -- vote --server http://127.0.0.1:1 --cast
expect 0 out "close --election" -- tally close --help
expect 0 out "close --election" -- tally close help
expect 0 out "reveal" -- trustee reveal --help
expect 0 out "haal election seal" -- election seal --help
expect 0 out "haal polls open" -- polls open --help
expect 0 out "haal receipt check" -- receipt check --help
expect 0 out "haal loadgen check" -- loadgen check --help
expect 0 out "haal mix-server keygen" -- mix-server keygen --help
expect 0 out "haal officials keygen" -- officials keygen help
expect 2 err "unknown step 'sideways'" -- tally sideways --record r
expect 2 err "unknown subcommand 'sideways'" -- polls sideways
expect 2 err "unknown subcommand 'sideways'" -- officials sideways
expect 2 err "unknown subcommand 'sideways'" -- loadgen sideways
expect 2 err "unknown step 'sideways'" -- trustee sideways --election e
# `haal help` walks through an election's life in order and says which overlapping command is
# the election's step.
expect 0 out "an election's life, in order:" -- help
life=$("$haal" help | sed -n "/^an election's life/,/^$/p")
order=$(echo "$life" | grep -oE '^    (election new|polls open|tally close|tally cleanse|tally mix|tally decrypt|tally combine|tally publish)' | sed 's/^ *//' | tr '\n' ,)
[ "$order" = "election new,polls open,tally close,tally cleanse,tally mix,tally decrypt,tally combine,tally publish," ] ||
  fail "haal help: the election's life is out of order: $order"
echo "$life" | grep -q 'is the same signed request alone' || fail "haal help: polls close is not placed against tally close"
echo "$life" | grep -q '`mix run` is the bare mix-net' || fail "haal help: mix run is not placed against tally mix"
expect 0 out "haal 0.1.0" -- version

[ "$failures" = 0 ] || { echo "help: $failures failed"; exit 1; }
echo "help: 1 passed, 0 failed"
