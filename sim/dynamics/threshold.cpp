#include "sim/dynamics/threshold.hpp"

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kTheta{0x7e7a};
}

Threshold::Threshold(const graph::Graph& graph, const ThresholdParams& params)
    : graph_(graph), params_(params), active_(graph.num_nodes(), 0) {}

const std::vector<engine::Column<Threshold>>& Threshold::tick_columns() {
  using engine::Direction, engine::Measure;
  using M = Threshold;
  static const std::vector<engine::Column<M>> columns{
      {{"active", "people", Measure::stock, Direction::no_verdict,
        "people who have adopted at the tick"},
       [](const M& m) { return double(m.count_); }},
      {{"newly_active", "people", Measure::flow, Direction::no_verdict,
        "people who adopted in the tick"},
       [](const M& m) { return double(m.new_); }},
      {{"active_share", "share", Measure::stock, Direction::no_verdict,
        "adopted people over the population"},
       [](const M& m) { return double(m.count_) / m.graph_.num_nodes(); }},
  };
  return columns;
}

const std::vector<engine::Column<Threshold>>& Threshold::run_columns() {
  using engine::Direction, engine::Measure;
  using M = Threshold;
  static const std::vector<engine::Column<M>> columns{
      {{"final_active", "people", Measure::stock, Direction::higher_is_better,
        "people adopted at the end"},
       [](const M& m) { return double(m.count_); }},
      {{"final_share", "share", Measure::stock, Direction::higher_is_better,
        "final_active over the population"},
       [](const M& m) { return double(m.count_) / m.graph_.num_nodes(); }},
      {{"global_cascade", "0 or 1", Measure::stock, Direction::higher_is_better,
        "1 when final_share reaches the global-cascade cut-off"},
       [](const M& m) { return double(m.count_) / m.graph_.num_nodes() >= kGlobal ? 1.0 : 0.0; }},
      {{"duration", "ticks", Measure::stock, Direction::no_verdict, "tick of the last adoption"},
       [](const M& m) { return double(m.last_adoption_tick_); }},
  };
  return columns;
}

engine::Reporters Threshold::tick_reporters() const { return engine::reporters_of(tick_columns()); }

engine::Reporters Threshold::run_reporters() const { return engine::reporters_of(run_columns()); }

void Threshold::start(const engine::Random& random) {
  auto& active = active_.current_for_start();
  std::fill(active.begin(), active.end(), 0);
  const auto seeds = choose_seeds(graph_, params_.seeds, random);
  for (graph::Vertex v : seeds) active[v] = 1;
  if (params_.rule == ThresholdRule::linear) {
    theta_.resize(graph_.num_nodes());
    engine::for_each_agent(graph_.num_nodes(), [&](graph::Vertex v) {
      theta_[v] = static_cast<float>(random.uniform(0, v, kTheta));
    });
  }
  tick_ = 0;
  count_ = new_ = seeds.size();
  last_adoption_tick_ = 0;
}

void Threshold::step(std::uint32_t tick, const engine::Random&) {
  tick_ = tick;
  const auto& now = active_.current();
  auto& next = active_.next();
  if (new_ == 0) {  // nothing changed last tick, so nothing can change now
    next = now;
    return;
  }
  engine::for_each_agent(graph_.num_nodes(), [&](graph::Vertex v) {
    if (now[v]) {
      next[v] = 1;
      return;
    }
    const auto in = graph_.in_neighbors(v);
    std::uint32_t adopted = 0;
    for (graph::Vertex u : in) adopted += now[u];
    bool adopts = false;
    switch (params_.rule) {
      case ThresholdRule::linear:
        adopts = !in.empty() && double(adopted) / double(in.size()) >= theta_[v];
        break;
      case ThresholdRule::fraction:
        adopts = !in.empty() && double(adopted) >= params_.threshold * double(in.size());
        break;
      case ThresholdRule::count:
        adopts = adopted >= params_.k;
        break;
    }
    next[v] = adopts ? 1 : 0;
  });
}

void Threshold::commit() {
  active_.commit();
  const auto& now = active_.current();
  const std::uint64_t count =
      engine::count_agents(graph_.num_nodes(), [&](graph::Vertex v) { return now[v] != 0; });
  new_ = count - count_;
  count_ = count;
  if (new_ > 0) last_adoption_tick_ = tick_;
}

void Threshold::observe(std::vector<double>& row) const {
  engine::append_values(tick_columns(), *this, row);
}

void Threshold::finish(std::vector<double>& metrics) {
  engine::append_values(run_columns(), *this, metrics);
}

std::vector<std::string> Threshold::state_names() const { return {"inactive", "active"}; }

engine::Display Threshold::display() const {
  return {{engine::StateRole::untouched, engine::StateRole::spreading}};
}

void Threshold::agent_states(std::span<std::uint8_t> out) const {
  const auto& now = active_.current();
  std::copy(now.begin(), now.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const ThresholdParams& p, const graph::Graph& graph) {
  return std::make_unique<Threshold>(graph, p);
}

std::string_view model_name(const ThresholdParams& p) {
  return p.rule == ThresholdRule::linear     ? "linear_threshold"
         : p.rule == ThresholdRule::fraction ? "watts_threshold"
                                             : "k_threshold";
}

}  // namespace buzz::dynamics
