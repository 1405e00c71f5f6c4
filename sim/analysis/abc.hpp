#pragma once

// Approximate Bayesian computation by sequential Monte Carlo (population Monte Carlo,
// Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96(4)), with each tolerance the
// quantile of the last generation's distances (as in Del Moral, Doucet & Jasra 2012).
//
// Generation 0 draws the particles from the prior. Generation t draws a particle of
// generation t - 1 by weight, moves it with a Gaussian kernel (twice their weighted
// covariance, Beaumont et al.'s choice, or one of its own, Options::local_kernel),
// simulates, and keeps it when its distance is within the tolerance; its weight is
// prior / (mixture of kernels), the prior being uniform in each parameter's (log) scale.
//
// Deterministic whatever runs the simulations: proposal i of generation t draws from the
// counter-based stream (seed, t, i), proposals go out in batches (how many changes only the
// work done), and they are accepted in index order until the generation is full.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace buzz::analysis::abc {

struct Parameter {
  std::string name;
  double low = 0, high = 1;  // the prior's range
  bool log = false;          // log-uniform
};

struct Options {
  std::uint32_t particles = 200;
  std::uint32_t generations = 8;
  double quantile = 0.5;         // the next tolerance: this quantile of the last distances
  double min_acceptance = 0.03;  // a generation needing more proposals is not run
  std::uint64_t seed = 1;
  // The fewest proposals simulated together after a generation's first batch (of
  // `particles`): enough to keep every core busy. It changes how many runs are simulated
  // past the one that fills a generation, never the result.
  std::uint32_t min_batch = 1;
  // Each ancestor's own kernel: the covariance, about that ancestor, of the last
  // generation's particles that the new tolerance would keep (the "optimal local covariance
  // matrix" of Filippi, Barnes, Cornebise & Stumpf 2013, SAGMB 12(1)). It proposes where
  // the tolerance can be met, so more proposals are accepted than with Beaumont et al.'s
  // one kernel of twice the covariance (used when false), but the weights come out less
  // even: fewer runs per effective particle on few parameters, more on many.
  bool local_kernel = false;
};

struct Particle {
  std::vector<double> values;  // one per parameter, in its own scale
  double weight = 0;           // normalised over the generation
  double distance = 0;
};

struct Generation {
  std::uint32_t index = 0;
  double tolerance = std::numeric_limits<double>::infinity();
  std::uint64_t proposals = 0;  // simulations it took
  std::vector<Particle> particles;
  double seconds = 0;
  double acceptance() const { return proposals ? double(particles.size()) / double(proposals) : 0; }
  double effective_size() const;  // 1 / sum of squared weights
};

// A simulation to run: the parameter values and the seed of its random numbers.
struct Proposal {
  std::vector<double> values;
  std::uint64_t seed = 0;
};
// The distance of each proposal's simulated data from the observed, in order. Must give
// the same distance for the same proposal wherever and whenever it runs. A proposal that
// will certainly end beyond `tolerance` (the generation's; infinite for the first) may be
// given any distance above it instead: only the accepted ones' distances are kept.
using Simulate = std::function<std::vector<double>(const std::vector<Proposal>&, double tolerance)>;

// The next generation after `done` (the first, from the prior, when `done` is empty), or
// nothing when it would take more than particles / min_acceptance proposals.
std::optional<Generation> next_generation(const std::vector<Parameter>& parameters,
                                          const Options& options,
                                          const std::vector<Generation>& done,
                                          const Simulate& simulate);

// Weighted quantile q of values (weights need not be normalised).
double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q);

// The prior's q quantile of a parameter.
double prior_quantile(const Parameter& p, double q);

// A generation as CSV (generation, tolerance, proposals, seconds, particle, weight,
// distance, then one column per parameter), every number exact (17 significant digits),
// and read back; reading throws std::runtime_error naming the line on a malformed file.
std::string generation_csv(const std::vector<Parameter>& parameters, const Generation& g);
Generation read_generation_csv(const std::vector<Parameter>& parameters, const std::string& text);

// The particles as CSV (particle, weight, distance, then one column per parameter), each
// row after `leading` columns of a generation's own when `generation` is set: the one
// layout of generations/ and posterior.csv.
std::string particles_csv(const std::vector<Parameter>& parameters, const Generation& g,
                          bool generation);

// A CSV row's cells as numbers (strtod's: "inf" and "nan" included); nullopt, with the
// offending cell in `bad`, when one is empty or not a number.
std::optional<std::vector<double>> number_cells(const std::vector<std::string>& row,
                                                std::string& bad);

}  // namespace buzz::analysis::abc
