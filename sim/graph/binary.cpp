#include "sim/graph/binary.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <span>

#include "sim/common/input_error.hpp"
#include "sim/graph/edge_list.hpp"

namespace buzz::graph {

namespace {

static_assert(std::endian::native == std::endian::little, "buzzgraph files are little-endian");

constexpr char kMagic[8] = {'B', 'U', 'Z', 'Z', 'G', 'R', 'F', '1'};
// Version 2: XXH3-64 (version 1 hashed with FNV-1a a byte at a time, several times slower
// than reading the file).
constexpr std::uint32_t kVersion = 2;

// XXH3, 64-bit, fed as the file is written: enough to tell a damaged file from a whole one.
class Hash {
 public:
  Hash() : state_(XXH3_createState(), XXH3_freeState) {
    if (!state_ || XXH3_64bits_reset(state_.get()) != XXH_OK) throw std::bad_alloc();
  }
  void add(const void* data, std::size_t size) { XXH3_64bits_update(state_.get(), data, size); }
  std::uint64_t value() const { return XXH3_64bits_digest(state_.get()); }

 private:
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state_;
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
  std::uint64_t hash() const { return hash_.value(); }

 private:
  std::string& out_;
  Hash hash_;
};

// The file mapped read-only: its pages are the page cache's, shared by every process that
// maps it. `buzzsim graph` replaces a file by renaming a new one over it, so a mapping
// keeps the old contents whole.
class Mapping {
 public:
  explicit Mapping(const std::filesystem::path& path) {
    require_regular_file(path);
    // Non-blocking, in case a FIFO took the file's place since the check.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail_io(path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      fail_io(path);
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      // Populated at once: every byte is checked, and one fault per page costs more.
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        fail_io(path);
      }
      data_ = static_cast<const unsigned char*>(p);
    }
    ::close(fd);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  [[noreturn]] static void fail_io(const std::filesystem::path& path) {
    throw InputError(
        fmt::format("{}: cannot read the graph ({})", path.string(), std::strerror(errno)));
  }
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

template <class T>
std::span<const T> array_at(const Mapping& m, std::uint64_t offset, std::uint64_t count) {
  // Offsets are multiples of 4 from a page boundary, so the arrays are aligned.
  return {reinterpret_cast<const T*>(m.data() + offset), static_cast<std::size_t>(count)};
}

template <class T>
T value_at(const Mapping& m, std::uint64_t offset) {
  T value;
  std::memcpy(&value, m.data() + offset, sizeof value);
  return value;
}

}  // namespace

void write_binary(const Graph& g, const std::filesystem::path& path) {
  std::string out;
  const auto rows = g.out_rows();
  const auto cols = g.out_targets();
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

GraphArrays map_binary(const std::filesystem::path& path) {
  auto mapping = std::make_shared<const Mapping>(path);
  const Mapping& m = *mapping;
  const auto fail = [&](std::string_view why) {
    throw InputError(
        fmt::format("{}: must be a buzzgraph file written by `buzzsim graph`, got one that {}",
                    path.string(), why));
  };
  constexpr std::uint64_t kHeader = 32;
  if (m.size() < sizeof kMagic || std::memcmp(m.data(), kMagic, sizeof kMagic) != 0) {
    fail("does not start with BUZZGRF1");
  }
  if (m.size() < kHeader + 8) fail("is cut short");
  if (const auto version = value_at<std::uint32_t>(m, 8); version != kVersion) {
    fail(fmt::format("has version {} (this buzzsim reads {}: write it again with `buzzsim graph`)",
                     version, kVersion));
  }
  const bool directed = (value_at<std::uint32_t>(m, 12) & 1u) != 0;
  const auto nodes = value_at<std::uint64_t>(m, 16), arcs = value_at<std::uint64_t>(m, 24);
  if (nodes == 0 || nodes > std::numeric_limits<Vertex>::max() - 1) {
    fail(fmt::format("declares {} nodes", nodes));
  }
  if (arcs > std::numeric_limits<EdgeIndex>::max()) fail(fmt::format("declares {} arcs", arcs));
  const std::uint64_t expected = kHeader + 4 * (nodes + 1) + 4 * arcs + 4 * nodes + 8;
  if (m.size() < expected) fail("is cut short");
  if (m.size() > expected) fail("has bytes after its end");

  const auto rows = array_at<EdgeIndex>(m, kHeader, nodes + 1);
  const auto targets = array_at<Vertex>(m, kHeader + 4 * (nodes + 1), arcs);
  const auto community = array_at<std::uint32_t>(m, kHeader + 4 * (nodes + 1 + arcs), nodes);
  if (rows.front() != 0 || rows.back() != arcs) fail("has row starts that do not span its arcs");
  for (std::size_t v = 0; v < nodes; ++v) {
    if (rows[v] > rows[v + 1]) fail(fmt::format("has row starts out of order at node {}", v));
  }
  Vertex largest = 0;  // a plain maximum first: it vectorises
  for (const auto t : targets) largest = std::max(largest, t);
  if (largest >= nodes) {
    const auto bad =
        *std::find_if(targets.begin(), targets.end(), [&](Vertex t) { return t >= nodes; });
    fail(fmt::format("has a tie to node {} of {}", bad, nodes));
  }
  if (value_at<std::uint64_t>(m, m.size() - 8) != XXH3_64bits(m.data(), m.size() - 8)) {
    fail("fails its hash (damaged?)");
  }
  return {rows, targets, community, directed, std::move(mapping)};
}

Topology read_binary(const std::filesystem::path& path) {
  const GraphArrays a = map_binary(path);
  Csr csr(static_cast<Vertex>(a.community.size()));
  csr.m_forward.m_rowstart.assign(a.rows.begin(), a.rows.end());
  csr.m_forward.m_column.assign(a.targets.begin(), a.targets.end());
  return {std::move(csr), a.directed, {a.community.begin(), a.community.end()}, {}};
}

}  // namespace buzz::graph
