#pragma once

#include <stdexcept>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/engine/model.hpp"

namespace buzz::engine {

// The time series and per-run metrics of one replicate.
struct ReplicateRecord {
  std::uint32_t replicate = 0;
  std::vector<std::uint32_t> ticks;  // recorded ticks, 0 first
  std::vector<double> values;        // row-major: ticks.size() rows of `columns` values
  std::vector<double> metrics;       // one per Model::run_reporters()
  std::vector<Table> tables;         // the model's further tables
  bool abandoned = false;            // stopped early by RunOptions::abandon: no metrics or tables

  double at(std::size_t row, std::size_t column, std::size_t columns) const {
    return values[row * columns + column];
  }
};

// Records a model's named reporters at chosen ticks (Mesa's DataCollector).
class Recorder {
 public:
  Recorder(std::size_t columns, std::uint32_t every, std::uint32_t last_tick);
  // Records the model's observation if `tick` is due (tick 0, every `every`-th tick, and
  // the last); says whether it did.
  bool maybe_record(std::uint32_t tick, Model& model);
  ReplicateRecord take(std::uint32_t replicate, std::vector<double> metrics);
  // What has been recorded so far: the ticks and, row-major, their values.
  const std::vector<std::uint32_t>& ticks() const { return ticks_; }
  const std::vector<double>& values() const { return values_; }

 private:
  std::size_t columns_;
  std::uint32_t every_;
  std::uint32_t last_tick_;
  std::vector<std::uint32_t> ticks_;
  std::vector<double> values_;
};

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint32_t ticks = 100;
  std::uint32_t record_every = 1;
};

// Asked after each recorded tick before the last: true stops the run there, unfinished
// (for a caller that can already tell the run is of no use, such as a calibration whose
// proposal is already too far from the data).
using Abandon =
    std::function<bool(std::uint32_t tick, const Model& model, const Recorder& recorder)>;

// A run that advances one tick at a time, for callers that watch it (a viewer);
// run_replicate is the same loop without pauses.
class Simulation {
 public:
  Simulation(Model& model, std::uint64_t seed, std::uint32_t replicate)
      : model_(model), random_(seed, replicate) {}
  void start() {
    model_.start(random_);
    tick_ = 0;
  }
  // Computes and commits the next tick; returns its number.
  std::uint32_t advance() {
    model_.step(++tick_, random_);
    model_.commit();
    return tick_;
  }
  std::uint32_t tick() const { return tick_; }
  Model& model() { return model_; }

 private:
  Model& model_;
  Random random_;
  std::uint32_t tick_ = 0;
};

// Throws std::logic_error unless a model gave as many values as it declared reporters.
void check_count(const char* what, std::size_t given, std::size_t declared);

// Runs one replicate of `model` from tick 0 to options.ticks. Its random stream is
// keyed by (options.seed, replicate).
// With `abandon`, the record of a run it stops is marked abandoned and holds what was
// recorded so far.
ReplicateRecord run_replicate(Model& model, std::uint32_t replicate, const RunOptions& options,
                              const Abandon& abandon = {});

// Stopping on SIGINT or SIGTERM: request_stop() (safe in a signal handler) makes every
// replicate's tick loop throw Interrupted at its next tick, so that outputs in the making
// are unwound and removed.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};
void request_stop() noexcept;
bool stop_requested() noexcept;

}  // namespace buzz::engine
