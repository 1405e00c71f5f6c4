// Post calendars: content categories and calendar CSV files.
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/scenario/detail.hpp"

namespace buzz::scenario::detail {

// Content of a category of the Facebook metrics data set: the one place that maps them
// (documented at proto Post.Category).
void apply_category(buzzsim::Post::Category category, dynamics::PostContent& c) {
  switch (category) {
    case buzzsim::Post::ACTION:
      c.commerciality = 0.9, c.value = 0.2;
      break;
    case buzzsim::Post::PRODUCT:
      c.commerciality = 0.5, c.value = 0.5;
      break;
    case buzzsim::Post::INSPIRATION:
      c.commerciality = 0.1, c.value = 0.5;
      break;
    default:
      break;
  }
}

// "photo, status, link or video": the formats a calendar may name, from the proto's enum.
std::string format_names() {
  const auto* e = buzzsim::PostFormat_descriptor();
  std::string out;
  for (int i = 0; i < e->value_count(); ++i) {
    std::string name = e->value(i)->name();
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out += (i == 0 ? "" : i + 1 == e->value_count() ? " or " : ", ") + name;
  }
  return out;
}

std::string unreadable(const std::filesystem::path& path, const std::ifstream& in, int reason) {
  std::error_code ec;  // a path the system refuses (too long, say) is the user's to fix
  if (std::filesystem::is_directory(path, ec)) return "it is a folder";
  if (!in) return std::strerror(reason);
  // A device or a pipe (/dev/zero) would be read forever.
  if (!std::filesystem::is_regular_file(path, ec)) return "it is not a regular file";
  return "";
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream s(line);
  while (std::getline(s, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// Days from 1970-01-01 of a "YYYY-MM-DD" date, or nothing when it is not one.
std::optional<long> days_since_epoch(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  if (std::sscanf(std::string(text).c_str(), "%d-%u-%u%c", &y, &m, &d, &rest) != 3) return {};
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m),
                                         std::chrono::day(d)};
  if (!date.ok()) return {};
  return std::chrono::sys_days(date).time_since_epoch().count();
}

// Reads a calendar CSV into posts; errors name the file, line and column.
std::vector<buzzsim::Post> read_calendar(const std::filesystem::path& path,
                                         std::optional<long> start_day, Checker& check,
                                         const Node& at) {
  std::vector<buzzsim::Post> posts;
  std::ifstream in(path);
  if (const std::string why = unreadable(path, in, errno); !why.empty()) {
    check.fail(at.at("calendar_file"),
               fmt::format("{}: cannot open calendar file \"{}\" ({})",
                           at.field_path("calendar_file"), path.string(), why));
    return posts;
  }
  const auto split = split_csv_line;
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split(line);
  const auto column = [&](std::string_view name) -> int {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : int(it - header.begin());
  };
  const int date = column("date"), day = column("day"), hour = column("hour"),
            category = column("category"), paid = column("paid"), tone = column("tone"),
            value = column("value"), commerciality = column("commerciality"),
            novelty = column("novelty");
  const int format = column("format") >= 0 ? column("format") : column("type");
  const auto fail = [&](int line_no, std::string_view what) {
    throw InputError(fmt::format("{}:{}: {}", path.string(), line_no, what));
  };
  if (date < 0 && day < 0) fail(1, "calendar must have a date or a day column, got neither");
  if (date >= 0 && !start_day) {
    fail(1, "calendar dates need calendar_start_date in the scenario, got none");
  }
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = split(line);
    const auto cell = [&](int c) -> std::string {
      return c >= 0 && c < int(cells.size()) ? cells[c] : "";
    };
    const auto number = [&](int c, std::string_view name, double lo,
                            double hi) -> std::optional<double> {
      const std::string text = cell(c);
      if (text.empty()) return std::nullopt;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != 0 || !(v >= lo && v <= hi)) {
        fail(line_no, fmt::format("column {} ({}) must be a number in [{}, {}], got '{}'", c + 1,
                                  name, lo, hi, text));
      }
      return v;
    };
    buzzsim::Post post;
    if (date >= 0) {
      const auto d = days_since_epoch(cell(date));
      if (!d)
        fail(line_no,
             fmt::format("column {} (date) must be YYYY-MM-DD, got '{}'", date + 1, cell(date)));
      if (*d < *start_day) {
        fail(line_no,
             fmt::format("column {} (date) must not be before calendar_start_date, got '{}'",
                         date + 1, cell(date)));
      }
      post.set_day(double(*d - *start_day));
    } else if (const auto d = number(day, "day", 0, 36600)) {
      post.set_day(*d);
    }
    if (const auto h = number(hour, "hour", 0, 23.999)) post.set_hour(*h);
    const std::string cat = cell(category);
    if (cat == "action") {
      post.set_category(buzzsim::Post::ACTION);
    } else if (cat == "product") {
      post.set_category(buzzsim::Post::PRODUCT);
    } else if (cat == "inspiration") {
      post.set_category(buzzsim::Post::INSPIRATION);
    } else if (!cat.empty()) {
      fail(line_no,
           fmt::format("column {} (category) must be action, product or inspiration, got '{}'",
                       category + 1, cat));
    }
    if (const std::string f = cell(format); !f.empty()) {
      std::string upper;
      for (char ch : f) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      buzzsim::PostFormat value{};
      if (!buzzsim::PostFormat_Parse(upper, &value)) {
        fail(line_no, fmt::format("column {} ({}) must be {}, got '{}'", format + 1, header[format],
                                  format_names(), f));
      }
      post.set_format(value);
    }
    if (const auto p = number(paid, "paid", 0, 1)) post.set_paid(*p != 0);
    if (const auto x = number(tone, "tone", 0, 1)) post.set_tone(*x);
    if (const auto x = number(value, "value", 0, 1)) post.set_value(*x);
    if (const auto x = number(commerciality, "commerciality", 0, 1)) post.set_commerciality(*x);
    if (const auto x = number(novelty, "novelty", 0, 1)) post.set_novelty(*x);
    posts.push_back(post);
  }
  return posts;
}

}  // namespace buzz::scenario::detail
