#pragma once

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/graph/graph.hpp"

namespace buzz::testing {

namespace fs = std::filesystem;

// Runs f on exactly n TBB threads, also where the machine has fewer cores: the arena has
// n slots and the global limit lets n - 1 workers join it. Determinism tests compare
// with_threads(1, ...) against with_threads(2, ...), never against the default, which is
// 1 on a one-core runner.
template <class F>
auto with_threads(int n, F&& f) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, n);
  tbb::task_arena arena(n);
  return arena.execute(std::forward<F>(f));
}

// A fresh folder under the system temp dir, removed when the test ends.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / fmt::format("buzz-test-{}-{}", ::getpid(), counter++);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Command {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs buzzsim with `args` (shell words), capturing its exit status, stdout and stderr.
inline Command buzzsim(const std::string& args, const TempDir& scratch) {
  const auto out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string line =
      fmt::format("{} {} >{} 2>{}", BUZZSIM_EXE, args, out.string(), err.string());
  const int raw = std::system(line.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(out), read_text(err)};
}

// An undirected graph with the given ties, one community, one session a day each.
inline graph::Graph graph_from_ties(
    graph::Vertex nodes, const std::vector<std::pair<graph::Vertex, graph::Vertex>>& ties) {
  std::vector<std::uint64_t> arcs;
  for (auto [u, v] : ties) arcs.push_back(graph::pack_arc(u, v));
  return graph::Graph(graph::csr_from_arcs(nodes, arcs, true), false,
                      std::vector<std::uint32_t>(nodes, 0), std::vector<float>(nodes, 1.0f));
}

inline fs::path source_dir() { return BUZZ_SOURCE_DIR; }

}  // namespace buzz::testing
