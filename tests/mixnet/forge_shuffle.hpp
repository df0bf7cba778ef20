// The forgery of issue 13, as test code: when the challenge length n_v (<vbitlenro>) is short,
// a "mix server" that never shuffled simulates a proof of shuffle for an output list of its
// choice. It fixes the replies first and solves the verification equations of [TW10] section 4
// (docs/mixnet.md section 6) for the commitment under the challenge v = 0:
//   A' = g^{k_A} prod h_i^{k_E,i},  B'_i = g^{k_B,i} B_{i-1}^{k_E,i},  C' = g^{k_C},
//   D' = g^{k_D},  F'_k = (g^{-k_F,k} prod u'_{k,i}^{k_E,i}, y^{-k_F,k} prod v'_{k,i}^{k_E,i}),
// then draws fresh k_A (hence A', hence the commitment) until the random oracle's n_v-bit
// challenge is 0: once for n_v = 0, about 2^{n_v} times otherwise. Only a verifier that pins
// n_v to 256 bits (Haal's profile) stops it.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "crypto/base/file.hpp"
#include "mixnet/session.hpp"

namespace haal::mixnet::testing {

// Returns a proof that verifies for `instance` (whatever its output list) when instance.params
// .n_v is small; `tries` receives the number of commitments drawn. Throws after max_tries.
inline ShuffleProof forge_shuffle_proof(const ShuffleInstance& in, crypto::RandomSource& rng,
                                        unsigned* tries = nullptr, unsigned max_tries = 100000) {
  const crypto::Group& G = *in.group;
  const mpz_class& q = G.order();
  const std::size_t n = in.input->size();
  const std::size_t width = in.input->width;
  const Bytes& g = G.generator_compact();
  ShuffleProof proof;
  PosCommitment& c = proof.commitment;
  PosReply& r = proof.reply;
  proof.u = ElementArray(G.stride(), n);  // arbitrary: commits to nothing the forger knows
  c.B = ElementArray(G.stride(), n);
  c.Bp = ElementArray(G.stride(), n);
  r.k_B.resize(n);
  r.k_E.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    proof.u.set(i, G.exp_var(g, random_scalar(q, rng)));
    c.B.set(i, G.exp_var(g, random_scalar(q, rng)));
    r.k_B[i] = random_scalar(q, rng);
    r.k_E[i] = random_scalar(q, rng);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes prev = i == 0 ? in.h->get(0) : c.B.get(i - 1);
    c.Bp.set(i, G.mul(G.exp_var(g, r.k_B[i]), G.exp_var(prev, r.k_E[i])));
  }
  r.k_C = random_scalar(q, rng);
  r.k_D = random_scalar(q, rng);
  c.Cp = G.exp_var(g, r.k_C);
  c.Dp = G.exp_var(g, r.k_D);
  c.Fp.a.resize(width);
  c.Fp.b.resize(width);
  r.k_F.resize(width);
  for (std::size_t k = 0; k < width; ++k) {
    r.k_F[k] = random_scalar(q, rng);
    const mpz_class neg = (q - r.k_F[k]) % q;
    c.Fp.a[k] = G.mul(G.exp_var(g, neg), G.multi_exp_var(in.output->u[k], r.k_E));
    c.Fp.b[k] = G.mul(G.exp_var(in.y, neg), G.multi_exp_var(in.output->v[k], r.k_E));
  }
  const Bytes h_kE = G.multi_exp_var(*in.h, r.k_E);
  for (unsigned t = 1; t <= max_tries; ++t) {
    r.k_A = random_scalar(q, rng);
    c.Ap = G.mul(G.exp_var(g, r.k_A), h_kE);
    PosTrace trace;
    if (verify_shuffle(in, proof, &trace).empty()) {
      if (tries != nullptr) *tries = t;
      return proof;
    }
    if (trace.v == 0) throw std::logic_error("forged proof rejected under the challenge 0");
  }
  throw std::runtime_error("no challenge 0 in " + std::to_string(max_tries) + " tries");
}

// Turns the one-server session in `dir` (made by create_session, nothing shuffled yet) into a
// forgery: protInfo.xml's <vbitlenro> becomes `n_v` and server 1 "proves" that `output` is a
// shuffle of the input. Returns the number of commitments drawn.
inline unsigned forge_session(const std::filesystem::path& dir, unsigned n_v,
                              const CiphertextList& output, crypto::RandomSource& rng) {
  std::string xml = haal::base::read_file(dir / "protInfo.xml");
  const std::string tag = "<vbitlenro>256</vbitlenro>";
  const auto at = xml.find(tag);
  if (at == std::string::npos) throw std::logic_error("protInfo.xml has no <vbitlenro>256");
  xml.replace(at, tag.size(), "<vbitlenro>" + std::to_string(n_v) + "</vbitlenro>");
  write_file(dir / "protInfo.xml", crypto::to_bytes(xml));
  const ProtocolInfo info = parse_protocol_info(xml);
  const crypto::Group& group = group_from_description(info.pgroup);
  const std::filesystem::path nizkp = dir / "nizkp";
  const std::string auxsid = haal::base::read_file(nizkp / "auxsid");
  const Bytes y =
      read_full_public_key(group, haal::base::read_file_bytes(nizkp / "FullPublicKey.bt"), "FullPublicKey.bt");
  const CiphertextList input = parse_ciphertexts_file(group, haal::base::read_file_bytes(nizkp / "Ciphertexts.bt"),
                                                      output.width, 0, "Ciphertexts.bt");
  ProofParams params;
  params.n_r = info.statdist;
  params.n_v = info.vbitlenro;
  params.n_e = info.ebitlenro;
  params.rho = derive_rho(info, auxsid);
  const ElementArray h = derive_generators(group, params.rho, params.n_r, input.size());
  const ShuffleInstance inst{&group, params, &h, y, &input, &output};
  unsigned tries = 0;
  const ShuffleProof proof = forge_shuffle_proof(inst, rng, &tries);
  const auto proofs = nizkp / "proofs";
  write_file(proofs / "PermutationCommitment01.bt", write_permutation_commitment(group, proof.u));
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_pos_commitment(group, w, proof.commitment);
  write_file(proofs / "PoSCommitment01.bt", sink.bytes);
  write_file(proofs / "PoSReply01.bt", write_pos_reply(group, proof.reply));
  const Bytes list = ciphertexts_file(group, output);
  write_file(proofs / "Ciphertexts01.bt", list);
  write_file(nizkp / "ShuffledCiphertexts.bt", list);
  return tries;
}

}  // namespace haal::mixnet::testing
