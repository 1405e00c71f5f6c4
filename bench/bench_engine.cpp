// Throughput of graph generation and of the classic dynamics on the engine.
//
// Run through bench/run.sh, which also runs ../shared/bench/limit_bfs.cpp on a graph of
// the same size so that the figures can be held against the machine's speed of light.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/global_control.h>

#include <sys/resource.h>

#include "sim/batch/runner.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/dynamics/independent_cascade.hpp"
#include "sim/dynamics/sir.hpp"
#include "sim/engine/engine.hpp"
#include "sim/graph/build.hpp"
#include "sim/graph/generators.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

using namespace buzz;

const graph::PopulationSpec kPopulation{1.5, 1.0};

// Graph generators at ten million ties; argument 0 is the thread count.
template <typename Spec>
void build_graph(benchmark::State& state, Spec spec) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, state.range(0));
  std::uint64_t ties = 0;
  for (auto _ : state) {
    const auto g = graph::build(spec, kPopulation, 1);
    ties = g.num_edges();
    benchmark::DoNotOptimize(ties);
  }
  state.counters["ties"] = double(ties);
  state.counters["ties_per_s"] =
      benchmark::Counter(double(ties) * state.iterations(), benchmark::Counter::kIsRate);
}

// The default community graph at 1M and 10M people (mean degree 20); argument 0 is the
// thread count, 1 the people. time_per_tie should stay flat as the graph grows.
void BM_BuildCommunitiesScale(benchmark::State& state) {
  const auto nodes = static_cast<std::uint32_t>(state.range(1));
  build_graph(state, graph::CommunitySpec{nodes, 20, 2.5, 0.05, 1.5, 50, 2000, 0.1});
  // Seconds per tie (Google Benchmark prints it with its SI prefix, e.g. 180ns).
  state.counters["time_per_tie"] =
      benchmark::Counter(state.counters["ties"] * state.iterations(),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
void BM_BuildErdosRenyi(benchmark::State& state) {
  build_graph(state, graph::ErdosRenyiSpec{1'000'000, 20});
}
void BM_BuildWattsStrogatz(benchmark::State& state) {
  build_graph(state, graph::WattsStrogatzSpec{1'000'000, 20, 0.1});
}
void BM_BuildBarabasiAlbert(benchmark::State& state) {
  build_graph(state, graph::BarabasiAlbertSpec{1'000'000, 10});
}

// One whole cascade per iteration on Erdos-Renyi with 1M nodes and 10M arcs (mean degree
// 10), the size limit_bfs is run at. Counters: graph arcs per second of wall time, the
// figure to hold against limit_bfs's independent-cascade rate, and the last iteration's
// final share (each iteration is the next replicate, so it depends on the iteration count).
const graph::Graph& cascade_graph() {
  static const graph::Graph g = graph::build(graph::ErdosRenyiSpec{1'000'000, 10}, kPopulation, 7);
  return g;
}

template <typename Model, typename Params>
void run_cascade(benchmark::State& state, const Params& params) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, state.range(0));
  const auto& g = cascade_graph();
  std::uint32_t replicate = 0;
  double reached = 0;
  for (auto _ : state) {
    Model model(g, params);
    const auto rec = engine::run_replicate(model, replicate++, {3, 200, 200});
    reached = rec.metrics[1];
  }
  state.counters["final_share"] = reached;
  state.counters["graph_arcs_per_s"] =
      benchmark::Counter(double(g.num_arcs()) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_IndependentCascade(benchmark::State& state) {
  run_cascade<dynamics::IndependentCascade>(
      state, dynamics::IndependentCascadeParams{0.2, {10, dynamics::SeedStrategy::random, {}, {}}});
}
void BM_Sir(benchmark::State& state) {
  run_cascade<dynamics::Sir>(
      state, dynamics::SirParams{0.1, 0.5, {10, dynamics::SeedStrategy::random, {}, {}}});
}

// The campaign model at the scale of issue 3: 1M people on the default community graph
// (mean degree 20), 90 days of hourly ticks, one brand posting daily, recorded daily.
// agent_days_per_s counts simulated days of every agent per second of wall time,
// the graph's construction excluded; peak_rss_mb is the process's peak memory so far.
constexpr const char* kCampaignScenario = R"(
  seed: 1
  replicates: 1
  ticks: 2160
  graph { communities { nodes: 1000000 mean_degree: 20 } }
  dynamics { campaign { brands { name: "brand" tone: 0.7 posts_per_week: 7
                                 follower_share: 0.1 reply_probability: 0.3 } } }
  outputs { record_every: 24 })";

void BM_Campaign(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, state.range(0));
  static const scenario::Config config = scenario::parse(kCampaignScenario);
  static const graph::Graph g = batch::build_graph(config);
  const engine::RunOptions options{config.seed, config.ticks, config.record_every};
  std::uint32_t replicate = 0;
  double reach = 0;
  for (auto _ : state) {
    const auto model = dynamics::make_model(config.dynamics, g);
    const auto rec = engine::run_replicate(*model, replicate++, options);
    reach = rec.metrics[0];
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double agent_days = double(g.num_nodes()) * config.ticks * config.tick_hours / 24;
  state.counters["agent_days_per_s"] =
      benchmark::Counter(agent_days * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["reach"] = reach;
  state.counters["peak_rss_mb"] = double(usage.ru_maxrss) / 1024;
}

}  // namespace

BENCHMARK(BM_Campaign)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_BuildCommunitiesScale)
    ->ArgsProduct({{1, 2}, {1'000'000, 10'000'000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_BuildErdosRenyi)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BuildWattsStrogatz)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BuildBarabasiAlbert)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IndependentCascade)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Sir)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
