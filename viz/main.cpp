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

int main(int argc, char** argv) {
  // Mesa's software renderer allocates and frees buffers of a few hundred kilobytes every
  // frame. glibc would map each afresh and fault in every page, which costs several ms a
  // frame on a virtual machine; keeping such blocks in the heap avoids that.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{"buzzview: watch buzz spread live through communities"};
  std::string file, file_b, screenshot, size = "1600x1000";
  std::optional<std::uint64_t> seed;
  int frames = 60;
  unsigned threads = 0;
  app.add_option("file", file, "Scenario file (.textproto)")->required();
  app.add_option("file_b", file_b, "A second scenario, shown side by side on the same graph");
  app.add_option("--seed", seed, "Seed, replacing the scenario's");
  std::vector<std::string> sets;
  app.add_option("--set", sets,
                 "Set a field by its sweep path: --set campaign.tone=0.8 (repeatable)")
      ->type_name("PATH=VALUE")
      ->expected(1)
      ->take_all();
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
  std::optional<double> speed;
  app.add_option("--speed", speed,
                 "Ticks per second to play at, as far as 60 frames a second leave room "
                 "(default 24, a day a second; a screenshot without it plays flat out)")
      ->check(CLI::Range(1.0, 2000.0));
  std::optional<std::uint32_t> until_tick;
  app.add_option("--until-tick", until_tick, "Pause when the run reaches this tick")
      ->check(CLI::PositiveNumber);
  bool no_ties = false;
  app.add_flag("--no-ties", no_ties,
               "Start with ties hidden (they are drawn when the graph has at most 5,000; "
               "T toggles them)");
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
    configs.push_back(buzz::scenario::load(file, {seed, std::nullopt, std::nullopt, sets}));
    if (!file_b.empty()) {
      configs.push_back(
          buzz::scenario::load(file_b, {configs[0].seed, std::nullopt, std::nullopt, sets}));
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
    const auto t0 = std::chrono::steady_clock::now();
    layout =
        buzz::viz::cached_layout(*graph, configs[0].graph_seed, configs[0].graph_key, cache_dir);
    std::cerr << fmt::format(
        "layout of {} agents: {:.0f} ms\n", graph->num_nodes(),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
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
    buzz::viz::App app(window, *graph, layout, configs,
                       {screenshot, frames, until_day, until_tick, speed, !no_ties});
    exit_status = app.run();
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_status;
}
