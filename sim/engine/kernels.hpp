#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/graph/graph.hpp"

namespace buzz::engine {

// Agent state as two buffers: kernels read current() (tick t - 1) and write next()
// (tick t), each agent writing only its own slot, so no agent sees another's half-updated
// state whatever the thread count. commit() swaps them; a kernel must therefore write
// every agent's next slot each tick.
template <typename T>
class DoubleBuffer {
 public:
  explicit DoubleBuffer(std::size_t n, T initial = T{}) : current_(n, initial), next_(n, initial) {}

  const std::vector<T>& current() const { return current_; }
  std::vector<T>& current_for_start() { return current_; }  // only before the first tick
  std::vector<T>& next() { return next_; }
  void commit() { current_.swap(next_); }
  std::size_t size() const { return current_.size(); }

 private:
  std::vector<T> current_;
  std::vector<T> next_;
};

// Agents per task: large enough to amortise scheduling, small enough to balance the
// uneven cost of high-degree agents.
inline constexpr std::uint32_t kAgentGrain = 1024;

// Calls fn(agent) for every agent in [0, n), in parallel.
template <typename Fn>
void for_each_agent(std::uint32_t n, Fn&& fn) {
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, kAgentGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& r) {
                      for (std::uint32_t v = r.begin(); v != r.end(); ++v) fn(v);
                    });
}

// Calls fn(context, agent) for every agent in [0, n), in parallel, where context is
// context_of() taken once per chunk (a thread's scratch space: looking it up per agent
// costs more than many agents' work).
template <typename ContextOf, typename Fn>
void for_each_agent(std::uint32_t n, ContextOf&& context_of, Fn&& fn) {
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, kAgentGrain),
                    [&](const tbb::blocked_range<std::uint32_t>& r) {
                      auto& context = context_of();
                      for (std::uint32_t v = r.begin(); v != r.end(); ++v) fn(context, v);
                    });
}

// Number of agents in [0, n) for which pred(agent) holds. Integer sums are exact, so the
// count is the same for any split over threads.
template <typename Pred>
std::uint64_t count_agents(std::uint32_t n, Pred&& pred) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::uint32_t>(0, n, kAgentGrain), std::uint64_t{0},
      [&](const tbb::blocked_range<std::uint32_t>& r, std::uint64_t sum) {
        for (std::uint32_t v = r.begin(); v != r.end(); ++v) sum += pred(v) ? 1 : 0;
        return sum;
      },
      std::plus<>());
}

// Contagion over ties, one tick: for every target agent v (is_target(v)) that has an
// in-neighbour u which is a source (is_source(u)) and for which attempt(u, v) succeeds,
// calls hit(v). attempt must be a pure function of (u, v), e.g. a keyed random draw;
// hit(v) may run more than once for the same v, from several threads, so it must be an
// idempotent atomic store. is_source and is_target may be called while hit() stores into
// other agents: a model that keeps one state array (not a DoubleBuffer) reads it with
// atomic loads, and hit must not turn a target into a source within the tick.
//
// Direction-optimizing (Beamer, Asanovic & Patterson 2012): pushes from the sources while
// their out-arcs are fewer than the targets' in-arcs, else pulls into the targets, where
// a target stops at its first success. Both visit the same (u, v) pairs that matter, so
// the set of agents hit is the same either way and for any thread count.
//
// The sources and the work each direction takes, when a model keeps them as it goes (an
// independent cascade's frontier): `sources` lists every agent for which is_source holds;
// push_work is the sum of their out-degrees + 1, pull_work that of the targets'
// in-degrees + 1. Without it, contagion() finds both with a scan of every agent.
struct Frontier {
  std::span<const graph::Vertex> sources;
  std::uint64_t push_work = 0, pull_work = 0;
};

namespace detail {

template <typename IsSource, typename IsTarget, typename Attempt, typename Hit>
void pull(const graph::Graph& g, IsSource& is_source, IsTarget& is_target, Attempt& attempt,
          Hit& hit) {
  for_each_agent(g.num_nodes(), [&](std::uint32_t v) {
    if (!is_target(v)) return;
    for (graph::Vertex u : g.in_neighbors(v)) {
      if (is_source(u) && attempt(u, v)) {
        hit(v);
        return;
      }
    }
  });
}

template <typename IsTarget, typename Attempt, typename Hit>
void push_from(const graph::Graph& g, graph::Vertex u, IsTarget& is_target, Attempt& attempt,
               Hit& hit) {
  for (graph::Vertex v : g.out_neighbors(u)) {
    if (is_target(v) && attempt(u, v)) hit(v);
  }
}

}  // namespace detail

template <typename IsSource, typename IsTarget, typename Attempt, typename Hit>
void contagion(const graph::Graph& g, const Frontier& frontier, IsSource&& is_source,
               IsTarget&& is_target, Attempt&& attempt, Hit&& hit) {
  if (frontier.push_work == 0 || frontier.pull_work == 0) return;
  if (frontier.push_work <= frontier.pull_work) {
    // Small chunks: a frontier agent's ties are the unit of work, and they vary widely.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, frontier.sources.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          detail::push_from(g, frontier.sources[i], is_target, attempt, hit);
                        }
                      });
  } else {
    detail::pull(g, is_source, is_target, attempt, hit);
  }
}

template <typename IsSource, typename IsTarget, typename Attempt, typename Hit>
void contagion(const graph::Graph& g, IsSource&& is_source, IsTarget&& is_target, Attempt&& attempt,
               Hit&& hit) {
  struct Work {
    std::uint64_t push = 0, pull = 0;
  };
  const Work work = tbb::parallel_reduce(
      tbb::blocked_range<std::uint32_t>(0, g.num_nodes(), kAgentGrain), Work{},
      [&](const tbb::blocked_range<std::uint32_t>& r, Work w) {
        for (std::uint32_t v = r.begin(); v != r.end(); ++v) {
          if (is_source(v)) w.push += g.out_degree(v) + 1;
          if (is_target(v)) w.pull += g.in_degree(v) + 1;
        }
        return w;
      },
      [](Work a, const Work& b) {
        return Work{a.push + b.push, a.pull + b.pull};
      });
  if (work.push == 0 || work.pull == 0) return;
  if (work.push <= work.pull) {
    // The sources are not listed: find them in the same pass as pushing from them.
    for_each_agent(g.num_nodes(), [&](std::uint32_t u) {
      if (is_source(u)) detail::push_from(g, u, is_target, attempt, hit);
    });
  } else {
    detail::pull(g, is_source, is_target, attempt, hit);
  }
}

// Stores `value` into `slot` atomically, for kernels where several threads may write the
// same value to one agent.
template <typename T>
void store_relaxed(T& slot, T value) {
  std::atomic_ref<T>(slot).store(value, std::memory_order_relaxed);
}

}  // namespace buzz::engine
