// A deliberate data race between two oneTBB tasks: scripts/tsan.sh builds and runs it first
// and requires ThreadSanitizer to report it, so a clean run of the tests means no race was
// seen, not that the sanitizer was blind.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_invoke.h>

#include <atomic>
#include <chrono>
#include <cstdio>

int main() {
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  long shared = 0;
  // Each task waits (up to a second) until both have started, so that they run at once on
  // two threads. Relaxed atomics order nothing, so the writes below stay unsynchronised.
  std::atomic<int> started{0};
  const auto task = [&] {
    started.fetch_add(1, std::memory_order_relaxed);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (started.load(std::memory_order_relaxed) < 2 && std::chrono::steady_clock::now() < until) {
    }
    ++shared;
  };
  tbb::parallel_invoke(task, task);
  std::printf("%ld\n", shared);
  return 0;
}
