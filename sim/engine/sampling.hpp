#pragma once

// Sampling on counter-based draws, written once: a keyed Fisher-Yates shuffle, a Bernoulli
// subset and a Latin-hypercube (or plain uniform) design. The caller keys the draws, so each use
// keeps the random numbers it always had.

#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "sim/engine/random.hpp"

namespace buzz::engine {

// Forward Fisher-Yates over the first `count` places of v: place i swaps with a uniform
// pick of places [i, v.size()), `below(v.size() - i, i)` in [0, v.size() - i).
template <class Container, class Below>
void shuffle_front(Container& v, std::size_t count, Below below) {
  for (std::size_t i = 0; i + 1 < v.size() && i < count; ++i) {
    using std::swap;
    swap(v[i], v[i + below(v.size() - i, i)]);
  }
}

// Each of 0..n-1 with chance p, independently, in ascending order, from about n * p uniforms:
// the gaps between chosen ones are geometric. `uniform(k)` is the k-th uniform in [0, 1).
template <class Uniform>
std::vector<std::uint32_t> bernoulli_subset(std::uint32_t n, double p, Uniform uniform) {
  std::vector<std::uint32_t> chosen;
  if (p >= 1) {
    chosen.resize(n);
    std::iota(chosen.begin(), chosen.end(), 0u);
    return chosen;
  }
  if (!(p > 0)) return chosen;
  const double log_miss = std::log1p(-p);
  double at = -1;
  for (std::uint64_t k = 0;; ++k) {
    // Misses before the next pick: at least j with chance (1 - p)^j.
    at += std::floor(std::log1p(-uniform(k)) / log_miss) + 1;
    if (!(at < n)) return chosen;
    chosen.push_back(static_cast<std::uint32_t>(at));
  }
}

// n points in [0, 1)^k from `random`, keyed by (dimension, point): a Latin hypercube (in each
// dimension every stratum [i/n, (i+1)/n) holds one point) or, unstratified, plain uniform
// draws, the same uniforms without the strata.
inline std::vector<std::vector<double>> unit_design(std::uint32_t n, std::size_t k,
                                                    const Random& random, bool stratified) {
  std::vector<std::vector<double>> points(n, std::vector<double>(k));
  std::vector<std::uint32_t> strata(n);
  for (std::size_t j = 0; j < k; ++j) {
    std::iota(strata.begin(), strata.end(), 0u);
    if (stratified) {
      shuffle_front(strata, n, [&](std::size_t m, std::size_t i) {
        return random.below(m, j, i, Purpose{1});
      });
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      const double u = random.uniform(j, i, Purpose{2});
      points[i][j] = stratified ? (strata[i] + u) / n : u;
    }
  }
  return points;
}

}  // namespace buzz::engine
