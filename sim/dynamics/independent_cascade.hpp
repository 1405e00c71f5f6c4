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

// Independent cascade (Kempe, Kleinberg & Tardos 2003).
//
// States and transitions, one tick:
//   inactive --(some neighbour activated last tick succeeds, chance p each)--> fresh
//   fresh    --(always; its one chance to spread was this tick)------------> spent
//   spent    stays spent
// Each tie u -> v is tried at most once, when u is fresh, so the active set is the set
// reachable from the seeds over ties kept with probability p: bond percolation.
//
// A tick costs the fresh agents' ties, not the population: the fresh agents are kept as a
// list (the frontier) with the work each direction takes, and the engine's contagion
// kernel pushes from it, or pulls into the inactive agents when their in-ties are fewer
// (Beamer, Asanovic & Patterson 2012).
// The agents reached are the same either way and for any thread count, and the list is
// in agent order (gathered by a scan), so the next tick reads the graph front to back.
class IndependentCascade final : public engine::Model {
 public:
  IndependentCascade(const graph::Graph& graph, const IndependentCascadeParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override;
  void observe(std::vector<double>& row) const override;
  bool settled() const override { return fresh_list_.empty(); }  // no one left to try a tie
  bool can_settle() const override { return true; }
  void skip_to(std::uint32_t tick) override { tick_ = tick; }
  void finish(std::vector<double>& metrics) override;
  std::vector<std::string> state_names() const override;
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

 private:
  // Each reporter declared with the function that computes it from the model.
  static const std::vector<engine::Column<IndependentCascade>>& tick_columns();
  static const std::vector<engine::Column<IndependentCascade>>& run_columns();
  // kReached: reached during the tick being stepped; fresh from its commit.
  enum State : std::uint8_t { kInactive, kFresh, kSpent, kReached };

  const graph::Graph& graph_;
  IndependentCascadeParams params_;
  std::vector<State> state_;
  std::vector<graph::Vertex> fresh_list_, reached_list_;
  // What a push and a pull would cost: out-ties + 1 of every fresh agent, in-ties + 1 of
  // every inactive one; kept as agents activate.
  std::uint64_t fresh_work_ = 0, inactive_work_ = 0;
  std::uint32_t tick_ = 0;
  std::uint64_t active_ = 0;  // fresh + spent
  std::uint64_t peak_fresh_ = 0;
  std::uint32_t peak_tick_ = 0;
  std::uint32_t last_activation_tick_ = 0;
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const IndependentCascadeParams& p,
                                          const graph::Graph& graph);
std::string_view model_name(const IndependentCascadeParams& p);

}  // namespace buzz::dynamics
