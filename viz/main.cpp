// buzzview: watch buzz spread live through communities.
//
//   buzzview FILE [FILE_B] [--seed S] [--screenshot PNG --frames N] [--size WxH]
//
// Exit status: 0 success, 2 bad input (as buzzsim), 1 no display or another fault.
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <unordered_map>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#include "sim/batch/runner.hpp"
#include "sim/common/input_error.hpp"
#include "sim/scenario/scenario.hpp"
#include "viz/layout.hpp"
#include "viz/live_run.hpp"
#include "viz/renderer.hpp"

namespace {

using buzz::graph::Vertex;
using buzz::viz::LiveRun;
using buzz::viz::Renderer;
using buzz::viz::Snapshot;
using Clock = std::chrono::steady_clock;

// Agent colours by state code (0xAABBGGRR), and the same for the legend.
const std::uint32_t kStateColours[] = {0xff66605a, 0xfff6b564, 0xffe5881e,
                                       0xff47a043, 0xff00b3ff, 0xff3539e5};
const ImU32 kRunColours[] = {IM_COL32(90, 170, 255, 255), IM_COL32(255, 150, 40, 255)};
constexpr float kPanelWidth = 360, kTimelineHeight = 250;
constexpr double kEdgeFade = 1.5;   // seconds a share's ties stay drawn
constexpr double kPulseTime = 0.6;  // seconds a post's pulse lasts

std::uint32_t with_alpha(std::uint32_t rgba, double alpha) {
  return (rgba & 0x00ffffffu) | (std::uint32_t(std::clamp(alpha, 0.0, 1.0) * 255) << 24);
}

// Nearest agent to a point, through a grid over the layout.
class Picker {
 public:
  explicit Picker(const buzz::viz::Layout& layout) : layout_(layout) {
    for (Vertex v = 0; v < layout.x.size(); ++v) cells_[key(layout.x[v], layout.y[v])].push_back(v);
  }
  std::optional<Vertex> nearest(float x, float y, float radius) const {
    std::optional<Vertex> best;
    float best_d = radius * radius;
    const int gx = cell(x), gy = cell(y);
    const int reach = int(std::ceil(radius / kCell));
    for (int dx = -reach; dx <= reach; ++dx) {
      for (int dy = -reach; dy <= reach; ++dy) {
        const auto it = cells_.find((std::int64_t(gx + dx) << 32) ^ std::uint32_t(gy + dy));
        if (it == cells_.end()) continue;
        for (Vertex v : it->second) {
          const float d =
              (layout_.x[v] - x) * (layout_.x[v] - x) + (layout_.y[v] - y) * (layout_.y[v] - y);
          if (d < best_d) best_d = d, best = v;
        }
      }
    }
    return best;
  }

 private:
  static constexpr float kCell = 0.02f;
  static int cell(float c) { return int(std::floor(c / kCell)); }
  static std::int64_t key(float x, float y) {
    return (std::int64_t(cell(x)) << 32) ^ std::uint32_t(cell(y));
  }
  const buzz::viz::Layout& layout_;
  std::unordered_map<std::int64_t, std::vector<Vertex>> cells_;
};

// One run on screen: its latest snapshot and what fades.
struct Pane {
  LiveRun* run;
  Snapshot snapshot;
  std::vector<Renderer::Vertex> points;
  std::deque<std::tuple<Vertex, std::uint8_t, double>> shares;  // sender, kind, when (s)
  double pulse_at = -1e9;
  std::vector<std::uint32_t> pulse_reached;
  float x0 = 0, y0 = 0, w = 1, h = 1;  // screen rectangle, pixels from top-left
};

struct View {
  float zoom = 1, pan_x = 0, pan_y = 0;
};

std::string sim_time(std::uint32_t tick, double tick_hours) {
  const double hours = tick * tick_hours;
  return fmt::format("tick {}  ·  day {}, {:02}:00", tick, int(hours / 24),
                     int(std::fmod(hours, 24)));
}

// A small line chart of one timeline column for each run, with change marks.
void timeline_plot(const char* title,
                   const std::vector<const std::vector<std::vector<double>>*>& rows,
                   const std::vector<int>& column, const std::vector<std::uint32_t>& marks,
                   ImVec2 size) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  draw->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(28, 30, 36, 255));
  double lo = 0, hi = 1e-9;
  std::size_t longest = 2;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0) continue;
    for (const auto& row : *rows[r])
      lo = std::min(lo, row[column[r]]), hi = std::max(hi, row[column[r]]);
    longest = std::max(longest, rows[r]->size());
  }
  for (auto m : marks) {
    const float x = p.x + size.x * float(m) / float(longest - 1);
    draw->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + size.y), IM_COL32(200, 200, 200, 90));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0 || rows[r]->size() < 2) continue;
    std::vector<ImVec2> line;
    const std::size_t n = rows[r]->size(), stride = std::max<std::size_t>(1, n / 400);
    for (std::size_t i = 0; i < n; i += stride) {
      const double v = (*rows[r])[i][column[r]];
      line.emplace_back(p.x + size.x * float(i) / float(longest - 1),
                        p.y + size.y - size.y * float((v - lo) / (hi - lo)));
    }
    draw->AddPolyline(line.data(), int(line.size()), kRunColours[r], 0, 1.5f);
  }
  draw->AddText(ImVec2(p.x + 3, p.y + 1), IM_COL32(170, 170, 170, 255),
                fmt::format("{:.3g}", hi).c_str());
  ImGui::Dummy(size);
  ImGui::EndGroup();
}

int column_of(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name || (columns[i].size() > name.size() &&
                               columns[i].compare(columns[i].size() - name.size() - 1,
                                                  std::string::npos, "." + name) == 0)) {
      return int(i);
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"buzzview: watch buzz spread live through communities"};
  std::string file, file_b, screenshot, size = "1600x1000";
  std::optional<std::uint64_t> seed;
  int frames = 60;
  unsigned threads = 0;
  app.add_option("file", file, "Scenario file (.textproto)")->required();
  app.add_option("file_b", file_b, "A second scenario, shown side by side on the same graph");
  app.add_option("--seed", seed, "Seed, replacing the scenario's");
  app.add_option("--screenshot", screenshot, "Render headless, write this PNG and exit");
  app.add_option("--frames", frames, "Frames to render before the screenshot")
      ->check(CLI::Range(1, 100000));
  app.add_option("--size", size, "Window size, WxH")->check([](const std::string& s) {
    int w = 0, h = 0;
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 400 && h >= 300
               ? ""
               : "must be WxH, at least 400x300";
  });
  app.add_option("--threads", threads, "Simulation threads (0: all cores)");
  std::optional<double> until_day;
  app.add_option("--until-day", until_day, "Pause when the run reaches this day")
      ->check(CLI::PositiveNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  int width = 0, height = 0;
  std::sscanf(size.c_str(), "%dx%d", &width, &height);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            threads ? threads : unsigned(tbb::info::default_concurrency()));

  // Scenarios and the graph first: bad input ends here, as in buzzsim validate.
  std::vector<buzz::scenario::Config> configs;
  std::optional<buzz::graph::Graph> graph;
  buzz::viz::Layout layout;
  try {
    configs.push_back(buzz::scenario::load(file, {seed, std::nullopt, std::nullopt}));
    if (!file_b.empty()) {
      configs.push_back(
          buzz::scenario::load(file_b, {configs[0].seed, std::nullopt, std::nullopt}));
      if (configs[1].graph_key != configs[0].graph_key) {
        std::cerr << file_b << ": note: shown on " << file
                  << "'s graph, for common random numbers\n";
      }
    }
    graph.emplace(buzz::batch::build_graph(configs[0]));
    const char* cache = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const std::filesystem::path cache_dir =
        cache ? std::filesystem::path(cache) / "buzzsim"
              : std::filesystem::path(home ? home : "/tmp") / ".cache" / "buzzsim";
    const auto t0 = Clock::now();
    layout =
        buzz::viz::cached_layout(*graph, configs[0].graph_seed, configs[0].graph_key, cache_dir);
    std::cerr << fmt::format("layout of {} agents: {:.0f} ms\n", graph->num_nodes(),
                             std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  } catch (const buzz::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  // A window; headless runs use Xvfb's display all the same.
  glfwSetErrorCallback([](int, const char*) {});
  if (!glfwInit()) {
    std::cerr << fmt::format(
        "buzzview: cannot open a window: no display ({}). Run it on a desktop, or headless "
        "under Xvfb: xvfb-run -a buzzview {} --screenshot out.png --frames 60\n",
        std::getenv("DISPLAY") ? fmt::format("DISPLAY={} cannot be reached", std::getenv("DISPLAY"))
                               : std::string("DISPLAY is not set"),
        file);
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "buzzview", nullptr, nullptr);
  if (window == nullptr) {
    std::cerr << "buzzview: cannot create an OpenGL 3.3 core window on this display\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(screenshot.empty() ? 1 : 0);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  int exit_status = 0;
  {
    Renderer renderer;
    std::vector<std::unique_ptr<LiveRun>> runs;
    for (const auto& c : configs) runs.push_back(std::make_unique<LiveRun>(c, *graph));
    std::vector<Pane> panes;
    for (auto& r : runs) panes.push_back(Pane{r.get(), {}, {}, {}, -1e9, {}});
    if (until_day) {
      for (auto& r : runs) {
        r->stop_at(
            static_cast<std::uint32_t>(std::llround(*until_day * 24 / r->config().tick_hours)));
      }
    }
    const Picker picker(layout);
    View view;
    std::optional<Vertex> selected;
    std::vector<std::pair<Vertex, Vertex>> tree;
    float speed = 24;
    // The first scenario's live triggers, with the sizes the panel sets.
    const std::vector<buzz::engine::Trigger> triggers = runs[0]->triggers();
    std::vector<float> trigger_sizes;
    for (const auto& t : triggers) trigger_sizes.push_back(float(t.size));
    bool dragging = false;
    double drag_x = 0, drag_y = 0;
    const bool headless = !screenshot.empty();
    if (headless) {
      speed = 2000;
      for (auto& r : runs) r->set_speed(speed), r->set_playing(true);
    }
    const auto start = Clock::now();
    double frame_ms_sum = 0;
    int frame = 0;
    ImVec4 legend_rect, timeline_rect;

    while (!glfwWindowShouldClose(window)) {
      const auto frame_start = Clock::now();
      const double now = std::chrono::duration<double>(frame_start - start).count();
      glfwPollEvents();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      ImGuiIO& io = ImGui::GetIO();

      // Keys.
      if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(GLFW_KEY_SPACE)) {
          const bool play = !runs[0]->playing();
          for (auto& r : runs) r->set_playing(play);
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_S) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) {
          for (auto& r : runs) r->step_once();
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_R))
          for (auto& r : runs) r->restart();
        if (ImGui::IsKeyPressed(GLFW_KEY_N)) {
          const auto s = runs[0]->seed() + 1;
          for (auto& r : runs) r->restart(s);
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_C) && !trigger_sizes.empty()) {
          for (auto& r : runs) r->trigger(triggers[0].name, trigger_sizes[0]);
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) selected.reset(), tree.clear();
      }

      // Panes share the area left of the panel and above the timeline.
      const float area_w = float(fb_w) - kPanelWidth, area_h = float(fb_h) - kTimelineHeight;
      for (std::size_t i = 0; i < panes.size(); ++i) {
        panes[i].x0 = area_w * i / panes.size();
        panes[i].y0 = 0;
        panes[i].w = area_w / panes.size();
        panes[i].h = area_h;
      }
      // Mouse: zoom, pan, hover, select.
      std::optional<Vertex> hovered;
      const ImVec2 mouse = io.MousePos;
      for (auto& pane : panes) {
        const bool inside = mouse.x >= pane.x0 && mouse.x < pane.x0 + pane.w &&
                            mouse.y >= pane.y0 && mouse.y < pane.y0 + pane.h;
        if (!inside || io.WantCaptureMouse) continue;
        const float aspect = pane.w / pane.h, fit = std::min(1.0f, aspect);  // fit narrow panes
        const float ndc_x = (mouse.x - pane.x0) / pane.w * 2 - 1,
                    ndc_y = 1 - (mouse.y - pane.y0) / pane.h * 2;
        const float zoom = view.zoom * fit;
        const float wx = ndc_x * aspect / zoom - view.pan_x, wy = ndc_y / zoom - view.pan_y;
        if (io.MouseWheel != 0) {
          const float factor = std::pow(1.2f, io.MouseWheel);
          view.zoom = std::clamp(view.zoom * factor, 0.5f, 200.0f);
          view.pan_x = ndc_x * aspect / (view.zoom * fit) - wx;
          view.pan_y = ndc_y / (view.zoom * fit) - wy;
        }
        hovered = picker.nearest(wx, wy, 8.0f / pane.h * 2 / zoom);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
          dragging = true, drag_x = mouse.x, drag_y = mouse.y;
          if (hovered) {
            selected = hovered;
            tree = pane.run->spread_tree(*selected);
          }
        }
      }
      if (dragging && ImGui::IsMouseDown(ImGuiMouseButton_Left) && !io.WantCaptureMouse &&
          !panes.empty()) {
        view.pan_x += float(mouse.x - drag_x) / panes[0].h * 2 / view.zoom;
        view.pan_y -= float(mouse.y - drag_y) / panes[0].h * 2 / view.zoom;
        drag_x = mouse.x, drag_y = mouse.y;
      }
      if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging = false;

      // New snapshots: colours, fading shares, post pulses.
      for (auto& pane : panes) {
        if (pane.run->latest(pane.snapshot)) {
          for (const auto& [sender, kind] : pane.snapshot.senders) {
            pane.shares.emplace_back(sender, kind, now);
          }
          while (pane.shares.size() > 4000) pane.shares.pop_front();
          if (!pane.snapshot.reached.empty()) {
            pane.pulse_at = now, pane.pulse_reached = pane.snapshot.reached;
          }
        }
        while (!pane.shares.empty() && now - std::get<2>(pane.shares.front()) > kEdgeFade)
          pane.shares.pop_front();
      }

      // Draw the panes.
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.08f, 0.09f, 0.11f, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      glEnable(GL_BLEND);
      glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
      const float point_size = std::clamp(
          2.0f * std::sqrt(view.zoom) * (graph->num_nodes() > 200000 ? 0.6f : 1.0f), 1.0f, 8.0f);
      for (auto& pane : panes) {
        glViewport(GLint(pane.x0), GLint(float(fb_h) - pane.y0 - pane.h), GLsizei(pane.w),
                   GLsizei(pane.h));
        renderer.set_view(view.zoom * std::min(1.0f, pane.w / pane.h), view.pan_x, view.pan_y,
                          pane.w / pane.h);
        std::vector<Renderer::Vertex> lines;
        for (const auto& [sender, kind, when] : pane.shares) {
          const double alpha = 0.8 * (1 - (now - when) / kEdgeFade);
          const std::uint32_t colour = with_alpha(kind ? 0xff3539e5u : 0xff47d04bu, alpha);
          int drawn = 0;
          for (Vertex w : graph->out_neighbors(sender)) {
            if (++drawn > 12) break;
            lines.push_back({layout.x[sender], layout.y[sender], colour});
            lines.push_back({layout.x[w], layout.y[w], colour});
          }
        }
        for (const auto& [parent, child] : tree) {
          if (parent == 0xffffffffu) continue;
          lines.push_back({layout.x[parent], layout.y[parent], 0xff00ffffu});
          lines.push_back({layout.x[child], layout.y[child], 0xff00ffffu});
        }
        renderer.draw_lines(lines);
        auto& points = pane.points;
        points.resize(graph->num_nodes());
        const auto& states = pane.snapshot.states;
        for (Vertex v = 0; v < graph->num_nodes(); ++v) {
          const std::uint8_t s = v < states.size() ? states[v] : 0;
          points[v] = {layout.x[v], layout.y[v], kStateColours[s % std::size(kStateColours)]};
        }
        renderer.draw_points(points, point_size);
        // Brand posts pulse on the followers.
        const double pulse = 1 - (now - pane.pulse_at) / kPulseTime;
        if (pulse > 0 && !pane.pulse_reached.empty()) {
          std::vector<Renderer::Vertex> ring;
          for (Vertex v : pane.pulse_reached) {
            ring.push_back({layout.x[v], layout.y[v], with_alpha(0xffffffffu, 0.6 * pulse)});
          }
          renderer.draw_points(ring, point_size * float(1 + 2 * pulse));
        }
        if (selected) {
          renderer.draw_points({{layout.x[*selected], layout.y[*selected], 0xff00ffffu}},
                               point_size + 6);
        }
      }
      glViewport(0, 0, fb_w, fb_h);

      // Labels on the panes: scenario and simulated time.
      for (std::size_t i = 0; i < panes.size(); ++i) {
        const auto& pane = panes[i];
        ImGui::GetForegroundDrawList()->AddText(
            ImVec2(pane.x0 + 10, pane.y0 + 8), kRunColours[i],
            fmt::format("{}   {}", pane.run->config().name,
                        sim_time(pane.snapshot.tick, pane.run->config().tick_hours))
                .c_str());
      }

      // The panel: controls, legend, inspector.
      ImGui::SetNextWindowPos(ImVec2(area_w, 0));
      ImGui::SetNextWindowSize(ImVec2(kPanelWidth, float(fb_h)));
      ImGui::Begin(
          "buzzview", nullptr,
          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
      ImGui::Text("%u agents, %llu ties, %u communities", graph->num_nodes(),
                  static_cast<unsigned long long>(graph->num_edges()), graph->num_communities());
      if (ImGui::Button(runs[0]->playing() ? "Pause" : "Play")) {
        const bool play = !runs[0]->playing();
        for (auto& r : runs) r->set_playing(play);
      }
      ImGui::SameLine();
      if (ImGui::Button("Step"))
        for (auto& r : runs) r->step_once();
      ImGui::SameLine();
      if (ImGui::Button("Restart"))
        for (auto& r : runs) r->restart();
      ImGui::SameLine();
      if (ImGui::Button("New seed")) {
        const auto s = runs[0]->seed() + 1;
        for (auto& r : runs) r->restart(s);
      }
      if (ImGui::SliderFloat("ticks/s", &speed, 1, 2000, "%.0f", ImGuiSliderFlags_Logarithmic)) {
        for (auto& r : runs) r->set_speed(speed);
      }
      ImGui::Text("seed %llu", static_cast<unsigned long long>(runs[0]->seed()));
      ImGui::Separator();
      const auto controls = runs[0]->controls();
      if (!controls.empty() || !triggers.empty()) {
        ImGui::TextUnformatted("Live controls (first scenario)");
        for (const auto& c : controls) {
          float value = float(c.value);
          int choice = int(c.value);
          bool changed = false;
          if (!c.choices.empty()) {
            std::vector<const char*> items;
            for (const auto& x : c.choices) items.push_back(x.c_str());
            changed = ImGui::Combo(c.name.c_str(), &choice, items.data(), int(items.size()));
            value = float(choice);
          } else {
            changed = ImGui::SliderFloat(c.name.c_str(), &value, float(c.min), float(c.max), "%.2f",
                                         c.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
          }
          if (changed) runs[0]->set_control(c.name, value);
        }
        for (std::size_t t = 0; t < triggers.size(); ++t) {
          ImGui::SliderFloat((triggers[t].name + " size").c_str(), &trigger_sizes[t],
                             float(triggers[t].min), float(triggers[t].max), "%.3f");
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", triggers[t].size_label.c_str());
          if (ImGui::Button((triggers[t].name + " now").c_str())) {
            for (auto& r : runs) r->trigger(triggers[t].name, trigger_sizes[t]);
          }
        }
        ImGui::Separator();
      }
      const ImVec2 legend_at = ImGui::GetCursorScreenPos();
      ImGui::TextUnformatted("Legend");
      const auto names = runs[0]->state_names();
      for (std::size_t s = 0; s < names.size(); ++s) {
        const std::uint32_t c = kStateColours[s % std::size(kStateColours)];
        ImGui::ColorButton(names[s].c_str(), ImGui::ColorConvertU32ToFloat4(c),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
        ImGui::SameLine();
        ImGui::TextUnformatted(names[s].c_str());
      }
      ImGui::TextColored(ImVec4(0.3f, 0.82f, 0.3f, 1), "--"), ImGui::SameLine(),
          ImGui::TextUnformatted("share to friends (fades)");
      ImGui::TextColored(ImVec4(0.9f, 0.22f, 0.2f, 1), "--"), ImGui::SameLine(),
          ImGui::TextUnformatted("complaint to friends (fades)");
      ImGui::TextColored(ImVec4(1, 1, 1, 1), "o "), ImGui::SameLine(),
          ImGui::TextUnformatted("brand post pulses on followers");
      ImGui::TextColored(ImVec4(1, 1, 0, 1), "--"), ImGui::SameLine(),
          ImGui::TextUnformatted("share tree of the selected agent");
      const ImVec2 legend_end = ImGui::GetCursorScreenPos();
      legend_rect = ImVec4(legend_at.x, legend_at.y, kPanelWidth - 16, legend_end.y - legend_at.y);
      ImGui::Separator();
      const auto inspect = hovered ? hovered : selected;
      if (inspect) {
        const Vertex v = *inspect;
        ImGui::Text("%s agent %u", hovered ? "Hovered" : "Selected", v);
        ImGui::Text("community %u, degree %u", graph->community(v), graph->out_degree(v));
        std::string about = panes[0].run->describe(v);
        const auto& states = panes[0].snapshot.states;
        if (about.empty() && v < states.size() && states[v] < names.size()) {
          about = "state " + names[states[v]];  // from the snapshot, for any model
        }
        ImGui::TextWrapped("%s", about.c_str());
        if (selected) ImGui::Text("share tree: %zu ties (yellow)", tree.size());
      } else {
        ImGui::TextWrapped(
            "Hover an agent to inspect it; click to select it and show its share tree.");
      }
      ImGui::Separator();
      ImGui::TextWrapped(
          "Keys: Space play/pause, S or Right step, R restart, N new seed, C the first event now "
          "(a crisis), "
          "Esc clear selection. Wheel zooms, drag pans.");
      ImGui::End();

      // The timeline.
      ImGui::SetNextWindowPos(ImVec2(0, area_h));
      ImGui::SetNextWindowSize(ImVec2(area_w, kTimelineHeight));
      ImGui::Begin(
          "Timeline", nullptr,
          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
      timeline_rect = ImVec4(0, area_h, area_w, kTimelineHeight);
      std::vector<std::vector<std::vector<double>>> histories(runs.size());
      std::vector<std::uint32_t> marks;
      for (std::size_t r = 0; r < runs.size(); ++r) {
        std::vector<std::uint32_t> m;
        runs[r]->timeline(histories[r], m);
        if (r == 0) marks = m;
      }
      std::vector<const std::vector<std::vector<double>>*> rows;
      for (const auto& h : histories) rows.push_back(&h);
      const std::vector<std::string>& wanted = runs[0]->headline_columns();
      const float plot_w = (area_w - 40) / 4 - 8;
      for (std::size_t k = 0; k < wanted.size() && k < 8; ++k) {
        std::vector<int> cols;
        for (auto& r : runs) cols.push_back(column_of(r->columns(), wanted[k]));
        if (k % 4) ImGui::SameLine();
        timeline_plot(wanted[k].c_str(), rows, cols, marks, ImVec2(plot_w, 75));
      }
      ImGui::End();

      ImGui::Render();
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      glFinish();
      ++frame;
      frame_ms_sum += std::chrono::duration<double, std::milli>(Clock::now() - frame_start).count();
      if (headless && frame >= frames) {
        // The frame just drawn, from the back buffer, as RGB (the alpha channel is not an image).
        std::vector<unsigned char> pixels(std::size_t(fb_w) * fb_h * 3);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, fb_w, fb_h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
        stbi_flip_vertically_on_write(1);
        if (!stbi_write_png(screenshot.c_str(), fb_w, fb_h, 3, pixels.data(), fb_w * 3)) {
          std::cerr << screenshot << ": cannot write the screenshot\n";
          exit_status = 1;
        }
        fmt::print("{} frames of {}x{}, {} agents: {:.2f} ms per frame on average; tick {}\n",
                   frame, fb_w, fb_h, graph->num_nodes(), frame_ms_sum / frame,
                   panes[0].snapshot.tick);
        fmt::print(
            "panels: legend {:.0f},{:.0f},{:.0f},{:.0f} timeline {:.0f},{:.0f},{:.0f},{:.0f}\n",
            legend_rect.x, legend_rect.y, legend_rect.z, legend_rect.w, timeline_rect.x,
            timeline_rect.y, timeline_rect.z, timeline_rect.w);
        break;
      }
      glfwSwapBuffers(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_status;
}
