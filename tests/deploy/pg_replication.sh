#!/usr/bin/env bash
# Durability beyond one machine (docs/deploy.md section 6): two throw-away PostgreSQL clusters on
# loopback, a primary and a streaming replica that the primary waits for on every commit
# (synchronous_standby_names = 'FIRST 1 (haal_replica)'). A collector on the primary takes
# ballots (`haal loadgen`, receipts kept) and, in the middle of the load, the primary's postmaster
# is killed with SIGKILL: the collector loses its writer lease and exits 3. The replica is
# promoted, a collector started on it, and every receipt given before the kill must be on the
# promoted board (`haal loadgen check`): nothing a voter holds a receipt for was only on the lost
# machine. Then the voters go on casting on the promoted database.
# Skips (exit 77) unless run as root with PostgreSQL's server binaries installed (scripts/setup
# or scripts/test-postgres installs them).
# Usage: pg_replication.sh HAAL HAAL_COLLECTOR
set -euo pipefail
. "$(dirname "$0")/common.sh"
haal=$1
collector=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ "$(id -u)" -ne 0 ] || [ -z "$bin" ] || ! id postgres >/dev/null 2>&1; then
  echo "SKIP: needs root, the postgres user and PostgreSQL's server binaries"
  exit 77
fi
work=$(mktemp -d)
chmod 755 "$work"
collector_pid=
as_postgres() { su postgres -s /bin/bash -c "$*"; }
cleanup() {
  [ -n "$collector_pid" ] && kill -9 "$collector_pid" 2>/dev/null || true
  for c in primary replica; do
    [ -d "$work/$c" ] && as_postgres "$bin/pg_ctl -D $work/$c -m immediate stop" >/dev/null 2>&1 || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() {
  echo "FAIL: $*" >&2
  for f in logs/primary.log logs/replica.log c1.log c2.log; do echo "--- $f" >&2; tail -8 "$f" >&2 || true; done
  exit 1
}
read -r p1 p2 < <(free_ports 2)

# The primary: replication from loopback without a password (throw-away clusters only).
mkdir sockets logs primary replica && chown postgres sockets logs primary replica &&
  chmod 700 primary replica
as_postgres "$bin/initdb -D $work/primary -A trust -U postgres >/dev/null"
cat >>primary/postgresql.conf <<EOF
port = $p1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/sockets'
wal_level = replica
max_wal_senders = 4
synchronous_commit = on
synchronous_standby_names = 'FIRST 1 (haal_replica)'
EOF
echo "host replication postgres 127.0.0.1/32 trust" >>primary/pg_hba.conf
as_postgres "$bin/pg_ctl -D $work/primary -l $work/logs/primary.log -w start >/dev/null" ||
  fail "the primary did not start"
primary_url="postgresql://postgres@127.0.0.1:$p1/postgres"

# The replica: a base backup of the primary that streams from it under the name the primary
# waits for.
as_postgres "$bin/pg_basebackup -h 127.0.0.1 -p $p1 -U postgres -D $work/replica -R -X stream" ||
  fail "pg_basebackup"
# (postgresql.auto.conf, where pg_basebackup -R wrote its own primary_conninfo: the last wins.)
cat >>replica/postgresql.auto.conf <<EOF
port = $p2
primary_conninfo = 'host=127.0.0.1 port=$p1 user=postgres application_name=haal_replica'
hot_standby = on
EOF
as_postgres "$bin/pg_ctl -D $work/replica -l $work/logs/replica.log -w start >/dev/null" ||
  fail "the replica did not start"
for _ in $(seq 1 50); do
  state=$(psql "$primary_url" -tAc "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'haal_replica'")
  [ "$state" = sync ] && break
  sleep 0.2
done
[ "$state" = sync ] || fail "the replica is not synchronous ($state)"
echo "primary on port $p1, synchronous replica on port $p2"

export HAAL_TEST_PASSPHRASE=test-passphrase
"$haal" loadgen test-election --election el --credentials creds --voters 600 \
  --officials-key officials.json --collector-key collector.key \
  --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null
start_collector() {  # start_collector N URL
  "$collector" --election el --store "$2" --key collector.key --listen "127.0.0.1:0" \
    --ip-rate 0 --max-connections-per-address 0 --web none >"c$1.out" 2>"c$1.log" &
  collector_pid=$!
  for _ in $(seq 1 300); do grep -q 'listening on' "c$1.out" 2>/dev/null && break; sleep 0.1; done
  server=$(sed -n 's|.*listening on ||p' "c$1.out")
  [ -n "$server" ] || fail "collector $1 did not start"
}
start_collector 1 "$primary_url"
"$haal" polls open --server "$server" --officials-key officials.json \
  --passphrase-env HAAL_TEST_PASSPHRASE >/dev/null

# The voters, and the primary's machine lost in the middle of their load.
"$haal" loadgen --server "$server" --election el --credentials creds --voters 600 \
  --concurrency 4 --receipts receipts.jsonl --quiet >loadgen1.txt 2>&1 &
load_pid=$!
for _ in $(seq 1 300); do
  [ -f receipts.jsonl ] && [ "$(wc -l <receipts.jsonl)" -ge 150 ] && break
  sleep 0.1
done
kill -9 "$(head -1 primary/postmaster.pid)"
wait "$load_pid" || true
receipted=$(wc -l <receipts.jsonl)
echo "primary killed after $receipted receipts: $(head -1 loadgen1.txt)"
[ "$receipted" -ge 150 ] && [ "$receipted" -lt 600 ] || fail "the kill did not fall inside the load"
for _ in $(seq 1 100); do kill -0 "$collector_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$collector_pid" 2>/dev/null; then fail "the collector still runs without its database"; fi
wait "$collector_pid" && code=0 || code=$?
grep -q 'lost the writer lease' c1.log || fail "the collector did not report the lost lease (exit $code)"
echo "collector on the lost primary: exit status $code, $(grep -o 'lost the writer lease' c1.log)"
collector_pid=

# The operator promotes the replica and points the collector at it. The promoted server
# inherited synchronous_standby_names from the base backup: until a new replica is built it has
# no standby to wait for, so the operator decides for availability (docs/deploy.md section 7).
as_postgres "$bin/pg_ctl -D $work/replica -w promote >/dev/null" || fail "promote"
replica_url="postgresql://postgres@127.0.0.1:$p2/postgres"
psql "$replica_url" -qc "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" \
  >/dev/null || fail "cannot reconfigure the promoted replica"
start_collector 2 "$replica_url"
"$haal" loadgen check --server "$server" --election el --receipts receipts.jsonl --quiet >check.txt 2>&1 ||
  { cat check.txt; fail "receipts lost with the primary"; }
echo "on the promoted replica: $(head -1 check.txt)"
# Voting goes on: the rest of the voters cast again (new sequences) on the promoted database.
"$haal" loadgen --server "$server" --election el --credentials creds --voters 600 \
  --concurrency 4 --receipts receipts.jsonl --quiet >loadgen2.txt 2>&1 ||
  { cat loadgen2.txt; fail "casting on the promoted replica"; }
"$haal" loadgen check --server "$server" --election el --receipts receipts.jsonl --quiet >check2.txt 2>&1 ||
  { cat check2.txt; fail "receipt audit after the promotion"; }
echo "after 600 more ballots: $(head -1 check2.txt)"
echo "pg replication: 1 passed, 0 failed"
