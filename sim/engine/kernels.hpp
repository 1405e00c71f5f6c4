#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace buzz::engine {

// Agent state as two buffers: kernels read current() (tick t - 1) and write next()
// (tick t), each agent writing only its own slot, so no agent sees another's half-updated
// state whatever the thread count. commit() swaps them; a kernel must therefore write
// every agent's next slot each tick.
template <typename T>
class DoubleBuffer {
 public:
  explicit DoubleBuffer(std::size_t n, T initial = T{}) : current_(n, initial), next_(n, initial) {}

  const std::vector<T>& current() const { return current_; }
  std::vector<T>& current_for_start() { return current_; }  // only before the first tick
  std::vector<T>& next() { return next_; }
  void commit() { current_.swap(next_); }
  std::size_t size() const { return current_.size(); }

 private:
  std::vector<T> current_;
  std::vector<T> next_;
};

// Agents per task: large enough to amortise scheduling, small enough to balance the
// uneven cost of high-degree agents.
inline constexpr std::uint32_t kAgentGrain = 1024;

// Calls fn(agent) for every agent in [0, n), in parallel.
template <typename Fn>
void for_each_agent(std::uint32_t n, Fn&& fn) {
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, kAgentGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& r) {
                      for (std::uint32_t v = r.begin(); v != r.end(); ++v) fn(v);
                    });
}

// Number of agents in [0, n) for which pred(agent) holds. Integer sums are exact, so the
// count is the same for any split over threads.
template <typename Pred>
std::uint64_t count_agents(std::uint32_t n, Pred&& pred) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::uint32_t>(0, n, kAgentGrain), std::uint64_t{0},
      [&](const tbb::blocked_range<std::uint32_t>& r, std::uint64_t sum) {
        for (std::uint32_t v = r.begin(); v != r.end(); ++v) sum += pred(v) ? 1 : 0;
        return sum;
      },
      std::plus<>());
}

}  // namespace buzz::engine
