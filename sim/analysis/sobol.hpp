#pragma once

// Variance-based (Sobol) sensitivity indices from Saltelli's design, for
// `compare --uncertainty N --sobol`: which parameters move a difference on their own (first
// order) and with everything they interact with (total effect). docs/uncertainty.md.

#include <cstdint>
#include <vector>

namespace buzz::analysis {

// Saltelli's design in [0, 1)^k: n rows of A, then n of B, then for each parameter i the n
// rows of AB_i (A with column i taken from B), n (k + 2) rows in all. A and B are the two
// halves of a 2k-dimensional Sobol sequence's first n points (Boost's sobol, from the
// origin), which for n a power of two put one point in each 1/n of every dimension.
std::vector<std::vector<double>> saltelli_design(std::uint32_t n, std::size_t k);

// An index and its 90% bootstrap interval (the 5th and 95th percentiles).
struct Estimate {
  double value = 0, low = 0, high = 0;
};
struct SobolIndex {
  Estimate first_order;   // Saltelli et al. (2010), table 2 (b)
  Estimate total_effect;  // Jansen (1999), as in Saltelli et al. (2010), table 2 (f)
};

// The indices of each of the k parameters from y, the outputs on saltelli_design(n, k)'s
// rows in its order, over the variance of the A and B outputs. An output that does not vary
// gives 0 throughout. The interval resamples the n rows (all matrices together) `resamples`
// times, deterministically for the seed.
std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::uint32_t n, std::size_t k,
                                      std::uint64_t seed, std::uint32_t resamples = 1000);

}  // namespace buzz::analysis
