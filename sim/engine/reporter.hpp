#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace buzz::engine {

// Whether a reporter is a level at a moment or a count over an interval.
enum class Measure : unsigned char {
  stock,  // a level at the recorded tick (people aware, followers)
  flow,   // a count since the previous record, or over the run (impressions, unfollows)
};

// Which way is better, for verdicts: `compare`, reports and sweeps read it from here.
enum class Direction : unsigned char { higher_is_better, lower_is_better, no_verdict };

// One named output of a model (Mesa's model reporter): a time-series column or a per-run
// metric. A model declares its reporters once; every writer, comparison and viewer reads
// names, units, directions and definitions from the declaration, never by position.
struct Reporter {
  std::string name;  // stable column name, e.g. "engagement_rate"
  std::string unit;  // "people", "share", "days", "impressions per impression", ...
  Measure measure = Measure::stock;
  Direction direction = Direction::no_verdict;
  std::string definition;        // one line, as in the model's documentation
  bool can_be_negative = false;  // otherwise intervals of its mean are not shown below 0
  bool headline = false;         // worth showing first: reports' charts and verdicts, viewers
};

using Reporters = std::vector<Reporter>;

// A reporter declared with the function that computes it from `Source` (the model, or the
// totals it keeps), so that a value cannot land in another reporter's column (Mesa's
// DataCollector). A model lists its columns once and derives both its reporters and its
// rows from the list.
template <class Source>
struct Column {
  Reporter reporter;
  double (*value)(const Source&);
};

template <class Source>
Reporters reporters_of(const std::vector<Column<Source>>& columns) {
  Reporters out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.reporter);
  return out;
}

// Appends each column's value for `source`, in declaration order.
template <class Source>
void append_values(const std::vector<Column<Source>>& columns, const Source& source,
                   std::vector<double>& out) {
  for (const auto& c : columns) out.push_back(c.value(source));
}

// `r` marked as a headline reporter, for declaring it in place.
inline Reporter headline(Reporter r) {
  r.headline = true;
  return r;
}

inline std::vector<std::string> names(const Reporters& reporters) {
  std::vector<std::string> out;
  out.reserve(reporters.size());
  for (const auto& r : reporters) out.push_back(r.name);
  return out;
}

// The position of `name`, or reporters.size() when absent.
inline std::size_t index_of(const Reporters& reporters, std::string_view name) {
  std::size_t i = 0;
  while (i < reporters.size() && reporters[i].name != name) ++i;
  return i;
}

// The names of the headline reporters in declaration order; a model that marks none gets
// its first `fallback`.
inline std::vector<std::string> headline_names(const Reporters& reporters, std::size_t fallback) {
  std::vector<std::string> out;
  for (const auto& r : reporters) {
    if (r.headline) out.push_back(r.name);
  }
  if (!out.empty()) return out;
  for (std::size_t i = 0; i < std::min(fallback, reporters.size()); ++i) {
    out.push_back(reporters[i].name);
  }
  return out;
}

inline std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::higher_is_better:
      return "higher";
    case Direction::lower_is_better:
      return "lower";
    case Direction::no_verdict:
      return "none";
  }
  return "none";
}

inline std::string_view to_string(Measure m) { return m == Measure::stock ? "stock" : "flow"; }

}  // namespace buzz::engine
