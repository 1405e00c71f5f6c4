// The rules that need the built graph: seeds, communities and thresholds against it.
#include <fmt/format.h>

#include <type_traits>
#include "sim/common/input_error.hpp"

#include "sim/dynamics/dynamics.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario {

void check_against_graph(const Config& config, const graph::Graph& g,
                         std::vector<std::string>* warnings) {
  auto at_most = [&](const std::string& path, std::uint64_t value, std::uint64_t limit,
                     std::string_view what) {
    if (value > limit) {
      throw InputError(fmt::format("{}: {} must be at most the graph's {} ({}), got {}",
                                   config.place(path), path, what, limit, value));
    }
  };
  auto check_seeds = [&](std::string_view model, const dynamics::Seeding& seeds) {
    const auto path = fmt::format("dynamics.{}.seeds", model);
    if (seeds.nodes.empty() && seeds.names.empty()) {
      at_most(path + ".count", seeds.count, g.num_nodes(), "nodes");
    }
    for (std::size_t i = 0; i < seeds.names.size(); ++i) {
      const auto field = fmt::format("{}.names[{}]", path, i);
      if (!g.named()) {
        throw InputError(fmt::format(
            "{}: {} is '{}', but the graph's nodes have no names (an edge list of names such "
            "as \"alice bob\" gives them); use nodes: with their numbers",
            config.place(field), field, seeds.names[i]));
      }
      if (!g.find(seeds.names[i])) {
        throw InputError(fmt::format("{}: {} is '{}', which is not a node of the graph file",
                                     config.place(field), field, seeds.names[i]));
      }
    }
    for (std::size_t i = 0; i < seeds.nodes.size(); ++i) {
      at_most(fmt::format("{}.nodes[{}]", path, i), seeds.nodes[i], g.num_nodes() - 1,
              "last node id");
    }
  };
  const std::string_view model = dynamics::name(config.dynamics);
  std::visit(
      [&](const auto& p) {
        using Params = std::decay_t<decltype(p)>;
        // Any dynamics with seeds: their count and ids against the graph.
        if constexpr (requires { p.seeds; }) check_seeds(model, p.seeds);
        if constexpr (std::is_same_v<Params, dynamics::ThresholdParams>) {
          if (p.rule != dynamics::ThresholdRule::count || warnings == nullptr) return;
          std::uint32_t max_degree = 0;
          for (graph::Vertex v = 0; v < g.num_nodes(); ++v) {
            max_degree = std::max(max_degree, g.in_degree(v));
          }
          if (p.k > max_degree) {
            warnings->push_back(
                fmt::format("{}: warning: dynamics.k_threshold.k ({}) is larger than any degree in "
                            "the graph ({}): nobody but the seeds can adopt",
                            config.place("dynamics.k_threshold.k"), p.k, max_degree));
          }
        }
        if constexpr (std::is_same_v<Params, dynamics::CampaignParams>) {
          const std::uint32_t last_community = std::max(g.num_communities(), 1u) - 1;
          for (std::size_t b = 0; b < p.brands.size(); ++b) {
            const auto& brand = p.brands[b];
            const auto path = fmt::format("dynamics.campaign.brands[{}]", b);
            at_most(path + ".seeding.count", brand.advocates, g.num_nodes(), "nodes");
            if (brand.target_community >= 0) {
              at_most(path + ".target_community", std::uint64_t(brand.target_community),
                      last_community, "last community");
            }
            for (std::size_t k = 0; k < brand.fit.size(); ++k) {
              at_most(fmt::format("{}.fit[{}].community", path, k), brand.fit[k].first,
                      last_community, "last community");
            }
          }
        }
      },
      config.dynamics);
}

}  // namespace buzz::scenario
