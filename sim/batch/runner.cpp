#include "sim/batch/runner.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <optional>

#include "sim/batch/memory.hpp"
#include "sim/common/input_error.hpp"
#include "sim/common/overload.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/graph/build.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

graph::Graph build_graph(const scenario::Config& config, std::vector<std::string>* warnings) {
  graph::Graph g = graph::build(config.graph, config.population, config.graph_seed);
  // Rules that need the graph: checked before anything runs or is written.
  scenario::check_against_graph(config, g, warnings);
  return g;
}

RunResult run(const scenario::Config& config, const graph::Graph& graph,
              const std::function<void()>& on_replicate) {
  RunResult result;
  result.dynamics = dynamics::name(config.dynamics);
  {
    const auto probe = dynamics::make_model(config.dynamics, graph);
    result.tick_reporters = probe->tick_reporters();
    result.run_reporters = probe->run_reporters();
  }
  result.replicates.resize(config.replicates);
  const engine::RunOptions options{config.seed, config.ticks, config.record_every};
  tbb::parallel_for(std::uint32_t{0}, config.replicates, [&](std::uint32_t r) {
    std::optional<graph::Graph> own;  // graph { per_replicate: true }: replicate r's own
    if (config.graph_per_replicate && r > 0) {
      own.emplace(graph::build(config.graph, config.population, config.graph_seed + r));
      scenario::check_against_graph(config, *own);
    }
    const auto model = dynamics::make_model(config.dynamics, own ? *own : graph);
    result.replicates[r] = engine::run_replicate(*model, r, options);
    if (on_replicate) on_replicate();
  });
  return result;
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
  if (blocks[1]) scenario::load_calibration(file, overrides);
  check_memory(config, threads);
  build_graph(config);
}

}  // namespace buzz::batch
