#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/reporter.hpp"

namespace buzz::engine {

// A setting of a running model that a watcher (a viewer, a notebook) may change between
// ticks; it takes effect from the next tick.
struct Control {
  std::string name;  // e.g. "tone"
  double min = 0, max = 1;
  double value = 0;  // current
  bool logarithmic = false;
  std::vector<std::string> choices;  // when not empty, value is an index into these
};

// Something a watcher may make happen at the next tick, e.g. a crisis that hits a share of
// the brand's customers.
struct Trigger {
  std::string name;        // e.g. "crisis"
  std::string size_label;  // what the size means, e.g. "share of customers hit"
  double min = 0, max = 1;
  double size = 0;  // a sensible default
};

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
// tick t - 1, so that its result does not depend on the order agents are visited in or on
// the thread count. A model keeps that promise in one of two ways:
//   - double buffers (DoubleBuffer): step writes only the next buffer, commit swaps;
//   - own state and messages (SessionSchedule, Mailbox): an agent's step changes only that
//     agent's own record and reads nobody else's mutable state; what it tells others goes
//     into a Mailbox, delivered in a fixed order at commit.
// Every draw comes from `random`, keyed by tick, subject and purpose.
// A state's part in a spread, which a viewer's colour follows: not yet reached, informed,
// engaged, a champion (an advocate), irritated, spreading (infectious, active, a
// spreader, an adopter), opposed (a detractor), or done (recovered, a stifler, spent).
enum class StateRole : std::uint8_t {
  untouched,
  informed,
  engaged,
  champion,
  irritated,
  spreading,
  opposed,
  removed
};

// What a viewer needs to show a model beyond its states' names.
struct Display {
  std::vector<StateRole> roles;  // by state code, one per state_names() entry
  bool clock = false;            // ticks are hours of a calendar: show days and hours
  bool messages = false;  // friends pass shares and complaints, posts pulse on followers, and
                          // an agent's spreading tree can be shown
};

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

  // Whether no further tick can change the state (a cascade or an outbreak that has died
  // out). The engine then stops stepping and calls skip_to(t) for each tick it would still
  // have recorded, and for the last: afterwards observe() and finish() must give exactly
  // what stepping up to t would have.
  virtual bool settled() const { return false; }
  // Whether settled() can ever hold: a spread that ends (a cascade, an epidemic), not a
  // process that goes on as long as it runs.
  virtual bool can_settle() const { return false; }
  virtual void skip_to(std::uint32_t /*tick*/) {}

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
  // Those of the further tables that can be read part way through a run, as they stand:
  // only rows that are there to stay, whose counts can only grow from here on (for a
  // caller bounding where the run will end). Models without such tables give none.
  virtual std::vector<Table> tables_so_far() const { return {}; }

  // What a watcher (a viewer, a notebook, a debugger) may see and do between ticks. Each
  // model offers what it can; the defaults offer nothing.
  //
  // Names of the per-agent states agent_states() reports, by code.
  virtual std::vector<std::string> state_names() const { return {}; }
  // How a viewer shows the model, declared with it so that no viewer names a model's states.
  virtual Display display() const { return {}; }
  // Each agent's state code, into `out` (one per agent).
  virtual void agent_states(std::span<std::uint8_t> /*out*/) const {}
  // Who put something out in the last tick, and its kind: 0 positive, 1 negative.
  virtual std::vector<std::pair<std::uint32_t, std::uint8_t>> recent_senders() const { return {}; }
  // Agents reached in the last tick from outside the graph (a brand's post to its
  // followers), for a viewer's pulse; empty when nothing came.
  virtual std::vector<std::uint32_t> reached_from_outside() const { return {}; }
  // Settings that can change while running, and changing one (unknown names are ignored).
  virtual std::vector<Control> controls() const { return {}; }
  virtual void set_control(std::string_view /*name*/, double /*value*/) {}
  // Events that can be triggered while running, and triggering one at the next tick.
  virtual std::vector<Trigger> triggers() const { return {}; }
  virtual void trigger(std::string_view /*name*/, double /*size*/) {}
  // One agent in words, and the ties (parent, child) of the last spreading tree they
  // joined (a parent of 0xffffffff is the tree's source outside the graph).
  virtual std::string describe(std::uint32_t /*agent*/) const { return {}; }
  virtual std::vector<std::pair<std::uint32_t, std::uint32_t>> spread_tree(
      std::uint32_t /*agent*/) const {
    return {};
  }
};

}  // namespace buzz::engine
