#include "sim/analysis/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace buzz::analysis {

Interval mean_interval(std::span<const double> sample) {
  Interval r;
  r.n = static_cast<std::uint32_t>(sample.size());
  if (sample.empty()) {
    r.mean = r.sd = r.low = r.high = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.mean = std::accumulate(sample.begin(), sample.end(), 0.0) / r.n;
  if (r.n < 2) {
    r.sd = r.low = r.high = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  double squares = 0;
  for (double x : sample) squares += (x - r.mean) * (x - r.mean);
  r.sd = std::sqrt(squares / (r.n - 1));
  const boost::math::students_t t(r.n - 1);
  const double half =
      boost::math::quantile(boost::math::complement(t, 0.025)) * r.sd / std::sqrt(r.n);
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

Range value_range(std::string_view unit, engine::Measure measure, bool can_be_negative,
                  double population) {
  Range r;
  if (unit == "share") {
    r.low = can_be_negative ? -1 : 0, r.high = 1;
  } else if (unit == "people" && measure == engine::Measure::stock && population > 0) {
    r.low = 0, r.high = population;
  } else if (!can_be_negative) {
    r.low = 0;
  }
  return r;
}

Range value_range(const engine::Reporter& reporter, double population) {
  return value_range(reporter.unit, reporter.measure, reporter.can_be_negative, population);
}

Interval mean_interval(std::span<const double> sample, Range range) {
  Interval r = mean_interval(sample);
  if (std::isnan(r.low) || !(r.sd > 0)) return r;
  const double half_t =
      boost::math::quantile(boost::math::complement(boost::math::students_t(r.n - 1), 0.025));
  const double se = r.sd / std::sqrt(double(r.n));
  const bool below = std::isfinite(range.low), above = std::isfinite(range.high);
  if (below && above) {
    const double width = range.high - range.low, p = (r.mean - range.low) / width;
    if (!(p > 0 && p < 1)) return r;
    const double centre = std::log(p / (1 - p)), spread = half_t * se / (width * p * (1 - p));
    const auto expit = [](double x) { return 1 / (1 + std::exp(-x)); };
    r.low = range.low + width * expit(centre - spread);
    r.high = range.low + width * expit(centre + spread);
  } else {
    // One bound (a count over a run): the t interval stopped there. The log scale would
    // stretch the far end without limit for few replicates (329,788 unfollows in a town
    // of 1,000 from two replicates of 1).
    r.low = std::max(r.low, range.low);
    r.high = std::min(r.high, range.high);
  }
  return r;
}

double quantile(std::vector<double> sample, double q) {
  std::erase_if(sample, [](double x) { return std::isnan(x); });
  if (sample.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(sample.begin(), sample.end());
  const double at = q * double(sample.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const auto hi = std::min(lo + 1, sample.size() - 1);
  return sample[lo] + (at - double(lo)) * (sample[hi] - sample[lo]);
}

double blurred_quantile(std::vector<double> sample, double sigma, double q) {
  std::erase_if(sample, [](double x) { return std::isnan(x); });
  if (!(sigma > 0) || sample.empty()) return quantile(std::move(sample), q);
  const auto [lo_it, hi_it] = std::minmax_element(sample.begin(), sample.end());
  // The mixture's quantile lies within 9 sigma of the sample for any q in (1e-18, 1).
  double lo = *lo_it - 9 * sigma, hi = *hi_it + 9 * sigma;
  const double tolerance = 1e-9 * (hi - lo);
  const double n = double(sample.size());
  while (hi - lo > tolerance) {
    const double x = 0.5 * (lo + hi);
    double below = 0;
    for (const double v : sample) below += 0.5 * std::erfc((v - x) / (sigma * std::sqrt(2.0)));
    (below / n < q ? lo : hi) = x;
  }
  return 0.5 * (lo + hi);
}

LeastSquares least_squares(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                           const std::vector<double>& ridge) {
  const std::size_t n = x.size(), k = x.empty() ? 0 : x[0].size();
  // [X'X + ridge | X'y | I], reduced by Gauss-Jordan with partial pivoting to a diagonal
  // D: [D | D b | D (X'X + ridge)^-1].
  const std::size_t width = 2 * k + 1;
  std::vector<std::vector<double>> a(k, std::vector<double>(width, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < k; ++r) {
      for (std::size_t c = 0; c < k; ++c) a[r][c] += x[i][r] * x[i][c];
      a[r][k] += x[i][r] * y[i];
    }
  }
  for (std::size_t r = 0; r < k; ++r) {
    a[r][r] += 1e-6 + (r < ridge.size() ? ridge[r] : 0.0);
    a[r][k + 1 + r] = 1;
  }
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < k; ++r) {
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    }
    std::swap(a[c], a[pivot]);
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t j = c; j < width; ++j) a[r][j] -= f * a[c][j];
    }
  }
  LeastSquares out;
  for (std::size_t r = 0; r < k; ++r) out.coef.push_back(a[r][k] / a[r][r]);
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double fit = 0;
    for (std::size_t j = 0; j < k; ++j) fit += out.coef[j] * x[i][j];
    rss += (y[i] - fit) * (y[i] - fit);
  }
  const double variance = n > k ? rss / double(n - k) : std::numeric_limits<double>::quiet_NaN();
  out.residual_sd = std::sqrt(variance);
  for (std::size_t r = 0; r < k; ++r) {
    out.se.push_back(std::sqrt(variance * a[r][k + 1 + r] / a[r][r]));
  }
  return out;
}

}  // namespace buzz::analysis
