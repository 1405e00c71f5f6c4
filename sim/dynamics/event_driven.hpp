#pragma once

#include <boost/heap/d_ary_heap.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <tuple>
#include <vector>

#include "sim/dynamics/sir.hpp"
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
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

 private:
  SirTotals totals() const;
  enum State : std::uint8_t { kSusceptible, kInfectious, kRecovered };
  // 16 bytes, four to a cache line of the heap.
  struct Event {
    double time;
    graph::Vertex target;
    std::uint32_t infection;  // a recovery: the target's infection count it ends; 0: a transmission
    bool recovery() const { return infection != 0; }
    bool operator>(const Event& o) const {
      return std::tuple(time, target, recovery()) > std::tuple(o.time, o.target, o.recovery());
    }
  };
  // Earliest first. Four children to a node: half the levels of a binary heap, each read
  // from one cache line, which is what a pop at a million people waits for.
  using EventQueue =
      boost::heap::d_ary_heap<Event, boost::heap::arity<4>, boost::heap::compare<std::greater<>>>;

  void infect(graph::Vertex v, double time, const engine::Random& random);

  const graph::Graph& graph_;
  SirParams params_;
  std::vector<State> state_;
  std::vector<std::uint32_t> infections_;  // times each person was infected
  EventQueue events_;
  std::uint64_t infectious_ = 0, recovered_ = 0, new_infections_ = 0, ever_ = 0;
  std::uint64_t peak_infectious_ = 0;
  double peak_time_ = 0, last_event_ = 0;
  std::vector<double> prevalence_;  // infectious share at each tick
  double now_ = 0;
};

}  // namespace buzz::dynamics
