#pragma once

#include <algorithm>

namespace buzz::viz {

// Frames first: how many ticks the run may take per frame drawn, so that the frame rate
// holds when the run and the drawing share too few cores (2 cores, a software renderer).
// The budget shrinks by a third when frames take more than 85% of the target (a margin
// for the machine's noise) and grows by a tenth when they take under 70%; the smoothed
// frame time keeps one slow frame from cutting the run. A budget under one tick lets the
// run tick every few frames. The run never drops below a day a second (24 ticks a second,
// the viewer's default speed), and a run at that speed or slower is paced by the clock
// alone: where drawing alone is too slow for the target (a million agents), frames first
// would only starve the run without saving the frame rate. It starts at a tick a frame.
class TickBudget {
 public:
  static constexpr double kUnlimited = 65536;
  static constexpr double kFloorTicksPerSecond = 24;

  explicit TickBudget(double target_ms = 1000.0 / 60) : target_ms_(target_ms) {}

  // After a frame of `ms` milliseconds (start to start), the ticks allowed per frame.
  double after_frame(double ms) {
    smoothed_ms_ = smoothed_ms_ == 0 ? ms : 0.8 * smoothed_ms_ + 0.2 * ms;
    const double floor = kFloorTicksPerSecond * smoothed_ms_ / 1000;
    if (smoothed_ms_ > 0.85 * target_ms_) {
      budget_ = budget_ * (2.0 / 3.0);
    } else if (smoothed_ms_ < 0.7 * target_ms_) {
      budget_ = std::min(kUnlimited, budget_ * 1.1 + 0.05);
    }
    budget_ = std::max(budget_, floor);
    return budget_;
  }
  double ticks() const { return budget_; }

 private:
  double target_ms_;
  double smoothed_ms_ = 0;
  double budget_ = 1;
};

}  // namespace buzz::viz
