#include "sim/engine/engine.hpp"

#include <span>

namespace buzz::engine {

Recorder::Recorder(std::size_t columns, std::uint32_t every, std::uint32_t last_tick)
    : columns_(columns), every_(every), last_tick_(last_tick) {
  const std::size_t rows = last_tick / every + 2;
  ticks_.reserve(rows);
  values_.reserve(rows * columns);
}

void Recorder::maybe_record(std::uint32_t tick, Model& model) {
  if (tick % every_ != 0 && tick != last_tick_) return;
  model.on_record(tick);
  ticks_.push_back(tick);
  values_.resize(values_.size() + columns_);
  model.observe(std::span<double>(values_).last(columns_));
}

ReplicateRecord Recorder::take(std::uint32_t replicate, std::vector<double> metrics) {
  return {replicate, std::move(ticks_), std::move(values_), std::move(metrics), {}};
}

ReplicateRecord run_replicate(Model& model, std::uint32_t replicate, const RunOptions& options) {
  Simulation simulation(model, options.seed, replicate);
  Recorder recorder(model.tick_columns().size(), options.record_every, options.ticks);
  simulation.start();
  recorder.maybe_record(0, model);
  while (simulation.tick() < options.ticks) recorder.maybe_record(simulation.advance(), model);
  std::vector<double> metrics(model.run_metrics().size());
  model.finish(metrics);
  ReplicateRecord record = recorder.take(replicate, std::move(metrics));
  record.tables = model.take_tables();
  return record;
}

}  // namespace buzz::engine
