#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/sampling.hpp"

using buzz::engine::Purpose;
using buzz::engine::Random;

// A purpose is a type of its own: an integer, or an enum of counts such as the campaign's
// Flow (whose kPaid once stood in for the paid draw's purpose), does not convert to it.
static_assert(!std::is_convertible_v<std::uint32_t, Purpose>);
static_assert(!std::is_convertible_v<int, Purpose>);

TEST_CASE("a draw is a pure function of its key", "[random]") {
  const Random a(7, 3), b(7, 3);
  CHECK(a.bits(5, 11, Purpose{2}, 1) == b.bits(5, 11, Purpose{2}, 1));
  CHECK(a.uniform(5, 11, Purpose{2}) == b.uniform(5, 11, Purpose{2}));
  // Changing any one part of the key changes the bits.
  const auto base = a.bits(5, 11, Purpose{2}, 1);
  CHECK(Random(8, 3).bits(5, 11, Purpose{2}, 1) != base);
  CHECK(Random(7, 4).bits(5, 11, Purpose{2}, 1) != base);
  CHECK(a.bits(6, 11, Purpose{2}, 1) != base);
  CHECK(a.bits(5, 12, Purpose{2}, 1) != base);
  CHECK(a.bits(5, 11, Purpose{3}, 1) != base);
  CHECK(a.bits(5, 11, Purpose{2}, 2) != base);
}

TEST_CASE("uniforms have the moments of the unit uniform", "[random]") {
  const Random r(1, 0);
  const int n = 1'000'000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform(0, i, Purpose{1});
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    squares += u * u;
  }
  // Standard error of the mean is sqrt(1/12/n) = 2.9e-4; allow 5 of them.
  CHECK(std::abs(sum / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(squares / n - 1.0 / 3) < 0.002);
}

TEST_CASE("below n is uniform over 0 to n - 1", "[random]") {
  const Random r(2, 0);
  constexpr int bins = 10, n = 200'000;
  std::array<int, bins> counts{};
  for (int i = 0; i < n; ++i) {
    const auto k = r.below(bins, 1, i, Purpose{4});
    REQUIRE(k < bins);
    ++counts[k];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / bins) * double(c - n / bins) / (n / bins);
  // 99.9% quantile of chi-square with 9 degrees of freedom is 27.9.
  CHECK(chi2 < 27.9);
}

TEST_CASE("normals have mean 0 and variance 1", "[random]") {
  const Random r(3, 0);
  const int n = 200'000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal(0, i, Purpose{9});
    sum += z;
    squares += z * z;
  }
  CHECK(std::abs(sum / n) < 5 / std::sqrt(n));
  CHECK(std::abs(squares / n - 1) < 0.02);
}

TEST_CASE("tie draws are keyed by replicate and purpose and uniform", "[random]") {
  using buzz::engine::pair_subject;
  using buzz::engine::TieRandom;
  const TieRandom ties(Random(7, 3), Purpose{1});
  const auto base = ties.uniform(pair_subject(4, 9));
  CHECK(TieRandom(Random(7, 3), Purpose{1}).uniform(pair_subject(4, 9)) == base);
  CHECK(TieRandom(Random(8, 3), Purpose{1}).uniform(pair_subject(4, 9)) != base);
  CHECK(TieRandom(Random(7, 4), Purpose{1}).uniform(pair_subject(4, 9)) != base);
  CHECK(TieRandom(Random(7, 3), Purpose{2}).uniform(pair_subject(4, 9)) != base);
  CHECK(ties.uniform(pair_subject(9, 4)) != base);  // a tie's two directions
  CHECK(ties.uniform(pair_subject(4, 9), 1) != base);

  // Over the ties of a dense block: the unit uniform's moments, flat in 100 bins, and no
  // correlation between a tie and its neighbour in the row or its reverse.
  constexpr int side = 1000, bins = 100;
  constexpr double n = double(side) * side;
  std::array<int, bins> counts{};
  double sum = 0, squares = 0, next = 0, reverse = 0;
  for (std::uint32_t u = 0; u < side; ++u) {
    for (std::uint32_t v = 0; v < side; ++v) {
      const double x = ties.uniform(pair_subject(u, v));
      REQUIRE(x >= 0.0);
      REQUIRE(x < 1.0);
      ++counts[int(x * bins)];
      sum += x;
      squares += x * x;
      next += (x - 0.5) * (ties.uniform(pair_subject(u, v + 1)) - 0.5);
      reverse += (x - 0.5) * (ties.uniform(pair_subject(v, u)) - 0.5);
    }
  }
  CHECK(std::abs(sum / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(squares / n - 1.0 / 3) < 0.002);
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / bins) * (c - n / bins) / (n / bins);
  // 99.9% quantile of chi-square with 99 degrees of freedom is 148.2.
  CHECK(chi2 < 148.2);
  // Correlations, whose standard error is 1 / sqrt(n) (the diagonal's reverse is the tie
  // itself, a thousandth of the sum: allowed for).
  CHECK(std::abs(next / n * 12) < 5 / std::sqrt(n));
  CHECK(std::abs(reverse / n * 12) < 5 / std::sqrt(n) + 1.0 / side);
}

TEST_CASE("a Bernoulli subset picks each index with its chance independently", "[random]") {
  const Random r(3, 0);
  const std::uint32_t n = 1000;
  const int trials = 2000;
  const double p = 0.1;
  std::vector<int> picked(n, 0), with_next(n, 0);
  double total = 0;
  for (int t = 0; t < trials; ++t) {
    const auto s = buzz::engine::bernoulli_subset(
        n, p, [&](std::uint64_t k) { return r.uniform(t, k, Purpose{9}); });
    REQUIRE(std::is_sorted(s.begin(), s.end()));
    REQUIRE(std::adjacent_find(s.begin(), s.end()) == s.end());
    REQUIRE((s.empty() || s.back() < n));
    total += double(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      ++picked[s[i]];
      if (i + 1 < s.size() && s[i + 1] == s[i] + 1) ++with_next[s[i]];
    }
  }
  // Sizes: binomial(n, p), mean 100, sd of the mean over trials 0.21; tolerance 5 sd.
  CHECK(std::abs(total / trials - n * p) < 5 * std::sqrt(n * p * (1 - p) / trials));
  // Each index: binomial(trials, p), sd 13.4; the extreme of 1000 within 5 sd.
  const double sd = std::sqrt(trials * p * (1 - p));
  for (std::uint32_t i = 0; i < n; ++i) CHECK(std::abs(picked[i] - trials * p) < 5 * sd);
  // Neighbours together with chance p^2 (independence): 0.01 of 999 * 2000 pairs.
  const double pairs = std::accumulate(with_next.begin(), with_next.end(), 0.0);
  const double expected = (n - 1) * double(trials) * p * p;
  CHECK(std::abs(pairs - expected) < 5 * std::sqrt(expected));
  // The ends.
  const auto uniform = [&](std::uint64_t k) { return r.uniform(0, k, Purpose{9}); };
  CHECK(buzz::engine::bernoulli_subset(n, 0, uniform).empty());
  CHECK(buzz::engine::bernoulli_subset(n, 1, uniform).size() == n);
}
