#include <catch2/catch.hpp>

#include "sim/engine/engine.hpp"
#include "sim/engine/kernels.hpp"

namespace {

using namespace buzz::engine;

// A model whose state is the number of ticks it has seen, to check the loop's order.
class Counter final : public Model {
 public:
  std::vector<std::string> tick_columns() const override { return {"committed", "steps"}; }
  std::vector<std::string> run_metrics() const override { return {"final"}; }
  void start(const Random&) override { committed_ = pending_ = steps_ = 0; }
  void step(std::uint32_t tick, const Random&) override {
    REQUIRE(tick == committed_ + 1);  // ticks come in order, each after the last commit
    pending_ = tick;
    ++steps_;
  }
  void commit() override { committed_ = pending_; }
  void observe(std::span<double> row) const override {
    row[0] = committed_;
    row[1] = steps_;
  }
  void finish(std::span<double> metrics) override { metrics[0] = committed_; }

 private:
  std::uint32_t committed_ = 0, pending_ = 0, steps_ = 0;
};

}  // namespace

TEST_CASE("the engine runs ticks 1..T after the start and records on cadence", "[engine]") {
  Counter model;
  const auto rec = run_replicate(model, 4, RunOptions{1, 10, 4});
  CHECK(rec.replicate == 4);
  // Tick 0, every 4th tick and the last.
  CHECK(rec.ticks == std::vector<std::uint32_t>{0, 4, 8, 10});
  CHECK(rec.values == std::vector<double>{0, 0, 4, 4, 8, 8, 10, 10});
  CHECK(rec.metrics == std::vector<double>{10});
}

TEST_CASE("a double buffer shows the next state only after commit", "[engine]") {
  DoubleBuffer<int> state(3, 1);
  state.next()[1] = 5;
  CHECK(state.current()[1] == 1);
  state.commit();
  CHECK(state.current()[1] == 5);
}

TEST_CASE("count_agents counts exactly", "[engine]") {
  CHECK(count_agents(100'000, [](std::uint32_t v) { return v % 3 == 0; }) == 33'334);
}
