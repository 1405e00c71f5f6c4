#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace buzz::engine {

// When each agent next acts (a session online, a check of their feed), for models in which
// agents act at their own times rather than every tick.
//
// Sessions are booked for future ticks from any thread (each thread keeps its own lists)
// and handed out a tick at a time in agent-id order, sorted through a bitmap in O(n / 64):
// the order does not depend on which thread booked whom, and a tick's work walks memory
// forwards.
class SessionSchedule {
 public:
  // Empties the schedule for `agents` agents over ticks 0..last_tick.
  void reset(std::uint32_t agents, std::uint32_t last_tick) {
    last_tick_ = last_tick;
    first_.assign(std::size_t{last_tick} + 2, {});
    for (auto& lists : booked_) lists.clear();
    bits_.assign(agents / 64 + 1, 0);
    due_.clear();
  }

  // Books `agent` at `tick`, from a single thread (at the start). Ticks past the last are
  // dropped.
  void book_serial(std::uint32_t tick, std::uint32_t agent) {
    if (tick <= last_tick_) first_[tick].push_back(agent);
  }

  // A thread's booking lists, per tick.
  using Bookings = std::vector<std::vector<std::uint32_t>>;
  // This thread's, taken once per task: looking them up at each booking hashes the thread id.
  Bookings& local() { return booked_.local(); }

  // Books `agent` at `tick` into this thread's `lists` (from local()) while sessions run.
  void book(Bookings& lists, std::uint32_t tick, std::uint32_t agent) {
    if (tick > last_tick_) return;
    if (lists.size() <= tick) lists.resize(std::size_t{last_tick_} + 1);
    lists[tick].push_back(agent);
  }

  // The agents booked at `tick`, each once, in no set order (a session must not depend on
  // the order; scanning a bitset of everyone for id order cost 7% of a page's run); their
  // bookings are released.
  const std::vector<std::uint32_t>& due(std::uint32_t tick) {
    due_.clear();
    const auto take = [&](std::vector<std::uint32_t>& list) {
      for (std::uint32_t v : list) {
        std::uint64_t& word = bits_[v / 64];
        const std::uint64_t bit = std::uint64_t{1} << (v % 64);
        if (!(word & bit)) due_.push_back(v);
        word |= bit;
      }
      std::vector<std::uint32_t>().swap(list);
    };
    if (tick < first_.size()) take(first_[tick]);
    for (auto& lists : booked_) {
      if (tick < lists.size()) take(lists[tick]);
    }
    for (std::uint32_t v : due_) bits_[v / 64] = 0;
    return due_;
  }

 private:
  std::uint32_t last_tick_ = 0;
  std::vector<std::vector<std::uint32_t>> first_;  // booked at the start, per tick
  tbb::enumerable_thread_specific<Bookings> booked_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint32_t> due_;
};

// Calls act(context, agent) for each agent in `due`, in parallel, where context is
// context_of() taken once per chunk of work (a thread's scratch space). Acting is
// memory-bound, so prefetch(agent) is called `ahead` agents in advance to start fetching
// what act will read.
template <typename ContextOf, typename Prefetch, typename Act>
void for_each_due(const std::vector<std::uint32_t>& due, ContextOf&& context_of,
                  Prefetch&& prefetch, Act&& act, std::size_t ahead = 32) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, due.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      auto& context = context_of();
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        if (i + ahead < range.end()) prefetch(due[i + ahead]);
                        act(context, due[i]);
                      }
                    });
}

// Messages agents send during a tick, delivered at commit in one order whatever the thread
// count: each thread appends to its own outbox, and collect() merges and sorts them by
// Message::key(), which must cover every field so that equal keys are equal messages.
template <typename Message>
class Mailbox {
 public:
  // This thread's outbox.
  std::vector<Message>& local() { return outboxes_.local(); }

  // Everything sent since the last collect(), sorted; the outboxes are emptied.
  const std::vector<Message>& collect() {
    merged_.clear();
    for (auto& out : outboxes_) {
      merged_.insert(merged_.end(), out.begin(), out.end());
      out.clear();
    }
    std::sort(merged_.begin(), merged_.end(),
              [](const Message& x, const Message& y) { return x.key() < y.key(); });
    return merged_;
  }

  void clear() {
    for (auto& out : outboxes_) out.clear();
    merged_.clear();
  }

 private:
  tbb::enumerable_thread_specific<std::vector<Message>> outboxes_;
  std::vector<Message> merged_;
};

}  // namespace buzz::engine
