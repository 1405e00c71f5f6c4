#include <catch2/catch.hpp>

#include "sim/engine/engine.hpp"
#include "sim/engine/kernels.hpp"

namespace {

using namespace buzz::engine;

// A model whose state is the number of ticks it has seen, to check the loop's order.
class Counter final : public Model {
 public:
  Reporters tick_reporters() const override {
    return {{"committed", "ticks", Measure::stock, Direction::no_verdict, "last committed tick"},
            {"steps", "steps", Measure::flow, Direction::no_verdict, "steps taken"}};
  }
  Reporters run_reporters() const override {
    return {{"final", "ticks", Measure::stock, Direction::no_verdict, "last committed tick"}};
  }
  void start(const Random&) override { committed_ = pending_ = steps_ = 0; }
  void step(std::uint32_t tick, const Random&) override {
    REQUIRE(tick == committed_ + 1);  // ticks come in order, each after the last commit
    pending_ = tick;
    ++steps_;
  }
  void commit() override { committed_ = pending_; }
  void observe(std::vector<double>& row) const override {
    row.push_back(committed_);
    row.push_back(steps_);
  }
  void finish(std::vector<double>& metrics) override {
    metrics.push_back(committed_);
    if (extra_metric_) metrics.push_back(0);
  }
  bool extra_metric_ = false;  // a model that gives more values than it declares

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

TEST_CASE("the engine refuses a model that gives more values than it declares", "[engine]") {
  Counter model;
  model.extra_metric_ = true;
  CHECK_THROWS_WITH(run_replicate(model, 0, RunOptions{1, 3, 1}),
                    Catch::Contains("2 run values for 1 declared reporters"));
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

TEST_CASE("headline reporters are the marked ones in declaration order or else the first few",
          "[engine]") {
  Reporters reporters{{"a", "", Measure::stock, Direction::no_verdict, ""},
                      headline({"b", "", Measure::stock, Direction::no_verdict, ""}),
                      {"c", "", Measure::stock, Direction::no_verdict, ""},
                      headline({"d", "", Measure::stock, Direction::no_verdict, ""})};
  CHECK(headline_names(reporters, 1) == std::vector<std::string>{"b", "d"});
  reporters[1].headline = reporters[3].headline = false;
  CHECK(headline_names(reporters, 3) == std::vector<std::string>{"a", "b", "c"});
  CHECK(headline_names(reporters, 9).size() == 4);
  CHECK(headline_names({}, 3).empty());
}
