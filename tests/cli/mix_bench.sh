#!/usr/bin/env bash
# `haal mix bench` on a tiny list: one JSON object with every documented field, for N and width
# as asked; a zero N is a usage error.
set -euo pipefail
haal=$1
out=$("$haal" mix bench --ciphertexts 20 --width 2 2>/dev/null)
echo "$out"
for k in N width group threads shuffle_seconds prove_seconds verify_seconds peak_memory_mib \
         shuffle_cpu_seconds prove_cpu_seconds verify_cpu_seconds ecdh_p256_per_second_before \
         ecdh_p256_per_second_after shuffle_prove_units verify_units; do
  grep -q "\"$k\": " <<<"$out" || { echo "missing field $k"; exit 1; }
done
grep -q '"N": 20, "width": 2, "group": "P-256"' <<<"$out" || { echo "wrong N, width or group"; exit 1; }
if "$haal" mix bench --ciphertexts 0 >/dev/null 2>&1; then echo "N = 0 accepted"; exit 1; fi
echo "mix bench: 1 passed, 0 failed"
