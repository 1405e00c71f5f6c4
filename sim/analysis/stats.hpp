#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "sim/engine/reporter.hpp"

namespace buzz::analysis {

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

// The values a metric can take.
struct Range {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};
// A reporter's range in a population of `population` people: a share in [0, 1] ([-1, 1]
// when it can be negative), people at one time (a stock) in [0, population], anything else
// that cannot be negative from 0 (people over a run can follow, unfollow and follow again).
Range value_range(const engine::Reporter& reporter, double population);
Range value_range(std::string_view unit, engine::Measure measure, bool can_be_negative,
                  double population);

// The same interval kept within `range`: between two finite bounds, the t interval of
// the mean on the logit scale, back-transformed (the delta method), so a share near 1 gets
// [0.72, 0.99], not [0.72, 1.12]; with one bound, the t interval stopped at it (a rare
// count gets [0, 0.76], not [-0.36, 0.76]); as above when the range is unbounded.
Interval mean_interval(std::span<const double> sample, Range range);

// The q quantile of a sample (linear between order statistics, as numpy's default), NaN
// values left out; NaN when nothing is left.
double quantile(std::vector<double> sample, double q);

// The q quantile of the sample's values each blurred by a normal of sd `sigma` (the
// mixture of N(x_i, sigma^2) over the sample), NaN values left out; by bisection to
// 1e-9 of the sample's spread. sigma 0: quantile(sample, q).
double blurred_quantile(std::vector<double> sample, double sigma, double q);

// Least squares of y on the columns of x (rows: x[i], with any intercept column included),
// with a tiny ridge (1e-6 on X'X's diagonal) so that a column that is all 0 gets a
// coefficient of 0 instead of a singular system, plus `ridge[j]` on column j's when given
// (a normal prior of mean 0 and variance s^2 / ridge[j] on its coefficient: the posterior
// mean). `se` holds each coefficient's standard error, sqrt(s^2 (X'X + ridge)^-1) with
// s^2 the residual variance over n - k; NaN when n <= k.
struct LeastSquares {
  std::vector<double> coef, se;
  double residual_sd = std::numeric_limits<double>::quiet_NaN();
};
LeastSquares least_squares(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                           const std::vector<double>& ridge = {});

}  // namespace buzz::analysis
