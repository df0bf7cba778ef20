# Sourced by the command-line flow tests: a scratch directory removed on exit (with the collector
# started into $server_pid stopped), and two assertions on a command's output (out.txt).
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
expect_fail() { if "$@" >out.txt 2>&1; then echo "expected failure: $*"; cat out.txt; exit 1; fi; }
contains() { grep -q "$1" out.txt || { echo "missing '$1' in:"; cat out.txt; exit 1; }; }
