#include "sim/dynamics/bass.hpp"

#include <cmath>

namespace buzz::dynamics {

namespace {
constexpr std::uint32_t kAdopt = 0xba55;
}

double Bass::adopted_share(double p, double q, double years) {
  const double decay = std::exp(-(p + q) * years);
  return (1 - decay) / (1 + (q / p) * decay);
}

Bass::Bass(const graph::Graph& graph, const BassParams& params)
    : graph_(graph), params_(params), adopted_(graph.num_nodes(), 0) {}

std::vector<std::string> Bass::tick_columns() const {
  return {"years", "adopters", "adopted_share", "new_adopters"};
}

std::vector<std::string> Bass::run_metrics() const {
  return {"final_share", "peak_new_adopters", "time_to_peak_years"};
}

void Bass::start(const engine::Random&) {
  auto& adopted = adopted_.current_for_start();
  std::fill(adopted.begin(), adopted.end(), 0);
  tick_ = 0;
  adopters_ = new_adopters_ = peak_new_ = 0;
  peak_tick_ = 0;
}

void Bass::step(std::uint32_t tick, const engine::Random& random) {
  tick_ = tick;
  const auto& now = adopted_.current();
  auto& next = adopted_.next();
  const double n = graph_.num_nodes();
  const double dt = params_.years_per_tick;
  const double global_share = double(adopters_) / n;
  engine::for_each_agent(graph_.num_nodes(), [&](graph::Vertex v) {
    if (now[v]) {
      next[v] = 1;
      return;
    }
    double share = global_share;
    if (params_.mixing == Mixing::graph) {
      const auto in = graph_.in_neighbors(v);
      std::uint32_t adopted = 0;
      for (graph::Vertex u : in) adopted += now[u];
      share = in.empty() ? 0.0 : double(adopted) / double(in.size());
    }
    next[v] = random.bernoulli((params_.p + params_.q * share) * dt, tick, v, kAdopt) ? 1 : 0;
  });
}

void Bass::commit() {
  adopted_.commit();
  const auto& now = adopted_.current();
  const std::uint64_t adopters =
      engine::count_agents(graph_.num_nodes(), [&](graph::Vertex v) { return now[v] != 0; });
  new_adopters_ = adopters - adopters_;
  adopters_ = adopters;
  if (new_adopters_ > peak_new_) {
    peak_new_ = new_adopters_;
    peak_tick_ = tick_;
  }
}

void Bass::observe(std::span<double> row) const {
  row[0] = tick_ * params_.years_per_tick;
  row[1] = double(adopters_);
  row[2] = double(adopters_) / graph_.num_nodes();
  row[3] = double(new_adopters_);
}

void Bass::finish(std::span<double> metrics) {
  metrics[0] = double(adopters_) / graph_.num_nodes();
  metrics[1] = double(peak_new_);
  metrics[2] = peak_tick_ * params_.years_per_tick;
}

}  // namespace buzz::dynamics
