#include "viz/live_run.hpp"

#include <chrono>

#include "sim/dynamics/dynamics.hpp"

namespace buzz::viz {

LiveRun::LiveRun(scenario::Config config, const graph::Graph& graph)
    : config_(std::move(config)), graph_(graph) {
  is_campaign_ = std::holds_alternative<dynamics::CampaignParams>(config_.dynamics);
  {
    const std::lock_guard lock(model_mutex_);
    reset_model();
  }
  worker_ = std::thread([this] { loop(); });
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
  columns_ = engine::names(model_->tick_reporters());
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
  if (auto* campaign = dynamic_cast<dynamics::Campaign*>(model_.get())) {
    next.posted = simulation_->tick() > 0 && campaign->posted_last_tick();
    if (next.posted) {
      next.follows.resize(graph_.num_nodes());
      for (graph::Vertex v = 0; v < graph_.num_nodes(); ++v) next.follows[v] = campaign->follows(v);
    }
  }
  const std::lock_guard lock(snapshot_mutex_);
  next.version = snapshot_.version + 1;
  snapshot_ = std::move(next);
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
    {
      const std::lock_guard lock(model_mutex_);
      if (simulation_->tick() >= std::min(config_.ticks, stop_at_.load())) {  // stop here
        playing_ = false;
        steps_ = 0;
        continue;
      }
      auto* campaign = dynamic_cast<dynamics::Campaign*>(model_.get());
      bool changed = false;
      if (campaign && pending_brand_) {
        campaign->set_brand(0, *pending_brand_);
        changed = true;
      }
      if (campaign && pending_crisis_) {
        campaign->trigger_event(0, dynamics::EventKind::crisis, *pending_crisis_);
        changed = true;
      }
      pending_brand_.reset();
      pending_crisis_.reset();
      if (changed) {
        const std::lock_guard snap(snapshot_mutex_);
        marks_.push_back(simulation_->tick() + 1);
      }
      simulation_->advance();
      publish();
    }
    if (steps_ > 0) --steps_;
    // Pace the ticks; at top speed, run flat out.
    const double speed = speed_;
    if (playing_ && speed < 1000) {
      next_tick += std::chrono::microseconds(static_cast<long>(1e6 / speed));
      std::unique_lock lock(wake_mutex_);
      wake_.wait_until(lock, next_tick, [this] { return stop_.load(); });
    }
  }
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
  if (seed) config_.seed = *seed;
  pending_brand_.reset();
  pending_crisis_.reset();
  reset_model();
}

std::uint64_t LiveRun::seed() const {
  const std::lock_guard lock(model_mutex_);
  return config_.seed;
}

dynamics::Brand LiveRun::brand() const {
  const std::lock_guard lock(model_mutex_);
  if (pending_brand_) return *pending_brand_;
  return static_cast<const dynamics::Campaign&>(*model_).brand(0);
}

void LiveRun::set_brand(const dynamics::Brand& brand) {
  const std::lock_guard lock(model_mutex_);
  pending_brand_ = brand;
  // A restart keeps the change.
  std::get<dynamics::CampaignParams>(config_.dynamics).brands[0] = brand;
}

void LiveRun::crisis_now(double share) {
  const std::lock_guard lock(model_mutex_);
  pending_crisis_ = share;
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
  if (const auto* c = dynamic_cast<const dynamics::Campaign*>(model_.get())) return c->describe(v);
  return {};
}

std::vector<std::pair<graph::Vertex, graph::Vertex>> LiveRun::share_tree(graph::Vertex v) const {
  const std::unique_lock lock(model_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return {};
  if (const auto* c = dynamic_cast<const dynamics::Campaign*>(model_.get()))
    return c->share_tree(v);
  return {};
}

}  // namespace buzz::viz
