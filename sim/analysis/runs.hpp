#pragma once

// What the analyses read of runs: every replicate of a scenario, as the model declared
// its outputs. The batch layer (sim/batch/runner.hpp) produces them.
#include <string>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::analysis {

// Every replicate of one scenario, in replicate order.
struct RunResult {
  std::string dynamics;              // scenario-file name of the model
  engine::Reporters tick_reporters;  // time-series columns, as the model declares them
  engine::Reporters run_reporters;   // per-run metrics, as the model declares them
  std::vector<engine::ReplicateRecord> replicates;
  double population = 0;  // the graph's people: the upper bound of counts of people
};

// One scenario of a comparison, run.
struct ScenarioRun {
  scenario::Config config;
  RunResult result;
};

}  // namespace buzz::analysis
