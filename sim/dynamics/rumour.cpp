#include "sim/dynamics/rumour.hpp"

#include <cmath>

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kRumour{0x4e40};
}

Rumour::Rumour(const graph::Graph& graph, const RumourParams& params)
    : graph_(graph), params_(params) {}

const std::vector<engine::Column<Rumour>>& Rumour::tick_columns() {
  using engine::Direction, engine::Measure;
  using M = Rumour;
  static const std::vector<engine::Column<M>> columns{
      {{"ignorant", "people", Measure::stock, Direction::no_verdict,
        "people who have not heard the rumour"},
       [](const M& m) { return double(m.ignorant_.size()); }},
      {{"spreaders", "people", Measure::stock, Direction::no_verdict, "people spreading it"},
       [](const M& m) { return double(m.spreaders_.size()); }},
      {{"stiflers", "people", Measure::stock, Direction::no_verdict,
        "people who heard it and stopped spreading"},
       [](const M& m) { return double(m.stiflers_); }},
  };
  return columns;
}

const std::vector<engine::Column<Rumour>>& Rumour::run_columns() {
  using engine::Direction, engine::Measure;
  using M = Rumour;
  static const std::vector<engine::Column<M>> columns{
      {{"never_heard_share", "share", Measure::stock, Direction::lower_is_better,
        "share of the population who never heard the rumour"},
       [](const M& m) { return double(m.ignorant_.size()) / m.graph_.num_nodes(); }},
      {{"heard", "people", Measure::stock, Direction::higher_is_better,
        "people who heard the rumour"},
       [](const M& m) { return double(m.graph_.num_nodes()) - double(m.ignorant_.size()); }},
      {{"duration", "ticks", Measure::stock, Direction::no_verdict, "time of the last event"},
       [](const M& m) { return m.last_event_; }},
  };
  return columns;
}

engine::Reporters Rumour::tick_reporters() const { return engine::reporters_of(tick_columns()); }

engine::Reporters Rumour::run_reporters() const { return engine::reporters_of(run_columns()); }

void Rumour::set(graph::Vertex v, State s) {
  if (state_[v] == kIgnorant) ignorant_.remove(v);
  if (state_[v] == kSpreader) spreaders_.remove(v);
  if (s == kSpreader) spreaders_.add(v);
  if (s == kStifler) ++stiflers_;
  state_[v] = s;
}

void Rumour::start(const engine::Random& random) {
  const graph::Vertex n = graph_.num_nodes();
  state_.assign(n, kIgnorant);
  ignorant_.reset(n);
  spreaders_.reset(n);
  for (graph::Vertex v = 0; v < n; ++v) ignorant_.add(v);
  stiflers_ = 0;
  for (graph::Vertex v : choose_seeds(graph_, params_.seeds, random)) set(v, kSpreader);
  events_ = 0;
  now_ = next_event_ = last_event_ = 0;
  pending_ = false;
}

void Rumour::event(const engine::Random& random) {
  const auto bits = random.bits(0, events_++, kRumour);
  const auto pick = [&](std::uint64_t word, std::size_t size) {
    return engine::Random::to_below(word, size);
  };
  const double s = double(spreaders_.size());
  const graph::Vertex caller = spreaders_[pick(bits[0], spreaders_.size())];

  if (params_.mixing == Mixing::full && params_.variant == RumourVariant::daley_kendall) {
    // Pair meetings by type, at rates s i, s (s - 1) / 2 and s r.
    const double i = double(ignorant_.size()), r = double(stiflers_);
    const double total = s * i + s * (s - 1) / 2 + s * r;
    const double u = engine::Random::to_unit(bits[1]) * total;
    if (u < s * i) {
      set(ignorant_[pick(bits[2], ignorant_.size())], kSpreader);
    } else if (u < s * i + s * (s - 1) / 2) {
      graph::Vertex other = caller;
      for (std::uint32_t k = 0; other == caller; ++k) {
        other = spreaders_[pick(random.bits(1, events_, kRumour, k)[0], spreaders_.size())];
      }
      set(caller, kStifler);
      set(other, kStifler);
    } else {
      set(caller, kStifler);
    }
    return;
  }

  // A spreader calls someone: a random other person, or a random neighbour.
  graph::Vertex callee = caller;
  if (params_.mixing == Mixing::full) {
    callee = static_cast<graph::Vertex>(pick(bits[1], graph_.num_nodes() - 1));
    if (callee >= caller) ++callee;
  } else {
    const auto nb = graph_.out_neighbors(caller);
    if (nb.empty()) {  // nobody to tell
      set(caller, kStifler);
      return;
    }
    callee = nb[pick(bits[1], nb.size())];
  }
  switch (state_[callee]) {
    case kIgnorant:
      set(callee, kSpreader);
      break;
    case kSpreader:
      set(caller, kStifler);
      if (params_.variant == RumourVariant::daley_kendall) set(callee, kStifler);
      break;
    case kStifler:
      set(caller, kStifler);
      break;
  }
}

void Rumour::step(std::uint32_t tick, const engine::Random& random) {
  // The chain's events in (tick - 1, tick]. Waiting times are exponential in the total
  // rate, drawn before each event from the state it will act on.
  while (spreaders_.size() > 0) {
    if (!pending_) {
      const double s = double(spreaders_.size());
      double rate = s;
      if (params_.mixing == Mixing::full && params_.variant == RumourVariant::daley_kendall) {
        const double i = double(ignorant_.size()), r = double(stiflers_);
        rate = (s * i + s * (s - 1) / 2 + s * r) / (graph_.num_nodes() - 1.0);
      }
      const double u = random.uniform(2, events_, kRumour);
      next_event_ = now_ - std::log1p(-u) / rate;
      pending_ = true;
    }
    if (next_event_ > tick) break;
    now_ = last_event_ = next_event_;
    pending_ = false;
    event(random);
  }
  now_ = std::max(now_, double(tick));
}

void Rumour::observe(std::vector<double>& row) const {
  engine::append_values(tick_columns(), *this, row);
}

void Rumour::finish(std::vector<double>& metrics) {
  engine::append_values(run_columns(), *this, metrics);
}

std::vector<std::string> Rumour::state_names() const { return {"ignorant", "spreader", "stifler"}; }

engine::Display Rumour::display() const {
  return {{engine::StateRole::untouched, engine::StateRole::spreading, engine::StateRole::removed}};
}

void Rumour::agent_states(std::span<std::uint8_t> out) const {
  std::copy(state_.begin(), state_.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const RumourParams& p, const graph::Graph& graph) {
  return std::make_unique<Rumour>(graph, p);
}

std::string_view model_name(const RumourParams&) { return "rumour"; }

}  // namespace buzz::dynamics
