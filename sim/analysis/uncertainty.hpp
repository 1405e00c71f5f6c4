#pragma once

// Verdicts under parameter uncertainty (`compare --uncertainty N`): the compared scenarios
// run on each of N parameter sets drawn from the priors, and each metric's paired
// difference is summarised over the draws: its spread, the share of draws each scenario
// wins, a verdict that says whether it is robust or hinges on one parameter, and which
// parameters drive it (docs/uncertainty.md).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/sobol.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::analysis {

// n points of a Latin hypercube in [0, 1)^k: in each dimension every stratum [i/n, (i+1)/n)
// holds one point. Deterministic for the seed.
std::vector<std::vector<double>> latin_hypercube(std::uint32_t n, std::size_t k,
                                                 std::uint64_t seed);

// The one-parameter rule "x[parameter] < threshold" (or ">" when !below) that best tells
// apart the draws where `holds` is true from the rest; accuracy is the share of draws it
// classifies right.
struct Hinge {
  std::size_t parameter = 0;
  double threshold = 0;
  bool below = true;
  double accuracy = 0;
};
std::optional<Hinge> best_hinge(const std::vector<std::vector<double>>& x,
                                const std::vector<bool>& holds);

// First-order sensitivity index of y to each parameter, Var(E[y | x_j]) / Var(y),
// estimated from the given draws by cutting x_j into `bins` bins of equal count (a
// given-data estimator: no extra runs). An irrelevant parameter scores about
// (bins - 1) / (n - 1): the noise floor.
std::vector<double> first_order_indices(const std::vector<std::vector<double>>& x,
                                        const std::vector<double>& y, std::size_t bins);

// What chance alone gives with these draws: the 95th percentile, over `rounds` random
// reassignments of the outcomes to the draws, of the best hinge's accuracy, and of the
// largest rank correlation (in size). A hinge or a driver is named only above it, so that with many
// parameters and few draws a lucky threshold is not read as a cause.
double chance_hinge_accuracy(const std::vector<std::vector<double>>& x,
                             const std::vector<bool>& holds, std::uint64_t seed,
                             std::uint32_t rounds = 100);
double chance_rank_correlation(const std::vector<std::vector<double>>& x,
                               const std::vector<double>& y, std::uint64_t seed,
                               std::uint32_t rounds = 100);

// Spearman's rank correlation of y with each parameter (ties share their mean rank): with
// a Latin hypercube's nearly uncorrelated columns, a monotone driver's sign and strength.
std::vector<double> rank_correlations(const std::vector<std::vector<double>>& x,
                                      const std::vector<double>& y);

// Below this share of draws a winner is not robust.
constexpr double kRobustShare = 0.95;
// A hinge is named when one threshold explains at least this share of draws.
constexpr double kHingeAccuracy = 0.85;

struct UncertainMetric {
  std::string metric;
  engine::Direction direction = engine::Direction::no_verdict;
  bool exercised = true;
  // Per scenario i > 0 against the baseline (index 0 unused): the per-draw mean paired
  // difference, its mean over draws and 5th and 95th percentiles, the share of draws in
  // which i is better and in which the baseline is, the verdict, and first-order indices
  // per parameter.
  std::vector<std::vector<double>> differences;
  std::vector<double> mean, low, high, wins, losses;
  std::vector<std::string> verdict;
  std::vector<std::vector<double>> first_order;
  std::vector<std::vector<double>> rank_correlation;  // [scenario][parameter]
  std::vector<double> chance_rank;  // per scenario: the largest |correlation| chance gives
  std::vector<std::vector<SobolIndex>> sobol;  // [scenario][parameter], with --sobol only
  // Per scenario: the total effect that run-to-run noise alone can give a parameter whose
  // change sets the runs apart, the mean over draws of the replicate mean's variance over
  // the difference's variance; NaN with one replicate (nothing to measure it by).
  std::vector<double> sobol_noise_floor;
};

struct UncertainComparison {
  std::string source = "from their priors (Latin hypercube)";  // where the draws came from
  double scale = 1;                                            // population.scale (scale_note)
  std::vector<std::string> names;
  std::vector<scenario::Prior> priors;     // the drawn parameters
  std::vector<std::vector<double>> draws;  // [draw][parameter]
  std::vector<UncertainMetric> metrics;
  double noise_floor = 0;  // expected first-order index of an irrelevant parameter
  // With --sobol: the base sample of Saltelli's design (its A and B are `draws`), and how
  // many draws ran in all, n (k + 2). 0 without.
  std::uint32_t saltelli_n = 0;
  std::size_t design_draws = 0;
};

// Summarises one comparison per draw (the same scenarios in each).
UncertainComparison summarise(const std::vector<std::string>& names,
                              const std::vector<scenario::Prior>& priors,
                              const std::vector<std::vector<double>>& draws,
                              const std::vector<Comparison>& per_draw);

// One verdict per metric: replaces the plain comparison's verdicts (from the replicates'
// intervals at the scenarios' own parameter values) with the draws' (a side wins when it
// is better in at least kRobustShare of the draws, each draw's difference a mean over its
// replicates on common random numbers, so parameter uncertainty and what remains of the
// run-to-run noise are weighed together). A metric that differs in no draw cannot differ.
void judge_under_uncertainty(Comparison& c, const UncertainComparison& u);

// Adds Sobol indices to a summary of Saltelli's design's A and B draws (its first 2n):
// `difference(d, m, i)` is metric m's difference for scenario i on design row d (of
// `draws`), `noise(d, m, i)` the variance of that mean over its replicates (NaN with one).
using DrawValue = std::function<double(std::size_t draw, std::size_t metric, std::size_t scenario)>;
void add_sobol(UncertainComparison& u, std::uint32_t n, std::size_t draws,
               const DrawValue& difference, const DrawValue& noise);

// The parameters whose total effect on metric m's difference for scenario i is clearly
// above 0 and above the noise floor (the interval's low end at least 0.01 and the floor),
// largest first, at most `count`.
std::vector<std::size_t> total_effect_drivers(const UncertainMetric& m, std::size_t i,
                                              std::size_t count);

// The parameters whose rank correlation with metric m's difference for scenario i is beyond
// chance, strongest first, at most `count`.
std::vector<std::size_t> drivers(const UncertainMetric& m, std::size_t i, std::size_t count);

// Whether scenario i's difference on m is not 0 in some draw (else nothing can be said of it).
bool can_differ(const UncertainMetric& m, std::size_t i);

// A parameter's short name: the last part of its field path.
std::string short_name(const std::string& field);

}  // namespace buzz::analysis
