#include "crypto/modp_arith.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <stdexcept>

#include "crypto/exp_path_counts.hpp"

namespace haal::crypto {

namespace {

constexpr std::size_t kLimbBits = GMP_NUMB_BITS;
static_assert(GMP_NAIL_BITS == 0, "GMP built with nails is not supported");

std::size_t limbs_for_bits(std::size_t bits) {
  return (bits + kLimbBits - 1) / kLimbBits;
}

// Copies the non-negative k into out[0..len) (least significant limb first, zero padded).
// Throws std::invalid_argument if k is negative or has more than `bits` bits. Reads every limb
// slot; only the limb count of k decides a branch (as in GMP's mpz_powm_sec).
void export_exponent(const mpz_class& k, std::size_t bits, mp_limb_t* out, std::size_t len) {
  if (mpz_sgn(k.get_mpz_t()) < 0 || mpz_sizeinbase(k.get_mpz_t(), 2) > bits) {
    throw std::invalid_argument("exponent out of range for this table");
  }
  const std::size_t size = mpz_size(k.get_mpz_t());
  const mp_limb_t* src = mpz_limbs_read(k.get_mpz_t());
  for (std::size_t i = 0; i < len; ++i) out[i] = i < size ? src[i] : 0;
}

// Returns the w-bit digit of the limb array k (len limbs) at bit position pos. The branches
// depend on pos and w only, never on k.
std::size_t digit_at(const mp_limb_t* k, std::size_t len, std::size_t pos, unsigned w) {
  const std::size_t limb = pos / kLimbBits;
  const unsigned off = static_cast<unsigned>(pos % kLimbBits);
  if (limb >= len) return 0;
  mp_limb_t d = k[limb] >> off;
  if (off + w > kLimbBits && limb + 1 < len) d |= k[limb + 1] << (kLimbBits - off);
  return static_cast<std::size_t>(d & ((mp_limb_t{1} << w) - 1));
}

// Residues of `bases` in one flat array (count * limbs).
std::vector<mp_limb_t> to_mont_all(const MontModulus& m, std::span<const mpz_class> bases,
                                   MontModulus::Scratch& s) {
  const std::size_t n = m.limbs();
  std::vector<mp_limb_t> out(bases.size() * n);
  for (std::size_t i = 0; i < bases.size(); ++i) m.to_mont(out.data() + i * n, bases[i], s);
  return out;
}

// Fills table[0 .. 2^w) (each n limbs) with base^0 .. base^(2^w - 1), base a public residue.
void power_table(const MontModulus& m, const mp_limb_t* base, unsigned w, mp_limb_t* table,
                 MontModulus::Scratch& s) {
  const std::size_t n = m.limbs();
  std::copy(m.one(), m.one() + n, table);
  std::copy(base, base + n, table + n);
  for (std::size_t j = 2; j < (std::size_t{1} << w); ++j)
    m.mul_var(table + j * n, table + (j - 1) * n, base, s);
}

// An accumulator that knows when it is still 1 (variable time: skips multiplications by 1).
struct VarAcc {
  std::vector<mp_limb_t> value;
  bool is_one = true;
  explicit VarAcc(std::size_t n) : value(n) {}
  void mul(const MontModulus& m, const mp_limb_t* x, MontModulus::Scratch& s) {
    if (is_one) {
      std::copy(x, x + m.limbs(), value.begin());
      is_one = false;
    } else {
      m.mul_var(value.data(), value.data(), x, s);
    }
  }
  void square(const MontModulus& m, unsigned times, MontModulus::Scratch& s) {
    if (is_one) return;
    for (unsigned i = 0; i < times; ++i) m.sqr_var(value.data(), value.data(), s);
  }
  mpz_class result(const MontModulus& m, MontModulus::Scratch& s) const {
    return is_one ? mpz_class(1) : m.from_mont(value.data(), s);
  }
};

// Straus' interleaved fixed windows, variable time: per base a table of its first 2^w powers.
mpz_class straus_var(const MontModulus& m, const std::vector<mp_limb_t>& bases,
                     const std::vector<mp_limb_t>& exps, std::size_t exp_len, std::size_t count,
                     std::size_t bits, unsigned w, MontModulus::Scratch& s) {
  const std::size_t n = m.limbs();
  const std::size_t entries = std::size_t{1} << w;
  std::vector<mp_limb_t> tables(count * entries * n);
  for (std::size_t i = 0; i < count; ++i)
    power_table(m, bases.data() + i * n, w, tables.data() + i * entries * n, s);
  const std::size_t windows = (bits + w - 1) / w;
  VarAcc acc(n);
  for (std::size_t win = windows; win-- > 0;) {
    acc.square(m, w, s);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t d = digit_at(exps.data() + i * exp_len, exp_len, win * w, w);
      if (d != 0) acc.mul(m, tables.data() + (i * entries + d) * n, s);
    }
  }
  return acc.result(m, s);
}

// Pippenger's bucket method, variable time: per c-bit window, each base goes into the bucket of
// its digit; the buckets are combined with a running product (sum_d d * bucket_d as
// prod_d prod_{e >= d} bucket_e).
mpz_class pippenger_var(const MontModulus& m, const std::vector<mp_limb_t>& bases,
                        const std::vector<mp_limb_t>& exps, std::size_t exp_len, std::size_t count,
                        std::size_t bits, unsigned c, MontModulus::Scratch& s) {
  const std::size_t n = m.limbs();
  const std::size_t nbuckets = std::size_t{1} << c;
  std::vector<mp_limb_t> buckets(nbuckets * n);
  std::vector<char> used(nbuckets);
  const std::size_t windows = (bits + c - 1) / c;
  VarAcc acc(n);
  for (std::size_t win = windows; win-- > 0;) {
    acc.square(m, c, s);
    std::fill(used.begin(), used.end(), 0);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t d = digit_at(exps.data() + i * exp_len, exp_len, win * c, c);
      if (d == 0) continue;
      mp_limb_t* bucket = buckets.data() + d * n;
      if (used[d] != 0) {
        m.mul_var(bucket, bucket, bases.data() + i * n, s);
      } else {
        std::copy(bases.data() + i * n, bases.data() + (i + 1) * n, bucket);
        used[d] = 1;
      }
    }
    VarAcc running(n), sum(n);
    for (std::size_t d = nbuckets; d-- > 1;) {
      if (used[d] != 0) running.mul(m, buckets.data() + d * n, s);
      if (!running.is_one) sum.mul(m, running.value.data(), s);
    }
    if (!sum.is_one) acc.mul(m, sum.value.data(), s);
  }
  return acc.result(m, s);
}

std::atomic<std::uint64_t> constant_time_calls{0};
std::atomic<std::uint64_t> variable_time_calls{0};

}  // namespace

ExpPathCounts exp_path_counts() {
  return ExpPathCounts{constant_time_calls.load(std::memory_order_relaxed),
                       variable_time_calls.load(std::memory_order_relaxed)};
}

void count_exp_path(bool constant_time) {
  (constant_time ? constant_time_calls : variable_time_calls)
      .fetch_add(1, std::memory_order_relaxed);
}

MontModulus::MontModulus(const mpz_class& p) : p_(p) {
  if (p <= 2 || mpz_even_p(p.get_mpz_t()) != 0) {
    throw std::invalid_argument("Montgomery arithmetic needs an odd modulus > 2");
  }
  n_ = mpz_size(p.get_mpz_t());
  const auto limbs_of = [this](const mpz_class& v) {
    std::vector<mp_limb_t> out(n_, 0);
    export_exponent(v, n_ * kLimbBits, out.data(), n_);
    return out;
  };
  p_limbs_ = limbs_of(p_);
  mpz_class r = mpz_class(1) << static_cast<mp_bitcnt_t>(n_ * kLimbBits);
  one_ = limbs_of(r % p_);
  r2_ = limbs_of((r * r) % p_);
  const mpz_class word = mpz_class(1) << static_cast<mp_bitcnt_t>(kLimbBits);
  mpz_class inv;
  mpz_invert(inv.get_mpz_t(), p_.get_mpz_t(), word.get_mpz_t());
  const mpz_class neg_inv = word - inv;
  n0inv_ = static_cast<mp_limb_t>(mpz_getlimbn(neg_inv.get_mpz_t(), 0));
}

MontModulus::Scratch::Scratch(const MontModulus& m)
    : product_limbs_(2 * m.limbs()),
      buf_(product_limbs_ + static_cast<std::size_t>(
                                std::max(mpn_sec_mul_itch(static_cast<mp_size_t>(m.limbs()),
                                                          static_cast<mp_size_t>(m.limbs())),
                                         mpn_sec_sqr_itch(static_cast<mp_size_t>(m.limbs()))))) {}

void MontModulus::redc(mp_limb_t* r, mp_limb_t* t) const {
  const mp_size_t n = static_cast<mp_size_t>(n_);
  // GMP's mpn_redc_1: clear one low limb per step, keeping the step's carry in that limb.
  for (std::size_t i = 0; i < n_; ++i) {
    const mp_limb_t q = t[i] * n0inv_;
    t[i] = mpn_addmul_1(t + i, p_limbs_.data(), n, q);
  }
  const mp_limb_t carry = mpn_add_n(r, t + n_, t, n);
  mpn_cnd_sub_n(carry, r, r, p_limbs_.data(), n);
}

void MontModulus::mul(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, Scratch& s) const {
  const mp_size_t n = static_cast<mp_size_t>(n_);
  mpn_sec_mul(s.product(), a, n, b, n, s.itch());
  redc(r, s.product());
}

void MontModulus::sqr(mp_limb_t* r, const mp_limb_t* a, Scratch& s) const {
  mpn_sec_sqr(s.product(), a, static_cast<mp_size_t>(n_), s.itch());
  redc(r, s.product());
}

void MontModulus::mul_var(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, Scratch& s) const {
  mpn_mul_n(s.product(), a, b, static_cast<mp_size_t>(n_));
  redc(r, s.product());
}

void MontModulus::sqr_var(mp_limb_t* r, const mp_limb_t* a, Scratch& s) const {
  mpn_sqr(s.product(), a, static_cast<mp_size_t>(n_));
  redc(r, s.product());
}

void MontModulus::to_mont(mp_limb_t* out, const mpz_class& v, Scratch& s) const {
  if (mpz_sgn(v.get_mpz_t()) < 0 || v >= p_) {
    throw std::invalid_argument("value out of range for Montgomery form");
  }
  std::vector<mp_limb_t> padded(n_);
  export_exponent(v, n_ * kLimbBits, padded.data(), n_);
  mul(out, padded.data(), r2_.data(), s);
}

mpz_class MontModulus::from_mont(const mp_limb_t* a, Scratch& s) const {
  const mp_size_t n = static_cast<mp_size_t>(n_);
  mp_limb_t* t = s.product();
  std::copy(a, a + n_, t);
  std::fill(t + n_, t + 2 * n_, mp_limb_t{0});
  std::vector<mp_limb_t> r(n_), reduced(n_);
  redc(r.data(), t);  // r <= p
  const mp_limb_t borrow = mpn_sub_n(reduced.data(), r.data(), p_limbs_.data(), n);
  mpn_cnd_add_n(borrow, reduced.data(), reduced.data(), p_limbs_.data(), n);
  mpz_class out;
  mp_limb_t* dst = mpz_limbs_write(out.get_mpz_t(), n);
  std::copy(reduced.begin(), reduced.end(), dst);
  mpz_limbs_finish(out.get_mpz_t(), n);
  return out;
}

ModpFixedBaseTable::ModpFixedBaseTable(const MontModulus& m, const mpz_class& base,
                                       std::size_t exponent_bits, unsigned window)
    : m_(m),
      base_(base),
      bits_(exponent_bits),
      window_(window),
      rows_((exponent_bits + window - 1) / window),
      entries_(std::size_t{1} << window) {
  if (window == 0 || window > 12 || exponent_bits == 0) {
    throw std::invalid_argument("fixed-base table: window must be 1..12, exponents >= 1 bit");
  }
  const std::size_t n = m.limbs();
  table_.resize(rows_ * entries_ * n);
  MontModulus::Scratch s(m);
  std::vector<mp_limb_t> row_base(n);
  m.to_mont(row_base.data(), base, s);
  for (std::size_t row = 0; row < rows_; ++row) {
    mp_limb_t* t = table_.data() + row * entries_ * n;
    power_table(m, row_base.data(), window, t, s);
    m.mul_var(row_base.data(), t + (entries_ - 1) * n, row_base.data(),
              s);  // base^(2^(w(row+1)))
  }
}

mpz_class ModpFixedBaseTable::exp(const mpz_class& k) const {
  count_exp_path(true);
  const std::size_t n = m_.limbs();
  const std::size_t len = limbs_for_bits(bits_);
  std::vector<mp_limb_t> digits(len), acc(n), sel(n);
  export_exponent(k, bits_, digits.data(), len);
  MontModulus::Scratch s(m_);
  const auto select = [&](mp_limb_t* out, std::size_t row) {
    mpn_sec_tabselect(out, entry(row, 0), static_cast<mp_size_t>(n),
                      static_cast<mp_size_t>(entries_),
                      static_cast<mp_size_t>(digit_at(digits.data(), len, row * window_, window_)));
  };
  select(acc.data(), 0);
  for (std::size_t row = 1; row < rows_; ++row) {
    select(sel.data(), row);
    m_.mul(acc.data(), acc.data(), sel.data(), s);
  }
  std::fill(digits.begin(), digits.end(), mp_limb_t{0});
  return m_.from_mont(acc.data(), s);
}

void ModpFixedBaseTable::exp_batch(const SecretExponents& exponents, std::size_t count,
                                   std::vector<mpz_class>& out) const {
  constexpr std::size_t kBlock = 32;
  const std::size_t n = m_.limbs();
  const std::size_t len = limbs_for_bits(bits_);
  std::vector<mp_limb_t> digits(kBlock * len), acc(kBlock * n), sel(n);
  MontModulus::Scratch s(m_);
  out.resize(count);
  for (std::size_t begin = 0; begin < count; begin += kBlock) {
    const std::size_t size = std::min(kBlock, count - begin);
    for (std::size_t j = 0; j < size; ++j) {
      count_exp_path(true);
      export_exponent(exponents(begin + j), bits_, digits.data() + j * len, len);
    }
    for (std::size_t row = 0; row < rows_; ++row) {
      for (std::size_t j = 0; j < size; ++j) {
        mp_limb_t* a = acc.data() + j * n;
        const std::size_t d = digit_at(digits.data() + j * len, len, row * window_, window_);
        mpn_sec_tabselect(row == 0 ? a : sel.data(), entry(row, 0), static_cast<mp_size_t>(n),
                          static_cast<mp_size_t>(entries_), static_cast<mp_size_t>(d));
        if (row > 0) m_.mul(a, a, sel.data(), s);
      }
    }
    for (std::size_t j = 0; j < size; ++j) out[begin + j] = m_.from_mont(acc.data() + j * n, s);
  }
  std::fill(digits.begin(), digits.end(), mp_limb_t{0});
}

mpz_class ModpFixedBaseTable::exp_var(const mpz_class& k) const {
  count_exp_path(false);
  const std::size_t len = limbs_for_bits(bits_);
  std::vector<mp_limb_t> digits(len);
  export_exponent(k, bits_, digits.data(), len);
  MontModulus::Scratch s(m_);
  VarAcc acc(m_.limbs());
  for (std::size_t row = 0; row < rows_; ++row) {
    const std::size_t d = digit_at(digits.data(), len, row * window_, window_);
    if (d != 0) acc.mul(m_, entry(row, d), s);
  }
  return acc.result(m_, s);
}

mpz_class modp_multi_exp(const MontModulus& m, std::span<const mpz_class> bases,
                         const SecretExponents& exponents, std::size_t exponent_bits) {
  count_exp_path(true);
  constexpr unsigned kWindow = 5;
  constexpr std::size_t kBatch = 128;  // bases sharing one chain of squarings
  const std::size_t n = m.limbs();
  const std::size_t entries = std::size_t{1} << kWindow;
  const std::size_t len = limbs_for_bits(exponent_bits);
  const std::size_t windows = (exponent_bits + kWindow - 1) / kWindow;
  MontModulus::Scratch s(m);
  std::vector<mp_limb_t> total(m.one(), m.one() + n), acc(n), sel(n);
  std::vector<mp_limb_t> tables(std::min(kBatch, bases.size()) * entries * n);
  std::vector<mp_limb_t> digits(std::min(kBatch, bases.size()) * len);
  std::vector<mp_limb_t> base(n);
  for (std::size_t begin = 0; begin < bases.size(); begin += kBatch) {
    const std::size_t count = std::min(kBatch, bases.size() - begin);
    for (std::size_t i = 0; i < count; ++i) {
      m.to_mont(base.data(), bases[begin + i], s);
      power_table(m, base.data(), kWindow, tables.data() + i * entries * n, s);
      export_exponent(exponents(begin + i), exponent_bits, digits.data() + i * len, len);
    }
    std::copy(m.one(), m.one() + n, acc.begin());
    for (std::size_t win = windows; win-- > 0;) {
      if (win + 1 < windows) {
        for (unsigned j = 0; j < kWindow; ++j) m.sqr(acc.data(), acc.data(), s);
      }
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t d = digit_at(digits.data() + i * len, len, win * kWindow, kWindow);
        mpn_sec_tabselect(sel.data(), tables.data() + i * entries * n, static_cast<mp_size_t>(n),
                          static_cast<mp_size_t>(entries), static_cast<mp_size_t>(d));
        m.mul(acc.data(), acc.data(), sel.data(), s);
      }
    }
    m.mul(total.data(), total.data(), acc.data(), s);
  }
  std::fill(digits.begin(), digits.end(), mp_limb_t{0});
  return m.from_mont(total.data(), s);
}

mpz_class modp_multi_exp_var(const MontModulus& m, std::span<const mpz_class> bases,
                             std::span<const mpz_class> exponents) {
  count_exp_path(false);
  if (bases.size() != exponents.size()) {
    throw std::invalid_argument("multi-exponentiation: bases and exponents differ in number");
  }
  const std::size_t count = bases.size();
  std::size_t bits = 0;
  for (const auto& e : exponents) {
    if (mpz_sgn(e.get_mpz_t()) < 0) throw std::invalid_argument("negative exponent");
    if (mpz_sgn(e.get_mpz_t()) > 0) bits = std::max(bits, mpz_sizeinbase(e.get_mpz_t(), 2));
  }
  if (count == 0 || bits == 0) return 1;
  // Operation counts (multiplications; the `bits` shared squarings are the same for both).
  const auto ceil_div = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
  unsigned straus_w = 1, pippenger_c = 1;
  std::size_t straus_cost = std::numeric_limits<std::size_t>::max(), pippenger_cost = straus_cost;
  for (unsigned w = 1; w <= 8; ++w) {
    const std::size_t cost = count * ((std::size_t{1} << w) - 2 + ceil_div(bits, w));
    if (cost < straus_cost) straus_cost = cost, straus_w = w;
  }
  for (unsigned c = 1; c <= 16; ++c) {
    const std::size_t cost = ceil_div(bits, c) * (count + (std::size_t{2} << c));
    if (cost < pippenger_cost) pippenger_cost = cost, pippenger_c = c;
  }
  const std::size_t len = limbs_for_bits(bits);
  std::vector<mp_limb_t> exps(count * len);
  for (std::size_t i = 0; i < count; ++i) export_exponent(exponents[i], bits, &exps[i * len], len);
  MontModulus::Scratch s(m);
  const std::vector<mp_limb_t> residues = to_mont_all(m, bases, s);
  if (straus_cost <= pippenger_cost) {
    return straus_var(m, residues, exps, len, count, bits, straus_w, s);
  }
  return pippenger_var(m, residues, exps, len, count, bits, pippenger_c, s);
}

}  // namespace haal::crypto
