// buzzsim: run and check scenario files.
//
// Exit status: 0 success, 2 bad input (usage, scenario, graph file), 1 internal fault.
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/uncertainty.hpp"
#include "sim/batch/backtest.hpp"
#include "sim/batch/calibrate.hpp"
#include "sim/batch/draws.hpp"
#include "sim/batch/memory.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/progress.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/batch/writers.hpp"
#include "sim/cli/mpi_session.hpp"
#include "sim/common/edit_distance.hpp"
#include "sim/common/input_error.hpp"
#include "sim/common/input_file.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/graph/binary.hpp"
#include "sim/report/report.hpp"
#include "sim/report/tables.hpp"
#include "sim/scenario/page_import.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using buzz::InputError;

constexpr int kOk = 0;
constexpr int kInternalFault = 1;
constexpr int kBadInput = 2;
constexpr int kInterrupted = 130;  // 128 + SIGINT, as shells report it

// Options the running commands share.
struct CommonOptions {
  std::string out;
  unsigned threads = 0;
  std::optional<std::uint32_t> replicates;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> ticks;
  bool overwrite = false;
  std::vector<std::string> sets;  // --set PATH=VALUE
};

void add_set_option(CLI::App* cmd, std::vector<std::string>& sets) {
  cmd->add_option("--set", sets,
                  "Set a field, by its sweep path: --set campaign.tone=0.8 (repeatable; "
                  "\"campaign.\" and \"audience.\" shorthands)")
      ->type_name("PATH=VALUE")
      ->expected(1)
      ->take_all();
}

void add_common_options(CLI::App* cmd, CommonOptions& o, const std::string& out_help,
                        bool with_seed) {
  cmd->add_option("--out", o.out, out_help)->capture_default_str();
  cmd->add_option("--threads", o.threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0u, 1024u))
      ->capture_default_str();
  cmd->add_option("--replicates", o.replicates, "Replicates, replacing the scenario's")
      ->check(CLI::Range(1u, 100000u));
  if (with_seed) {
    // Digits only, within 64 bits: CLI11 would wrap "-1" to 2^64 - 1 silently.
    cmd->add_option("--seed", o.seed, "Seed, replacing the scenario's (0 to 2^64 - 1)")
        ->check([](const std::string& text) -> std::string {
          std::uint64_t v = 0;
          const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          return !text.empty() && ec == std::errc() && end == text.data() + text.size()
                     ? ""
                     : "must be a whole number from 0 to 18446744073709551615, got " + text;
        });
  }
  cmd->add_option("--ticks", o.ticks, "Horizon in ticks, replacing the scenario's")
      ->check(CLI::Range(1u, 10000000u));
  cmd->add_flag("--overwrite", o.overwrite, "Replace an existing output folder");
  add_set_option(cmd, o.sets);
}

struct RunOptions : CommonOptions {
  std::vector<std::string> files;
  std::uint32_t uncertainty = 0;  // compare: parameter draws; 0 for none
  std::string posterior;          // compare: draw from this posterior.csv, not the priors
  bool sobol = false;             // compare: Saltelli's design on base sample `uncertainty`
  bool until_extinction = false;  // run: to the tick the spread is over, ticks the cap
};

std::string format_interval(const buzz::analysis::Interval& i) {
  if (std::isnan(i.low)) return fmt::format("{:.4g}", i.mean);
  return fmt::format("{:.4g} [{:.4g}, {:.4g}]", i.mean, i.low, i.high);
}

struct Finished {
  std::string name;
  std::vector<std::string> metrics;
  std::vector<buzz::analysis::Interval> intervals;
  buzz::batch::BatchEntry entry;  // for batch.csv
};

// Runs one loaded scenario end to end; throws InputError on bad input.
Finished run_file(const std::string& file, buzz::scenario::Config config, const RunOptions& opt,
                  const std::vector<std::string>& command_line, unsigned threads,
                  buzz::batch::Progress& progress) {
  buzz::batch::check_memory(config, threads);
  buzz::batch::check_disk_space({config}, fs::path(opt.out) / fs::path(file).stem());
  // The output place first: a folder that cannot be written is refused before any work.
  buzz::batch::OutputDir dir(fs::path(opt.out) / fs::path(file).stem(), opt.overwrite);
  std::vector<std::string> warnings;
  const auto graph = buzz::batch::build_graph(config, &warnings);
  if (opt.until_extinction) {
    // The horizon becomes the tick the last replicate's spread ended, found by running each
    // replicate to it; the runs below repeat them and record their outputs.
    if (!buzz::dynamics::make_model(config.dynamics, graph)->can_settle()) {
      throw InputError(fmt::format(
          "{}: --until-extinction needs a spread that ends (SIR, SIS, cascades, thresholds); "
          "the {} model goes on as long as it runs: give its horizon with ticks",
          file, buzz::dynamics::name(config.dynamics)));
    }
    const auto end = buzz::batch::extinction_tick(config, graph);
    if (end.still_spreading > 0) {
      warnings.push_back(fmt::format(
          "{}: warning: --until-extinction: in {} of {} replicates the spread was still going "
          "at the cap of {} ticks; raise --ticks to let it end",
          file, end.still_spreading, config.replicates, config.ticks));
    }
    config.ticks = std::max<std::uint32_t>(end.tick, 1);
    if (end.still_spreading == 0) {
      warnings.push_back(
          fmt::format("{}: the spread was over in every replicate by tick {}", file, config.ticks));
    }
  }

  const auto started = buzz::batch::utc_now();
  const auto result = buzz::batch::run(config, graph, [&] { progress.advance(); });
  buzz::batch::write_outputs(dir.staging(), config, graph, result,
                             {command_line, threads, started});
  dir.commit();

  progress.finish();
  for (const auto& w : warnings) std::cerr << w << "\n";
  // An epidemic still going at the horizon: its final size is only what it reached so far.
  const std::size_t infectious = buzz::engine::index_of(result.tick_reporters, "infectious");
  if (result.dynamics == "sir" && infectious < result.tick_reporters.size()) {
    std::size_t going = 0;
    for (const auto& r : result.replicates) {
      const std::size_t rows = r.ticks.size(), columns = result.tick_reporters.size();
      going += rows > 0 && r.at(rows - 1, infectious, columns) > 0;
    }
    if (going > 0) {
      std::cerr << fmt::format(
          "{}: warning: in {} of {} replicates people were still infectious at the horizon "
          "(tick {}): final_size counts only those infected so far; raise ticks to see the "
          "epidemic end\n",
          file, going, result.replicates.size(), config.ticks);
    }
  }
  Finished done{config.name,
                buzz::engine::names(result.run_reporters),
                buzz::batch::aggregate(result),
                {file,
                 config.name,
                 buzz::scenario::field_values(config),
                 buzz::engine::names(result.run_reporters),
                 {},
                 {}}};
  for (const auto& r : result.replicates) done.entry.replicates.push_back(r.metrics);
  for (const auto& set : config.sets) {
    done.entry.set.push_back(buzz::scenario::set_field(set));
  }
  fmt::print("{}: {} on {} agents, {} ties, {} replicates x {} ticks\n", config.name,
             result.dynamics, graph.num_nodes(), graph.num_edges(), config.replicates,
             config.ticks);
  for (std::size_t m = 0; m < done.metrics.size(); ++m) {
    fmt::print("  {:<22} {}\n", done.metrics[m], format_interval(done.intervals[m]));
  }
  fmt::print("  outputs: {}\n", dir.target().string());
  std::fflush(stdout);
  return done;
}

// Side by side means and 95% intervals of the metrics that all runs share.
void print_comparison(const std::vector<Finished>& runs) {
  if (runs.size() < 2) return;
  std::vector<std::string> shared = runs.front().metrics;
  for (const auto& r : runs) {
    std::erase_if(shared, [&](const std::string& m) {
      return std::find(r.metrics.begin(), r.metrics.end(), m) == r.metrics.end();
    });
  }
  if (shared.empty()) return;
  fmt::print("\nmean [95% interval] per scenario\n{:<22}", "metric");
  for (const auto& r : runs) fmt::print(" {:<34}", r.name);
  fmt::print("\n");
  for (const auto& m : shared) {
    fmt::print("{:<22}", m);
    for (const auto& r : runs) {
      const auto at = std::find(r.metrics.begin(), r.metrics.end(), m) - r.metrics.begin();
      fmt::print(" {:<34}", format_interval(r.intervals[at]));
    }
    fmt::print("\n");
  }
}

// A file given to `run`, and how its run went.
struct Entry {
  std::string file;
  std::optional<buzz::scenario::Config> config;
  std::string outcome;  // for the closing table
  double seconds = 0;
};

// run's closing table of several files: each file's result and time.
void print_file_table(const std::vector<Entry>& entries) {
  fmt::print("\n{:<50} {:<15} {:>10} {:>9}\n", "file", "result", "replicates", "seconds");
  for (const auto& e : entries) {
    fmt::print("{:<50} {:<15} {:>10} {:>9.2f}\n", e.file, e.outcome,
               e.config ? e.config->replicates : 0, e.seconds);
  }
  const auto failed = std::count_if(entries.begin(), entries.end(),
                                    [](const Entry& e) { return e.outcome != "ok"; });
  fmt::print("{} of {} files ran{}\n", entries.size() - failed, entries.size(),
             failed ? fmt::format("; {} failed (see the messages above)", failed) : "");
}

int run_command(const RunOptions& opt, const std::vector<std::string>& command_line) {
  const buzz::batch::ThreadLimit limit(opt.threads);
  const unsigned threads = limit.count();

  std::set<std::string> stems;
  for (const auto& f : opt.files) {
    if (!stems.insert(fs::path(f).stem().string()).second) {
      std::cerr << fmt::format(
          "{}: another file has the output name \"{}\"; run them with "
          "different --out folders\n",
          f, fs::path(f).stem().string());
      return kBadInput;
    }
  }

  // Load every file first, so that the progress bar knows the total.
  int status = kOk;
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  const buzz::scenario::Overrides overrides{opt.seed, opt.replicates, opt.ticks, opt.sets};
  for (const auto& file : opt.files) {
    Entry e{file, std::nullopt, "", 0};
    try {
      e.config = buzz::scenario::load(file, overrides);
      total += e.config->replicates;
    } catch (const InputError& error) {
      std::cerr << error.what() << "\n";
      e.outcome = "bad input";
      status = kBadInput;
    }
    entries.push_back(std::move(e));
  }
  buzz::batch::Progress progress(total);
  std::vector<Finished> finished;
  for (auto& e : entries) {
    if (!e.config) continue;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      finished.push_back(run_file(e.file, *e.config, opt, command_line, threads, progress));
      e.outcome = "ok";
    } catch (const buzz::engine::Interrupted&) {
      progress.finish();
      throw;  // the files not yet run are not run either
    } catch (const InputError& error) {
      progress.finish();
      std::cerr << error.what() << "\n";
      e.outcome = "bad input";
      if (status == kOk) status = kBadInput;
    } catch (const fs::filesystem_error& error) {
      progress.finish();
      std::cerr << fmt::format("{}: {}\n", error.path1().string(), error.code().message());
      e.outcome = "bad input";
      if (status == kOk) status = kBadInput;
    } catch (const std::exception& error) {
      progress.finish();
      std::cerr << e.file << ": internal error: " << error.what() << "\n";
      e.outcome = "internal error";
      status = kInternalFault;
    }
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  progress.finish();
  print_comparison(finished);
  if (finished.size() > 1) {
    // One table of every scenario and replicate, what they vary as columns.
    std::vector<buzz::batch::BatchEntry> batch;
    for (const auto& f : finished) batch.push_back(f.entry);
    buzz::batch::write_file(fs::path(opt.out) / "batch.csv", buzz::batch::batch_csv(batch));
    fmt::print("\nbatch.csv: {} (a row per scenario and replicate)\n",
               (fs::path(opt.out) / "batch.csv").string());
  }
  if (entries.size() > 1) print_file_table(entries);
  return status;
}

using buzz::cli::MpiSession;

// The compared scenarios, all with the first file's seed and replicates unless given (set
// in `overrides`), and their folders: file stems, numbered when a file comes twice.
std::vector<buzz::scenario::Config> load_compared(const RunOptions& opt,
                                                  buzz::scenario::Overrides& overrides,
                                                  std::vector<std::string>& folders) {
  std::vector<buzz::scenario::Config> configs;
  for (const auto& file : opt.files) {
    configs.push_back(buzz::scenario::load(file, overrides));
    if (configs.size() == 1) {
      overrides.seed = configs[0].seed;
      overrides.replicates = configs[0].replicates;
    }
  }
  // Folder names: file stems, numbered when a file comes twice.
  for (const auto& f : opt.files) {
    std::string stem = fs::path(f).stem().string(), name = stem;
    for (int k = 2; std::find(folders.begin(), folders.end(), name) != folders.end(); ++k) {
      name = fmt::format("{}-{}", stem, k);
    }
    folders.push_back(name);
  }
  for (std::size_t i = 0; i < configs.size(); ++i) {
    if (folders[i] != fs::path(opt.files[i]).stem().string()) configs[i].name = folders[i];
  }
  for (std::size_t i = 1; i < configs.size(); ++i) {
    if (configs[i].scale != configs[0].scale) {
      throw InputError(fmt::format(
          "{}: population.scale must be the same in every compared scenario ({} in {}), got {}",
          configs[i].place("population.scale"), configs[0].scale, opt.files[0], configs[i].scale));
    }
  }
  return configs;
}

// compare's files: each scenario's folder, compare.csv and .txt, the uncertainty's files
// and report.html, committed together.
void write_compared(buzz::batch::OutputDir& dir, const std::vector<buzz::scenario::Config>& configs,
                    const std::vector<std::string>& folders, const buzz::batch::Graphs& graphs,
                    const buzz::batch::ComparisonRun& compared,
                    const buzz::batch::RunContext& context) {
  const auto& runs = compared.runs;
  const auto& comparison = compared.comparison;
  const auto& u = compared.uncertainty;
  for (std::size_t i = 0; i < configs.size(); ++i) {
    fs::create_directory(dir.staging() / folders[i]);
    buzz::batch::write_outputs(dir.staging() / folders[i], configs[i],
                               buzz::batch::graph_of(graphs, configs[i]), runs[i].result, context);
  }
  const std::string table = buzz::report::comparison_table(comparison);
  const std::string verdicts = buzz::report::verdicts(comparison);
  const fs::path staging = dir.staging();
  buzz::batch::write_file(staging / "compare.csv", buzz::report::comparison_csv(comparison));
  buzz::batch::write_file(staging / "compare.txt", table + "\n" + verdicts);
  std::string uncertain;
  if (u) {
    uncertain = buzz::report::uncertainty_table(*u);
    buzz::batch::write_file(staging / "uncertainty.csv", buzz::report::uncertainty_csv(*u));
    buzz::batch::write_file(staging / "sensitivity.csv", buzz::report::sensitivity_csv(*u));
    buzz::batch::write_file(staging / "draws.csv", buzz::report::draws_csv(*u));
    if (u->saltelli_n > 0)
      buzz::batch::write_file(staging / "sobol.csv", buzz::report::sobol_csv(*u));
    buzz::batch::write_file(staging / "uncertainty.txt", uncertain);
  }
  buzz::batch::write_file(staging / "report.html",
                          buzz::report::comparison_report(runs, comparison, u ? &*u : nullptr));
  dir.commit();
  fmt::print("{}\n{}\n{}{}outputs: {} (report.html, compare.csv, {}one folder per scenario)\n",
             table, verdicts, uncertain, uncertain.empty() ? "" : "\n", dir.target().string(),
             uncertain.empty()   ? ""
             : u->saltelli_n > 0 ? "uncertainty.csv, sensitivity.csv, draws.csv, sobol.csv, "
                                 : "uncertainty.csv, sensitivity.csv, draws.csv, ");
}

// Runs every scenario on common random numbers and writes the comparison; throws
// InputError on bad input, before anything is written. Under mpirun only rank 0 writes;
// the other ranks take their share of the uncertainty draws, or have nothing to do.
int compare_outputs(const RunOptions& opt, const std::vector<std::string>& command_line,
                    const MpiSession& mpi) {
  const buzz::batch::ThreadLimit limit(opt.threads);
  const unsigned threads = limit.count();
  const bool writer = mpi.rank() == 0;

  // One seed and one replicate count for all: the first file's unless given.
  buzz::scenario::Overrides overrides{opt.seed, opt.replicates, opt.ticks, opt.sets};
  std::vector<std::string> folders;
  auto configs = load_compared(opt, overrides, folders);
  for (const auto& c : configs) buzz::batch::check_memory(c, threads);
  if (writer) buzz::batch::check_disk_space(configs, opt.out);
  // --uncertainty: the priors to draw, every scenario a campaign, checked before any run.
  std::optional<buzz::batch::UncertaintyPlan> plan;
  if (opt.uncertainty > 0)
    plan = buzz::batch::plan_draws(opt.files, configs, opt.uncertainty, opt.posterior, opt.sobol);
  std::vector<std::string> warnings;
  const auto graphs = buzz::batch::build_graphs(configs, &warnings);
  if (writer) {
    for (const auto& w : warnings) std::cerr << w << "\n";
  }
  std::optional<buzz::batch::OutputDir> dir;
  if (writer) dir.emplace(opt.out, opt.overwrite);
  mpi.barrier();  // every rank past its checks before the work starts

  const auto started = buzz::batch::utc_now();
  std::uint64_t total = 0;
  for (const auto& c : configs) total += c.replicates;
  std::optional<buzz::batch::Progress> progress;
  if (writer) progress.emplace(total);
  auto started_draws = std::chrono::steady_clock::now();
  buzz::batch::DrawOptions draws{
      mpi.rank(), mpi.size(), [&](std::vector<double>& v) { mpi.sum(v); },
      [&](std::size_t done, std::size_t n) {
        if (mpi.rank() != 0) return;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_draws).count();
        std::cerr << fmt::format("\runcertainty: draw {} of {}{}, {:.0f} s left ", done, n,
                                 mpi.size() > 1 ? fmt::format(" over {} ranks", mpi.size()) : "",
                                 seconds / double(done) * double(n - done))
                  << std::flush;
      }};
  const std::vector<buzz::scenario::Overrides> each(opt.files.size(), overrides);
  const auto compared = buzz::batch::run_comparison(
      configs, graphs, plan ? &*plan : nullptr, opt.files, each, draws,
      [&] {
        if (progress) progress->advance();
      },
      [&] {
        if (progress) progress->finish();
        started_draws = std::chrono::steady_clock::now();
      });
  if (plan && mpi.rank() == 0) std::cerr << "\n";
  if (!writer) return kOk;

  write_compared(*dir, configs, folders, graphs, compared, {command_line, threads, started});
  return kOk;
}

int compare_command(const RunOptions& opt, const std::vector<std::string>& command_line) {
  const MpiSession mpi;
  if (mpi.rank() != 0 && opt.uncertainty == 0) return kOk;  // nothing to spread
  if (!mpi.active()) return compare_outputs(opt, command_line, mpi);
  try {
    return compare_outputs(opt, command_line, mpi);
  } catch (const InputError& e) {
    // Every rank reads the same input, but rank 0 alone checks the output folder: end all.
    std::cerr << e.what() << "\n";
    mpi.abort(kBadInput);
  }
}

struct SweepCommandOptions : CommonOptions {
  std::string file;
  bool resume = false;
};

int sweep_command(const SweepCommandOptions& opt, const std::vector<std::string>& command_line) {
  const MpiSession mpi;
  const buzz::batch::ThreadLimit limit(opt.threads);
  const unsigned threads = limit.count();
  const auto plan =
      buzz::scenario::load_sweep(opt.file, {std::nullopt, opt.replicates, opt.ticks, opt.sets});
  const fs::path out = opt.out.empty()
                           ? fs::path("runs") / (fs::path(opt.file).stem().string() + "-sweep")
                           : fs::path(opt.out);
  buzz::batch::SweepOptions options{out,        opt.resume, opt.overwrite,
                                    mpi.rank(), mpi.size(), [&] { mpi.barrier(); }};
  buzz::batch::SweepSummary summary;
  try {
    for (const auto& point : plan.points) buzz::batch::check_memory(point.config, threads);
    summary =
        buzz::batch::run_sweep(plan, options, {command_line, threads, buzz::batch::utc_now()});
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    if (mpi.active()) mpi.abort(kBadInput);
    return kBadInput;
  }
  for (const auto& note : summary.recomputed) std::cerr << note << "\n";
  summary.computed = mpi.sum(summary.computed);
  summary.skipped = mpi.sum(summary.skipped);
  if (mpi.rank() == 0) {
    fmt::print(
        "sweep {}: {} points x {} replicates{}; this run computed {}, kept {} finished "
        "earlier\noutputs: {} (results.csv, points.csv, report.html, points/)\n",
        plan.base.name, summary.points, plan.base.replicates,
        mpi.size() > 1 ? fmt::format(" over {} ranks", mpi.size()) : "", summary.computed,
        summary.skipped, out.string());
  }
  return kOk;
}

struct CalibrateCommandOptions : CommonOptions {
  std::string file;
  bool resume = false;
  std::optional<std::uint32_t> particles, generations;
};

// The scenario's calibrate block with the command line's particles and generations.
buzz::scenario::CalibrationPlan load_plan(const CalibrateCommandOptions& opt) {
  auto plan =
      buzz::scenario::load_calibration(opt.file, {opt.seed, std::nullopt, opt.ticks, opt.sets});
  if (opt.particles) plan.particles = *opt.particles;
  if (opt.generations) plan.generations = *opt.generations;
  return plan;
}

// Where calibrate and backtest write (--out, or runs/<file stem>-<suffix>), their runs
// spread over the MPI ranks.
buzz::batch::CalibrationOptions calibration_options(const CalibrateCommandOptions& opt,
                                                    const char* suffix, const MpiSession& mpi) {
  return {opt.out.empty() ? fs::path("runs") / (fs::path(opt.file).stem().string() + suffix)
                          : fs::path(opt.out),
          opt.resume,
          opt.overwrite,
          mpi.rank(),
          mpi.size(),
          [&mpi] { mpi.barrier(); },
          [&mpi](std::vector<double>& v) { mpi.sum(v); }};
}

struct BacktestCommandOptions : CalibrateCommandOptions {
  std::vector<int> origins;
  int horizon = 3;
};

int backtest_command(const BacktestCommandOptions& opt,
                     const std::vector<std::string>& command_line) {
  const MpiSession mpi;
  const buzz::batch::ThreadLimit limit(opt.threads);
  try {
    const auto plan = load_plan(opt);
    const auto origins =
        opt.origins.empty() ? buzz::batch::default_origins(plan, opt.horizon) : opt.origins;
    const auto options = calibration_options(opt, "-backtest", mpi);
    const auto summary = buzz::batch::run_backtest(
        plan, origins, opt.horizon, options, {command_line, limit.count(), buzz::batch::utc_now()});
    if (mpi.rank() == 0) {
      fmt::print(
          "backtest {}: {} origins, {} generations of {} particles each{}\n{}outputs: {} "
          "(backtest.csv, forecasts.csv, backtest.txt, report.html, origin_<months>/)\n",
          plan.base.name, summary.origins.size(), plan.generations, plan.particles,
          mpi.size() > 1 ? fmt::format(" over {} ranks", mpi.size()) : "", summary.table,
          options.out.string());
    }
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    if (mpi.active()) mpi.abort(kBadInput);
    return kBadInput;
  }
  return kOk;
}

int calibrate_command(const CalibrateCommandOptions& opt,
                      const std::vector<std::string>& command_line) {
  const MpiSession mpi;
  const buzz::batch::ThreadLimit limit(opt.threads);
  const unsigned threads = limit.count();
  try {
    const auto plan = load_plan(opt);
    const auto options = calibration_options(opt, "-calibration", mpi);
    const auto summary = buzz::batch::run_calibration(
        plan, options, {command_line, threads, buzz::batch::utc_now()});
    if (mpi.rank() == 0) {
      fmt::print(
          "calibrate {}: {} generations of {} particles{}{}\n{}outputs: {} (posterior.csv, "
          "posterior.txt, calibrated.textproto, report.html, predictive.csv, prediction.csv)\n",
          plan.base.name, summary.generations.size(), plan.particles,
          mpi.size() > 1 ? fmt::format(" over {} ranks", mpi.size()) : "",
          summary.resumed ? fmt::format(", {} of them finished earlier", summary.resumed) : "",
          summary.table, options.out.string());
    }
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    if (mpi.active()) mpi.abort(kBadInput);
    return kBadInput;
  }
  return kOk;
}

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& sets) {
  int status = kOk;
  for (const auto& file : files) {
    try {
      buzz::batch::validate(file, {{}, {}, {}, sets}, unsigned(tbb::info::default_concurrency()));
    } catch (const InputError& e) {
      std::cerr << e.what() << "\n";
      status = kBadInput;
    } catch (const fs::filesystem_error& e) {
      std::cerr << fmt::format("{}: {}\n", e.path1().string(), e.code().message());
      status = kBadInput;
    }
  }
  return status;
}

// Builds the scenario's graph (its rules checked) and saves it whole.
int graph_command(const std::string& file, const std::string& out, bool overwrite,
                  const std::vector<std::string>& sets) {
  const auto config = buzz::scenario::load(file, {{}, {}, {}, sets});
  if (fs::exists(out) && !overwrite) {
    throw InputError(
        fmt::format("{}: --out must not exist (or add --overwrite), got a file that does", out));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto graph = buzz::batch::build_graph(config);
  const double built = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (graph.named()) {
    throw InputError(fmt::format(
        "{}: the graph's nodes are named, and a saved graph keeps numbers only: read the edge "
        "list itself (it is read in about the time a saved graph would save)",
        file));
  }
  buzz::graph::write_binary(graph, out);
  fmt::print(
      "{}: {} nodes, {} ties, {} communities, built in {:.1f} s; saved to {} ({:.1f} MB)\n"
      "read it back with graph {{ buzzgraph {{ path: \"{}\" }} }}\n",
      file, graph.num_nodes(), graph.num_edges(), graph.num_communities(), built, out,
      double(fs::file_size(out)) / 1e6, out);
  return kOk;
}

struct ImportCommandOptions {
  std::string file, out, columns, page, name;
  std::optional<int> year;
  std::optional<double> followers;
  bool overwrite = false, list_columns = false;
};

int import_command(const ImportCommandOptions& o) {
  namespace scenario = buzz::scenario;
  if (o.list_columns) {
    fmt::print("{}", scenario::describe_post_columns());
    return kOk;
  }
  if (o.file.empty()) throw InputError("import: an export file must be given, got none");
  scenario::ImportOptions options;
  options.year = o.year;
  options.followers = o.followers;
  options.page = o.page;
  if (!o.columns.empty()) {
    options.columns =
        scenario::read_column_aliases(buzz::read_input_file(o.columns, "columns file"), o.columns);
  }
  const std::string out = o.out.empty() ? fs::path(o.file).stem().string() + "-import" : o.out;
  options.name = o.name.empty() ? fs::path(out).filename().string() : o.name;
  if (options.name.empty()) options.name = "page";
  const auto page = scenario::import_page(buzz::read_input_file(o.file, "export"), o.file, options);
  buzz::batch::OutputDir dir(out, o.overwrite);
  buzz::batch::write_marker(dir.staging());
  buzz::batch::write_file(dir.staging() / "posts.csv", page.posts_csv);
  buzz::batch::write_file(dir.staging() / "page.textproto", page.scenario);
  buzz::batch::write_file(dir.staging() / "whatif.textproto", page.whatif);
  buzz::batch::write_file(dir.staging() / "import.txt", page.summary);
  // What import writes must load as it is: a failure here is buzzsim's fault, not the user's.
  try {
    scenario::load(dir.staging() / "page.textproto");
    scenario::load(dir.staging() / "whatif.textproto");
  } catch (const InputError& e) {
    throw std::runtime_error(
        fmt::format("import wrote a scenario that does not load: {}", e.what()));
  }
  dir.commit();
  const fs::path at = dir.target();
  fmt::print("{}", page.summary);
  fmt::print(
      "wrote {0}: posts.csv (calendar and observed counts), page.textproto (the page, with a "
      "calibrate block), whatif.textproto (the page on a schedule, to edit), import.txt\n"
      "next:\n"
      "  buzzsim calibrate {1}   # fits the page into runs/page-calibration/\n"
      "  buzzsim compare {1} {2} --posterior runs/page-calibration/posterior.csv "
      "--uncertainty 16\n",
      at.string(), (at / "page.textproto").string(), (at / "whatif.textproto").string());
  return kOk;
}

// The commands and their options, one function each.
CLI::App* add_run(CLI::App& app, RunOptions& run) {
  run.out = "runs";
  auto* run_cmd = app.add_subcommand("run", "Run scenario files; each writes a folder of outputs");
  run_cmd->add_option("files", run.files, "Scenario files (.textproto)")->required();
  add_common_options(run_cmd, run, "Parent folder of the outputs; each file writes OUT/<file stem>",
                     true);
  run_cmd->add_flag("--until-extinction", run.until_extinction,
                    "Run until the spread is over in every replicate (no one infectious, no one "
                    "left to try a tie), with the scenario's ticks (or --ticks) as the cap; "
                    "the outputs are those of a run with that many ticks");

  return run_cmd;
}

CLI::App* add_compare(CLI::App& app, RunOptions& cmp) {
  cmp.out = "runs/compare";
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "Run scenarios on common random numbers and compare them: intervals, paired differences, "
      "win shares, report.html. All take the first file's seed and replicates unless given.");
  compare_cmd
      ->add_option("files", cmp.files, "Two or more scenario files; the first is the baseline")
      ->required()
      ->expected(2, 1000);
  add_common_options(compare_cmd, cmp, "Output folder", true);
  compare_cmd
      ->add_option("--posterior", cmp.posterior,
                   "Draw the --uncertainty parameter sets from this posterior.csv (buzzsim "
                   "calibrate's) instead of the priors; 64 draws unless --uncertainty says")
      ->check(CLI::ExistingFile);
  auto* uncertainty_opt =
      compare_cmd
          ->add_option("--uncertainty", cmp.uncertainty,
                       "Also run every scenario on N parameter sets drawn from the priors of the "
                       "campaign's audience parameters, and say which verdicts survive")
          ->check(CLI::Range(8u, 100000u));
  compare_cmd
      ->add_flag("--sobol", cmp.sobol,
                 "Draw --uncertainty's parameter sets by Saltelli's design, N (k + 2) of them "
                 "for k parameters, and write Sobol indices (first order, total effect) to "
                 "sobol.csv; N a power of two")
      ->needs(uncertainty_opt);

  return compare_cmd;
}

CLI::App* add_sweep(CLI::App& app, SweepCommandOptions& swp) {
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run the points of a scenario's sweep block; with mpirun, spread over the ranks");
  sweep_cmd->add_option("file", swp.file, "Scenario file with a sweep block")->required();
  add_common_options(sweep_cmd, swp, "Output folder (default: runs/<file stem>-sweep)", false);
  sweep_cmd->add_flag("--resume", swp.resume, "Continue an interrupted sweep in --out");

  return sweep_cmd;
}

// The options calibrate and backtest share: the scenario file, the common ones, --resume,
// and the fit's size.
void add_fit_options(CLI::App* cmd, CalibrateCommandOptions& opt, const std::string& out_help,
                     const std::string& resume_help) {
  cmd->add_option("file", opt.file, "Scenario file with a calibrate block")->required();
  add_common_options(cmd, opt, out_help, true);
  cmd->add_flag("--resume", opt.resume, resume_help);
  cmd->add_option("--particles", opt.particles, "Particles, replacing the block's")
      ->check(CLI::Range(10u, 100000u));
  cmd->add_option("--generations", opt.generations, "Generations, replacing the block's")
      ->check(CLI::Range(1u, 1000u));
}

CLI::App* add_calibrate(CLI::App& app, CalibrateCommandOptions& cal) {
  auto* calibrate_cmd = app.add_subcommand(
      "calibrate",
      "Fit a campaign's free parameters to observed data (the scenario's calibrate block) by "
      "ABC-SMC; with mpirun, spread over the ranks");
  add_fit_options(calibrate_cmd, cal, "Output folder (default: runs/<file stem>-calibration)",
                  "Continue an interrupted calibration in --out from its last generation");
  return calibrate_cmd;
}

CLI::App* add_backtest(CLI::App& app, BacktestCommandOptions& bt) {
  auto* backtest_cmd = app.add_subcommand(
      "backtest",
      "Rolling-origin backtest of a calibration: fit the observed file's first k months, "
      "forecast the next ones, for every origin; errors beside carry-forward and regression "
      "baselines");
  add_fit_options(backtest_cmd, bt, "Output folder (default: runs/<file stem>-backtest)",
                  "Continue an interrupted backtest in --out, keeping finished origins");
  backtest_cmd
      ->add_option("--origins", bt.origins,
                   "Months fitted at each origin (default: 3 to the last that leaves "
                   "--horizon months)")
      ->delimiter(',')
      ->check(CLI::Range(1, 1200));
  backtest_cmd->add_option("--horizon", bt.horizon, "Months forecast from each origin")
      ->check(CLI::Range(1, 120));
  return backtest_cmd;
}

CLI::App* add_import(CLI::App& app, ImportCommandOptions& imp) {
  auto* import_cmd = app.add_subcommand(
      "import",
      "Read a page's post export as downloaded (Facebook metrics data set, Insights or Meta "
      "Business Suite post export) into a calendar, observed counts and a starter scenario");
  import_cmd->add_option("file", imp.file, "The export (.csv; `,` `;` or tab)");
  import_cmd->add_option("--out", imp.out, "Output folder (default: <file stem>-import)");
  import_cmd
      ->add_option("--year", imp.year,
                   "The year of an export that gives month and weekday but no date")
      ->check(CLI::Range(1900, 2200));
  import_cmd
      ->add_option("--followers", imp.followers,
                   "The page's followers at its first post, for exports without them")
      ->check(CLI::PositiveNumber);
  import_cmd->add_option("--page", imp.page, "The page to read, from a file of several (page_id)");
  import_cmd->add_option("--columns", imp.columns,
                         "A CSV (header column,means) naming more of the export's columns");
  import_cmd->add_option("--name", imp.name, "The page's name in the scenario (default: --out's)");
  import_cmd->add_flag("--overwrite", imp.overwrite, "Replace an earlier import in --out");
  import_cmd->add_flag("--list-columns", imp.list_columns,
                       "Print the columns buzzsim knows and the names exports give them");

  return import_cmd;
}

struct ValidateOptions {
  std::vector<std::string> files, sets;
};

CLI::App* add_validate(CLI::App& app, ValidateOptions& v) {
  auto* validate_cmd = app.add_subcommand(
      "validate",
      "Check scenario files as run, sweep and calibrate would (the graph is built); print "
      "nothing on success, each error otherwise");
  validate_cmd->add_option("files", v.files, "Scenario files (.textproto)")->required();
  add_set_option(validate_cmd, v.sets);

  return validate_cmd;
}

struct GraphOptions {
  std::string file, out;
  std::vector<std::string> sets;
  bool overwrite = false;
};

CLI::App* add_graph(CLI::App& app, GraphOptions& g) {
  auto* graph_cmd = app.add_subcommand(
      "graph",
      "Build a scenario's graph once and save it, to be read back with graph { buzzgraph { "
      "path: ... } }");
  graph_cmd->add_option("file", g.file, "Scenario file (.textproto)")->required();
  graph_cmd->add_option("--out", g.out, "Where to save it (e.g. big.buzzgraph)")->required();
  graph_cmd->add_flag("--overwrite", g.overwrite, "Replace an existing file");
  add_set_option(graph_cmd, g.sets);

  return graph_cmd;
}

// Parses the command line; a status to exit with when it is refused or done (--help,
// --version), naming the nearest command or option to a misspelt one.
std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  // A misspelt command: name the nearest (CLI11 would only say one is required).
  const auto is_command = [&](const std::string& name) {
    for (const auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == name) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    const std::string given = argv[1];
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const auto* sub : app.get_subcommands({})) {
      if (buzz::edit_distance(given, sub->get_name()) < best_distance) {
        best_distance = buzz::edit_distance(given, sub->get_name()), best = sub->get_name();
      }
    }
    std::cerr << fmt::format(
        "buzzsim: unknown command \"{}\"{}; commands: import, run, compare, sweep, "
        "calibrate, backtest, validate, graph\n",
        given, best_distance <= 2 ? fmt::format("; did you mean \"{}\"?", best) : "");
    return kBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // An unknown flag: name the nearest of the command's own.
    const int status = app.exit(e);
    const CLI::App* command = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    for (int i = 1; i < argc; ++i) {
      const std::string given = argv[i];
      if (given.rfind("--", 0) != 0) continue;
      const std::string name = given.substr(0, given.find('='));
      std::string best;
      std::size_t best_distance = std::string::npos;
      bool known = false;
      for (const CLI::Option* o : command->get_options()) {
        for (const auto& long_name : o->get_lnames()) {
          known = known || "--" + long_name == name;
          const auto d = buzz::edit_distance(name, "--" + long_name);
          if (d < best_distance) best_distance = d, best = "--" + long_name;
        }
      }
      if (!known && best_distance <= 3) {
        std::cerr << fmt::format("{}: unknown option; did you mean {}?\n", name, best);
      }
    }
    return status == 0 ? kOk : kBadInput;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kBadInput;
  }

  return std::nullopt;
}

// SIGINT or SIGTERM: replicates stop at their next tick and the outputs in the making
// are removed as the stack unwinds; a second signal ends the process at once.
void stop_on_signals() {
  struct sigaction stop {};
  stop.sa_handler = [](int) { buzz::engine::request_stop(); };
  stop.sa_flags = SA_RESETHAND;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGINT, &stop, nullptr);
  sigaction(SIGTERM, &stop, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"buzzsim: agent-based simulation of word-of-mouth virality"};
  app.require_subcommand(1);
  app.set_version_flag("--version", buzz::batch::build_version());
  RunOptions run, cmp;
  SweepCommandOptions swp;
  CalibrateCommandOptions cal;
  BacktestCommandOptions bt;
  ImportCommandOptions imp;
  ValidateOptions val;
  GraphOptions graph;
  auto* run_cmd = add_run(app, run);
  auto* compare_cmd = add_compare(app, cmp);
  auto* sweep_cmd = add_sweep(app, swp);
  auto* calibrate_cmd = add_calibrate(app, cal);
  auto* backtest_cmd = add_backtest(app, bt);
  auto* import_cmd = add_import(app, imp);
  auto* validate_cmd = add_validate(app, val);
  auto* graph_cmd = add_graph(app, graph);
  if (const auto status = parse(app, argc, argv)) return *status;

  if (!cmp.posterior.empty() && cmp.uncertainty == 0) cmp.uncertainty = 64;
  const std::vector<std::string> command_line(argv, argv + argc);
  stop_on_signals();
  try {
    if (*run_cmd) return run_command(run, command_line);
    if (*compare_cmd) return compare_command(cmp, command_line);
    if (*sweep_cmd) return sweep_command(swp, command_line);
    if (*calibrate_cmd) return calibrate_command(cal, command_line);
    if (*backtest_cmd) return backtest_command(bt, command_line);
    if (*validate_cmd) return validate_command(val.files, val.sets);
    if (*graph_cmd) return graph_command(graph.file, graph.out, graph.overwrite, graph.sets);
    if (*import_cmd) return import_command(imp);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  } catch (const fs::filesystem_error& e) {
    // A place that cannot be read or written: the user's to fix.
    std::cerr << fmt::format("{}: {}\n", e.path1().string(), e.code().message());
    return kBadInput;
  } catch (const buzz::engine::Interrupted&) {
    std::cerr << "buzzsim: interrupted; outputs in the making were removed, finished ones "
                 "kept (an interrupted sweep or calibration continues with --resume)\n";
    return kInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kInternalFault;
  }
  return kInternalFault;
}
