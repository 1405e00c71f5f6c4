// A deliberate data race between oneTBB tasks: scripts/tsan.sh builds and runs it first and
// requires ThreadSanitizer to report it, so a clean run of the tests means no race was
// seen, not that the sanitizer was blind.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <cstdio>

int main() {
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  long shared = 0;
  tbb::parallel_for(0, 1 << 16, [&](int) { ++shared; });  // unsynchronised writes
  std::printf("%ld\n", shared);
  return 0;
}
