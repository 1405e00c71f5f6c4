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

#include "sim/dynamics/campaign.hpp"
#include "sim/engine/engine.hpp"
#include "sim/graph/graph.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::viz {

// What the renderer draws of one tick.
struct Snapshot {
  std::uint32_t tick = 0;
  std::vector<std::uint8_t> states;                             // state code per agent
  std::vector<std::pair<std::uint32_t, std::uint8_t>> senders;  // who put out what this tick
  std::vector<std::uint8_t> follows;  // campaign: follows brand 0, for post pulses
  bool posted = false;                // campaign: brand 0 posted this tick
  std::uint64_t version = 0;
};

// One scenario running on a worker thread. The engine advances there; the viewer reads
// snapshots and the timeline, and sends controls that apply before the next tick, so the
// simulation never waits for drawing and drawing never waits for a tick.
class LiveRun {
 public:
  LiveRun(scenario::Config config, const graph::Graph& graph);
  ~LiveRun();
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  const scenario::Config& config() const { return config_; }
  std::vector<std::string> state_names() const { return state_names_; }
  const std::vector<std::string>& columns() const { return columns_; }

  void set_playing(bool playing);
  bool playing() const { return playing_; }
  void step_once();
  void set_speed(double ticks_per_second) { speed_ = ticks_per_second; }
  // Pauses when the run reaches this tick (the horizon by default).
  void stop_at(std::uint32_t tick) { stop_at_ = tick; }
  // Starts again from tick 0, with a new seed if given.
  void restart(std::optional<std::uint64_t> seed = std::nullopt);
  std::uint64_t seed() const;

  // Campaign controls, for brand 0; they take effect from the next tick and are marked on
  // the timeline.
  bool is_campaign() const { return is_campaign_; }
  dynamics::Brand brand() const;
  void set_brand(const dynamics::Brand& brand);
  void crisis_now(double share);

  // Copies the newest snapshot into `into` if it is newer than into.version.
  bool latest(Snapshot& into) const;
  // The timeline: one row per tick of the tick columns, and the ticks where controls
  // changed something.
  void timeline(std::vector<std::vector<double>>& rows, std::vector<std::uint32_t>& marks) const;

  // Inspection (campaign details); empty for other models, or when the worker is mid-tick.
  std::string describe(graph::Vertex v) const;
  std::vector<std::pair<graph::Vertex, graph::Vertex>> share_tree(graph::Vertex v) const;

 private:
  void loop();
  void reset_model();  // with model_mutex_ held
  void publish();      // with model_mutex_ held

  scenario::Config config_;
  const graph::Graph& graph_;
  bool is_campaign_ = false;
  std::vector<std::string> state_names_, columns_;

  mutable std::mutex model_mutex_;  // the model and simulation, between ticks
  std::unique_ptr<engine::Model> model_;
  std::unique_ptr<engine::Simulation> simulation_;
  std::optional<dynamics::Brand> pending_brand_;
  std::optional<double> pending_crisis_;

  mutable std::mutex snapshot_mutex_;
  Snapshot snapshot_;
  std::vector<std::vector<double>> rows_;
  std::vector<std::uint32_t> marks_;

  std::atomic<bool> playing_{false}, stop_{false};
  std::atomic<int> steps_{0};
  std::atomic<double> speed_{24};
  std::atomic<std::uint32_t> stop_at_{0xffffffffu};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::thread worker_;
};

}  // namespace buzz::viz
