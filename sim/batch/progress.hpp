#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace buzz::batch {

// A progress bar on stderr: runs done, rate and time left. Silent unless stderr is a
// terminal and CI is unset, so piped and CI output stays clean. Thread-safe.
class Progress {
 public:
  explicit Progress(std::uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t runs = 1);
  // Clears the bar, e.g. before printing results.
  void finish();

  static bool wanted();

 private:
  void draw(bool force);

  std::mutex mutex_;
  std::uint64_t total_, done_ = 0;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace buzz::batch
