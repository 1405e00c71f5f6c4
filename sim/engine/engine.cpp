#include "sim/engine/engine.hpp"

#include <atomic>

#include <fmt/format.h>

#include <stdexcept>

namespace buzz::engine {

void check_count(const char* what, std::size_t given, std::size_t declared) {
  if (given != declared) {
    throw std::logic_error(
        fmt::format("model gave {} {} values for {} declared reporters", given, what, declared));
  }
}

Recorder::Recorder(std::size_t columns, std::uint32_t every, std::uint32_t last_tick)
    : columns_(columns), every_(every), last_tick_(last_tick) {
  const std::size_t rows = last_tick / every + 2;
  ticks_.reserve(rows);
  values_.reserve(rows * columns);
}

bool Recorder::maybe_record(std::uint32_t tick, Model& model) {
  if (tick % every_ != 0 && tick != last_tick_) return false;
  model.on_record(tick);
  ticks_.push_back(tick);
  const std::size_t before = values_.size();
  model.observe(values_);
  check_count("tick", values_.size() - before, columns_);
  return true;
}

ReplicateRecord Recorder::take(std::uint32_t replicate, std::vector<double> metrics) {
  return {replicate, std::move(ticks_), std::move(values_), std::move(metrics), {}, false};
}

namespace {
std::atomic<bool> stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
}  // namespace

void request_stop() noexcept { stop.store(true, std::memory_order_relaxed); }
bool stop_requested() noexcept { return stop.load(std::memory_order_relaxed); }

ReplicateRecord run_replicate(Model& model, std::uint32_t replicate, const RunOptions& options,
                              const Abandon& abandon) {
  Simulation simulation(model, options.seed, replicate);
  Recorder recorder(model.tick_reporters().size(), options.record_every, options.ticks);
  simulation.start();
  recorder.maybe_record(0, model);
  while (simulation.tick() < options.ticks) {
    if (stop_requested()) throw Interrupted();
    if (model.settled()) {
      // Idle ticks would copy and recount every person to no effect: only the ticks still
      // to record are visited, from the unchanged state.
      const std::uint32_t every = options.record_every;
      for (std::uint64_t t = (std::uint64_t{simulation.tick()} / every + 1) * every;
           t < options.ticks; t += every) {
        model.skip_to(static_cast<std::uint32_t>(t));
        recorder.maybe_record(static_cast<std::uint32_t>(t), model);
      }
      model.skip_to(options.ticks);
      recorder.maybe_record(options.ticks, model);
      break;
    }
    const std::uint32_t tick = simulation.advance();
    if (recorder.maybe_record(tick, model) && abandon && tick < options.ticks &&
        abandon(tick, model, recorder)) {
      ReplicateRecord record = recorder.take(replicate, {});
      record.abandoned = true;
      return record;
    }
  }
  std::vector<double> metrics;
  const std::size_t declared = model.run_reporters().size();
  metrics.reserve(declared);
  model.finish(metrics);
  check_count("run", metrics.size(), declared);
  ReplicateRecord record = recorder.take(replicate, std::move(metrics));
  record.tables = model.take_tables();
  return record;
}

}  // namespace buzz::engine
