#pragma once

#include <memory>
#include <span>
#include <string_view>

#include <cstdint>
#include <vector>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/reporter.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// Rumour models in continuous time (Daley & Kendall 1965; Maki & Thompson 1973).
//
// States: ignorant (has not heard), spreader (tells others), stifler (heard, stopped).
//
//   Maki-Thompson: each spreader contacts someone at rate 1 (a random neighbour, or with
//   full mixing a random other person):
//     spreader -> ignorant   the ignorant becomes a spreader
//     spreader -> spreader   the caller becomes a stifler
//     spreader -> stifler    the caller becomes a stifler
//   Daley-Kendall: people meet in pairs, each pair at the same rate:
//     spreader + ignorant    the ignorant becomes a spreader
//     spreader + spreader    both become stiflers
//     spreader + stifler     the spreader becomes a stifler
//   With full mixing the Daley-Kendall pair rates are exact: with s spreaders, i ignorants
//   and r stiflers, meetings happen at rates s i, s (s - 1) / 2 and s r (per N - 1 per
//   tick). On a graph, each spreader calls a random neighbour at rate 1 and the pair rule
//   applies to that call.
//
// Both leave the same share never hearing in a large fully mixed population: the root
// theta of theta e^{2(1 - theta)} = 1, 0.2032 (Sudbury 1985). Events run on one thread in
// a fixed order, so results do not depend on thread count.
class Rumour final : public engine::Model {
 public:
  Rumour(const graph::Graph& graph, const RumourParams& params);

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
  // Each reporter declared with the function that computes it from the model.
  static const std::vector<engine::Column<Rumour>>& tick_columns();
  static const std::vector<engine::Column<Rumour>>& run_columns();
  enum State : std::uint8_t { kIgnorant, kSpreader, kStifler };

  // People of one state, for picking one uniformly and removing them in O(1).
  class Pool {
   public:
    void reset(std::size_t n) {
      members_.clear();
      at_.assign(n, kNone);
    }
    void add(graph::Vertex v) {
      at_[v] = static_cast<std::uint32_t>(members_.size());
      members_.push_back(v);
    }
    void remove(graph::Vertex v) {
      const graph::Vertex last = members_.back();
      members_[at_[v]] = last;
      at_[last] = at_[v];
      members_.pop_back();
      at_[v] = kNone;
    }
    graph::Vertex operator[](std::size_t i) const { return members_[i]; }
    std::size_t size() const { return members_.size(); }

   private:
    static constexpr std::uint32_t kNone = 0xffffffffu;
    std::vector<graph::Vertex> members_;
    std::vector<std::uint32_t> at_;
  };

  void set(graph::Vertex v, State s);
  // Applies one event of the chain.
  void event(const engine::Random& random);

  const graph::Graph& graph_;
  RumourParams params_;
  std::vector<State> state_;
  Pool ignorant_, spreaders_;
  std::uint64_t stiflers_ = 0;
  std::uint64_t events_ = 0;  // counter of the random draws
  double now_ = 0, next_event_ = 0, last_event_ = 0;
  bool pending_ = false;  // next_event_ holds an event not yet applied
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const RumourParams& p, const graph::Graph& graph);
std::string_view model_name(const RumourParams& p);

}  // namespace buzz::dynamics
