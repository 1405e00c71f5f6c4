#include "sim/dynamics/sir.hpp"

#include "sim/dynamics/event_driven.hpp"

#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <numeric>

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kTransmit{1};
constexpr engine::Purpose kRecover{2};
}  // namespace

double Sir::transmissibility(double beta, double gamma) {
  return 1.0 - gamma * (1.0 - beta) / (1.0 - (1.0 - gamma) * (1.0 - beta));
}

Sir::Sir(const graph::Graph& graph, const SirParams& params)
    : graph_(graph), params_(params), state_(graph.num_nodes(), kSusceptible) {}

const std::vector<engine::Column<SirTotals>>& sir_tick_columns() {
  using engine::Direction, engine::Measure;
  using T = SirTotals;
  static const std::vector<engine::Column<T>> columns{
      {{"susceptible", "people", Measure::stock, Direction::no_verdict, "people susceptible"},
       [](const T& t) { return t.population - t.infectious - t.recovered; }},
      {{"infectious", "people", Measure::stock, Direction::no_verdict, "people infectious"},
       [](const T& t) { return t.infectious; }},
      {{"recovered", "people", Measure::stock, Direction::no_verdict, "people recovered"},
       [](const T& t) { return t.recovered; }},
      {{"new_infections", "people", Measure::flow, Direction::no_verdict,
        "people infected since the previous record"},
       [](const T& t) { return t.new_infections; }},
  };
  return columns;
}

const std::vector<engine::Column<SirTotals>>& sir_run_columns(bool reinfection) {
  using engine::Direction, engine::Measure;
  using T = SirTotals;
  const engine::Column<T> peak{{"peak_infectious", "people", Measure::stock,
                                Direction::higher_is_better, "most people infectious at once"},
                               [](const T& t) { return t.peak_infectious; }};
  const engine::Column<T> time_to_peak{{"time_to_peak", "ticks", Measure::stock,
                                        Direction::no_verdict, "when peak_infectious happened"},
                                       [](const T& t) { return t.time_to_peak; }};
  static const std::vector<engine::Column<T>> sis{
      {{"final_prevalence", "share", Measure::stock, Direction::higher_is_better,
        "infectious share at the end"},
       [](const T& t) { return t.infectious / t.population; }},
      {{"mean_prevalence", "share", Measure::stock, Direction::higher_is_better,
        "endemic level: mean infectious share over the second half of the run"},
       [](const T& t) { return t.mean_prevalence; }},
      peak,
      time_to_peak,
      {{"ever_infected_share", "share", Measure::stock, Direction::higher_is_better,
        "share of the population ever infected"},
       [](const T& t) { return t.ever_infected / t.population; }}};
  static const std::vector<engine::Column<T>> sir{
      {{"final_size", "people", Measure::stock, Direction::higher_is_better,
        "people ever infected"},
       [](const T& t) { return t.ever_infected; }},
      {{"final_share", "share", Measure::stock, Direction::higher_is_better,
        "final_size over the population"},
       [](const T& t) { return t.ever_infected / t.population; }},
      peak,
      time_to_peak,
      {{"duration", "ticks", Measure::stock, Direction::no_verdict,
        "first tick with nobody infectious (or the horizon)"},
       [](const T& t) { return t.end; }}};
  return reinfection ? sis : sir;
}

double endemic_prevalence(const std::vector<double>& prevalence) {
  if (prevalence.empty()) return 0;
  const std::size_t half = prevalence.size() / 2;
  return std::accumulate(prevalence.begin() + half, prevalence.end(), 0.0) /
         double(prevalence.size() - half);
}

engine::Reporters Sir::tick_reporters() const { return engine::reporters_of(sir_tick_columns()); }

engine::Reporters Sir::run_reporters() const {
  return engine::reporters_of(sir_run_columns(params_.reinfection));
}

void Sir::start(const engine::Random& random) {
  auto& state = state_.current_for_start();
  std::fill(state.begin(), state.end(), kSusceptible);
  const auto seeds = choose_seeds(graph_, params_.seeds, random);
  for (graph::Vertex v : seeds) state[v] = kInfectious;
  tick_ = 0;
  infectious_ = new_infections_ = peak_infectious_ = seeds.size();
  recovered_ = 0;
  peak_tick_ = end_tick_ = 0;
  ever_.assign(graph_.num_nodes(), 0);
  for (graph::Vertex v : seeds) ever_[v] = 1;
  prevalence_.assign(1, double(infectious_) / graph_.num_nodes());
}

void Sir::step(std::uint32_t tick, const engine::Random& random) {
  tick_ = tick;
  const auto& now = state_.current();
  auto& next = state_.next();
  if (infectious_ == 0) {
    next = now;
    return;
  }
  engine::for_each_agent(graph_.num_nodes(), [&](graph::Vertex v) {
    const State recovered = params_.reinfection ? kSusceptible : kRecovered;
    next[v] = now[v] == kInfectious && random.bernoulli(params_.gamma, tick, v, kRecover)
                  ? recovered
                  : now[v];
  });
  engine::contagion(
      graph_, [&](graph::Vertex u) { return now[u] == kInfectious; },
      [&](graph::Vertex v) { return now[v] == kSusceptible; },
      [&](graph::Vertex u, graph::Vertex v) {
        return random.bernoulli(params_.beta, tick, engine::pair_subject(u, v), kTransmit);
      },
      [&](graph::Vertex v) { engine::store_relaxed(next[v], kInfectious); });
}

void Sir::commit() {
  // Count the transitions before the swap, while both ticks are at hand.
  const auto& before = state_.current();
  const auto& after = state_.next();
  struct Counts {
    std::uint64_t infectious = 0, recovered = 0, infected = 0;
  };
  const Counts counts = tbb::parallel_reduce(
      tbb::blocked_range<graph::Vertex>(0, graph_.num_nodes(), engine::kAgentGrain), Counts{},
      [&](const tbb::blocked_range<graph::Vertex>& r, Counts c) {
        for (graph::Vertex v = r.begin(); v != r.end(); ++v) {
          c.infectious += after[v] == kInfectious;
          c.recovered += after[v] == kRecovered;
          if (before[v] == kSusceptible && after[v] == kInfectious) {
            ++c.infected;
            ever_[v] = 1;
          }
        }
        return c;
      },
      [](Counts a, const Counts& b) {
        a.infectious += b.infectious;
        a.recovered += b.recovered;
        a.infected += b.infected;
        return a;
      });
  state_.commit();
  infectious_ = counts.infectious;
  recovered_ = counts.recovered;
  new_infections_ = counts.infected;
  prevalence_.push_back(double(infectious_) / graph_.num_nodes());
  if (infectious_ > peak_infectious_) {
    peak_infectious_ = infectious_;
    peak_tick_ = tick_;
  }
  if (infectious_ == 0 && end_tick_ == 0) end_tick_ = tick_;
}

void Sir::skip_to(std::uint32_t tick) {
  // Each idle tick would have recorded a prevalence of 0 and infected no one.
  prevalence_.resize(prevalence_.size() + (tick - tick_), 0.0);
  new_infections_ = 0;
  if (end_tick_ == 0 && tick > tick_) end_tick_ = tick_ + 1;  // as the first idle commit would
  tick_ = tick;
}

SirTotals Sir::totals() const {
  SirTotals t;
  t.population = graph_.num_nodes();
  t.infectious = double(infectious_);
  t.recovered = double(recovered_);
  t.new_infections = double(new_infections_);
  t.peak_infectious = double(peak_infectious_);
  t.time_to_peak = peak_tick_;
  t.end = end_tick_ > 0 ? end_tick_ : tick_;
  return t;
}

void Sir::observe(std::vector<double>& row) const {
  engine::append_values(sir_tick_columns(), totals(), row);
}

void Sir::finish(std::vector<double>& metrics) {
  SirTotals t = totals();
  t.ever_infected = double(std::count(ever_.begin(), ever_.end(), 1));
  t.mean_prevalence = endemic_prevalence(prevalence_);
  engine::append_values(sir_run_columns(params_.reinfection), t, metrics);
}

std::vector<std::string> Sir::state_names() const {
  if (params_.reinfection) return {"susceptible", "infectious"};  // no one stays recovered
  return {"susceptible", "infectious", "recovered"};
}

engine::Display Sir::display() const {
  using engine::StateRole;
  if (params_.reinfection) return {{StateRole::untouched, StateRole::spreading}};
  return {{StateRole::untouched, StateRole::spreading, StateRole::removed}};
}

void Sir::agent_states(std::span<std::uint8_t> out) const {
  const auto& now = state_.current();
  std::copy(now.begin(), now.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const SirParams& p, const graph::Graph& graph) {
  if (p.continuous_time) return std::make_unique<EventDrivenSir>(graph, p);
  return std::make_unique<Sir>(graph, p);
}

std::string_view model_name(const SirParams& p) { return p.reinfection ? "sis" : "sir"; }

}  // namespace buzz::dynamics
