#include "sim/batch/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace buzz::batch {

bool Progress::wanted() { return ::isatty(STDERR_FILENO) && std::getenv("CI") == nullptr; }

Progress::Progress(std::uint64_t total)
    : total_(total),
      enabled_(wanted()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::uint64_t runs) {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  done_ += runs;
  draw(done_ == total_);
}

void Progress::draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? done_ / seconds : 0;
  const int width = 30;
  const int filled = total_ ? int(width * done_ / total_) : width;
  const std::string left = rate > 0 && done_ < total_
                               ? fmt::format(", about {:.0f} s left", (total_ - done_) / rate)
                               : "";
  fmt::print(stderr, "\r[{}{}] {}/{} runs, {:.2g} runs/s{}   ", std::string(filled, '#'),
             std::string(width - filled, '.'), done_, total_, rate, left);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::finish() {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  if (shown_) fmt::print(stderr, "\r{}\r", std::string(100, ' '));
  shown_ = false;
}

}  // namespace buzz::batch
