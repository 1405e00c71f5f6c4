#pragma once

#include <imgui.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/engine/model.hpp"
#include "sim/graph/graph.hpp"
#include "viz/colours.hpp"
#include "viz/layout.hpp"
#include "viz/live_run.hpp"
#include "viz/pacing.hpp"
#include "viz/picker.hpp"
#include "viz/renderer.hpp"

struct GLFWwindow;

namespace buzz::viz {

// One run on screen: its latest snapshot and what fades.
struct Pane {
  LiveRun* run = nullptr;
  Snapshot snapshot;
  Image agents;  // the agents as drawn (splat.hpp), redrawn when `drawn` changes
  std::tuple<std::uint64_t, float, float, float, float, float, int> drawn{};  // version, view
  std::deque<std::tuple<graph::Vertex, std::uint8_t, double>> shares;  // sender, kind, when (s)
  double pulse_at = -1e9;
  std::vector<std::uint32_t> pulse_reached;
  std::vector<std::uint32_t> colours;  // by state code, from the model's state names
  float x0 = 0, y0 = 0, w = 1, h = 1;  // screen rectangle, pixels from top-left
};

struct AppOptions {
  std::string screenshot;  // headless: render `frames` frames, write this PNG, exit
  int frames = 60;
  std::optional<double> until_day;
  std::optional<std::uint32_t> until_tick;
  std::optional<double> speed;  // ticks per second; headless plays flat out unless given
  bool ties = true;             // draw the ties when there are few enough
};

// The viewer: the runs side by side over one layout, a panel of controls, a legend and an
// inspector, and a timeline. Each frame: input (keys, mouse), new snapshots, the panes,
// the panel, the timeline, and in headless mode the capture.
class App {
 public:
  App(GLFWwindow* window, const graph::Graph& graph, const Layout& layout,
      const std::vector<scenario::Config>& configs, AppOptions options);
  // Runs until the window closes (or, headless, the capture is written); the exit status.
  int run();

 private:
  static constexpr float kPanelWidth = 360, kTimelineHeight = 250;
  // Ties are drawn up to this many: past it they would hide the agents (and cost frames).
  static constexpr std::uint64_t kMaxTies = 5000;

  void keys();                                                    // app.cpp
  void mouse();                                                   // app.cpp
  void measure_rates(std::chrono::steady_clock::time_point now);  // app.cpp
  void take_snapshots(double now);                                // panes.cpp
  void draw_panes(double now, int fb_w, int fb_h);                // panes.cpp
  void draw_labels();                                             // panes.cpp
  void panel(int fb_h);                                           // panel.cpp
  void controls();                                                // panel.cpp
  void legend();                                                  // panel.cpp
  void inspector();                                               // panel.cpp
  void timeline();                                                // timeline.cpp
  bool capture(int fb_w, int fb_h) const;                         // capture.cpp

  void for_runs(auto&& f) {
    for (auto& r : runs_) f(*r);
  }

  GLFWwindow* window_;
  const graph::Graph& graph_;
  const Layout& layout_;
  AppOptions options_;
  Renderer renderer_;
  std::vector<std::unique_ptr<LiveRun>> runs_;
  std::vector<Pane> panes_;
  Picker picker_;
  float zoom_ = 1, pan_x_ = 0, pan_y_ = 0;
  std::optional<graph::Vertex> hovered_, selected_;
  std::vector<std::pair<graph::Vertex, graph::Vertex>> tree_;
  std::vector<Renderer::Vertex> ties_;  // both ends of each tie, empty past kMaxTies
  bool show_ties_ = true;
  float speed_ = 24;
  TickBudget tick_budget_;
  // Frames and ticks per second over the last second, for the panel.
  double shown_fps_ = 0, shown_tps_ = 0;
  std::chrono::steady_clock::time_point rate_since_ = std::chrono::steady_clock::now();
  std::uint32_t rate_tick_ = 0;
  int rate_frames_ = 0;
  std::vector<engine::Trigger> triggers_;  // the first scenario's, with the panel's sizes
  std::vector<float> trigger_sizes_;
  bool dragging_ = false;
  double drag_x_ = 0, drag_y_ = 0;
  float area_w_ = 0, area_h_ = 0;  // left of the panel, above the timeline
  ImVec4 legend_rect_, timeline_rect_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// The campaign's fading share and complaint lines, and the selected agent with its share
// tree, from the same colour-blind-safe palette as the states.
constexpr std::uint32_t kShare = palette::yellow, kComplaint = palette::vermillion,
                        kSelection = palette::reddish_purple;
inline const ImU32 kRunColours[] = {IM_COL32(90, 170, 255, 255), IM_COL32(255, 150, 40, 255)};

}  // namespace buzz::viz
