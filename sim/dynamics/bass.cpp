#include "sim/dynamics/bass.hpp"

#include <cmath>

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kAdopt{0xba55};
}

double Bass::adopted_share(double p, double q, double years) {
  const double decay = std::exp(-(p + q) * years);
  return (1 - decay) / (1 + (q / p) * decay);
}

Bass::Bass(const graph::Graph& graph, const BassParams& params)
    : graph_(graph), params_(params), adopted_(graph.num_nodes(), 0) {}

// Each reporter declared with the function that computes it, in column order.
const std::vector<engine::Column<Bass>>& Bass::tick_columns() {
  using engine::Direction, engine::Measure;
  static const std::vector<engine::Column<Bass>> columns{
      {{"years", "years", Measure::stock, Direction::no_verdict, "time since the start, in years"},
       [](const Bass& m) { return m.tick_ * m.params_.years_per_tick; }},
      {{"adopters", "people", Measure::stock, Direction::no_verdict, "people who have adopted"},
       [](const Bass& m) { return double(m.adopters_); }},
      {{"adopted_share", "share", Measure::stock, Direction::no_verdict,
        "adopters over the population"},
       [](const Bass& m) { return double(m.adopters_) / m.graph_.num_nodes(); }},
      {{"new_adopters", "people", Measure::flow, Direction::no_verdict,
        "people who adopted in the tick"},
       [](const Bass& m) { return double(m.new_adopters_); }},
  };
  return columns;
}

const std::vector<engine::Column<Bass>>& Bass::run_columns() {
  using engine::Direction, engine::Measure;
  static const std::vector<engine::Column<Bass>> columns{
      {{"final_share", "share", Measure::stock, Direction::higher_is_better,
        "adopters over the population at the end"},
       [](const Bass& m) { return double(m.adopters_) / m.graph_.num_nodes(); }},
      {{"peak_new_adopters", "people", Measure::flow, Direction::higher_is_better,
        "most adoptions in one tick"},
       [](const Bass& m) { return double(m.peak_new_); }},
      {{"time_to_peak_years", "years", Measure::stock, Direction::no_verdict,
        "when peak_new_adopters happened"},
       [](const Bass& m) { return m.peak_tick_ * m.params_.years_per_tick; }},
  };
  return columns;
}

engine::Reporters Bass::tick_reporters() const { return engine::reporters_of(tick_columns()); }

engine::Reporters Bass::run_reporters() const { return engine::reporters_of(run_columns()); }

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

void Bass::observe(std::vector<double>& row) const {
  engine::append_values(tick_columns(), *this, row);
}

void Bass::finish(std::vector<double>& metrics) {
  engine::append_values(run_columns(), *this, metrics);
}

std::vector<std::string> Bass::state_names() const { return {"potential", "adopted"}; }

engine::Display Bass::display() const {
  return {{engine::StateRole::untouched, engine::StateRole::spreading}};
}

void Bass::agent_states(std::span<std::uint8_t> out) const {
  const auto& now = adopted_.current();
  std::copy(now.begin(), now.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const BassParams& p, const graph::Graph& graph) {
  return std::make_unique<Bass>(graph, p);
}

std::string_view model_name(const BassParams&) { return "bass"; }

}  // namespace buzz::dynamics
