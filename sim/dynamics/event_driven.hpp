#pragma once

#include <cstdint>
#include <queue>
#include <span>
#include <tuple>
#include <vector>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/model.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// SIR and SIS as Markov processes on a graph, updated event by event (Gillespie-style,
// exact, no step-size error), after the event-driven algorithms of Kiss, Miller & Simon
// (2017, ch. A.1). Time is measured in ticks; the engine's ticks are the times at which
// the state is recorded.
//
//   susceptible --(each infectious neighbour transmits at rate tau)--> infectious
//   infectious  --(recovers at rate gamma)----------------------------> recovered (SIR)
//                                                                       or susceptible (SIS)
//
// When a person is infected, their recovery time and, for each out-neighbour, the times
// of their transmissions before recovery are drawn at once; events then fire in time
// order, and a transmission that finds its target no longer susceptible does nothing.
// Events run on one thread, in a fixed order, so results do not depend on thread count.
class EventDrivenSir final : public engine::Model {
 public:
  EventDrivenSir(const graph::Graph& graph, const SirParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override {}
  void observe(std::vector<double>& row) const override;
  void finish(std::vector<double>& metrics) override;
  std::vector<std::string> state_names() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

 private:
  enum State : std::uint8_t { kSusceptible, kInfectious, kRecovered };
  struct Event {
    double time;
    graph::Vertex target;
    bool recovery;
    std::uint32_t infection;  // the target's infection count the event belongs to (recovery)
    bool operator>(const Event& o) const {
      return std::tie(time, target, recovery) > std::tie(o.time, o.target, o.recovery);
    }
  };

  void infect(graph::Vertex v, double time, const engine::Random& random);

  const graph::Graph& graph_;
  SirParams params_;
  std::vector<State> state_;
  std::vector<std::uint32_t> infections_;  // times each person was infected
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t infectious_ = 0, recovered_ = 0, new_infections_ = 0, ever_ = 0;
  std::uint64_t peak_infectious_ = 0;
  double peak_time_ = 0, last_event_ = 0;
  std::vector<double> prevalence_;  // infectious share at each tick
  double now_ = 0;
};

}  // namespace buzz::dynamics
