#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/uncertainty.hpp"
#include "sim/batch/runner.hpp"
#include "sim/graph/graph.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

// The parameters `compare --uncertainty` draws and the draws themselves.
struct UncertaintyPlan {
  std::string source = "from their priors (Latin hypercube)";  // said beside every result
  std::vector<scenario::Prior> priors;
  std::vector<std::string> held;  // fields a scenario sets itself: its own, not drawn
  std::vector<std::vector<double>> draws;
  // With --sobol: draws are Saltelli's design on base sample saltelli_n (its A and B rows
  // first), saltelli_n (k + 2) of them; 0 for a Latin hypercube or a posterior.
  std::uint32_t saltelli_n = 0;
};

// n draws for the compared scenario `files` (loaded as `configs`): from `posterior_file`
// (a calibration's posterior.csv, systematic resampling) when given, else a Latin
// hypercube over the first file's priors, or with `sobol` Saltelli's design on base sample
// n over them, holding the fields a scenario sets itself. Throws InputError for a scenario
// that is not a campaign, priors that disagree between files, nothing left to draw, a
// posterior whose fields a scenario lacks, or `sobol` with a posterior.
UncertaintyPlan plan_draws(const std::vector<std::string>& files,
                           const std::vector<scenario::Config>& configs, std::uint32_t n,
                           const std::string& posterior_file = {}, bool sobol = false);

struct DrawOptions {
  int rank = 0, ranks = 1;  // draws d with d % ranks == rank are this process's (MPI)
  std::function<void(std::vector<double>&)> sum;  // element-wise sum over the ranks
  // Called as each of this rank's draws ends, with how many of its `total` have.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Every scenario on every draw (file i loaded with overrides[i]), on the same graphs and
// seeds as the plain comparison `plain`; under MPI the draws are spread over the ranks and their
// differences summed back (each value comes from one rank, so the sum is exact). Returns the
// summary on rank 0.
std::optional<analysis::UncertainComparison> run_draws(
    const UncertaintyPlan& plan, const std::vector<std::string>& files,
    const std::vector<scenario::Overrides>& overrides, const std::vector<scenario::Config>& configs,
    const Graphs& graphs, const analysis::Comparison& plain, const DrawOptions& options = {});

// What `buzzsim compare` and Python's compare both do: every scenario on common random
// numbers (`replicate_done` after each replicate), then, with a plan, every scenario on
// every draw (`runs_done` in between) and the verdicts judged under uncertainty.
struct ComparisonRun {
  std::vector<analysis::ScenarioRun> runs;
  analysis::Comparison comparison;
  std::optional<analysis::UncertainComparison> uncertainty;  // with a plan, on rank 0
};
ComparisonRun run_comparison(const std::vector<scenario::Config>& configs, const Graphs& graphs,
                             const UncertaintyPlan* plan, const std::vector<std::string>& files,
                             const std::vector<scenario::Overrides>& overrides,
                             const DrawOptions& draws = {},
                             const std::function<void()>& replicate_done = {},
                             const std::function<void()>& runs_done = {});

}  // namespace buzz::batch
