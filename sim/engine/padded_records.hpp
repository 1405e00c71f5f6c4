#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

namespace buzz::engine {

// One record per agent: a Head and `k` Items (k fixed for the run), each record padded to
// whole 64-byte cache lines, so that what one agent's session touches for one item sits in
// as few lines as possible and no two agents share a line.
template <typename Head, typename Item>
class PaddedRecords {
  static_assert(std::is_trivially_copyable_v<Head> && std::is_trivially_destructible_v<Head>);
  static_assert(std::is_trivially_copyable_v<Item> && std::is_trivially_destructible_v<Item>);
  static_assert(alignof(Head) <= 64 && sizeof(Head) % alignof(Item) == 0);

 public:
  // `agents` records of one default Head and `items` default Items each.
  void assign(std::size_t agents, std::size_t items) {
    items_ = items;
    lines_ = (sizeof(Head) + sizeof(Item) * items + sizeof(Line) - 1) / sizeof(Line);
    storage_.assign(agents * lines_, Line{});
    for (std::size_t a = 0; a < agents; ++a) {
      new (record(a)) Head{};
      for (std::size_t i = 0; i < items; ++i)
        new (record(a) + sizeof(Head) + i * sizeof(Item)) Item{};
    }
  }

  Head& head(std::size_t a) { return *std::launder(reinterpret_cast<Head*>(record(a))); }
  const Head& head(std::size_t a) const {
    return *std::launder(reinterpret_cast<const Head*>(record(a)));
  }
  Item& item(std::size_t a, std::size_t i) {
    return *std::launder(reinterpret_cast<Item*>(record(a) + sizeof(Head) + i * sizeof(Item)));
  }
  const Item& item(std::size_t a, std::size_t i) const {
    return *std::launder(
        reinterpret_cast<const Item*>(record(a) + sizeof(Head) + i * sizeof(Item)));
  }
  // Where agent a's record starts, to prefetch it.
  const void* address(std::size_t a) const { return record(a); }
  std::size_t lines_per_record() const { return lines_; }

 private:
  struct alignas(64) Line {
    std::byte bytes[64];
  };
  std::byte* record(std::size_t a) { return storage_[a * lines_].bytes; }
  const std::byte* record(std::size_t a) const { return storage_[a * lines_].bytes; }

  std::vector<Line> storage_;
  std::size_t items_ = 0;
  std::size_t lines_ = 0;
};

}  // namespace buzz::engine
