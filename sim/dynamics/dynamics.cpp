#include "sim/dynamics/dynamics.hpp"

// Each dynamics: one include here and one alternative in DynamicsSpec (spec.hpp).
#include "sim/dynamics/bass.hpp"
#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/independent_cascade.hpp"
#include "sim/dynamics/rumour.hpp"
#include "sim/dynamics/sir.hpp"
#include "sim/dynamics/threshold.hpp"

namespace buzz::dynamics {

std::unique_ptr<engine::Model> make_model(const DynamicsSpec& spec, const graph::Graph& graph) {
  return std::visit([&](const auto& p) { return make_model(p, graph); }, spec);
}

std::string_view name(const DynamicsSpec& spec) {
  return std::visit([](const auto& p) { return model_name(p); }, spec);
}

}  // namespace buzz::dynamics
