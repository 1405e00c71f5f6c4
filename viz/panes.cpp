// The panes: each run's agents in their state colours, fading shares, post pulses, the
// selected agent's spread tree, and a label with the simulated time.
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "viz/app.hpp"

namespace buzz::viz {

namespace {

constexpr double kEdgeFade = 1.5;   // seconds a share's ties stay drawn
constexpr double kPulseTime = 0.6;  // seconds a post's pulse lasts

std::uint32_t with_alpha(std::uint32_t rgba, double alpha) {
  return (rgba & 0x00ffffffu) | (std::uint32_t(std::clamp(alpha, 0.0, 1.0) * 255) << 24);
}

std::string sim_time(std::uint32_t tick, double tick_hours, bool days) {
  if (!days) return fmt::format("tick {}", tick);  // abstract models' ticks are not hours
  const double hours = tick * tick_hours;
  return fmt::format("tick {}  ·  day {}, {:02}:00", tick, int(hours / 24),
                     int(std::fmod(hours, 24)));
}

}  // namespace

void App::take_snapshots(double now) {
  for (auto& pane : panes_) {
    if (pane.run->latest(pane.snapshot)) {
      for (const auto& [sender, kind] : pane.snapshot.senders) {
        pane.shares.emplace_back(sender, kind, now);
      }
      while (pane.shares.size() > 4000) pane.shares.pop_front();
      if (!pane.snapshot.reached.empty()) {
        pane.pulse_at = now, pane.pulse_reached = pane.snapshot.reached;
      }
    }
    while (!pane.shares.empty() && now - std::get<2>(pane.shares.front()) > kEdgeFade) {
      pane.shares.pop_front();
    }
  }
}

void App::draw_panes(double now, int fb_w, int fb_h) {
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(float(kBackground & 0xffu) / 255, float((kBackground >> 8) & 0xffu) / 255,
               float((kBackground >> 16) & 0xffu) / 255, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    auto& pane = panes_[i];
    glViewport(GLint(pane.x0), GLint(float(fb_h) - pane.y0 - pane.h), GLsizei(pane.w),
               GLsizei(pane.h));
    renderer_.set_view(zoom_ * std::min(1.0f, pane.w / pane.h), pan_x_, pan_y_, pane.w / pane.h);
    const int size = agent_size(graph_.num_nodes(), pane.w, pane.h, zoom_);
    const auto point_size = float(size);
    if (show_ties_) renderer_.draw_lines(ties_);
    std::vector<Renderer::Vertex> lines;
    for (const auto& [sender, kind, when] : pane.shares) {
      const double alpha = 0.8 * (1 - (now - when) / kEdgeFade);
      const std::uint32_t colour = with_alpha(kind ? kComplaint : kShare, alpha);
      int drawn = 0;
      for (graph::Vertex w : graph_.out_neighbors(sender)) {
        if (++drawn > 12) break;
        lines.push_back({layout_.x[sender], layout_.y[sender], colour});
        lines.push_back({layout_.x[w], layout_.y[w], colour});
      }
    }
    for (const auto& [parent, child] : tree_) {
      if (parent == 0xffffffffu) continue;
      lines.push_back({layout_.x[parent], layout_.y[parent], kSelection});
      lines.push_back({layout_.x[child], layout_.y[child], kSelection});
    }
    renderer_.draw_lines(lines);
    // The agents: drawn again only when the snapshot or the view changed.
    const int width = int(pane.w), height = int(pane.h);
    const float zoom = zoom_ * std::min(1.0f, pane.w / pane.h);
    const auto drawn =
        std::tuple(pane.snapshot.version, zoom, pan_x_, pan_y_, pane.w, pane.h, size);
    const bool changed = drawn != pane.drawn;
    if (changed) {
      splat(layout_.x, layout_.y, pane.snapshot.states, pane.colours,
            View{zoom * pane.h / pane.w, zoom, pan_x_, pan_y_}, size, width, height, pane.agents);
      pane.drawn = drawn;
    }
    renderer_.draw_image(i, pane.agents, changed);
    // What reached people from outside the graph (a brand's post) pulses on them.
    const double pulse = 1 - (now - pane.pulse_at) / kPulseTime;
    if (pulse > 0 && !pane.pulse_reached.empty()) {
      std::vector<Renderer::Vertex> ring;
      for (graph::Vertex v : pane.pulse_reached) {
        ring.push_back({layout_.x[v], layout_.y[v], with_alpha(0xffffffffu, 0.6 * pulse)});
      }
      renderer_.draw_points(ring, point_size * float(1 + 2 * pulse));
    }
    if (selected_) {
      renderer_.draw_points({{layout_.x[*selected_], layout_.y[*selected_], kSelection}},
                            point_size + 6);
    }
  }
  glViewport(0, 0, fb_w, fb_h);
}

void App::draw_labels() {
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const auto& pane = panes_[i];
    ImGui::GetForegroundDrawList()->AddText(
        ImVec2(pane.x0 + 10, pane.y0 + 8), kRunColours[i],
        fmt::format(
            "{}   {}", pane.run->config().name,
            sim_time(pane.snapshot.tick, pane.run->config().tick_hours, pane.run->display().clock))
            .c_str());
  }
}

}  // namespace buzz::viz
