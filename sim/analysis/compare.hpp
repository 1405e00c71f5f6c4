#pragma once

#include <string>
#include <vector>

#include "sim/analysis/runs.hpp"
#include "sim/analysis/stats.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::analysis {

// One metric across the scenarios of a comparison.
struct MetricComparison {
  std::string metric;
  engine::Direction direction = engine::Direction::no_verdict;  // from the model's declaration
  std::string definition;                                       // likewise
  bool headline = false;                                        // likewise
  // Zero in every replicate of every scenario: the scenarios did not exercise it.
  bool exercised = true;
  std::vector<Interval> scenario;    // each scenario's mean and 95% interval
  std::vector<Interval> difference;  // scenario i minus scenario 0; [0] unused
  // (No verdict: wins and ties stay 0.)
  // Paired: share of replicates in which each scenario is strictly best, and of ties.
  // Unpaired: for scenario i > 0, the share of replicate pairs (i's, 0's) in which i is
  // better ([0] then holds 0's share), ties apart.
  std::vector<double> wins;
  double ties = 0;
  // Some replicate of some scenario differs from the rest: the metric can tell them apart
  // (a share of voice with one brand, or awareness when everyone starts aware, cannot).
  bool varies = true;
  // Per scenario i > 0 against the baseline ([0] unused): +1 i is better, -1 worse, 0 no
  // clear difference (or no verdict), as Comparison::basis says.
  std::vector<int> verdict;
};

struct Comparison {
  std::vector<std::string> names;
  // Paired on common random numbers when every scenario ran on the same graph with the
  // same seed and replicates; otherwise unpaired (Welch intervals for differences).
  bool paired = true;
  std::vector<MetricComparison> metrics;  // metrics all scenarios report, in the first's order
  // How verdicts were reached: from the replicates' 95% intervals of the difference, or
  // (judge_under_uncertainty) from the share of plausible parameter draws each side wins.
  std::string basis = "the 95% interval of the paired difference over replicates excludes 0";
  bool under_uncertainty = false;
  double scale = 1;  // population.scale of the scenarios: counts are of a population this size
};

// Compares runs of at least two scenarios.
Comparison compare(const std::vector<ScenarioRun>& runs);

}  // namespace buzz::analysis
