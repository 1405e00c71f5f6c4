// The viewer's frame loop and its input: keys and mouse.
#include "viz/app.hpp"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace buzz::viz {

using Clock = std::chrono::steady_clock;

App::App(GLFWwindow* window, const graph::Graph& graph, const Layout& layout,
         const std::vector<scenario::Config>& configs, AppOptions options)
    : window_(window),
      graph_(graph),
      layout_(layout),
      options_(std::move(options)),
      picker_(layout) {
  for (const auto& c : configs) runs_.push_back(std::make_unique<LiveRun>(c, graph_));
  for (auto& r : runs_) {
    panes_.emplace_back();
    panes_.back().run = r.get();
    panes_.back().colours = state_colours(r->display().roles);
  }
  if (options_.until_tick) {
    for_runs([&](LiveRun& r) { r.stop_at(*options_.until_tick); });
  }
  if (options_.until_day) {
    for_runs([&](LiveRun& r) {
      r.stop_at(static_cast<std::uint32_t>(
          std::llround(*options_.until_day * 24 / r.config().tick_hours)));
    });
  }
  if (graph_.num_edges() <= kMaxTies) {
    constexpr std::uint32_t tie_colour = (palette::grey & 0x00ffffffu) | 0x60000000u;
    for (graph::Vertex v = 0; v < graph_.num_nodes(); ++v) {
      for (graph::Vertex w : graph_.out_neighbors(v)) {
        if (graph_.directed() || v < w) {  // an undirected tie's two arcs, drawn once
          ties_.push_back({layout_.x[v], layout_.y[v], tie_colour});
          ties_.push_back({layout_.x[w], layout_.y[w], tie_colour});
        }
      }
    }
  }
  show_ties_ = options_.ties;
  triggers_ = runs_[0]->triggers();
  for (const auto& t : triggers_) trigger_sizes_.push_back(float(t.size));
  const bool headless = !options_.screenshot.empty();
  speed_ = float(options_.speed.value_or(headless ? 2000 : 24));
  for_runs([&](LiveRun& r) { r.set_speed(speed_), r.set_playing(headless); });
}

int App::run() {
  const bool headless = !options_.screenshot.empty();
  // Frames first, except for a screenshot without a speed: that plays flat out.
  const bool frames_first = !headless || options_.speed.has_value();
  double frame_ms_sum = 0;
  int frame = 0;
  const auto first_start = Clock::now();
  auto last_start = Clock::now();
  while (!glfwWindowShouldClose(window_)) {
    const auto frame_start = Clock::now();
    if (frame > 0 && frames_first) {
      double budget = tick_budget_.after_frame(
          std::chrono::duration<double, std::milli>(frame_start - last_start).count());
      // At a day a second or slower the clock alone paces the run: the budget's floor
      // would only make it late.
      if (speed_ <= TickBudget::kFloorTicksPerSecond) budget = TickBudget::kUnlimited;
      for_runs([&](LiveRun& r) { r.frame_drawn(budget); });
    }
    last_start = frame_start;
    measure_rates(frame_start);
    const double now = std::chrono::duration<double>(frame_start - start_).count();
    glfwPollEvents();
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window_, &fb_w, &fb_h);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();

    // Panes share the area left of the panel and above the timeline.
    area_w_ = float(fb_w) - kPanelWidth;
    area_h_ = float(fb_h) - kTimelineHeight;
    for (std::size_t i = 0; i < panes_.size(); ++i) {
      panes_[i].x0 = area_w_ * i / panes_.size();
      panes_[i].y0 = 0;
      panes_[i].w = area_w_ / panes_.size();
      panes_[i].h = area_h_;
    }
    keys();
    mouse();
    take_snapshots(now);
    draw_panes(now, fb_w, fb_h);
    draw_labels();
    panel(fb_h);
    timeline();

    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
    ++frame;
    frame_ms_sum += std::chrono::duration<double, std::milli>(Clock::now() - frame_start).count();
    if (headless && frame >= options_.frames) {
      const bool written = capture(fb_w, fb_h);
      // Drawing alone, and start to start (what a watcher sees: buffer swaps included).
      const double seen_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - first_start).count() / frame;
      fmt::print(
          "{} frames of {}x{}, {} agents: {:.2f} ms per frame on average ({:.1f} frames per "
          "second seen); tick {}\n",
          frame, fb_w, fb_h, graph_.num_nodes(), frame_ms_sum / frame, 1000 / seen_ms,
          panes_[0].snapshot.tick);
      fmt::print(
          "panels: legend {:.0f},{:.0f},{:.0f},{:.0f} timeline {:.0f},{:.0f},{:.0f},{:.0f}\n",
          legend_rect_.x, legend_rect_.y, legend_rect_.z, legend_rect_.w, timeline_rect_.x,
          timeline_rect_.y, timeline_rect_.z, timeline_rect_.w);
      return written ? 0 : 1;
    }
    glfwSwapBuffers(window_);
  }
  return 0;
}

void App::measure_rates(Clock::time_point now) {
  ++rate_frames_;
  const double seconds = std::chrono::duration<double>(now - rate_since_).count();
  if (seconds < 1) return;
  const std::uint32_t tick = panes_[0].snapshot.tick;
  shown_fps_ = rate_frames_ / seconds;
  shown_tps_ = tick >= rate_tick_ ? (tick - rate_tick_) / seconds : 0;  // 0 over a restart
  rate_since_ = now, rate_tick_ = tick, rate_frames_ = 0;
}

void App::keys() {
  if (ImGui::GetIO().WantCaptureKeyboard) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE)) {
    const bool play = !runs_[0]->playing();
    for_runs([&](LiveRun& r) { r.set_playing(play); });
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_S) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) {
    for_runs([](LiveRun& r) { r.step_once(); });
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_R)) for_runs([](LiveRun& r) { r.restart(); });
  if (ImGui::IsKeyPressed(GLFW_KEY_N)) {
    const auto seed = runs_[0]->seed() + 1;
    for_runs([&](LiveRun& r) { r.restart(seed); });
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_C) && !triggers_.empty()) {
    for_runs([&](LiveRun& r) { r.trigger(triggers_[0].name, trigger_sizes_[0]); });
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_T)) show_ties_ = !show_ties_;
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) selected_.reset(), tree_.clear();
}

void App::mouse() {
  ImGuiIO& io = ImGui::GetIO();
  hovered_.reset();
  const ImVec2 at = io.MousePos;
  for (auto& pane : panes_) {
    const bool inside =
        at.x >= pane.x0 && at.x < pane.x0 + pane.w && at.y >= pane.y0 && at.y < pane.y0 + pane.h;
    if (!inside || io.WantCaptureMouse) continue;
    const float aspect = pane.w / pane.h, fit = std::min(1.0f, aspect);  // fit narrow panes
    const float ndc_x = (at.x - pane.x0) / pane.w * 2 - 1,
                ndc_y = 1 - (at.y - pane.y0) / pane.h * 2;
    const float zoom = zoom_ * fit;
    const float wx = ndc_x * aspect / zoom - pan_x_, wy = ndc_y / zoom - pan_y_;
    if (io.MouseWheel != 0) {
      zoom_ = std::clamp(zoom_ * std::pow(1.2f, io.MouseWheel), 0.5f, 200.0f);
      pan_x_ = ndc_x * aspect / (zoom_ * fit) - wx;
      pan_y_ = ndc_y / (zoom_ * fit) - wy;
    }
    hovered_ = picker_.nearest(wx, wy, 8.0f / pane.h * 2 / zoom);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      dragging_ = true, drag_x_ = at.x, drag_y_ = at.y;
      if (hovered_) {
        selected_ = hovered_;
        tree_ = pane.run->spread_tree(*selected_);
      }
    }
  }
  if (dragging_ && ImGui::IsMouseDown(ImGuiMouseButton_Left) && !io.WantCaptureMouse) {
    pan_x_ += float(at.x - drag_x_) / panes_[0].h * 2 / zoom_;
    pan_y_ -= float(at.y - drag_y_) / panes_[0].h * 2 / zoom_;
    drag_x_ = at.x, drag_y_ = at.y;
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_ = false;
}

}  // namespace buzz::viz
