#pragma once

#include <memory>
#include <string_view>

#include <cstdint>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/kernels.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/reporter.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// What SIR and SIS report, discrete or event-driven: each model fills these totals, and
// the columns below, each declared with its function of them, give its rows.
struct SirTotals {
  double population = 0, infectious = 0, recovered = 0, new_infections = 0;
  double ever_infected = 0, peak_infectious = 0, time_to_peak = 0;
  double end = 0;              // SIR: when no one was infectious any more (or the horizon)
  double mean_prevalence = 0;  // SIS: the endemic level (endemic_prevalence)
};
const std::vector<engine::Column<SirTotals>>& sir_tick_columns();
const std::vector<engine::Column<SirTotals>>& sir_run_columns(bool reinfection);
// The endemic level of SIS: the mean of the prevalence series over its second half.
double endemic_prevalence(const std::vector<double>& prevalence);

// Discrete-time SIR on a graph; with `reinfection`, SIS (recovered people are susceptible
// again at once, and `recovered` stays 0).
//
// States and transitions, one tick:
//   susceptible --(each infectious neighbour transmits, chance beta each)--> infectious
//   infectious  --(recovers, chance gamma)-----------------------------------> recovered
//   recovered   stays recovered
// An infectious person transmits in every tick they are infectious, the tick they recover
// included, so they do so for D >= 1 ticks with D geometric(gamma), and the chance that
// they infect a given neighbour over their whole illness is
//   T = 1 - gamma (1 - beta) / (1 - (1 - gamma)(1 - beta)).
// With gamma = 1 this is independent cascade with p = beta.
class Sir final : public engine::Model {
 public:
  Sir(const graph::Graph& graph, const SirParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override;
  void observe(std::vector<double>& row) const override;
  bool settled() const override { return infectious_ == 0; }  // no one left to infect
  bool can_settle() const override { return true; }
  void skip_to(std::uint32_t tick) override;
  void finish(std::vector<double>& metrics) override;
  std::vector<std::string> state_names() const override;
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

  // T above: the chance an infectious person infects a given neighbour before recovering.
  static double transmissibility(double beta, double gamma);

 private:
  SirTotals totals() const;  // the record's and the run's totals, ever_infected apart
  enum State : std::uint8_t { kSusceptible, kInfectious, kRecovered };

  const graph::Graph& graph_;
  SirParams params_;
  engine::DoubleBuffer<State> state_;
  std::uint32_t tick_ = 0;
  std::uint64_t infectious_ = 0;
  std::uint64_t recovered_ = 0;
  std::uint64_t new_infections_ = 0;
  std::vector<std::uint8_t> ever_;  // ever infected, per agent
  std::vector<double> prevalence_;  // infectious share per tick
  std::uint64_t peak_infectious_ = 0;
  std::uint32_t peak_tick_ = 0;
  std::uint32_t end_tick_ = 0;  // first tick with nobody infectious
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const SirParams& p, const graph::Graph& graph);
std::string_view model_name(const SirParams& p);

}  // namespace buzz::dynamics
