#include "sim/graph/edge_list.hpp"

#include <fmt/format.h>

#include <regex>

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "sim/common/input_error.hpp"
#include "sim/graph/binary.hpp"

namespace buzz::graph {

namespace {

std::string read_file(const std::filesystem::path& path) {
  // Regular files only, and no larger than an edge list buzzsim can hold.
  require_regular_file(path);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
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

// Named nodes: the names in id order, and each name's id.
struct NameIndex {
  std::deque<std::string> names;  // a deque, so that the index's views stay valid
  std::unordered_map<std::string_view, std::uint64_t> ids;
};

// The first word of a line, without quotes.
std::string_view first_token(std::string_view line) {
  if (!line.empty() && line.front() == '"') {
    line.remove_prefix(1);
    return line.substr(0, line.find('"'));
  }
  return line.substr(0, std::min(line.find_first_of(" \t\r,"), line.size()));
}

// A header's usual first word ("source,target", "from to", "Node1 Node2", "node,community").
bool header_word(std::string_view word) {
  std::string w(word);
  for (char& c : w) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* h : {"source", "src", "from", "node1", "node_1", "u", "id1", "head", "sender",
                        "tail", "start", "node", "id", "name", "vertex"}) {
    if (w == h) return true;
  }
  return false;
}

// A word that names a node rather than numbering it: it has a letter or an underscore
// (so "12", "-1" and "1.5" are not, and read as ids, or fail as ids), and is not markup.
bool is_name(std::string_view word) {
  if (word.empty() || word.front() == '<') return false;
  return std::any_of(word.begin(), word.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Whether an edge list names its nodes ("alice bob") instead of numbering them ("0 1"),
// from its first two data lines: a first line of words over a line of numbers is a
// header ("source target"); otherwise a first line of words is named nodes.
bool names_nodes(std::string_view text) {
  std::vector<std::string_view> firsts;
  while (!text.empty() && firsts.size() < 2) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos || line[start] == '#') continue;
    firsts.push_back(first_token(line.substr(start)));
  }
  if (firsts.empty() || !is_name(firsts[0])) return false;
  return firsts.size() == 1 || is_name(firsts[1]);
}

// Walks a text file of whitespace-separated integer columns, line by line.
class ColumnReader {
 public:
  ColumnReader(std::filesystem::path path, std::string_view what,
               std::string_view value = "node id")
      : path_(std::move(path)), what_(what), value_(value), text_(read_file(path_)) {}

  // Node names instead of integer ids: each new name in the node columns gets the next
  // id, into `names` (with `add`), or must already be there (without).
  void name_nodes(NameIndex& names, bool add) {
    names_ = &names;
    add_names_ = add;
  }

  // Calls on_comment(line_text) for each `#` line and on_row(a, b) for each data line
  // (b: the second column as an integer, or its text when on_row takes a string_view;
  // empty when second_optional and the line has one column). A first data line that
  // starts with a letter is a header ("source,target") and is skipped; with named nodes,
  // only one whose first word is a usual header word (header_word).
  template <typename OnComment, typename OnRow>
  void each_line(OnComment on_comment, OnRow on_row, bool second_optional = false) {
    std::string_view rest = text_;
    bool first = true;
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
      if (std::exchange(first, false) &&
          (names_
               ? header_word(first_token(line))
               : std::isalpha(static_cast<unsigned char>(line.front())) || line.front() == '"')) {
        continue;  // a header line
      }
      const std::uint64_t a = column(line, 1);
      if constexpr (std::is_invocable_v<OnRow, std::uint64_t, std::string_view>) {
        const bool more = line.find_first_not_of(" \t\r,") != std::string_view::npos;
        on_row(a, second_optional && !more ? std::string_view{} : text(line, 2));
      } else {
        const std::uint64_t b = column(line, 2);
        if (refuse_more_) refuse_more_columns(line);
        on_row(a, b);
      }
    }
  }

  [[noreturn]] void fail(std::string_view message) const {
    throw InputError(fmt::format("{}:{}: {}", path_.string(), line_, message));
  }
  // Lines with more than two columns are refused: a weight (or a timestamp) there would
  // otherwise be dropped without a word.
  void refuse_more_columns() { refuse_more_ = true; }
  const std::filesystem::path& path() const { return path_; }
  std::string_view text() const { return text_; }

 private:
  void refuse_more_columns(std::string_view rest) const {
    const auto at = rest.find_first_not_of(" \t\r,");
    if (at == std::string_view::npos || rest[at] == '#') return;  // a comment after the tie
    const std::string_view extra = rest.substr(at, rest.find_first_of(" \t\r,", at) - at);
    fail(
        fmt::format("column 3 ('{}'): buzzsim's ties are unweighted, so an edge weight (or "
                    "any third column) would be ignored; remove the column, or drop the "
                    "ties whose weight should be 0",
                    extra));
  }
  bool refuse_more_ = false;

  // Drops the separators before column `index`; fails when the line has no such column.
  void to_column(std::string_view& line, int index) const {
    const auto start = line.find_first_not_of(" \t\r,");
    if (start == std::string_view::npos) {
      fail(fmt::format("missing column {}: expected {}, found {} column{}", index, what_, index - 1,
                       index == 2 ? "" : "s"));
    }
    line.remove_prefix(start);
  }

  // Parses the next column off the front of `line`.
  std::uint64_t column(std::string_view& line, int index) const {
    if (names_) return named(text(line, index));
    to_column(line, index);
    const auto len = std::min(line.find_first_of(" \t\r,"), line.size());
    const std::string_view token = line.substr(0, len);
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || ptr != token.data() + token.size() ||
        value > std::numeric_limits<Vertex>::max() - 1) {
      // What the file probably is, when it is not an edge list at all.
      const bool markup = !token.empty() && token.front() == '<';
      fail(fmt::format("column {}: '{}' is not a {} (an integer from 0 to {}){}", index, token,
                       value_, std::numeric_limits<Vertex>::max() - 1,
                       is_name(token) && value_ == "node id"
                           ? "; the file's first line numbers its nodes, so every line must "
                             "(a file names its nodes when its first line does)"
                       : markup
                           ? "; this looks like XML: for GraphML write graph { graphml { path: "
                             "... } } (edge lists hold a pair of node ids 'u v' or 'u,v' per "
                             "line; GML files are read with graph { gml { ... } })"
                           : ""));
    }
    line.remove_prefix(len);
    return value;
  }

  // The next column's text (a community label: any text without spaces, tabs or commas,
  // or quoted).
  std::string_view text(std::string_view& line, int index) const {
    to_column(line, index);
    if (line.front() == '"') {
      const auto close = line.find('"', 1);
      if (close == std::string_view::npos)
        fail(fmt::format("column {}: a quote is not closed", index));
      const auto token = line.substr(1, close - 1);
      line.remove_prefix(close + 1);
      return token;
    }
    const auto len = std::min(line.find_first_of(" \t\r,"), line.size());
    const auto token = line.substr(0, len);
    line.remove_prefix(len);
    return token;
  }

  std::uint64_t named(std::string_view name) const {
    if (name.empty()) fail("an empty node name (\"\")");
    const auto it = names_->ids.find(name);
    if (it != names_->ids.end()) return it->second;
    if (!add_names_) {
      fail(fmt::format("node '{}' is not in the edge list, whose nodes are named", name));
    }
    if (names_->names.size() >= kMaxEdgeListNodes) {
      fail(
          fmt::format("more than the {} nodes buzzsim reads from an edge list", kMaxEdgeListNodes));
    }
    names_->names.emplace_back(name);
    names_->ids.emplace(names_->names.back(), names_->names.size() - 1);
    return names_->names.size() - 1;
  }

  std::filesystem::path path_;
  std::string_view what_, value_;
  std::string text_;
  std::uint64_t line_ = 0;
  NameIndex* names_ = nullptr;
  bool add_names_ = false;
};

// Community labels as dense ids: numeric labels in numeric order, others in text order,
// and nodes without one last, together.
std::vector<std::uint32_t> dense_labels(const std::vector<std::optional<std::string>>& raw) {
  const auto numeric = [](const std::string& t) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && ptr == t.data() + t.size() ? std::optional(v) : std::nullopt;
  };
  bool all_numeric = true;
  for (const auto& r : raw) all_numeric = all_numeric && (!r || numeric(*r));
  // (numeric value or 0, text): sorts numbers by value, text by text.
  std::map<std::pair<std::int64_t, std::string>, std::uint32_t> dense;
  const auto key = [&](const std::string& t) {
    return all_numeric ? std::pair(*numeric(t), std::string()) : std::pair(std::int64_t{0}, t);
  };
  for (const auto& r : raw) {
    if (r) dense.emplace(key(*r), 0);
  }
  std::uint32_t next = 0;
  for (auto& [k, label] : dense) label = next++;
  std::vector<std::uint32_t> out(raw.size());
  for (std::size_t v = 0; v < raw.size(); ++v) out[v] = raw[v] ? dense[key(*raw[v])] : next;
  return out;
}

// The node attributes a GraphML file declares (<key for="node" attr.name="...">).
std::set<std::string> node_attributes_graphml(const std::string& text) {
  std::set<std::string> out;
  for (auto at = text.find("<key"); at != std::string::npos; at = text.find("<key", at + 4)) {
    const auto end = text.find('>', at);
    const std::string tag =
        text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (tag.find("for=\"node\"") == std::string::npos &&
        tag.find("for='node'") == std::string::npos)
      continue;
    for (const char* quote : {"attr.name=\"", "attr.name='"}) {
      const auto name = tag.find(quote);
      if (name == std::string::npos) continue;
      const auto from = name + std::strlen(quote);
      out.insert(tag.substr(from, tag.find(quote[std::strlen(quote) - 1], from) - from));
    }
  }
  return out;
}

// Each node's community from its attribute values; a file without the attribute is
// refused with the attributes it has.
std::vector<std::uint32_t> communities_from(const std::vector<std::optional<std::string>>& raw,
                                            const EdgeListSpec& spec,
                                            const std::set<std::string>& attributes) {
  if (spec.community_attribute.empty()) return std::vector<std::uint32_t>(raw.size(), 0);
  if (!attributes.count(spec.community_attribute)) {
    std::string have;
    for (const auto& a : attributes) have += (have.empty() ? "" : ", ") + a;
    throw InputError(fmt::format(
        "{}: community_attribute must be a node attribute of the file ({}), got \"{}\"",
        spec.path.string(), have.empty() ? "it has none" : have, spec.community_attribute));
  }
  return dense_labels(raw);
}

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

// Boost.Graph's read_graphml, from the plugin beside this module (libbuzz_graphml.so).
using ReadGraphml = std::int64_t (*)(const std::string&, bool, const std::string&,
                                     std::vector<std::pair<std::uint64_t, std::uint64_t>>&,
                                     std::vector<std::optional<std::string>>&, std::string&);

ReadGraphml graphml_reader(const std::filesystem::path& file) {
  static const auto loaded = []() -> std::pair<ReadGraphml, std::string> {
    // Beside the executable or library this code is in (bin/ or the Python package).
    Dl_info self{};
    std::filesystem::path dir = ".";
    if (dladdr(reinterpret_cast<void*>(&graphml_reader), &self) != 0 && self.dli_fname) {
      dir = std::filesystem::path(self.dli_fname).parent_path();
    }
    const auto path = dir / "libbuzz_graphml.so";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return {nullptr, dlerror()};
    auto* fn = reinterpret_cast<ReadGraphml>(dlsym(handle, "buzz_read_graphml"));
    if (fn == nullptr) return {nullptr, path.string() + " lacks buzz_read_graphml"};
    return {fn, ""};
  }();
  if (loaded.first == nullptr) {
    throw InputError(fmt::format(
        "{}: GraphML is read by the plugin libbuzz_graphml.so, which cannot be loaded ({}); "
        "rebuild buzzsim with libboost-graph-dev installed",
        file.string(), loaded.second));
  }
  return loaded.first;
}

// GraphML as a directed or an undirected graph as the file declares; the community
// attribute is read as text whatever its declared type.
Topology graphml_as(const std::string& text, const EdgeListSpec& spec, bool directed) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> edges;
  std::vector<std::optional<std::string>> raw;
  std::string error;
  const std::int64_t n =
      graphml_reader(spec.path)(text, directed, spec.community_attribute, edges, raw, error);
  if (n < 0) {
    throw InputError(fmt::format("{}: cannot read GraphML: {}", spec.path.string(), error));
  }
  if (n == 0) {
    throw InputError(fmt::format("{}: no nodes: a graph needs at least one", spec.path.string()));
  }
  if (std::uint64_t(n) > kMaxEdgeListNodes) {
    throw InputError(fmt::format("{}: {} nodes, more than the {} buzzsim reads from a file",
                                 spec.path.string(), n, kMaxEdgeListNodes));
  }
  std::vector<std::uint64_t> arcs;
  arcs.reserve(edges.size());
  for (const auto& [u, v] : edges) {
    arcs.push_back(pack_arc(static_cast<Vertex>(u), static_cast<Vertex>(v)));
  }
  return {csr_from_arcs(static_cast<Vertex>(n), std::move(arcs), !directed),
          directed,
          communities_from(raw, spec, node_attributes_graphml(text)),
          {}};
}

// The text with the community attribute declared as a string, whatever type the file
// gives it: Boost's reader converts values to the declared type, and a label is any text.
std::string community_as_text(std::string text, const std::string& attribute) {
  if (attribute.empty()) return text;
  for (auto at = text.find("<key"); at != std::string::npos; at = text.find("<key", at + 4)) {
    const auto end = text.find('>', at);
    if (end == std::string::npos) break;
    const std::string tag = text.substr(at, end - at);
    if (tag.find("attr.name=\"" + attribute + "\"") == std::string::npos &&
        tag.find("attr.name='" + attribute + "'") == std::string::npos) {
      continue;
    }
    const auto type = tag.find("attr.type=");
    if (type == std::string::npos || type + 11 > tag.size()) continue;
    const char quote = tag[type + 10];
    const auto close = tag.find(quote, type + 11);
    if (close == std::string::npos) continue;
    text.replace(at + type + 11, close - type - 11, "string");
  }
  return text;
}

// An edge attribute named like a weight in a GraphML file: "weight" for <key
// for="edge" attr.name="weight">, or empty.
std::string graphml_edge_weight(const std::string& text) {
  static const std::regex key(R"re(<key\b[^>]*>)re");
  static const std::regex for_edge(R"re(\bfor\s*=\s*["']edge["'])re");
  static const std::regex name(R"re(\battr\.name\s*=\s*["']([^"']*)["'])re");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), key); it != std::sregex_iterator();
       ++it) {
    const std::string tag = it->str();
    std::smatch m;
    if (!std::regex_search(tag, for_edge) || !std::regex_search(tag, m, name)) continue;
    std::string lower = m[1];
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "weight" || lower == "value") return m[1];
  }
  return "";
}

Topology read_graphml_file(const EdgeListSpec& spec) {
  const std::string text = community_as_text(read_file(spec.path), spec.community_attribute);
  if (const std::string weight = graphml_edge_weight(text); !weight.empty()) {
    throw InputError(fmt::format(
        "{}: the edge attribute '{}': buzzsim's ties are unweighted, so edge weights would be "
        "ignored; remove the attribute, or drop the ties whose weight should be 0",
        spec.path.string(), weight));
  }
  // GraphML declares edgedefault on each graph; Boost wants the graph type to agree.
  const bool directed = text.find("edgedefault=\"undirected\"") == std::string::npos &&
                        text.find("edgedefault='undirected'") == std::string::npos;
  return graphml_as(text, spec, directed);
}

// GML (Himsolt's Graph Modelling Language): key-value pairs, a value being a number, a
// "string" or a [list]; '#' comments. Reads graph [ directed, node [ id ... ], edge [
// source target ] ], other keys ignored.
class GmlReader {
 public:
  GmlReader(const std::filesystem::path& path, std::string text)
      : path_(path), text_(std::move(text)) {}

  Topology read(const EdgeListSpec& spec) {
    std::string key;
    bool found = false;
    while (next_key(key)) {
      if (key == "graph") {
        expect('[');
        graph();
        found = true;
      } else {
        skip_value();
      }
    }
    if (!found) fail("no 'graph [ ... ]' block: is this a GML file?");
    if (ids_.empty()) fail("the graph has no nodes");
    std::vector<std::uint64_t> arcs;
    arcs.reserve(edges_.size());
    for (const auto& [u, v, line] : edges_) {
      const auto a = ids_.find(u), b = ids_.find(v);
      if (a == ids_.end() || b == ids_.end()) {
        fail_at(line, fmt::format("edge {} -> {}: node {} is not declared", u, v,
                                  a == ids_.end() ? u : v));
      }
      arcs.push_back(pack_arc(a->second, b->second));
    }
    const auto n = static_cast<Vertex>(ids_.size());
    return {csr_from_arcs(n, std::move(arcs), !directed_),
            directed_,
            communities_from(labels_, spec, attributes_),
            {}};
  }

 private:
  static constexpr int kMaxDepth = 64;  // nesting deeper than any real file: refused

  [[noreturn]] void fail(std::string_view message) const { fail_at(line_, message); }
  [[noreturn]] void fail_at(std::uint64_t line, std::string_view message) const {
    throw InputError(fmt::format("{}:{}: {}", path_.string(), line, message));
  }
  void skip_space() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\n') {
        ++line_;
        ++at_;
      } else if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++at_;
      } else {
        break;
      }
    }
  }
  // The next key, or false at the end of the text (or of a list, at ']', not consumed).
  bool next_key(std::string& key) {
    skip_space();
    if (at_ >= text_.size() || text_[at_] == ']') return false;
    const auto start = at_;
    while (at_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_'))
      ++at_;
    if (at_ == start) fail(fmt::format("expected a key, got '{}'", text_[at_]));
    key.assign(text_, start, at_ - start);
    return true;
  }
  void expect(char c) {
    skip_space();
    if (at_ >= text_.size() || text_[at_] != c) {
      fail(at_ >= text_.size() ? fmt::format("expected '{}', got the end of the file", c)
                               : fmt::format("expected '{}', got '{}'", c, text_[at_]));
    }
    ++at_;
  }
  // A scalar value's text (a string without its quotes); fails on a list.
  std::string scalar() {
    skip_space();
    if (at_ >= text_.size()) fail("expected a value, got the end of the file");
    if (text_[at_] == '[') fail("expected a number or a string, got a list");
    if (text_[at_] == '"') {
      const auto close = text_.find('"', at_ + 1);
      if (close == std::string::npos) fail("a string is not closed");
      std::string value = text_.substr(at_ + 1, close - at_ - 1);
      line_ += std::count(value.begin(), value.end(), '\n');
      at_ = close + 1;
      return value;
    }
    const auto start = at_;
    while (at_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[at_])) &&
           text_[at_] != ']' && text_[at_] != '[')
      ++at_;
    return text_.substr(start, at_ - start);
  }
  void skip_value(int depth = 0) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == '[') {
      if (depth >= kMaxDepth) fail("lists nested too deep");
      ++at_;
      std::string key;
      while (next_key(key)) skip_value(depth + 1);
      expect(']');
    } else {
      scalar();
    }
  }
  std::int64_t integer(std::string_view what) {
    const std::string text = scalar();
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      fail(fmt::format("{} must be an integer, got '{}'", what, text));
    }
    return v;
  }
  void graph() {
    std::string key;
    while (next_key(key)) {
      if (key == "directed") {
        directed_ = integer("directed") != 0;
      } else if (key == "node") {
        expect('[');
        node();
      } else if (key == "edge") {
        expect('[');
        edge();
      } else {
        skip_value();
      }
    }
    expect(']');
  }
  void node() {
    const auto line = line_;
    std::optional<std::int64_t> id;
    std::optional<std::string> label;
    std::string key;
    while (next_key(key)) {
      if (key == "id") {
        id = integer("node id");
      } else if (!community_key_.empty() && key == community_key_) {
        label = scalar();
      } else {
        skip_value();
      }
      attributes_.insert(key);
    }
    expect(']');
    if (!id) fail_at(line, "a node has no id");
    if (ids_.size() >= kMaxEdgeListNodes)
      fail_at(line, "more nodes than buzzsim reads from a file");
    if (!ids_.emplace(*id, static_cast<Vertex>(ids_.size())).second) {
      fail_at(line, fmt::format("node id {} is declared twice", *id));
    }
    labels_.push_back(std::move(label));
  }
  void edge() {
    const auto line = line_;
    std::optional<std::int64_t> source, target;
    std::string key;
    while (next_key(key)) {
      if (key == "source") {
        source = integer("edge source");
      } else if (key == "target") {
        target = integer("edge target");
      } else if (key == "weight" || key == "value") {
        fail_at(line_, fmt::format("an edge's '{}': buzzsim's ties are unweighted, so edge "
                                   "weights would be ignored; remove them, or drop the ties "
                                   "whose weight should be 0",
                                   key));
      } else {
        skip_value();
      }
    }
    expect(']');
    if (!source || !target) fail_at(line, "an edge needs a source and a target");
    edges_.emplace_back(*source, *target, line);
  }

 public:
  std::string community_key_;

 private:
  std::filesystem::path path_;
  std::string text_;
  std::size_t at_ = 0;
  std::uint64_t line_ = 1;
  bool directed_ = false;
  std::map<std::int64_t, Vertex> ids_;
  std::vector<std::optional<std::string>> labels_;
  std::set<std::string> attributes_;
  std::vector<std::tuple<std::int64_t, std::int64_t, std::uint64_t>> edges_;
};

Topology read_gml_file(const EdgeListSpec& spec) {
  GmlReader reader(spec.path, read_file(spec.path));
  reader.community_key_ = spec.community_attribute;
  return reader.read(spec);
}

}  // namespace

void require_regular_file(const std::filesystem::path& path) {
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
}

// A community file's labels, "node community" per line, as dense community numbers.
std::vector<std::uint32_t> read_communities(const std::filesystem::path& path, Vertex n, bool named,
                                            NameIndex& names) {
  ColumnReader labels(path, "\"node community\"");
  if (named) labels.name_nodes(names, false);
  std::vector<std::optional<std::string>> raw(n);
  labels.each_line([](std::string_view) {},
                   [&](std::uint64_t v, std::string_view c) {
                     if (v >= n)
                       labels.fail(fmt::format("node id {} is beyond the graph's {} nodes", v, n));
                     raw[v] = std::string(c);
                   });
  return dense_labels(raw);
}

Topology read_edge_list(const EdgeListSpec& spec) {
  if (spec.format == EdgeListSpec::Format::graphml) return read_graphml_file(spec);
  if (spec.format == EdgeListSpec::Format::gml) return read_gml_file(spec);
  if (spec.format == EdgeListSpec::Format::buzzgraph) return read_binary(spec.path);
  ColumnReader edges(spec.path, "two node ids \"source target\"");
  edges.refuse_more_columns();
  NameIndex names;
  const bool named = names_nodes(edges.text());
  if (named) edges.name_nodes(names, true);
  constexpr std::uint64_t kUndeclared = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t declared = spec.nodes ? std::uint64_t{*spec.nodes} : kUndeclared;
  const bool from_spec = spec.nodes.has_value();
  std::vector<std::uint64_t> arcs;
  std::uint64_t largest = 0;
  edges.each_line(
      [&](std::string_view comment) {
        if (!from_spec && !named && arcs.empty()) {
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
          if (!named && id >= declared) {
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
  if (named && from_spec) {
    throw InputError(
        fmt::format("{}: the edge list names its nodes ('{}' first), so it has as many nodes as "
                    "names ({}); edge_list.nodes counts numbered nodes: remove it",
                    spec.path.string(), names.names.front(), names.names.size()));
  }
  const std::uint64_t nodes = named                     ? names.names.size()
                              : declared != kUndeclared ? declared
                                                        : largest + 1;
  if (nodes > kMaxEdgeListNodes) {
    throw InputError(fmt::format(
        "{}: {} nodes ({}), more than the {} buzzsim reads from an edge list", spec.path.string(),
        nodes, declared != kUndeclared ? "declared" : "the largest id plus one",
        kMaxEdgeListNodes));
  }
  const auto n = static_cast<Vertex>(nodes);

  std::vector<std::uint32_t> community(n, 0);
  if (spec.community_path) community = read_communities(*spec.community_path, n, named, names);
  return {
      csr_from_arcs(n, std::move(arcs), !spec.directed),
      spec.directed,
      std::move(community),
      {std::make_move_iterator(names.names.begin()), std::make_move_iterator(names.names.end())}};
}

std::vector<std::uint32_t> read_degrees(const std::filesystem::path& path) {
  ColumnReader reader(path, "a degree per line, or \"node degree\"", "degree");
  std::vector<std::uint32_t> degrees;
  reader.each_line(
      [](std::string_view) {},
      [&](std::uint64_t first, std::string_view second) {
        std::uint64_t degree = first;
        if (!second.empty()) {  // "node degree": nodes in order
          if (first != degrees.size()) {
            reader.fail(fmt::format("node {} must come after node {}, got node {}", degrees.size(),
                                    degrees.size() - 1, first));
          }
          const auto [ptr, ec] =
              std::from_chars(second.data(), second.data() + second.size(), degree);
          if (ec != std::errc() || ptr != second.data() + second.size()) {
            reader.fail(fmt::format("column 2: '{}' is not a degree (an integer)", second));
          }
        }
        if (degree >= kMaxEdgeListNodes || degrees.size() >= kMaxEdgeListNodes) {
          reader.fail(fmt::format("degree {} is beyond what buzzsim reads", degree));
        }
        degrees.push_back(static_cast<std::uint32_t>(degree));
      },
      true);
  if (degrees.empty()) {
    throw InputError(
        fmt::format("{}: no degrees: the file is empty or holds only comments", path.string()));
  }
  return degrees;
}

}  // namespace buzz::graph
