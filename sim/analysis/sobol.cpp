#include "sim/analysis/sobol.hpp"

#include <boost/random/sobol.hpp>

#include "sim/analysis/stats.hpp"
#include "sim/engine/random.hpp"

namespace buzz::analysis {

std::vector<std::vector<double>> saltelli_design(std::uint32_t n, std::size_t k) {
  boost::random::sobol sequence(2 * k);
  const double scale = 0x1.0p-64;
  std::vector<std::vector<double>> a(n, std::vector<double>(k)), b = a;
  // Boost's sequence starts at the second point; the first is the origin (a and b's zeros).
  for (std::uint32_t j = 1; j < n; ++j) {
    for (std::size_t i = 0; i < k; ++i) a[j][i] = double(sequence()) * scale;
    for (std::size_t i = 0; i < k; ++i) b[j][i] = double(sequence()) * scale;
  }
  std::vector<std::vector<double>> rows = a;
  rows.insert(rows.end(), b.begin(), b.end());
  for (std::size_t i = 0; i < k; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      rows.push_back(a[j]);
      rows.back()[i] = b[j][i];
    }
  }
  return rows;
}

namespace {

// The estimators over the rows `pick` (a bootstrap resample, or every row once).
void estimate(const std::vector<double>& y, std::uint32_t n, std::size_t k,
              const std::vector<std::uint32_t>& pick, std::vector<double>& first,
              std::vector<double>& total) {
  const auto f_a = [&](std::uint32_t j) { return y[j]; };
  const auto f_b = [&](std::uint32_t j) { return y[n + j]; };
  const auto f_ab = [&](std::size_t i, std::uint32_t j) { return y[(2 + i) * n + j]; };
  const double m = 2.0 * double(pick.size());
  double sum = 0;
  for (std::uint32_t j : pick) sum += f_a(j) + f_b(j);
  const double mean = sum / m;
  double squares = 0;
  for (std::uint32_t j : pick) {
    squares += (f_a(j) - mean) * (f_a(j) - mean) + (f_b(j) - mean) * (f_b(j) - mean);
  }
  const double variance = squares / m;
  first.assign(k, 0);
  total.assign(k, 0);
  // Below rounding, nothing varies: no parameter has an effect to share out.
  if (!(variance > 1e-12 * std::max(1.0, mean * mean))) return;
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (std::uint32_t j : pick) {
      const double d = f_ab(i, j) - f_a(j);
      s += f_b(j) * d;
      t += d * d;
    }
    first[i] = s / double(pick.size()) / variance;
    total[i] = t / (2.0 * double(pick.size())) / variance;
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::uint32_t n, std::size_t k,
                                      std::uint64_t seed, std::uint32_t resamples) {
  std::vector<SobolIndex> out(k);
  if (n == 0 || y.size() != std::size_t{n} * (k + 2)) return out;
  std::vector<std::uint32_t> pick(n);
  for (std::uint32_t j = 0; j < n; ++j) pick[j] = j;
  std::vector<double> first, total;
  estimate(y, n, k, pick, first, total);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].first_order.value = first[i];
    out[i].total_effect.value = total[i];
  }
  // A stream of its own ("sobol"), keyed by resample and row.
  const engine::Random random(seed, 0x736f626f6c000000ull);
  std::vector<std::vector<double>> firsts(k), totals(k);
  for (std::uint32_t r = 0; r < resamples; ++r) {
    for (std::uint32_t j = 0; j < n; ++j) {
      pick[j] = static_cast<std::uint32_t>(random.below(n, r, j, engine::Purpose{1}));
    }
    estimate(y, n, k, pick, first, total);
    for (std::size_t i = 0; i < k; ++i) {
      firsts[i].push_back(first[i]);
      totals[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < k && resamples > 0; ++i) {
    out[i].first_order.low = quantile(firsts[i], 0.05);
    out[i].first_order.high = quantile(firsts[i], 0.95);
    out[i].total_effect.low = quantile(totals[i], 0.05);
    out[i].total_effect.high = quantile(totals[i], 0.95);
  }
  return out;
}

}  // namespace buzz::analysis
