#!/usr/bin/perl
# Forger's toolkit for tests/verifier/tamper_record.sh: edits a copy of an election record the
# way a forger would (canonical JSON, board entries, byte trees, re-signed heads, re-indexing).
# Core Perl only (JSON::PP, Digest::SHA, File::Find); Ed25519 signatures through `openssl`.
# Usage: perl tamper.pl SUBCOMMAND ARGS...   (see the subs named cmd_*)
#   reindex DIR                 rewrite DIR/index.json for the files present (and context_hash)
#   json FILE CODE              run CODE with $_ = the parsed JSON of FILE, write it back canonical
#   board DIR CODE [resign]     run CODE with @E = the board entries (helpers P, SETP, sign_ballot),
#                               renumber sequences, write entries.jsonl; with "resign" the
#                               collector (key in $TAMPER_SECRETS/collector-key.json) signs a head
#                               over the new entries
#   resign-head DIR [ROOT_HEX]  the collector signs head.json over the entries (or over ROOT_HEX)
#   bt FILE CODE                run CODE with $B = the file's bytes and $T = its parsed byte tree
#                               (helpers span, swap_nodes, set_node), write $B back
#   check REPORT STAGE REGEX    exit 0 iff REPORT (haal-verify --json) has a FAIL in STAGE whose
#                               "check [location]: reason" matches REGEX; prints the FAILs otherwise
use strict;
use warnings;
use JSON::PP;
use Digest::SHA qw(sha256 sha256_hex);
use File::Find;
use File::Temp qw(tempdir);

my $json = JSON::PP->new->canonical(1)->utf8(1);
our (@E, $B, $T);

sub slurp { my ($f) = @_; open my $h, '<:raw', $f or die "$f: $!"; local $/; my $c = <$h>; close $h; $c }
sub spew { my ($f, $c) = @_; open my $h, '>:raw', $f or die "$f: $!"; print $h $c; close $h or die "$f: $!" }
sub canon { $json->encode($_[0]) }
sub read_json { $json->decode(slurp($_[0])) }
sub write_json { spew($_[0], canon($_[1]) . "\n") }
sub secrets { $ENV{TAMPER_SECRETS} or die "TAMPER_SECRETS is not set" }

sub ed25519_sign {
  my ($seed_hex, $msg) = @_;
  my $dir = tempdir(CLEANUP => 1);
  spew("$dir/k.der", pack('H*', '302e020100300506032b657004220420' . $seed_hex));
  spew("$dir/m", $msg);
  system('openssl', 'pkey', '-inform', 'DER', '-in', "$dir/k.der", '-out', "$dir/k.pem") == 0 or die "openssl pkey";
  system("openssl pkeyutl -sign -inkey '$dir/k.pem' -rawin -in '$dir/m' -out '$dir/s'") == 0 or die "openssl sign";
  return unpack('H*', slurp("$dir/s"));
}
sub lp { pack('N', length $_[0]) . $_[0] }
sub u64 { my ($v) = @_; pack('NN', int($v / 4294967296), $v % 4294967296) }

# ---- board ----
sub load_board {
  my ($dir) = @_;
  @E = map { $json->decode($_) } grep { length } split /\n/, slurp("$dir/board/entries.jsonl");
}
sub P { my ($i) = @_; $json->decode(pack('H*', $E[$i]{payload})) }
sub SETP { my ($i, $obj) = @_; $E[$i]{payload} = unpack('H*', canon($obj)) }
sub find_entry {  # index of the first entry satisfying CODE($i)
  my ($pred) = @_;
  for my $i (0 .. $#E) { return $i if $pred->($i) }
  die "no such board entry";
}
sub sign_as {  # the voter's device (a forger holding the credential) signs a ballot or challenge again
  my ($obj, $voter_id) = @_;
  my $cred = read_json(secrets() . "/credentials/$voter_id.json");
  delete $obj->{signature};
  $obj->{signature} = ed25519_sign($cred->{seed}, canon($obj));
  return $obj;
}
sub sign_ballot { sign_as($_[0], $_[0]{voter_id}) }
sub leaf_hash {
  my ($e) = @_;
  sha256("\x00" . lp('HAAL-V1-BOARD-ENTRY') . lp($e->{kind}) . u64($e->{sequence}) . u64($e->{timestamp_ms})
         . lp(pack('H*', $e->{payload})));
}
sub mth {
  my @l = @_;
  return sha256('') unless @l;
  return $l[0] if @l == 1;
  my $k = 1; $k *= 2 while $k * 2 < @l;
  return sha256("\x01" . mth(@l[0 .. $k - 1]) . mth(@l[$k .. $#l]));
}
sub write_board {
  my ($dir) = @_;
  for my $i (0 .. $#E) { $E[$i]{sequence} = 0 + $i }
  spew("$dir/board/entries.jsonl", join('', map { canon($_) . "\n" } @E));
}
sub sign_head {
  my ($dir, $root_hex) = @_;
  load_board($dir);
  my $h = read_json("$dir/board/head.json");
  $h->{tree_size} = 0 + scalar @E;
  $h->{root_hash} = $root_hex // unpack('H*', mth(map { leaf_hash($_) } @E));
  (my $seed = slurp(secrets() . "/collector-key.json")) =~ s/\s+//g;  # 32-byte seed, hex
  die "collector key format" unless $seed =~ /\A[0-9a-f]{64}\z/;
  $h->{signature} = ed25519_sign($seed, lp('HAAL-V1-TREE-HEAD') . lp($h->{log_id}) . u64($h->{tree_size})
                                 . lp(pack('H*', $h->{root_hash})) . u64($h->{timestamp_ms}));
  write_json("$dir/board/head.json", $h);
}

# A mix statement (docs/mixnet.md section 9) signed with the seed in $TAMPER_SECRETS/KEYFILE.
sub resign_statement {
  my ($statement, $keyfile) = @_;
  (my $seed = slurp(secrets() . "/$keyfile")) =~ s/\s+//g;
  die "key format" unless $seed =~ /\A[0-9a-f]{64}\z/;
  ed25519_sign($seed, lp('HAAL-V1-MIX-STATEMENT') . canon($statement));
}

# ---- byte trees (docs/verifier-mixing.md 6.1) ----
sub bt_parse {
  my ($off) = @_;
  my ($type, $n) = unpack('CN', substr($B, $off, 5));
  if ($type == 1) { return {off => $off, end => $off + 5 + $n, leaf => 1} }
  my $node = {off => $off, children => []};
  my $p = $off + 5;
  for (1 .. $n) { my $c = bt_parse($p); push @{$node->{children}}, $c; $p = $c->{end} }
  $node->{end} = $p;
  return $node;
}
sub node_at { my $n = $T; $n = $n->{children}[$_] // die "no child $_" for @_; $n }
sub span { my $n = node_at(@_); ($n->{off}, $n->{end} - $n->{off}) }
sub bytes_at { my ($o, $l) = span(@_); substr($B, $o, $l) }
sub swap_nodes {  # two subtrees of the same size, given as array refs of child indices
  my ($a, $b) = @_;
  my ($oa, $la) = span(@$a); my ($ob, $lb) = span(@$b);
  die "sizes differ" unless $la == $lb;
  my $x = substr($B, $oa, $la); my $y = substr($B, $ob, $lb);
  substr($B, $oa, $la) = $y; substr($B, $ob, $lb) = $x;
}
sub set_node { my ($path, $bytes) = @_; my ($o, $l) = span(@$path); die "size" unless length $bytes == $l; substr($B, $o, $l) = $bytes }

# ---- commands ----
my %cmd;
$cmd{reindex} = sub {
  my ($dir) = @_;
  my $ix = read_json("$dir/index.json");
  my @files;
  find({no_chdir => 1, wanted => sub { push @files, substr($_, length($dir) + 1) if -f $_ }}, $dir);
  $ix->{files} = [map { my $c = slurp("$dir/$_"); {path => $_, bytes => 0 + length $c, sha256 => sha256_hex($c)} }
                  sort grep { $_ ne 'index.json' } @files];
  if (-f "$dir/context.json") { (my $c = slurp("$dir/context.json")) =~ s/\n\z//; $ix->{context_hash} = sha256_hex($c) }
  write_json("$dir/index.json", $ix);
};
$cmd{json} = sub {
  my ($file, $code) = @_;
  local $_ = read_json($file);
  my $r = $_;
  eval "$code; 1" or die "json $file: $@";
  write_json($file, $r);
};
$cmd{board} = sub {
  my ($dir, $code, $resign) = @_;
  load_board($dir);
  eval "$code; 1" or die "board: $@";
  write_board($dir);
  sign_head($dir) if $resign;
};
$cmd{'resign-head'} = sub { my ($dir, $root) = @_; sign_head($dir, $root) };
$cmd{bt} = sub {
  my ($file, $code) = @_;
  $B = slurp($file);
  $T = bt_parse(0);
  eval "$code; 1" or die "bt $file: $@";
  spew($file, $B);
};
$cmd{check} = sub {
  my ($report, $stage, $re) = @_;
  my $r = read_json($report);
  my @fails = grep { !$_->{passed} } @{$r->{checks}};
  for (@fails) {
    my $line = "$_->{check} [$_->{location}]: $_->{reason}";
    exit 0 if $_->{stage} == $stage && $line =~ /$re/;
  }
  print "#   expected a FAIL in stage $stage matching /$re/; got:\n";
  print "#   FAIL (stage $_->{stage}) $_->{check} [$_->{location}]: $_->{reason}\n" for @fails;
  print "#   (no FAIL at all)\n" unless @fails;
  exit 1;
};
my $c = shift @ARGV // die "usage: tamper.pl COMMAND ARGS";
($cmd{$c} // die "unknown command $c")->(@ARGV);
