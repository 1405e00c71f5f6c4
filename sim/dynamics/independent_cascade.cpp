#include "sim/dynamics/independent_cascade.hpp"

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
constexpr std::uint32_t kTransmit = 1;
}

IndependentCascade::IndependentCascade(const graph::Graph& graph,
                                       const IndependentCascadeParams& params)
    : graph_(graph), params_(params), state_(graph.num_nodes(), kInactive) {}

engine::Reporters IndependentCascade::tick_reporters() const {
  return {
      {"active", "people", engine::Measure::stock, engine::Direction::no_verdict,
       "people active (adopted) at the tick"},
      {"newly_active", "people", engine::Measure::flow, engine::Direction::no_verdict,
       "people activated in the tick"},
      {"active_share", "share", engine::Measure::stock, engine::Direction::no_verdict,
       "active people over the population"},
  };
}

engine::Reporters IndependentCascade::run_reporters() const {
  return {
      {"final_active", "people", engine::Measure::stock, engine::Direction::higher_is_better,
       "people active at the end"},
      {"final_share", "share", engine::Measure::stock, engine::Direction::higher_is_better,
       "final_active over the population"},
      {"peak_newly_active", "people", engine::Measure::flow, engine::Direction::higher_is_better,
       "most people activated in one tick"},
      {"time_to_peak", "ticks", engine::Measure::stock, engine::Direction::no_verdict,
       "tick of peak_newly_active"},
      {"duration", "ticks", engine::Measure::stock, engine::Direction::no_verdict,
       "tick of the last activation"},
  };
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

void IndependentCascade::observe(std::vector<double>& row) const {
  row.push_back(double(active_));
  row.push_back(double(fresh_));
  row.push_back(double(active_) / graph_.num_nodes());
}

void IndependentCascade::finish(std::vector<double>& metrics) {
  metrics.push_back(double(active_));
  metrics.push_back(double(active_) / graph_.num_nodes());
  metrics.push_back(double(peak_fresh_));
  metrics.push_back(peak_tick_);
  metrics.push_back(last_activation_tick_);
}

std::vector<std::string> IndependentCascade::state_names() const {
  return {"inactive", "active", "spent"};
}

void IndependentCascade::agent_states(std::span<std::uint8_t> out) const {
  const auto& now = state_.current();
  std::copy(now.begin(), now.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const IndependentCascadeParams& p,
                                          const graph::Graph& graph) {
  return std::make_unique<IndependentCascade>(graph, p);
}

std::string_view model_name(const IndependentCascadeParams&) { return "independent_cascade"; }

}  // namespace buzz::dynamics
