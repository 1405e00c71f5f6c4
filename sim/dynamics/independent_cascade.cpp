#include "sim/dynamics/independent_cascade.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "sim/dynamics/seeding.hpp"

namespace buzz::dynamics {

namespace {
// A tie's draw is keyed by the tie alone, the same every tick: each tie is tried once.
constexpr engine::Purpose kTransmit{1};

// Whether any of the eight bytes of `word` equals `byte` (the zero-byte test of
// Mycroft's, on word XOR the byte repeated).
bool has_byte(std::uint64_t word, std::uint8_t byte) {
  const std::uint64_t x = word ^ (0x0101010101010101ull * byte);
  return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}
}  // namespace

IndependentCascade::IndependentCascade(const graph::Graph& graph,
                                       const IndependentCascadeParams& params)
    : graph_(graph), params_(params), state_(graph.num_nodes(), kInactive) {}

const std::vector<engine::Column<IndependentCascade>>& IndependentCascade::tick_columns() {
  using engine::Direction, engine::Measure;
  using M = IndependentCascade;
  static const std::vector<engine::Column<M>> columns{
      {{"active", "people", Measure::stock, Direction::no_verdict,
        "people active (adopted) at the tick"},
       [](const M& m) { return double(m.active_); }},
      {{"newly_active", "people", Measure::flow, Direction::no_verdict,
        "people activated in the tick"},
       [](const M& m) { return double(m.fresh_list_.size()); }},
      {{"active_share", "share", Measure::stock, Direction::no_verdict,
        "active people over the population"},
       [](const M& m) { return double(m.active_) / m.graph_.num_nodes(); }},
  };
  return columns;
}

const std::vector<engine::Column<IndependentCascade>>& IndependentCascade::run_columns() {
  using engine::Direction, engine::Measure;
  using M = IndependentCascade;
  static const std::vector<engine::Column<M>> columns{
      {{"final_active", "people", Measure::stock, Direction::higher_is_better,
        "people active at the end"},
       [](const M& m) { return double(m.active_); }},
      {{"final_share", "share", Measure::stock, Direction::higher_is_better,
        "final_active over the population"},
       [](const M& m) { return double(m.active_) / m.graph_.num_nodes(); }},
      {{"peak_newly_active", "people", Measure::flow, Direction::higher_is_better,
        "most people activated in one tick"},
       [](const M& m) { return double(m.peak_fresh_); }},
      {{"time_to_peak", "ticks", Measure::stock, Direction::no_verdict,
        "tick of peak_newly_active"},
       [](const M& m) { return double(m.peak_tick_); }},
      {{"duration", "ticks", Measure::stock, Direction::no_verdict, "tick of the last activation"},
       [](const M& m) { return double(m.last_activation_tick_); }},
  };
  return columns;
}

engine::Reporters IndependentCascade::tick_reporters() const {
  return engine::reporters_of(tick_columns());
}

engine::Reporters IndependentCascade::run_reporters() const {
  return engine::reporters_of(run_columns());
}

void IndependentCascade::start(const engine::Random& random) {
  std::fill(state_.begin(), state_.end(), kInactive);
  fresh_list_ = choose_seeds(graph_, params_.seeds, random);
  for (graph::Vertex v : fresh_list_) state_[v] = kFresh;
  // Every agent's in-ties + 1 (the arcs and the agents), less the seeds'.
  inactive_work_ = graph_.num_arcs() + graph_.num_nodes();
  fresh_work_ = 0;
  for (graph::Vertex v : fresh_list_) {
    inactive_work_ -= graph_.in_degree(v) + 1;
    fresh_work_ += graph_.out_degree(v) + 1;
  }
  tick_ = 0;
  active_ = peak_fresh_ = fresh_list_.size();
  peak_tick_ = last_activation_tick_ = 0;
}

void IndependentCascade::step(std::uint32_t tick, const engine::Random& random) {
  tick_ = tick;
  reached_list_.clear();
  if (fresh_list_.empty() || inactive_work_ == 0) return;  // nothing can change any more
  // Every tie is tried at most once: from a fresh agent (this tick's sources) to an inactive
  // one. One state array, so the reads are atomic: another thread may mark an agent
  // reached meanwhile, and a reached agent is neither a source nor a target this tick.
  State* const state = state_.data();
  const auto load = [state](graph::Vertex v) {
    return std::atomic_ref<State>(state[v]).load(std::memory_order_relaxed);
  };
  const double p = params_.p;
  const engine::TieRandom ties(random, kTransmit);
  engine::contagion(
      graph_, engine::Frontier{fresh_list_, fresh_work_, inactive_work_},
      [&](graph::Vertex u) { return load(u) == kFresh; },
      [&](graph::Vertex v) { return load(v) == kInactive; },
      [&ties, p](graph::Vertex u, graph::Vertex v) {
        return ties.uniform(engine::pair_subject(u, v)) < p;
      },
      [state](graph::Vertex v) { engine::store_relaxed(state[v], kReached); });
  // The marked agents, in agent order (so the next tick reads the graph's rows front to
  // back): a scan of one byte per agent, eight at a time, is cheaper than sorting a list.
  constexpr graph::Vertex kChunk = 1 << 16;
  const graph::Vertex n = graph_.num_nodes();
  std::vector<std::vector<graph::Vertex>> parts((std::size_t{n} + kChunk - 1) / kChunk);
  tbb::parallel_for(std::size_t{0}, parts.size(), [&](std::size_t c) {
    const State* const state = state_.data();
    const graph::Vertex end = std::min<graph::Vertex>(n, graph::Vertex(c + 1) * kChunk);
    graph::Vertex v = graph::Vertex(c) * kChunk;
    for (; v + 8 <= end; v += 8) {
      std::uint64_t word;
      std::memcpy(&word, state + v, 8);
      if (!has_byte(word, kReached)) continue;
      for (graph::Vertex w = v; w < v + 8; ++w) {
        if (state[w] == kReached) parts[c].push_back(w);
      }
    }
    for (; v < end; ++v) {
      if (state[v] == kReached) parts[c].push_back(v);
    }
  });
  for (const auto& part : parts)
    reached_list_.insert(reached_list_.end(), part.begin(), part.end());
}

void IndependentCascade::commit() {
  for (graph::Vertex u : fresh_list_) state_[u] = kSpent;
  fresh_work_ = 0;
  for (graph::Vertex v : reached_list_) {
    state_[v] = kFresh;
    inactive_work_ -= graph_.in_degree(v) + 1;
    fresh_work_ += graph_.out_degree(v) + 1;
  }
  fresh_list_.swap(reached_list_);
  reached_list_.clear();
  const std::uint64_t fresh = fresh_list_.size();
  active_ += tick_ > 0 ? fresh : 0;
  if (fresh > 0) last_activation_tick_ = tick_;
  if (fresh > peak_fresh_) {
    peak_fresh_ = fresh;
    peak_tick_ = tick_;
  }
}

void IndependentCascade::observe(std::vector<double>& row) const {
  engine::append_values(tick_columns(), *this, row);
}

void IndependentCascade::finish(std::vector<double>& metrics) {
  engine::append_values(run_columns(), *this, metrics);
}

std::vector<std::string> IndependentCascade::state_names() const {
  return {"inactive", "active", "spent"};
}

engine::Display IndependentCascade::display() const {
  return {{engine::StateRole::untouched, engine::StateRole::spreading, engine::StateRole::removed}};
}

void IndependentCascade::agent_states(std::span<std::uint8_t> out) const {
  std::copy(state_.begin(), state_.end(), out.begin());
}

std::unique_ptr<engine::Model> make_model(const IndependentCascadeParams& p,
                                          const graph::Graph& graph) {
  return std::make_unique<IndependentCascade>(graph, p);
}

std::string_view model_name(const IndependentCascadeParams&) { return "independent_cascade"; }

}  // namespace buzz::dynamics
