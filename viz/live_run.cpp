#include "viz/live_run.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>

#include "sim/dynamics/dynamics.hpp"

namespace buzz::viz {

LiveRun::LiveRun(scenario::Config config, const graph::Graph& graph)
    : config_(std::move(config)), graph_(graph), seed_(config_.seed) {
  {
    const std::lock_guard lock(model_mutex_);
    reset_model();
  }
  // The run leaves one core to drawing, so that frames keep their pace at top speed.
  const auto cores =
      int(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  worker_ = std::thread([this, cores] {
    tbb::task_arena arena(std::max(1, cores - 1));
    arena.execute([this] { loop(); });
  });
}

LiveRun::~LiveRun() {
  stop_ = true;
  wake_.notify_all();
  worker_.join();
}

void LiveRun::reset_model() {
  model_ = dynamics::make_model(config_.dynamics, graph_);
  simulation_ = std::make_unique<engine::Simulation>(*model_, config_.seed, 0);
  simulation_->start();
  state_names_ = model_->state_names();
  display_ = model_->display();
  columns_ = engine::names(model_->tick_reporters());
  headline_ = engine::headline_names(model_->tick_reporters(), 8);
  {
    const std::lock_guard lock(pending_mutex_);
    for (const auto& [name, value] : changed_controls_) model_->set_control(name, value);
  }
  {
    const std::lock_guard lock(snapshot_mutex_);
    rows_.clear();
    marks_.clear();
  }
  publish();
}

void LiveRun::publish() {
  model_->on_record(simulation_->tick());
  std::vector<double> row;
  row.reserve(columns_.size());
  model_->observe(row);
  Snapshot next;
  next.tick = simulation_->tick();
  next.states.resize(graph_.num_nodes());
  model_->agent_states(next.states);
  next.senders = model_->recent_senders();
  next.reached = model_->reached_from_outside();
  auto controls = model_->controls();
  const std::lock_guard lock(snapshot_mutex_);
  next.version = snapshot_.version + 1;
  snapshot_ = std::move(next);
  controls_ = std::move(controls);
  rows_.push_back(std::move(row));
}

void LiveRun::loop() {
  auto next_tick = std::chrono::steady_clock::now();
  while (!stop_) {
    if (!playing_ && steps_ == 0) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(50));
      next_tick = std::chrono::steady_clock::now();
      continue;
    }
    // Frames first: wait for a frame to be drawn once this frame's ticks are taken.
    if (playing_ && steps_ == 0) {
      std::unique_lock lock(wake_mutex_);
      if (tick_credit_ < 1) {
        wake_.wait_for(lock, std::chrono::milliseconds(50));
        next_tick = std::chrono::steady_clock::now();
        continue;
      }
      tick_credit_ -= 1;
    }
    {
      const std::lock_guard lock(model_mutex_);
      if (simulation_->tick() >= std::min(config_.ticks, stop_at_.load())) {  // stop here
        playing_ = false;
        steps_ = 0;
        continue;
      }
      std::vector<std::pair<std::string, double>> controls, triggers;
      {
        const std::lock_guard pending(pending_mutex_);
        controls.swap(pending_controls_);
        triggers.swap(pending_triggers_);
      }
      for (const auto& [name, value] : controls) model_->set_control(name, value);
      for (const auto& [name, size] : triggers) model_->trigger(name, size);
      if (!controls.empty() || !triggers.empty()) {
        const std::lock_guard snap(snapshot_mutex_);
        marks_.push_back(simulation_->tick() + 1);
      }
      simulation_->advance();
      publish();
    }
    if (steps_ > 0) --steps_;
    // Pace the ticks; at top speed, as fast as the frame budget allows.
    const double speed = speed_;
    if (playing_ && speed < 1000) {
      next_tick += std::chrono::microseconds(static_cast<long>(1e6 / speed));
      std::unique_lock lock(wake_mutex_);
      wake_.wait_until(lock, next_tick, [this] { return stop_.load(); });
    }
  }
}

void LiveRun::frame_drawn(double budget) {
  {
    const std::lock_guard lock(wake_mutex_);
    // Unused ticks carry over to at most one frame's budget and one tick: a tick longer
    // than a frame keeps the run's share, and a pause does not bank a burst.
    tick_credit_ = std::min(tick_credit_ + budget, budget + 1);
  }
  wake_.notify_all();
}

void LiveRun::set_playing(bool playing) {
  playing_ = playing;
  wake_.notify_all();
}

void LiveRun::step_once() {
  ++steps_;
  wake_.notify_all();
}

void LiveRun::restart(std::optional<std::uint64_t> seed) {
  const std::lock_guard lock(model_mutex_);
  if (seed) config_.seed = *seed, seed_ = *seed;
  {
    const std::lock_guard pending(pending_mutex_);
    pending_controls_.clear();
    pending_triggers_.clear();
  }
  reset_model();
}

std::uint64_t LiveRun::seed() const { return seed_; }

std::vector<engine::Control> LiveRun::controls() const {
  std::vector<engine::Control> controls;
  {
    const std::lock_guard lock(snapshot_mutex_);
    controls = controls_;
  }
  const std::lock_guard lock(pending_mutex_);
  for (auto& c : controls) {  // what the viewer asked for, before the model has it
    for (const auto& [name, value] : pending_controls_) {
      if (name == c.name) c.value = value;
    }
  }
  return controls;
}

void LiveRun::set_control(const std::string& name, double value) {
  const std::lock_guard lock(pending_mutex_);
  pending_controls_.emplace_back(name, value);
  std::erase_if(changed_controls_, [&](const auto& c) { return c.first == name; });
  changed_controls_.emplace_back(name, value);
}

std::vector<engine::Trigger> LiveRun::triggers() const {
  const std::lock_guard lock(model_mutex_);
  return model_->triggers();
}

void LiveRun::trigger(const std::string& name, double size) {
  const std::lock_guard lock(pending_mutex_);
  pending_triggers_.emplace_back(name, size);
}

bool LiveRun::latest(Snapshot& into) const {
  const std::lock_guard lock(snapshot_mutex_);
  if (snapshot_.version == into.version) return false;
  into = snapshot_;
  return true;
}

void LiveRun::timeline(std::vector<std::vector<double>>& rows,
                       std::vector<std::uint32_t>& marks) const {
  const std::lock_guard lock(snapshot_mutex_);
  rows = rows_;
  marks = marks_;
}

std::string LiveRun::describe(graph::Vertex v) const {
  const std::unique_lock lock(model_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return {};
  return model_->describe(v);
}

std::vector<std::pair<graph::Vertex, graph::Vertex>> LiveRun::spread_tree(graph::Vertex v) const {
  const std::unique_lock lock(model_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return {};
  return model_->spread_tree(v);
}

}  // namespace buzz::viz
