#pragma once

#include <memory>
#include <span>
#include <string_view>

#include <cstdint>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/kernels.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/reporter.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// Threshold models of adoption, with synchronous ticks:
//
//   inactive --(the adopted among in-neighbours, at the end of the last tick, reach the
//               person's threshold)--> active (for good)
//
// The rule sets the threshold:
//   linear    Kempe, Kleinberg & Tardos (2003): each person draws theta uniform in [0, 1]
//             once; adopted share of in-neighbours (each weighs 1 / in-degree) >= theta.
//   fraction  Watts (2002): adopted share of neighbours >= phi. A person with no
//             neighbours never adopts.
//   count     complex contagion (Centola & Macy 2007): adopted neighbours >= k.
class Threshold final : public engine::Model {
 public:
  Threshold(const graph::Graph& graph, const ThresholdParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override;
  void observe(std::vector<double>& row) const override;
  // No adoption last tick: every threshold sees what it saw, so none is crossed.
  bool settled() const override { return new_ == 0; }
  bool can_settle() const override { return true; }
  void skip_to(std::uint32_t tick) override { tick_ = tick; }
  void finish(std::vector<double>& metrics) override;
  std::vector<std::string> state_names() const override;
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

  // A cascade is global when it reaches this share of the population (Watts 2002).
  static constexpr double kGlobal = 0.1;

 private:
  // Each reporter declared with the function that computes it from the model.
  static const std::vector<engine::Column<Threshold>>& tick_columns();
  static const std::vector<engine::Column<Threshold>>& run_columns();
  const graph::Graph& graph_;
  ThresholdParams params_;
  engine::DoubleBuffer<std::uint8_t> active_;
  std::vector<float> theta_;  // linear rule only
  std::uint32_t tick_ = 0;
  std::uint64_t count_ = 0, new_ = 0;
  std::uint32_t last_adoption_tick_ = 0;
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const ThresholdParams& p, const graph::Graph& graph);
std::string_view model_name(const ThresholdParams& p);

}  // namespace buzz::dynamics
