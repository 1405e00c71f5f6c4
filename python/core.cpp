// buzzsim._core: the engine for Python. The pure-Python layer (buzzsim/__init__.py) turns
// what this returns (the CLI's own CSV and JSON texts, NumPy arrays) into DataFrames, so
// that a notebook and the command line give the same numbers.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/info.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "sim/analysis/compare.hpp"
#include "sim/batch/backtest.hpp"
#include "sim/batch/calibrate.hpp"
#include "sim/batch/draws.hpp"
#include "sim/batch/memory.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/batch/writers.hpp"
#include "sim/common/input_error.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/report/report.hpp"
#include "sim/report/tables.hpp"
#include "sim/scenario/scenario.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using buzz::InputError;
using buzz::scenario::Config;
using buzz::scenario::Overrides;

namespace {

Overrides overrides(std::optional<std::uint64_t> seed, std::optional<std::uint32_t> replicates,
                    std::optional<std::uint32_t> ticks, std::vector<std::string> sets) {
  return {seed, replicates, ticks, std::move(sets)};
}

// Calls a Python progress callback (done, total) from whichever thread finishes a run.
class Progress {
 public:
  Progress(py::object callback, std::uint64_t total)
      : callback_(std::move(callback)), total_(total) {}
  void advance() {
    const std::lock_guard lock(mutex_);
    ++done_;
    if (callback_.is_none()) return;
    const py::gil_scoped_acquire gil;
    try {
      callback_(done_, total_);
    } catch (const py::error_already_set&) {
      // A failing callback must not abandon the run; the run's result is still wanted.
    }
  }

 private:
  std::mutex mutex_;
  py::object callback_;
  std::uint64_t total_, done_ = 0;
};

// A run's outputs as the CLI writes them.
py::dict result_dict(const Config& config, const buzz::batch::RunResult& result,
                     const buzz::batch::RunContext& context) {
  py::dict d;
  d["name"] = config.name;
  d["dynamics"] = result.dynamics;
  d["timeseries_csv"] = buzz::batch::timeseries_csv(config, result);
  d["summary_csv"] = buzz::batch::summary_csv(result);
  d["summary_json"] = buzz::batch::summary_json(config, result);
  d["provenance_json"] = buzz::batch::provenance_json(config, context);
  py::dict tables;
  for (const auto& [name, csv] : buzz::batch::table_csvs(result)) tables[py::str(name)] = csv;
  d["tables"] = tables;
  return d;
}

buzz::batch::RunContext context(const std::vector<std::string>& command_line, unsigned threads) {
  return {command_line, threads, buzz::batch::utc_now()};
}

py::dict run(const Config& config, unsigned threads, const std::string& out, bool overwrite,
             const std::vector<std::string>& command_line, py::object progress) {
  const buzz::batch::ThreadLimit limit(threads);
  buzz::batch::check_memory(config, limit.count());
  std::optional<buzz::batch::OutputDir> dir;
  if (!out.empty()) {
    buzz::batch::check_disk_space({config}, out);
    dir.emplace(out, overwrite);
  }
  Progress bar(std::move(progress), config.replicates);
  const auto ctx = context(command_line, limit.count());
  buzz::batch::RunResult result;
  {
    const py::gil_scoped_release release;
    const auto graph = buzz::batch::build_graph(config);
    result = buzz::batch::run(config, graph, [&] { bar.advance(); });
    if (dir) {
      buzz::batch::write_outputs(dir->staging(), config, graph, result, ctx);
      dir->commit();
    }
  }
  return result_dict(config, result, ctx);
}

// Checks that every scenario fits in memory on `threads` threads; their replicates in all.
std::uint64_t checked_replicates(const std::vector<Config>& configs, unsigned threads) {
  std::uint64_t total = 0;
  for (const auto& c : configs) {
    buzz::batch::check_memory(c, threads);
    total += c.replicates;
  }
  return total;
}

// Several scenarios (a grid sweep's points), each graph built once and shared by the
// points that leave it alone; a result per scenario, as run() gives it.
py::list run_points(const std::vector<Config>& configs, unsigned threads,
                    const std::vector<std::string>& command_line, py::object progress) {
  const buzz::batch::ThreadLimit limit(threads);
  Progress bar(std::move(progress), checked_replicates(configs, limit.count()));
  const auto ctx = context(command_line, limit.count());
  std::vector<buzz::batch::RunResult> results;
  {
    const py::gil_scoped_release release;
    const auto graphs = buzz::batch::build_graphs(configs);
    for (const auto& c : configs) {
      results.push_back(
          buzz::batch::run(c, buzz::batch::graph_of(graphs, c), [&] { bar.advance(); }));
    }
  }
  py::list out;
  for (std::size_t i = 0; i < configs.size(); ++i)
    out.append(result_dict(configs[i], results[i], ctx));
  return out;
}

// Every scenario on common random numbers, each graph built once; with `draws` > 0, also
// on that many draws of the campaign's parameters (from `posterior` when given), which
// needs every scenario as a file (`files`, "" for one from text).
py::dict compare(const std::vector<Config>& configs, unsigned threads, const std::string& report,
                 const std::vector<std::string>& command_line, py::object progress,
                 const std::vector<std::string>& files, std::uint32_t draws,
                 const std::string& posterior, const std::vector<Overrides>& o, bool sobol) {
  if (configs.size() < 2) {
    throw InputError(fmt::format("compare: scenarios must be at least 2, got {}", configs.size()));
  }
  std::optional<buzz::batch::UncertaintyPlan> plan;
  if (draws > 0) {
    for (std::size_t i = 0; i < configs.size(); ++i) {
      if (i >= files.size() || files[i].empty()) {
        throw InputError(fmt::format(
            "compare: uncertainty must compare scenario files (each draw reloads them), got "
            "{} from text",
            configs[i].origin));
      }
    }
    plan = buzz::batch::plan_draws(files, configs, draws, posterior, sobol);
  }
  const buzz::batch::ThreadLimit limit(threads);
  Progress bar(std::move(progress), checked_replicates(configs, limit.count()));
  const auto ctx = context(command_line, limit.count());
  buzz::batch::ComparisonRun compared;
  {
    const py::gil_scoped_release release;
    const auto graphs = buzz::batch::build_graphs(configs);
    compared = buzz::batch::run_comparison(configs, graphs, plan ? &*plan : nullptr, files, o, {},
                                           [&] { bar.advance(); });
    if (!report.empty()) {
      const auto* u = compared.uncertainty ? &*compared.uncertainty : nullptr;
      buzz::batch::write_file(
          report, buzz::report::comparison_report(compared.runs, compared.comparison, u));
    }
  }
  const auto& runs = compared.runs;
  const auto& comparison = compared.comparison;
  const auto& u = compared.uncertainty;
  py::dict d;
  d["compare_csv"] = buzz::report::comparison_csv(comparison);
  d["table"] = buzz::report::comparison_table(comparison);
  d["verdicts"] = buzz::report::verdicts(comparison);
  d["paired"] = comparison.paired;
  if (u) {
    d["uncertainty_csv"] = buzz::report::uncertainty_csv(*u);
    d["sensitivity_csv"] = buzz::report::sensitivity_csv(*u);
    d["draws_csv"] = buzz::report::draws_csv(*u);
    d["uncertainty_text"] = buzz::report::uncertainty_table(*u);
    if (u->saltelli_n > 0) d["sobol_csv"] = buzz::report::sobol_csv(*u);
  }
  py::list results;
  for (const auto& r : runs) results.append(result_dict(r.config, r.result, ctx));
  d["runs"] = results;
  return d;
}

// A sweep plan run and written to `out` by the code `buzzsim sweep` uses: the same
// tables, byte for byte.
py::dict run_plan(const buzz::scenario::SweepPlan& plan, unsigned threads, const fs::path& out,
                  bool resume, bool overwrite, const std::vector<std::string>& command_line,
                  py::object progress) {
  const buzz::batch::ThreadLimit limit(threads);
  for (const auto& point : plan.points) buzz::batch::check_memory(point.config, limit.count());
  std::uint64_t total = 0;
  for (const auto& point : plan.points) total += point.config.replicates;
  Progress bar(std::move(progress), total);
  buzz::batch::SweepSummary summary;
  {
    const py::gil_scoped_release release;
    buzz::batch::SweepOptions options{out, resume, overwrite};
    options.replicate_done = [&] { bar.advance(); };
    summary = buzz::batch::run_sweep(plan, options, context(command_line, limit.count()));
  }
  py::dict d;
  d["points"] = summary.points;
  d["computed"] = summary.computed;
  d["skipped"] = summary.skipped;
  d["fields"] = plan.fields;
  return d;
}

// A scenario file's calibrate block, with the particles and generations asked for.
buzz::scenario::CalibrationPlan load_plan(const fs::path& file, const Overrides& o,
                                          std::optional<std::uint32_t> particles,
                                          std::optional<std::uint32_t> generations) {
  auto plan = buzz::scenario::load_calibration(file, o);
  if (particles) plan.particles = *particles;
  if (generations) plan.generations = *generations;
  return plan;
}

// A calibrate block's ABC-SMC, written to `out` as `buzzsim calibrate` writes it.
py::dict calibrate(const fs::path& file, const Overrides& o, std::optional<std::uint32_t> particles,
                   std::optional<std::uint32_t> generations, unsigned threads, const fs::path& out,
                   bool resume, bool overwrite, const std::vector<std::string>& command_line) {
  const buzz::batch::ThreadLimit limit(threads);
  const auto plan = load_plan(file, o, particles, generations);
  buzz::batch::CalibrationSummary summary;
  {
    const py::gil_scoped_release release;
    summary = buzz::batch::run_calibration(
        plan, {out, resume, overwrite, 0, 1, [] {}, [](std::vector<double>&) {}},
        context(command_line, limit.count()));
  }
  py::dict d;
  d["generations"] = summary.generations.size();
  d["resumed"] = summary.resumed;
  d["table"] = summary.table;
  return d;
}

// A rolling-origin backtest of a calibrate block, written to `out` as `buzzsim backtest`
// writes it. No origins: every one the data allow.
py::dict backtest(const fs::path& file, const Overrides& o, std::optional<std::uint32_t> particles,
                  std::optional<std::uint32_t> generations, std::vector<int> origins, int horizon,
                  unsigned threads, const fs::path& out, bool resume, bool overwrite,
                  const std::vector<std::string>& command_line) {
  if (horizon < 1 || horizon > 120) {
    throw InputError(fmt::format("backtest: horizon must be 1 to 120 months, got {}", horizon));
  }
  for (const int k : origins) {
    if (k < 1 || k > 1200) {
      throw InputError(fmt::format("backtest: origins must be 1 to 1200 months, got {}", k));
    }
  }
  const buzz::batch::ThreadLimit limit(threads);
  const auto plan = load_plan(file, o, particles, generations);
  if (origins.empty()) origins = buzz::batch::default_origins(plan, horizon);
  buzz::batch::BacktestSummary summary;
  {
    const py::gil_scoped_release release;
    summary = buzz::batch::run_backtest(
        plan, origins, horizon, {out, resume, overwrite, 0, 1, [] {}, [](std::vector<double>&) {}},
        context(command_line, limit.count()));
  }
  py::dict d;
  std::vector<int> fitted;
  for (const auto& origin : summary.origins) fitted.push_back(origin.fitted_months);
  d["origins"] = fitted;
  d["table"] = summary.table;
  return d;
}

// One replicate advanced tick by tick, for live notebooks: what the viewer does.
class Simulation {
 public:
  Simulation(const Config& config, std::uint32_t replicate)
      : config_(config),
        graph_(build(config, replicate)),
        model_(buzz::dynamics::make_model(config_.dynamics, graph_)),
        simulation_(*model_, config_.seed, replicate),
        columns_(model_->tick_reporters().size()) {
    simulation_.start();
    record();
  }

  // Advances up to `ticks` ticks, not past the scenario's horizon; returns the tick reached.
  std::uint32_t step(std::uint32_t ticks) {
    const py::gil_scoped_release release;
    for (std::uint32_t i = 0; i < ticks && simulation_.tick() < config_.ticks; ++i) {
      simulation_.advance();
      record();
    }
    return simulation_.tick();
  }

  std::uint32_t tick() const { return simulation_.tick(); }
  std::uint32_t horizon() const { return config_.ticks; }
  double tick_hours() const { return config_.tick_hours; }
  std::size_t agents() const { return graph_.num_nodes(); }
  std::vector<std::string> state_names() const { return model_->state_names(); }

  // Each agent's state code (an index into state_names()), one byte per agent.
  py::array_t<std::uint8_t> states() const {
    py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(graph_.num_nodes()));
    model_->agent_states({out.mutable_data(), graph_.num_nodes()});
    return out;
  }

  // Each agent's community, as the graph was built.
  py::array_t<std::uint32_t> communities() const {
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(graph_.num_nodes()));
    for (std::uint32_t v = 0; v < graph_.num_nodes(); ++v)
      out.mutable_data()[v] = graph_.community(v);
    return out;
  }

  std::vector<std::string> columns() const { return buzz::engine::names(model_->tick_reporters()); }
  // The recorded rows so far: one per tick stepped, tick 0 first, a value per column.
  py::array_t<double> rows() const {
    py::array_t<double> out(
        {static_cast<py::ssize_t>(ticks_.size()), static_cast<py::ssize_t>(columns_)});
    std::copy(values_.begin(), values_.end(), out.mutable_data());
    return out;
  }
  const std::vector<std::uint32_t>& recorded_ticks() const { return ticks_; }

  py::list controls() const {
    py::list out;
    for (const auto& c : model_->controls()) {
      py::dict d;
      d["name"] = c.name;
      d["min"] = c.min;
      d["max"] = c.max;
      d["value"] = c.value;
      d["choices"] = c.choices;
      out.append(d);
    }
    return out;
  }
  void set_control(const std::string& name, double value) {
    for (const auto& c : model_->controls()) {
      if (c.name != name) continue;
      if (!(value >= c.min && value <= c.max)) {
        throw InputError(
            fmt::format("set_control: {} must be in [{}, {}], got {}", name, c.min, c.max, value));
      }
      model_->set_control(name, value);
      return;
    }
    throw InputError(
        fmt::format("set_control: name must be one of the model's controls ({}), got \"{}\"",
                    fmt::join(names(model_->controls()), ", "), name));
  }
  py::list triggers() const {
    py::list out;
    for (const auto& t : model_->triggers()) {
      py::dict d;
      d["name"] = t.name;
      d["size_label"] = t.size_label;
      d["min"] = t.min;
      d["max"] = t.max;
      d["size"] = t.size;
      out.append(d);
    }
    return out;
  }
  void trigger(const std::string& name, std::optional<double> size) {
    for (const auto& t : model_->triggers()) {
      if (t.name != name) continue;
      const double s = size.value_or(t.size);
      if (!(s >= t.min && s <= t.max)) {
        throw InputError(
            fmt::format("trigger: {} size must be in [{}, {}], got {}", name, t.min, t.max, s));
      }
      model_->trigger(name, s);
      return;
    }
    throw InputError(fmt::format("trigger: name must be one of the model's events ({}), got \"{}\"",
                                 fmt::join(names(model_->triggers()), ", "), name));
  }
  std::string describe(std::uint32_t agent) const {
    if (agent >= graph_.num_nodes()) {
      throw InputError(
          fmt::format("describe: agent must be below {}, got {}", graph_.num_nodes(), agent));
    }
    return model_->describe(agent);
  }

 private:
  static buzz::graph::Graph build(const Config& config, std::uint32_t replicate) {
    if (replicate >= config.replicates) {
      throw InputError(fmt::format("{}: replicate must be below replicates ({}), got {}",
                                   config.origin, config.replicates, replicate));
    }
    return buzz::batch::build_graph(config, nullptr, replicate);
  }
  template <class T>
  static std::vector<std::string> names(const std::vector<T>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.name);
    return out;
  }
  void record() {
    model_->on_record(simulation_.tick());
    ticks_.push_back(simulation_.tick());
    model_->observe(values_);
  }

  Config config_;
  buzz::graph::Graph graph_;
  std::unique_ptr<buzz::engine::Model> model_;
  buzz::engine::Simulation simulation_;
  std::size_t columns_;
  std::vector<std::uint32_t> ticks_;
  std::vector<double> values_;
};

// InputError keeps the parts of its first line as attributes, for notebooks.
void bind_errors(py::module_& m) {
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::object error = py::reinterpret_borrow<py::object>(input_error.ptr())(e.what());
      error.attr("file") = e.file();
      error.attr("line") = e.line() > 0 ? py::object(py::int_(e.line())) : py::none();
      error.attr("column") = e.column() > 0 ? py::object(py::int_(e.column())) : py::none();
      error.attr("field") = e.field();
      error.attr("rule") = e.rule();
      error.attr("value") = e.value();
      PyErr_SetObject(input_error.ptr(), error.ptr());
    } catch (const buzz::engine::Interrupted&) {
      PyErr_SetString(PyExc_KeyboardInterrupt, "interrupted");
    }
  });
}

// A loaded scenario.
void bind_config(py::module_& m) {
  py::class_<Config>(m, "Config")
      .def_property_readonly("name", [](const Config& c) { return c.name; })
      .def_property_readonly("file", [](const Config& c) { return c.file.string(); })
      .def_property_readonly("seed", [](const Config& c) { return c.seed; })
      .def_property_readonly("replicates", [](const Config& c) { return c.replicates; })
      .def_property_readonly("ticks", [](const Config& c) { return c.ticks; })
      .def_property_readonly("tick_hours", [](const Config& c) { return c.tick_hours; })
      .def_property_readonly("text", [](const Config& c) { return c.canonical_text; })
      .def_property_readonly("sha256", [](const Config& c) { return buzz::scenario::hash(c); })
      .def_property_readonly(
          "dynamics", [](const Config& c) { return std::string(buzz::dynamics::name(c.dynamics)); })
      .def("values", [](const Config& c) { return buzz::scenario::field_values(c); });
}

// Loading, parsing and validating scenarios.
void bind_scenarios(py::module_& m) {
  m.def(
      "load",
      [](const fs::path& file, std::vector<std::string> sets, std::optional<std::uint64_t> seed,
         std::optional<std::uint32_t> replicates, std::optional<std::uint32_t> ticks) {
        return buzz::scenario::load(file, overrides(seed, replicates, ticks, std::move(sets)));
      },
      py::arg("file"), py::arg("sets") = std::vector<std::string>{}, py::arg("seed") = py::none(),
      py::arg("replicates") = py::none(), py::arg("ticks") = py::none());
  m.def(
      "parse",
      [](const std::string& text, const std::string& origin, const fs::path& base_dir, bool json,
         std::vector<std::string> sets, std::optional<std::uint64_t> seed,
         std::optional<std::uint32_t> replicates, std::optional<std::uint32_t> ticks) {
        const auto o = overrides(seed, replicates, ticks, std::move(sets));
        return json ? buzz::scenario::parse_json(text, origin, base_dir, o)
                    : buzz::scenario::parse(text, origin, base_dir, o);
      },
      py::arg("text"), py::arg("origin"), py::arg("base_dir"), py::arg("json") = false,
      py::arg("sets") = std::vector<std::string>{}, py::arg("seed") = py::none(),
      py::arg("replicates") = py::none(), py::arg("ticks") = py::none());
  m.def(
      "validate_file",
      [](const fs::path& file, std::vector<std::string> sets) {
        const py::gil_scoped_release release;
        buzz::batch::validate(file, overrides({}, {}, {}, std::move(sets)),
                              unsigned(tbb::info::default_concurrency()));
      },
      py::arg("file"), py::arg("sets") = std::vector<std::string>{});
  m.def(
      "validate_config",
      [](const Config& c) {
        const py::gil_scoped_release release;
        buzz::batch::validate(c, unsigned(tbb::info::default_concurrency()));
      },
      py::arg("config"));
}

// Runs, comparisons, sweeps and calibrations.
void bind_batch(py::module_& m) {
  m.def("run", &run, py::arg("config"), py::arg("threads") = 0, py::arg("out") = "",
        py::arg("overwrite") = false, py::arg("command_line") = std::vector<std::string>{},
        py::arg("progress") = py::none());
  m.def("run_points", &run_points, py::arg("configs"), py::arg("threads") = 0,
        py::arg("command_line") = std::vector<std::string>{}, py::arg("progress") = py::none());
  m.def(
      "compare",
      [](const std::vector<Config>& configs, unsigned threads, const std::string& report,
         const std::vector<std::string>& command_line, py::object progress,
         const std::vector<std::string>& files, std::uint32_t draws, const std::string& posterior,
         const std::vector<std::vector<std::string>>& sets, bool sobol) {
        // Each draw reloads file i as it was loaded: the first's seed and replicates, its sets.
        std::vector<Overrides> o;
        for (std::size_t i = 0; i < configs.size(); ++i) {
          o.push_back(overrides(configs[0].seed, configs[0].replicates, configs[i].ticks,
                                i < sets.size() ? sets[i] : std::vector<std::string>{}));
        }
        return compare(configs, threads, report, command_line, std::move(progress), files, draws,
                       posterior, o, sobol);
      },
      py::arg("configs"), py::arg("threads") = 0, py::arg("report") = "",
      py::arg("command_line") = std::vector<std::string>{}, py::arg("progress") = py::none(),
      py::arg("files") = std::vector<std::string>{}, py::arg("draws") = 0,
      py::arg("posterior") = "", py::arg("sets") = std::vector<std::vector<std::string>>{},
      py::arg("sobol") = false);
  m.def(
      "sweep",
      [](const fs::path& file, std::vector<std::string> sets,
         std::optional<std::uint32_t> replicates, std::optional<std::uint32_t> ticks,
         unsigned threads, const fs::path& out, bool resume, bool overwrite,
         const std::vector<std::string>& command_line, py::object progress) {
        const auto plan =
            buzz::scenario::load_sweep(file, overrides({}, replicates, ticks, std::move(sets)));
        return run_plan(plan, threads, out, resume, overwrite, command_line, std::move(progress));
      },
      py::arg("file"), py::arg("sets"), py::arg("replicates"), py::arg("ticks"), py::arg("threads"),
      py::arg("out"), py::arg("resume"), py::arg("overwrite"), py::arg("command_line"),
      py::arg("progress") = py::none());
  m.def(
      "sweep_grid",
      [](const std::string& file, const std::string& text, const std::string& origin,
         const std::string& base_dir, bool json, std::vector<std::string> sets,
         const std::vector<std::tuple<std::string, std::vector<double>, std::vector<std::string>,
                                      std::vector<std::vector<std::string>>>>& axes,
         std::optional<std::uint32_t> replicates, std::optional<std::uint32_t> ticks,
         unsigned threads, const fs::path& out, bool resume, bool overwrite,
         const std::vector<std::string>& command_line, py::object progress) {
        std::vector<buzz::scenario::GridAxis> grid;
        for (const auto& [field, values, presets, preset_sets] : axes) {
          grid.push_back({field, values, presets, preset_sets});
        }
        const auto plan =
            buzz::scenario::plan_grid({file, text, origin, base_dir, json}, grid,
                                      overrides({}, replicates, ticks, std::move(sets)));
        return run_plan(plan, threads, out, resume, overwrite, command_line, std::move(progress));
      },
      py::arg("file"), py::arg("text"), py::arg("origin"), py::arg("base_dir"), py::arg("json"),
      py::arg("sets"), py::arg("axes"), py::arg("replicates"), py::arg("ticks"), py::arg("threads"),
      py::arg("out"), py::arg("resume"), py::arg("overwrite"), py::arg("command_line"),
      py::arg("progress") = py::none());
  m.def(
      "calibrate",
      [](const fs::path& file, std::vector<std::string> sets, std::optional<std::uint64_t> seed,
         std::optional<std::uint32_t> particles, std::optional<std::uint32_t> generations,
         unsigned threads, const fs::path& out, bool resume, bool overwrite,
         const std::vector<std::string>& command_line) {
        return calibrate(file, overrides(seed, {}, {}, std::move(sets)), particles, generations,
                         threads, out, resume, overwrite, command_line);
      },
      py::arg("file"), py::arg("sets"), py::arg("seed"), py::arg("particles"),
      py::arg("generations"), py::arg("threads"), py::arg("out"), py::arg("resume"),
      py::arg("overwrite"), py::arg("command_line"));
  m.def(
      "backtest",
      [](const fs::path& file, std::vector<std::string> sets, std::optional<std::uint64_t> seed,
         std::optional<std::uint32_t> particles, std::optional<std::uint32_t> generations,
         std::vector<int> origins, int horizon, unsigned threads, const fs::path& out, bool resume,
         bool overwrite, const std::vector<std::string>& command_line) {
        return backtest(file, overrides(seed, {}, {}, std::move(sets)), particles, generations,
                        std::move(origins), horizon, threads, out, resume, overwrite, command_line);
      },
      py::arg("file"), py::arg("sets"), py::arg("seed"), py::arg("particles"),
      py::arg("generations"), py::arg("origins"), py::arg("horizon"), py::arg("threads"),
      py::arg("out"), py::arg("resume"), py::arg("overwrite"), py::arg("command_line"));
}

// A simulation stepped from Python (the live view's API).
void bind_simulation(py::module_& m) {
  py::class_<Simulation>(m, "Simulation")
      .def(py::init<const Config&, std::uint32_t>(), py::arg("config"), py::arg("replicate") = 0)
      .def("step", &Simulation::step, py::arg("ticks") = 1)
      .def_property_readonly("tick", &Simulation::tick)
      .def_property_readonly("horizon", &Simulation::horizon)
      .def_property_readonly("tick_hours", &Simulation::tick_hours)
      .def_property_readonly("agents", &Simulation::agents)
      .def_property_readonly("state_names", &Simulation::state_names)
      .def("states", &Simulation::states)
      .def("communities", &Simulation::communities)
      .def_property_readonly("columns", &Simulation::columns)
      .def("rows", &Simulation::rows)
      .def_property_readonly("recorded_ticks", &Simulation::recorded_ticks)
      .def("controls", &Simulation::controls)
      .def("set_control", &Simulation::set_control, py::arg("name"), py::arg("value"))
      .def("triggers", &Simulation::triggers)
      .def("trigger", &Simulation::trigger, py::arg("name"), py::arg("size") = py::none())
      .def("describe", &Simulation::describe, py::arg("agent"));
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "buzzsim's engine; use the buzzsim package, which wraps it";
  bind_errors(m);
  bind_config(m);
  bind_scenarios(m);
  bind_batch(m);
  m.def("result_json", &buzz::batch::result_json, py::arg("path"));
  m.def("build_version", &buzz::batch::build_version);
  bind_simulation(m);
}
