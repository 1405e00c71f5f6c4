#include "sim/batch/runner.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <optional>

#include "sim/batch/calibrate.hpp"
#include "sim/batch/memory.hpp"
#include "sim/common/input_error.hpp"
#include "sim/common/overload.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/graph/build.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

using namespace analysis;

graph::Graph build_graph(const scenario::Config& config, std::vector<std::string>* warnings,
                         std::uint32_t replicate) {
  const std::uint64_t seed =
      config.graph_seed + (config.graph_per_replicate ? std::uint64_t{replicate} : 0);
  graph::Graph g = graph::build(config.graph, config.population, seed);
  // Rules that need the graph: checked before anything runs or is written.
  scenario::check_against_graph(config, g, warnings);
  return g;
}

const graph::Graph& graph_of(const Graphs& graphs, const scenario::Config& config) {
  return graphs.at({config.graph_key, config.graph_seed});
}

Graphs build_graphs(const std::vector<scenario::Config>& configs,
                    std::vector<std::string>* warnings) {
  Graphs graphs;
  for (const auto& c : configs) {
    const auto key = std::pair(c.graph_key, c.graph_seed);
    if (!graphs.count(key)) graphs.emplace(key, build_graph(c, warnings));
  }
  return graphs;
}

namespace {

// Replicate r's model, on its own graph (kept in `own`) with graph { per_replicate: true }.
std::unique_ptr<engine::Model> replicate_model(const scenario::Config& config,
                                               const graph::Graph& graph, std::uint32_t r,
                                               std::optional<graph::Graph>& own) {
  if (config.graph_per_replicate && r > 0) own.emplace(build_graph(config, nullptr, r));
  return dynamics::make_model(config.dynamics, own ? *own : graph);
}

}  // namespace

RunResult run(const scenario::Config& config, const graph::Graph& graph,
              const std::function<void()>& on_replicate) {
  RunResult result;
  result.dynamics = dynamics::name(config.dynamics);
  result.population = double(graph.num_nodes());
  {
    const auto probe = dynamics::make_model(config.dynamics, graph);
    result.tick_reporters = probe->tick_reporters();
    result.run_reporters = probe->run_reporters();
  }
  result.replicates.resize(config.replicates);
  const engine::RunOptions options{config.seed, config.ticks, config.record_every};
  tbb::parallel_for(std::uint32_t{0}, config.replicates, [&](std::uint32_t r) {
    std::optional<graph::Graph> own;
    const auto model = replicate_model(config, graph, r, own);
    result.replicates[r] = engine::run_replicate(*model, r, options);
    if (on_replicate) on_replicate();
  });
  return result;
}

Extinction extinction_tick(const scenario::Config& config, const graph::Graph& graph) {
  std::vector<std::uint32_t> ends(config.replicates, config.ticks);
  std::vector<char> spreading(config.replicates, 0);
  const engine::RunOptions options{config.seed, config.ticks, 1};
  const engine::Abandon settled = [](std::uint32_t, const engine::Model& model,
                                     const engine::Recorder&) { return model.settled(); };
  tbb::parallel_for(std::uint32_t{0}, config.replicates, [&](std::uint32_t r) {
    std::optional<graph::Graph> own;
    const auto model = replicate_model(config, graph, r, own);
    const auto record = engine::run_replicate(*model, r, options, settled);
    if (record.abandoned) ends[r] = record.ticks.back();
    spreading[r] = !record.abandoned && !model->settled();
  });
  Extinction out;
  for (std::uint32_t r = 0; r < config.replicates; ++r) {
    out.tick = std::max(out.tick, ends[r]);
    out.still_spreading += spreading[r];
  }
  return out;
}

void validate(const std::filesystem::path& file, const scenario::Overrides& overrides,
              unsigned threads) {
  const auto config = scenario::load(file, overrides);
  const auto blocks = scenario::sets_fields(file, {"sweep", "calibrate"});
  if (blocks[0]) {
    for (const auto& point : scenario::load_sweep(file, overrides).points) {
      check_memory(point.config, threads);
    }
  }
  check_memory(config, threads);
  const auto graph = build_graph(config);
  if (blocks[1]) {
    // A match's simulated column exists only in a built model: checked as calibrate does.
    const auto plan = scenario::load_calibration(file, overrides);
    match_sources(plan, dynamics::make_model(plan.base.dynamics, graph)->tick_reporters());
  }
}

void validate(const scenario::Config& config, unsigned threads) {
  check_memory(config, threads);
  build_graph(config);
}

}  // namespace buzz::batch
