#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace buzz::batch {

// Mean of a sample with its Student-t 95% confidence interval:
// mean +- t(0.975, n - 1) * sd / sqrt(n). With n = 1, sd and the interval are NaN.
struct Interval {
  std::uint32_t n = 0;
  double mean = 0;
  double sd = 0;
  double low = 0;
  double high = 0;
};

Interval mean_interval(std::span<const double> sample);

// The q quantile of a sample (linear between order statistics, as numpy's default), NaN
// values left out; NaN when nothing is left.
double quantile(std::vector<double> sample, double q);

}  // namespace buzz::batch
