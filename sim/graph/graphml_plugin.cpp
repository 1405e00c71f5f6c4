// libbuzz_graphml: Boost.Graph's read_graphml behind one function, loaded with dlopen only
// when a scenario reads a GraphML file. libboost_graph brings ICU with it (through
// Boost.Regex), about 5 ms of start-up that every other run would pay.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/property_map/property_map.hpp>

#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

template <class Directedness>
std::uint64_t read_as(const std::string& text, const std::string& attribute,
                      std::vector<std::pair<std::uint64_t, std::uint64_t>>& edges,
                      std::vector<std::optional<std::string>>& labels) {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, Directedness>;
  G g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  std::map<typename G::vertex_descriptor, std::string> values;
  boost::associative_property_map<decltype(values)> value_map(values);
  if (!attribute.empty()) dp.property(attribute, value_map);
  std::istringstream in(text);
  boost::read_graphml(in, g, dp);
  const std::uint64_t n = boost::num_vertices(g);
  edges.reserve(boost::num_edges(g));
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    edges.emplace_back(boost::source(e, g), boost::target(e, g));
  }
  labels.assign(n, std::nullopt);
  for (auto& [v, value] : values) labels[v] = value;
  return n;
}

}  // namespace

// Reads `text` as a directed or undirected graph; returns the node count, or -1 with
// `error` set when Boost refuses the file.
extern "C" std::int64_t buzz_read_graphml(
    const std::string& text, bool directed, const std::string& attribute,
    std::vector<std::pair<std::uint64_t, std::uint64_t>>& edges,
    std::vector<std::optional<std::string>>& labels, std::string& error) {
  try {
    return static_cast<std::int64_t>(
        directed ? read_as<boost::directedS>(text, attribute, edges, labels)
                 : read_as<boost::undirectedS>(text, attribute, edges, labels));
  } catch (const std::exception& e) {
    error = e.what();
    return -1;
  }
}
