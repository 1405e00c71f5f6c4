#include "sim/batch/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace buzz::batch {

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

double quantile(std::vector<double> sample, double q) {
  std::erase_if(sample, [](double x) { return std::isnan(x); });
  if (sample.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(sample.begin(), sample.end());
  const double at = q * double(sample.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const auto hi = std::min(lo + 1, sample.size() - 1);
  return sample[lo] + (at - double(lo)) * (sample[hi] - sample[lo]);
}

}  // namespace buzz::batch
