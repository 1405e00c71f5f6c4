#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/reporter.hpp"

namespace buzz::engine {

// A table a model produces besides its time series, e.g. per community or per cascade.
struct Table {
  std::string name;                  // names the output file: <name>.csv
  std::vector<std::string> columns;  // stable column names
  std::vector<double> values;        // row-major, columns.size() values per row
};

// A dynamics on the engine: agent state and the kernels that move it one tick.
//
// The engine owns the loop: start(), then for t = 1..T step(t) and commit(), observing
// the state as it goes. step(t) computes the state of tick t from the committed state of
// tick t - 1 and writes only the next buffer (see DoubleBuffer), so its result does not
// depend on the order agents are visited in. Every draw comes from `random`, keyed by
// tick, subject and purpose.
class Model {
 public:
  virtual ~Model() = default;

  // The per-tick reporters (time-series columns) and per-run metrics, in the order
  // observe() and finish() give their values. Fixed once the model is constructed.
  virtual Reporters tick_reporters() const = 0;
  virtual Reporters run_reporters() const = 0;

  // Sets the state of tick 0.
  virtual void start(const Random& random) = 0;
  // Computes the state of `tick` (>= 1) into the next buffer.
  virtual void step(std::uint32_t tick, const Random& random) = 0;
  // Makes the next buffer current.
  virtual void commit() = 0;

  // Called at each recorded tick, before observe(): a model whose observation needs a
  // pass over all agents makes it here.
  virtual void on_record(std::uint32_t /*tick*/) {}
  // Appends the value of each tick reporter for the current state, in declared order; the
  // engine checks the count.
  virtual void observe(std::vector<double>& row) const = 0;
  // Appends the value of each run reporter, in declared order; called after the last tick.
  virtual void finish(std::vector<double>& metrics) = 0;
  // Further tables, taken after finish().
  virtual std::vector<Table> take_tables() { return {}; }

  // Snapshots for whoever watches a run (a viewer, a debugger); empty by default.
  // Names of the per-agent states agent_states() reports, by code.
  virtual std::vector<std::string> state_names() const { return {}; }
  // Each agent's state code, into `out` (one per agent).
  virtual void agent_states(std::span<std::uint8_t> /*out*/) const {}
  // Who put something out in the last tick, and its kind: 0 positive, 1 negative.
  virtual std::vector<std::pair<std::uint32_t, std::uint8_t>> recent_senders() const { return {}; }
};

}  // namespace buzz::engine
