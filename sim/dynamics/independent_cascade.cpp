#include "sim/dynamics/independent_cascade.hpp"

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
constexpr std::uint32_t kTransmit = 1;
}

IndependentCascade::IndependentCascade(const graph::Graph& graph,
                                       const IndependentCascadeParams& params)
    : graph_(graph), params_(params), state_(graph.num_nodes(), kInactive) {}

std::vector<std::string> IndependentCascade::tick_columns() const {
  return {"active", "newly_active", "active_share"};
}

std::vector<std::string> IndependentCascade::run_metrics() const {
  return {"final_active", "final_share", "peak_newly_active", "time_to_peak", "duration"};
}

void IndependentCascade::start(const engine::Random& random) {
  auto& state = state_.current_for_start();
  std::fill(state.begin(), state.end(), kInactive);
  const auto seeds = choose_seeds(graph_, params_.seeds, random);
  for (graph::Vertex v : seeds) state[v] = kFresh;
  tick_ = 0;
  active_ = fresh_ = peak_fresh_ = seeds.size();
  peak_tick_ = last_activation_tick_ = 0;
}

void IndependentCascade::step(std::uint32_t tick, const engine::Random& random) {
  tick_ = tick;
  const auto& now = state_.current();
  auto& next = state_.next();
  if (fresh_ == 0) {  // nothing can change any more
    next = now;
    return;
  }
  engine::for_each_agent(graph_.num_nodes(), [&](graph::Vertex v) {
    next[v] = now[v] == kInactive ? kInactive : kSpent;
  });
  engine::spread(
      graph_, [&](graph::Vertex u) { return now[u] == kFresh; },
      [&](graph::Vertex v) { return now[v] == kInactive; },
      // Keyed by the tie alone: each tie is tried once, so the tick adds nothing.
      [&](graph::Vertex u, graph::Vertex v) {
        return random.bernoulli(params_.p, 0, engine::pair_subject(u, v), kTransmit);
      },
      [&](graph::Vertex v) { engine::store_relaxed(next[v], kFresh); });
}

void IndependentCascade::commit() {
  state_.commit();
  const auto& now = state_.current();
  fresh_ =
      engine::count_agents(graph_.num_nodes(), [&](graph::Vertex v) { return now[v] == kFresh; });
  active_ += tick_ > 0 ? fresh_ : 0;
  if (fresh_ > 0) last_activation_tick_ = tick_;
  if (fresh_ > peak_fresh_) {
    peak_fresh_ = fresh_;
    peak_tick_ = tick_;
  }
}

void IndependentCascade::observe(std::span<double> row) const {
  row[0] = double(active_);
  row[1] = double(fresh_);
  row[2] = double(active_) / graph_.num_nodes();
}

void IndependentCascade::finish(std::span<double> metrics) {
  metrics[0] = double(active_);
  metrics[1] = double(active_) / graph_.num_nodes();
  metrics[2] = double(peak_fresh_);
  metrics[3] = peak_tick_;
  metrics[4] = last_activation_tick_;
}

std::vector<std::string> IndependentCascade::state_names() const {
  return {"inactive", "active", "spent"};
}

void IndependentCascade::agent_states(std::span<std::uint8_t> out) const {
  const auto& now = state_.current();
  std::copy(now.begin(), now.end(), out.begin());
}

}  // namespace buzz::dynamics
