#include "sim/batch/runner.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include "sim/common/input_error.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/graph/build.hpp"

namespace buzz::batch {

graph::Graph build_graph(const scenario::Config& config) {
  graph::Graph g = graph::build(config.graph, config.population, config.graph_seed);
  const auto seeds = std::visit([](const auto& p) { return p.seeds.count; }, config.dynamics);
  if (seeds > g.num_nodes()) {
    throw InputError(
        fmt::format("{}: dynamics.{}.seeds.count must be at most the graph's nodes "
                    "({}), got {}",
                    config.file.string(), dynamics::name(config.dynamics), g.num_nodes(), seeds));
  }
  return g;
}

RunResult run(const scenario::Config& config, const graph::Graph& graph) {
  RunResult result;
  result.dynamics = dynamics::name(config.dynamics);
  {
    const auto probe = dynamics::make_model(config.dynamics, graph);
    result.tick_columns = probe->tick_columns();
    result.metric_names = probe->run_metrics();
  }
  result.replicates.resize(config.replicates);
  const engine::RunOptions options{config.seed, config.ticks, config.record_every};
  tbb::parallel_for(std::uint32_t{0}, config.replicates, [&](std::uint32_t r) {
    const auto model = dynamics::make_model(config.dynamics, graph);
    result.replicates[r] = engine::run_replicate(*model, r, options);
  });
  return result;
}

}  // namespace buzz::batch
