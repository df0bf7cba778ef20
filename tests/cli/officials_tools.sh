#!/usr/bin/env bash
# The officials' tools through the real binaries on loopback, as an official meets them:
# - `haal election seal` before the key ceremony says to run the ceremony first.
# Sections (`# -- NAME` ... `# -- end`) group the checks by tool.
# Usage: officials_tools.sh REPO_DIR HAAL HAAL_COLLECTOR
set -euo pipefail
haal=$2
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
fail() { echo "FAILED: $*"; [ -f out.txt ] && sed 's/^/  | /' out.txt; exit 1; }
expect_fail() { if "$@" >out.txt 2>&1; then fail "expected failure: $*"; fi; }
contains() { grep -qF -- "$1" out.txt || fail "missing '$1'"; }
lacks() { if grep -qF -- "$1" out.txt; then fail "unexpected '$1'"; fi; }

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
echo "officials' tools: 1 passed, 0 failed"
