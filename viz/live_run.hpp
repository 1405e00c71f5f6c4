#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/graph/graph.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::viz {

// What the renderer draws of one tick.
struct Snapshot {
  std::uint32_t tick = 0;
  std::vector<std::uint8_t> states;                             // state code per agent
  std::vector<std::pair<std::uint32_t, std::uint8_t>> senders;  // who put out what this tick
  std::vector<std::uint32_t> reached;  // reached from outside the graph this tick (a post)
  std::uint64_t version = 0;
};

// One scenario running on a worker thread. The engine advances there; the viewer reads
// snapshots and the timeline, and sends controls that apply before the next tick, so
// drawing never waits for a tick; the run waits for frames only as far as their budget of
// ticks says (frame_drawn).
class LiveRun {
 public:
  LiveRun(scenario::Config config, const graph::Graph& graph);
  ~LiveRun();
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  const scenario::Config& config() const { return config_; }
  std::vector<std::string> state_names() const { return state_names_; }
  const engine::Display& display() const { return display_; }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& headline_columns() const { return headline_; }

  void set_playing(bool playing);
  bool playing() const { return playing_; }
  void step_once();
  void set_speed(double ticks_per_second) { speed_ = ticks_per_second; }
  // A frame was drawn: the run may take up to `budget` ticks before the next one
  // (TickBudget). Until the first call it is unbounded.
  void frame_drawn(double budget);
  // Pauses when the run reaches this tick (the horizon by default).
  void stop_at(std::uint32_t tick) { stop_at_ = tick; }
  // Starts again from tick 0, with a new seed if given.
  void restart(std::optional<std::uint64_t> seed = std::nullopt);
  std::uint64_t seed() const;

  // The model's live controls and triggers (engine::Model): changes and events take effect
  // from the next tick and are marked on the timeline; a restart keeps the changes.
  std::vector<engine::Control> controls() const;
  void set_control(const std::string& name, double value);
  std::vector<engine::Trigger> triggers() const;
  void trigger(const std::string& name, double size);

  // Copies the newest snapshot into `into` if it is newer than into.version.
  bool latest(Snapshot& into) const;
  // The timeline: one row per tick of the tick columns, and the ticks where controls
  // changed something.
  void timeline(std::vector<std::vector<double>>& rows, std::vector<std::uint32_t>& marks) const;

  // Inspection, as far as the model offers it; empty when the worker is mid-tick.
  std::string describe(graph::Vertex v) const;
  std::vector<std::pair<graph::Vertex, graph::Vertex>> spread_tree(graph::Vertex v) const;

 private:
  void loop();
  void reset_model();  // with model_mutex_ held
  void publish();      // with model_mutex_ held

  scenario::Config config_;
  const graph::Graph& graph_;
  std::vector<std::string> state_names_, columns_, headline_;
  engine::Display display_;

  mutable std::mutex model_mutex_;  // the model and simulation, between ticks
  std::unique_ptr<engine::Model> model_;
  std::unique_ptr<engine::Simulation> simulation_;
  std::atomic<std::uint64_t> seed_;

  // What the viewer asked for, taken by the worker before its next tick; a frame never
  // waits for a tick to read or send these.
  mutable std::mutex pending_mutex_;
  std::vector<std::pair<std::string, double>> pending_controls_, pending_triggers_;
  std::vector<std::pair<std::string, double>> changed_controls_;  // kept over restarts

  mutable std::mutex snapshot_mutex_;
  Snapshot snapshot_;
  std::vector<engine::Control> controls_;  // as of the snapshot
  std::vector<std::vector<double>> rows_;
  std::vector<std::uint32_t> marks_;

  std::atomic<bool> playing_{false}, stop_{false};
  std::atomic<int> steps_{0};
  std::atomic<double> speed_{24};
  std::atomic<std::uint32_t> stop_at_{0xffffffffu};
  // Ticks the frames leave room for: a budget under one tick accrues over frames.
  double tick_credit_ = 1e300;  // under wake_mutex_
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::thread worker_;
};

}  // namespace buzz::viz
