// buzzview: watch buzz spread live through communities. This file reads the command line,
// loads the scenarios, graph and layout, and opens the window; viz/app.hpp is the viewer.
//
//   buzzview FILE [FILE_B] [--seed S] [--set PATH=VALUE] [--screenshot PNG --frames N] [--size WxH]
//
// Exit status: 0 success, 2 bad input (as buzzsim), 1 no display or another fault.
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <malloc.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "sim/batch/runner.hpp"
#include "sim/common/input_error.hpp"
#include "sim/scenario/scenario.hpp"
#include "viz/app.hpp"
#include "viz/layout.hpp"

namespace {

struct Options {
  std::string file, file_b, screenshot, size = "1600x1000";
  std::optional<std::uint64_t> seed;
  int frames = 60;
  unsigned threads = 0;
  std::vector<std::string> sets;
  std::optional<double> until_day, speed;
  std::optional<std::uint32_t> until_tick;
  bool no_ties = false;
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("file", o.file, "Scenario file (.textproto)")->required();
  app.add_option("file_b", o.file_b, "A second scenario, shown side by side on the same graph");
  app.add_option("--seed", o.seed, "Seed, replacing the scenario's");
  app.add_option("--set", o.sets,
                 "Set a field by its sweep path: --set campaign.tone=0.8 (repeatable)")
      ->type_name("PATH=VALUE")
      ->expected(1)
      ->take_all();
  app.add_option("--screenshot", o.screenshot, "Render headless, write this PNG and exit");
  app.add_option("--frames", o.frames, "Frames to render before the screenshot")
      ->check(CLI::Range(1, 100000));
  app.add_option("--size", o.size, "Window size, WxH")->check([](const std::string& s) {
    int w = 0, h = 0;
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 400 && h >= 300
               ? ""
               : "must be WxH, at least 400x300";
  });
  app.add_option("--threads", o.threads, "Simulation threads (0: all cores)");
  app.add_option("--until-day", o.until_day, "Pause when the run reaches this day")
      ->check(CLI::PositiveNumber);
  app.add_option("--speed", o.speed,
                 "Ticks per second to play at, as far as 60 frames a second leave room "
                 "(default 24, a day a second; a screenshot without it plays flat out)")
      ->check(CLI::Range(1.0, 2000.0));
  app.add_option("--until-tick", o.until_tick, "Pause when the run reaches this tick")
      ->check(CLI::PositiveNumber);
  app.add_flag("--no-ties", o.no_ties,
               "Start with ties hidden (they are drawn when the graph has at most 5,000; "
               "T toggles them)");
}

// The scenarios, the first one's graph and its layout (cached); bad input ends here, as in
// buzzsim validate, by an InputError.
struct World {
  std::vector<buzz::scenario::Config> configs;
  std::optional<buzz::graph::Graph> graph;
  buzz::viz::Layout layout;
};

World load_world(const Options& o) {
  World w;
  w.configs.push_back(buzz::scenario::load(o.file, {o.seed, std::nullopt, std::nullopt, o.sets}));
  if (!o.file_b.empty()) {
    w.configs.push_back(
        buzz::scenario::load(o.file_b, {w.configs[0].seed, std::nullopt, std::nullopt, o.sets}));
    if (w.configs[1].graph_key != w.configs[0].graph_key) {
      std::cerr << o.file_b << ": note: shown on " << o.file
                << "'s graph, for common random numbers\n";
    }
  }
  w.graph.emplace(buzz::batch::build_graph(w.configs[0]));
  const char* cache = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const std::filesystem::path cache_dir =
      cache ? std::filesystem::path(cache) / "buzzsim"
            : std::filesystem::path(home ? home : "/tmp") / ".cache" / "buzzsim";
  const auto t0 = std::chrono::steady_clock::now();
  w.layout = buzz::viz::cached_layout(*w.graph, w.configs[0].graph_seed, w.configs[0].graph_key,
                                      cache_dir);
  std::cerr << fmt::format(
      "layout of {} agents: {:.0f} ms\n", w.graph->num_nodes(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return w;
}

// A window with an OpenGL 3.3 context and ImGui on it, or nullptr after saying why;
// headless runs use Xvfb's display all the same.
GLFWwindow* open_window(const Options& o) {
  int width = 0, height = 0;
  std::sscanf(o.size.c_str(), "%dx%d", &width, &height);
  glfwSetErrorCallback([](int, const char*) {});
  if (!glfwInit()) {
    std::cerr << fmt::format(
        "buzzview: cannot open a window: no display ({}). Run it on a desktop, or headless "
        "under Xvfb: xvfb-run -a buzzview {} --screenshot out.png --frames 60\n",
        std::getenv("DISPLAY") ? fmt::format("DISPLAY={} cannot be reached", std::getenv("DISPLAY"))
                               : std::string("DISPLAY is not set"),
        o.file);
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "buzzview", nullptr, nullptr);
  if (window == nullptr) {
    std::cerr << "buzzview: cannot create an OpenGL 3.3 core window on this display\n";
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(o.screenshot.empty() ? 1 : 0);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  return window;
}

void close_window(GLFWwindow* window) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
}

}  // namespace

int main(int argc, char** argv) {
  // Mesa's software renderer allocates and frees buffers of a few hundred kilobytes every
  // frame. glibc would map each afresh and fault in every page, which costs several ms a
  // frame on a virtual machine; keeping such blocks in the heap avoids that.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{"buzzview: watch buzz spread live through communities"};
  Options o;
  add_options(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            o.threads ? o.threads : unsigned(tbb::info::default_concurrency()));
  World w;
  try {
    w = load_world(o);
  } catch (const buzz::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  GLFWwindow* window = open_window(o);
  if (window == nullptr) return 1;
  int exit_status = 0;
  {
    buzz::viz::App view(window, *w.graph, w.layout, w.configs,
                        {o.screenshot, o.frames, o.until_day, o.until_tick, o.speed, !o.no_ties});
    exit_status = view.run();
  }
  close_window(window);
  return exit_status;
}
