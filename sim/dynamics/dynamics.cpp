#include "sim/dynamics/dynamics.hpp"

#include "sim/common/overload.hpp"
#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/independent_cascade.hpp"
#include "sim/dynamics/sir.hpp"

namespace buzz::dynamics {

std::unique_ptr<engine::Model> make_model(const DynamicsSpec& spec, const graph::Graph& graph) {
  return std::visit(Overload{
                        [&](const IndependentCascadeParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<IndependentCascade>(graph, p);
                        },
                        [&](const SirParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<Sir>(graph, p);
                        },
                        [&](const CampaignParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<Campaign>(graph, p);
                        },
                    },
                    spec);
}

std::string_view name(const DynamicsSpec& spec) {
  return std::visit(Overload{
                        [](const IndependentCascadeParams&) { return "independent_cascade"; },
                        [](const SirParams&) { return "sir"; },
                        [](const CampaignParams&) { return "campaign"; },
                    },
                    spec);
}

}  // namespace buzz::dynamics
