#include "sim/graph/build.hpp"

#include "sim/common/overload.hpp"
#include "sim/graph/binary.hpp"
#include "sim/graph/edge_list.hpp"
#include "sim/graph/generators.hpp"

namespace buzz::graph {

Graph build(const GraphSpec& spec, const PopulationSpec& population, std::uint64_t seed) {
  if (const auto* file = std::get_if<EdgeListSpec>(&spec);
      file != nullptr && file->format == EdgeListSpec::Format::buzzgraph) {
    GraphArrays arrays = map_binary(file->path);
    const auto n = static_cast<Vertex>(arrays.community.size());
    return Graph(std::move(arrays), sessions_per_day(population, n, seed));
  }
  Topology t =
      std::visit(Overload{
                     [&](const CommunitySpec& s) { return community_graph(s, seed); },
                     [&](const ErdosRenyiSpec& s) { return erdos_renyi(s, seed); },
                     [&](const WattsStrogatzSpec& s) { return watts_strogatz(s, seed); },
                     [&](const BarabasiAlbertSpec& s) { return barabasi_albert(s, seed); },
                     [&](const CompleteSpec& s) { return complete(s); },
                     [&](const EdgeListSpec& s) { return read_edge_list(s); },
                     [&](const RandomRegularSpec& s) { return random_regular(s, seed); },
                     [&](const ConfigurationSpec& s) { return configuration_model(s, seed); },
                 },
                 spec);
  const auto n = static_cast<Vertex>(t.community.size());
  Graph g(std::move(t.csr), t.directed, std::move(t.community),
          sessions_per_day(population, n, seed));
  g.name_nodes(std::move(t.names));
  return g;
}

}  // namespace buzz::graph
