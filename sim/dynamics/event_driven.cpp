#include "sim/dynamics/event_driven.hpp"

#include <algorithm>
#include <cmath>

#include "sim/dynamics/seeding.hpp"
#include "sim/dynamics/sir.hpp"

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kRecoveryTime{0xed01};
constexpr engine::Purpose kTransmissionTime{0xed02};

// Exponential waiting time with the given rate from a uniform in [0, 1).
double exponential(double u, double rate) { return -std::log1p(-u) / rate; }
}  // namespace

EventDrivenSir::EventDrivenSir(const graph::Graph& graph, const SirParams& params)
    : graph_(graph), params_(params) {}

engine::Reporters EventDrivenSir::tick_reporters() const {
  return engine::reporters_of(sir_tick_columns());
}

engine::Reporters EventDrivenSir::run_reporters() const {
  return engine::reporters_of(sir_run_columns(params_.reinfection));
}

void EventDrivenSir::start(const engine::Random& random) {
  const graph::Vertex n = graph_.num_nodes();
  state_.assign(n, kSusceptible);
  infections_.assign(n, 0);
  events_.clear();
  infectious_ = recovered_ = new_infections_ = ever_ = peak_infectious_ = 0;
  peak_time_ = last_event_ = now_ = 0;
  prevalence_.clear();
  for (graph::Vertex v : choose_seeds(graph_, params_.seeds, random)) infect(v, 0, random);
  new_infections_ = infectious_;
  peak_infectious_ = infectious_;
}

void EventDrivenSir::infect(graph::Vertex v, double time, const engine::Random& random) {
  state_[v] = kInfectious;
  const std::uint32_t k = infections_[v]++;
  ++infectious_;
  ++new_infections_;
  if (k == 0) ++ever_;
  const double recovery =
      time + exponential(random.uniform(k, v, kRecoveryTime), params_.recovery_rate);
  events_.push({recovery, v, k + 1});
  // Transmissions along each tie before recovery: the first for SIR (later ones find the
  // target infected or immune), all of them for SIS, where the target may be susceptible
  // again by then. Under SIR a neighbour already infected or immune stays so, so its
  // transmission would do nothing and is not drawn (draws are keyed, so skipping one
  // changes no other).
  const double rate = params_.transmission_rate;
  // Most waits outlast the recovery: a uniform past the one whose wait ends a margin after
  // it (exact to far below the margin) needs no logarithm. From `time`, the first wait's
  // bound is the same for every tie.
  const double margin = 1e-9 * std::max(1.0, recovery);
  const auto past_recovery = [&](double from) {
    return -std::expm1(-rate * (recovery - from + margin));
  };
  const double first_past = past_recovery(time);
  for (graph::Vertex w : graph_.out_neighbors(v)) {
    if (!params_.reinfection && state_[w] != kSusceptible) continue;
    double t = time;
    for (std::uint32_t j = 0;; ++j) {
      const double u = random.uniform(k, engine::pair_subject(v, w), kTransmissionTime, j);
      if (u >= (j == 0 ? first_past : past_recovery(t))) break;
      t += exponential(u, rate);
      if (t >= recovery) break;
      events_.push({t, w, 0});
      if (!params_.reinfection) break;
    }
  }
}

void EventDrivenSir::step(std::uint32_t tick, const engine::Random& random) {
  new_infections_ = 0;
  while (!events_.empty() && events_.top().time <= tick) {
    const Event e = events_.top();
    events_.pop();
    now_ = e.time;
    if (e.recovery()) {
      if (state_[e.target] != kInfectious || infections_[e.target] != e.infection) continue;
      state_[e.target] = params_.reinfection ? kSusceptible : kRecovered;
      --infectious_;
      if (!params_.reinfection) ++recovered_;
      last_event_ = e.time;
    } else if (state_[e.target] == kSusceptible) {
      infect(e.target, e.time, random);
      last_event_ = e.time;
      if (infectious_ > peak_infectious_) {
        peak_infectious_ = infectious_;
        peak_time_ = e.time;
      }
    }
  }
  now_ = tick;
  prevalence_.push_back(double(infectious_) / graph_.num_nodes());
}

SirTotals EventDrivenSir::totals() const {
  SirTotals t;
  t.population = graph_.num_nodes();
  t.infectious = double(infectious_);
  t.recovered = double(recovered_);
  t.new_infections = double(new_infections_);
  t.ever_infected = double(ever_);
  t.peak_infectious = double(peak_infectious_);
  t.time_to_peak = peak_time_;
  t.end = last_event_;
  return t;
}

void EventDrivenSir::observe(std::vector<double>& row) const {
  engine::append_values(sir_tick_columns(), totals(), row);
}

void EventDrivenSir::finish(std::vector<double>& metrics) {
  SirTotals t = totals();
  t.mean_prevalence = endemic_prevalence(prevalence_);
  engine::append_values(sir_run_columns(params_.reinfection), t, metrics);
}

std::vector<std::string> EventDrivenSir::state_names() const {
  if (params_.reinfection) return {"susceptible", "infectious"};
  return {"susceptible", "infectious", "recovered"};
}

engine::Display EventDrivenSir::display() const {
  using engine::StateRole;
  if (params_.reinfection) return {{StateRole::untouched, StateRole::spreading}};
  return {{StateRole::untouched, StateRole::spreading, StateRole::removed}};
}

void EventDrivenSir::agent_states(std::span<std::uint8_t> out) const {
  std::copy(state_.begin(), state_.end(), out.begin());
}

}  // namespace buzz::dynamics
