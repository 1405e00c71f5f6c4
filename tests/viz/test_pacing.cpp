#include <catch2/catch.hpp>

#include "viz/pacing.hpp"

using buzz::viz::TickBudget;

namespace {
// A frame costs its drawing plus what the ticks taken during it cost the drawing: a model
// of a run and a software renderer sharing two cores.
double frame_ms(double ticks, double draw_ms, double tick_ms) { return draw_ms + tick_ms * ticks; }
}  // namespace

TEST_CASE("the tick budget brings slow frames back to the target and settles there",
          "[viz][pacing]") {
  for (const double draw_ms : {6.0, 10.0}) {
    CAPTURE(draw_ms);
    TickBudget budget;
    double ticks = budget.ticks();
    CHECK(ticks == 1);
    double ms = 0;
    for (int frame = 0; frame < 300; ++frame) {
      ms = frame_ms(std::min(ticks, 50.0), draw_ms, 0.5);  // flat out: 50 ticks a frame
      ticks = budget.after_frame(ms);
    }
    // Settled: frames within 60 per second's 16.7 ms, with as many ticks as leave room
    // (half a millisecond each: up to 16 ticks for 14 ms at 6 ms of drawing, 8 at 10).
    CHECK(ms <= 1000.0 / 60);
    CHECK(ms >= 1000.0 / 60 * 0.6);
    CHECK(ticks >= (draw_ms == 6.0 ? 6 : 2));
    CHECK(ticks <= (draw_ms == 6.0 ? 16 : 8));
  }
}

TEST_CASE("the tick budget runs a tick every few frames when one tick a frame is too many",
          "[viz][pacing]") {
  TickBudget budget;
  double ticks = budget.ticks(), ms = 0;
  for (int frame = 0; frame < 300; ++frame) {
    ms = frame_ms(ticks, 10.0, 8.0);  // 100,000 agents: a tick costs the frame 8 ms
    ticks = budget.after_frame(ms);
  }
  CHECK(ms <= 1000.0 / 60);
  CHECK(ticks < 1);
  CHECK(ticks >= 24 * ms / 1000);  // never below a day a second
}

TEST_CASE("the tick budget keeps a day a second and frees the run when frames are fast",
          "[viz][pacing]") {
  TickBudget budget;
  for (int frame = 0; frame < 100; ++frame) budget.after_frame(40.0);  // drawing alone too slow
  CHECK(budget.ticks() == Approx(24 * 40.0 / 1000));
  for (int frame = 0; frame < 300; ++frame) budget.after_frame(5.0);  // a small graph
  CHECK(budget.ticks() == TickBudget::kUnlimited);
  budget.after_frame(30.0);  // one slow frame does not cut the run
  CHECK(budget.ticks() == TickBudget::kUnlimited);
}
