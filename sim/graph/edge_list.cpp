#include "sim/graph/edge_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

#include "sim/common/input_error.hpp"

namespace buzz::graph {

namespace {

std::string read_file(const std::filesystem::path& path) {
  // Regular files only (a folder, /dev/zero or a pipe would read as nothing or never end),
  // and no larger than an edge list buzzsim can hold.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status)) {
    throw InputError(fmt::format("{}: is a folder, not a file", path.string()));
  }
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw InputError(fmt::format(
        "{}: is not a regular file (a device, pipe or socket); graphs are read from files",
        path.string()));
  }
  if (!ec && std::filesystem::exists(status)) {
    const auto bytes = std::filesystem::file_size(path, ec);
    if (!ec && bytes > kMaxEdgeListBytes) {
      throw InputError(fmt::format("{}: {} bytes, more than the {} an edge list may have",
                                   path.string(), bytes, kMaxEdgeListBytes));
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(fmt::format("{}: cannot open file ({})", path.string(), std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Walks a text file of whitespace-separated integer columns, line by line.
class ColumnReader {
 public:
  ColumnReader(std::filesystem::path path, std::string_view what)
      : path_(std::move(path)), what_(what), text_(read_file(path_)) {}

  // Calls on_comment(line_text) for each `#` line and on_row(a, b) for each data line.
  template <typename OnComment, typename OnRow>
  void each_line(OnComment on_comment, OnRow on_row) {
    std::string_view rest = text_;
    while (!rest.empty()) {
      ++line_;
      const auto end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      const auto start = line.find_first_not_of(" \t\r");
      if (start == std::string_view::npos) continue;
      line.remove_prefix(start);
      if (line.front() == '#') {
        on_comment(line);
        continue;
      }
      const std::uint64_t a = column(line, 1);
      const std::uint64_t b = column(line, 2);
      on_row(a, b);
    }
  }

  [[noreturn]] void fail(std::string_view message) const {
    throw InputError(fmt::format("{}:{}: {}", path_.string(), line_, message));
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  // Parses the next column off the front of `line`.
  std::uint64_t column(std::string_view& line, int index) const {
    const auto start = line.find_first_not_of(" \t\r,");
    if (start == std::string_view::npos) {
      fail(fmt::format("missing column {}: expected {}, found {} column{}", index, what_, index - 1,
                       index == 2 ? "" : "s"));
    }
    line.remove_prefix(start);
    const auto len = std::min(line.find_first_of(" \t\r,"), line.size());
    const std::string_view token = line.substr(0, len);
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || ptr != token.data() + token.size() ||
        value > std::numeric_limits<Vertex>::max() - 1) {
      // What the file probably is, when it is not an edge list at all.
      const bool markup = !token.empty() && token.front() == '<';
      const bool header = !markup && line_ == 1 && !token.empty() &&
                          std::isalpha(static_cast<unsigned char>(token.front()));
      fail(fmt::format("column {}: '{}' is not a node id (an integer from 0 to {}){}", index, token,
                       std::numeric_limits<Vertex>::max() - 1,
                       markup   ? "; this looks like XML (GraphML?): buzzsim reads edge lists, a "
                                  "pair of node ids 'u v' (or 'u,v') per line, '#' starting a comment"
                       : header ? "; a header line? start it with '#' to make it a comment"
                                : ""));
    }
    line.remove_prefix(len);
    return value;
  }

  std::filesystem::path path_;
  std::string_view what_;
  std::string text_;
  std::uint64_t line_ = 0;
};

// The N of a SNAP header comment "# Nodes: N Edges: M", if this is one.
std::optional<std::uint64_t> declared_nodes(std::string_view comment) {
  const auto at = comment.find("Nodes:");
  if (at == std::string_view::npos) return std::nullopt;
  comment.remove_prefix(at + 6);
  comment.remove_prefix(std::min(comment.find_first_not_of(" \t"), comment.size()));
  std::uint64_t n = 0;
  const auto [ptr, ec] = std::from_chars(comment.data(), comment.data() + comment.size(), n);
  if (ec != std::errc()) return std::nullopt;
  return n;
}

}  // namespace

Topology read_edge_list(const EdgeListSpec& spec) {
  ColumnReader edges(spec.path, "two node ids \"source target\"");
  constexpr std::uint64_t kUndeclared = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t declared = spec.nodes ? std::uint64_t{*spec.nodes} : kUndeclared;
  const bool from_spec = spec.nodes.has_value();
  std::vector<std::uint64_t> arcs;
  std::uint64_t largest = 0;
  edges.each_line(
      [&](std::string_view comment) {
        if (!from_spec && arcs.empty()) {
          if (auto n = declared_nodes(comment)) declared = *n;
        }
      },
      [&](std::uint64_t u, std::uint64_t v) {
        for (std::uint64_t id : {u, v}) {
          if (id >= kMaxEdgeListNodes) {
            edges.fail(
                fmt::format("node id {} is beyond the {} nodes buzzsim reads from an edge "
                            "list",
                            id, kMaxEdgeListNodes));
          }
          if (id >= declared) {
            edges.fail(fmt::format(
                "node id {} is beyond the declared node count {} ({}); ids "
                "run from 0 to {}",
                id, declared, from_spec ? "edge_list.nodes" : "'# Nodes:' header", declared - 1));
          }
        }
        largest = std::max({largest, u, v});
        arcs.push_back(pack_arc(static_cast<Vertex>(u), static_cast<Vertex>(v)));
      });
  if (arcs.empty()) {
    throw InputError(fmt::format(
        "{}: no edges: the file is empty or holds only comments; expected lines \"source target\"",
        spec.path.string()));
  }
  const std::uint64_t nodes = declared != kUndeclared ? declared : largest + 1;
  if (nodes > kMaxEdgeListNodes) {
    throw InputError(fmt::format(
        "{}: {} nodes ({}), more than the {} buzzsim reads from an edge list", spec.path.string(),
        nodes, declared != kUndeclared ? "declared" : "the largest id plus one",
        kMaxEdgeListNodes));
  }
  const auto n = static_cast<Vertex>(nodes);

  std::vector<std::uint32_t> community(n, 0);
  if (spec.community_path) {
    ColumnReader labels(*spec.community_path, "\"node community\"");
    std::vector<std::uint64_t> raw(n, std::numeric_limits<std::uint64_t>::max());
    labels.each_line(
        [](std::string_view) {},
        [&](std::uint64_t v, std::uint64_t c) {
          if (v >= n) {
            labels.fail(fmt::format("node id {} is beyond the graph's {} nodes", v, n));
          }
          raw[v] = c;
        });
    // Dense labels in the order of the file's community ids; unlisted nodes last.
    std::map<std::uint64_t, std::uint32_t> dense;
    for (auto c : raw) dense.emplace(c, 0);
    std::uint32_t next = 0;
    for (auto& [id, label] : dense) label = next++;
    for (Vertex v = 0; v < n; ++v) community[v] = dense[raw[v]];
  }
  return {csr_from_arcs(n, std::move(arcs), !spec.directed), spec.directed, std::move(community)};
}

}  // namespace buzz::graph
