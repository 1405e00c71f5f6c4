#include "sim/graph/binary.hpp"

#include <fmt/format.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

#include "sim/common/input_error.hpp"

namespace buzz::graph {

namespace {

static_assert(std::endian::native == std::endian::little, "buzzgraph files are little-endian");

constexpr char kMagic[8] = {'B', 'U', 'Z', 'Z', 'G', 'R', 'F', '1'};
constexpr std::uint32_t kVersion = 1;

// FNV-1a, 64-bit: enough to tell a damaged file from a whole one.
struct Hash {
  std::uint64_t value = 0xcbf29ce484222325ull;
  void add(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) value = (value ^ p[i]) * 0x100000001b3ull;
  }
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <class T>
  void put(const T* data, std::size_t count) {
    const auto bytes = count * sizeof(T);
    hash_.add(data, bytes);
    out_.append(reinterpret_cast<const char*>(data), bytes);
  }
  template <class T>
  void put(T value) {
    put(&value, 1);
  }
  std::uint64_t hash() const { return hash_.value; }

 private:
  std::string& out_;
  Hash hash_;
};

// Reads the file straight into its arrays, hashing as it goes.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : path_(path), in_(path, std::ios::binary) {}
  template <class T>
  void get(T* data, std::size_t count) {
    const auto size = static_cast<std::streamsize>(count * sizeof(T));
    in_.read(reinterpret_cast<char*>(data), size);
    if (in_.gcount() != size) fail("is cut short");
    hash_.add(data, static_cast<std::size_t>(size));
  }
  template <class T>
  T get() {
    T value{};
    get(&value, 1);
    return value;
  }
  std::uint64_t hash() const { return hash_.value; }
  [[noreturn]] void fail(std::string_view why) const {
    throw InputError(
        fmt::format("{}: must be a buzzgraph file written by `buzzsim graph`, got "
                    "one that {}",
                    path_.string(), why));
  }

 private:
  const std::filesystem::path& path_;
  std::ifstream in_;
  Hash hash_;
};

}  // namespace

void write_binary(const Graph& g, const std::filesystem::path& path) {
  std::string out;
  const auto& rows = g.csr().m_forward.m_rowstart;
  const auto& cols = g.csr().m_forward.m_column;
  out.reserve(40 + rows.size() * 4 + cols.size() * 4 + std::size_t{g.num_nodes()} * 4 + 8);
  Writer w(out);
  w.put(kMagic, sizeof kMagic);
  w.put(kVersion);
  w.put(std::uint32_t{g.directed() ? 1u : 0u});
  w.put(std::uint64_t{g.num_nodes()});
  w.put(std::uint64_t{cols.size()});
  w.put(rows.data(), rows.size());
  w.put(cols.data(), cols.size());
  w.put(g.communities().data(), g.communities().size());
  const std::uint64_t hash = w.hash();
  out.append(reinterpret_cast<const char*>(&hash), sizeof hash);
  // Whole or not at all: into a temporary file beside it, then renamed.
  const auto temp = std::filesystem::path(path.string() + ".partial");
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!file.flush()) {
      std::filesystem::remove(temp);
      throw InputError(
          fmt::format("{}: cannot write the graph ({})", path.string(), std::strerror(errno)));
    }
  }
  std::filesystem::rename(temp, path);
}

Topology read_binary(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw InputError(fmt::format("{}: cannot read the graph: not a file", path.string()));
  }
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  Reader r(path);
  char magic[8];
  r.get(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) r.fail("does not start with BUZZGRF1");
  if (const auto version = r.get<std::uint32_t>(); version != kVersion) {
    r.fail(fmt::format("has version {} (this buzzsim reads {})", version, kVersion));
  }
  const bool directed = (r.get<std::uint32_t>() & 1u) != 0;
  const auto nodes = r.get<std::uint64_t>(), arcs = r.get<std::uint64_t>();
  if (nodes == 0 || nodes > std::numeric_limits<Vertex>::max() - 1) {
    r.fail(fmt::format("declares {} nodes", nodes));
  }
  if (arcs > std::numeric_limits<EdgeIndex>::max()) r.fail(fmt::format("declares {} arcs", arcs));
  // The size the header promises, checked before anything is allocated for it.
  const std::uint64_t expected = 32 + 4 * (nodes + 1) + 4 * arcs + 4 * nodes + 8;
  if (file_size < expected) r.fail("is cut short");
  if (file_size > expected) r.fail("has bytes after its end");
  Csr csr(static_cast<Vertex>(nodes));
  auto& rows = csr.m_forward.m_rowstart;
  auto& cols = csr.m_forward.m_column;
  rows.resize(nodes + 1);
  r.get(rows.data(), rows.size());
  if (rows.front() != 0 || rows.back() != arcs) r.fail("has row starts that do not span its arcs");
  for (std::size_t v = 0; v < nodes; ++v) {
    if (rows[v] > rows[v + 1]) r.fail(fmt::format("has row starts out of order at node {}", v));
  }
  cols.resize(arcs);
  r.get(cols.data(), cols.size());
  for (const auto c : cols) {
    if (c >= nodes) r.fail(fmt::format("has a tie to node {} of {}", c, nodes));
  }
  std::vector<std::uint32_t> community(nodes);
  r.get(community.data(), community.size());
  const std::uint64_t hash = r.hash();
  if (r.get<std::uint64_t>() != hash) r.fail("fails its hash (damaged?)");
  return {std::move(csr), directed, std::move(community)};
}

}  // namespace buzz::graph
