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

// Bass (1969) diffusion of an innovation.
//
//   non-adopter --(chance (p + q F) dt this tick)--> adopter (for good)
//
// p is innovation (adoption from outside: advertising), q imitation (word of mouth), both
// per year; dt is the tick in years; F is the adopted share of the person's in-neighbours,
// or of the whole population with full mixing, at the end of the previous tick. The
// expected adopted share then follows F_t = F_{t-1} + (p + q F_{t-1})(1 - F_{t-1}) dt,
// Euler's scheme for Bass's equation dF/dt = (p + q F)(1 - F).
class Bass final : public engine::Model {
 public:
  Bass(const graph::Graph& graph, const BassParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override;
  void observe(std::vector<double>& row) const override;
  void finish(std::vector<double>& metrics) override;
  std::vector<std::string> state_names() const override;
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;

  // Bass's closed form: F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).
  static double adopted_share(double p, double q, double years);

 private:
  // Each reporter declared with the function that computes it from the model.
  static const std::vector<engine::Column<Bass>>& tick_columns();
  static const std::vector<engine::Column<Bass>>& run_columns();
  const graph::Graph& graph_;
  BassParams params_;
  engine::DoubleBuffer<std::uint8_t> adopted_;
  std::uint32_t tick_ = 0;
  std::uint64_t adopters_ = 0, new_adopters_ = 0, peak_new_ = 0;
  std::uint32_t peak_tick_ = 0;
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const BassParams& p, const graph::Graph& graph);
std::string_view model_name(const BassParams& p);

}  // namespace buzz::dynamics
