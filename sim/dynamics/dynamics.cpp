#include "sim/dynamics/dynamics.hpp"

#include "sim/common/overload.hpp"
#include "sim/dynamics/bass.hpp"
#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/event_driven.hpp"
#include "sim/dynamics/independent_cascade.hpp"
#include "sim/dynamics/rumour.hpp"
#include "sim/dynamics/sir.hpp"
#include "sim/dynamics/threshold.hpp"

namespace buzz::dynamics {

std::unique_ptr<engine::Model> make_model(const DynamicsSpec& spec, const graph::Graph& graph) {
  return std::visit(Overload{
                        [&](const IndependentCascadeParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<IndependentCascade>(graph, p);
                        },
                        [&](const SirParams& p) -> std::unique_ptr<engine::Model> {
                          if (p.continuous_time) return std::make_unique<EventDrivenSir>(graph, p);
                          return std::make_unique<Sir>(graph, p);
                        },
                        [&](const BassParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<Bass>(graph, p);
                        },
                        [&](const ThresholdParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<Threshold>(graph, p);
                        },
                        [&](const RumourParams& p) -> std::unique_ptr<engine::Model> {
                          return std::make_unique<Rumour>(graph, p);
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
                        [](const SirParams& p) { return p.reinfection ? "sis" : "sir"; },
                        [](const BassParams&) { return "bass"; },
                        [](const ThresholdParams& p) {
                          return p.rule == ThresholdRule::linear     ? "linear_threshold"
                                 : p.rule == ThresholdRule::fraction ? "watts_threshold"
                                                                     : "k_threshold";
                        },
                        [](const RumourParams&) { return "rumour"; },
                        [](const CampaignParams&) { return "campaign"; },
                    },
                    spec);
}

}  // namespace buzz::dynamics
