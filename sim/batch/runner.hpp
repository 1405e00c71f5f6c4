#pragma once

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/runs.hpp"
#include "sim/engine/engine.hpp"
#include "sim/graph/graph.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::batch {

using analysis::RunResult;

// Holds TBB to `requested` worker threads (0: all cores) while it lives.
class ThreadLimit {
 public:
  explicit ThreadLimit(unsigned requested)
      : count_(requested > 0 ? requested : unsigned(tbb::info::default_concurrency())),
        limit_(tbb::global_control::max_allowed_parallelism, count_) {}
  unsigned count() const { return count_; }

 private:
  unsigned count_;
  tbb::global_control limit_;
};

// The scenario's graph, replicate's own with graph { per_replicate: true } (seed
// graph_seed + replicate for replicate > 0). Throws InputError for a bad graph file or a
// scenario the graph cannot hold (more seeds than agents, a community it lacks); adds to
// `warnings` what is allowed but probably not meant (a k-threshold no one can reach).
graph::Graph build_graph(const scenario::Config& config,
                         std::vector<std::string>* warnings = nullptr, std::uint32_t replicate = 0);

// Graphs by (graph key, graph seed): built once, shared by the scenarios that match.
using Graphs = std::map<std::pair<std::string, std::uint64_t>, graph::Graph>;
const graph::Graph& graph_of(const Graphs& graphs, const scenario::Config& config);
// Each distinct graph of `configs`, built once, so that paired scenarios share one.
Graphs build_graphs(const std::vector<scenario::Config>& configs,
                    std::vector<std::string>* warnings = nullptr);

// Runs all replicates of the scenario on `graph`, in parallel. Replicate r draws from the
// stream (config.seed, r), so results do not depend on the thread count. With
// graph { per_replicate: true } replicate r > 0 builds its own graph (seed graph_seed + r).
// `on_replicate`, if given, is called (from any thread) as each replicate finishes.
RunResult run(const scenario::Config& config, const graph::Graph& graph,
              const std::function<void()>& on_replicate = {});

// The first tick by which every replicate's spread is over (the model has settled: no one
// left infectious, no one left to try a tie), running each at most config.ticks; and how
// many replicates were still spreading at that cap. run() with that many ticks gives
// the same results as the runs that found it.
struct Extinction {
  std::uint32_t tick = 0;
  std::uint32_t still_spreading = 0;
};
Extinction extinction_tick(const scenario::Config& config, const graph::Graph& graph);

// What run, sweep and calibrate would refuse of the scenario in `file`: its fields, the
// sweep's axes, the calibration's block and data, the memory a run needs on `threads`,
// and the rules that need the built graph. Throws InputError on the first problem.
void validate(const std::filesystem::path& file, const scenario::Overrides& overrides,
              unsigned threads);
// The same for a loaded scenario alone: its memory and the rules that need its graph.
void validate(const scenario::Config& config, unsigned threads);

}  // namespace buzz::batch
