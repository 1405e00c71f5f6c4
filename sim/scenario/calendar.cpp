// Post calendars: content categories and calendar CSV files.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>

#include "sim/common/csv_reader.hpp"
#include "sim/common/input_file.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/scenario/post_columns.hpp"

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

namespace {

// Protobuf's enum value names are the lower-case names in capitals.
std::string upper(std::string_view text) {
  std::string out;
  for (char ch : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// "date or day, hour, type, ...": the calendar's own columns, for messages.
std::string calendar_column_names() {
  std::string out;
  for (const auto& c : post_columns()) {
    if (c.use == ColumnUse::calendar) out += (out.empty() ? "" : ", ") + std::string(c.name);
  }
  return out;
}

[[noreturn]] void refuse(const std::filesystem::path& path, int line, std::string_view what) {
  throw InputError(fmt::format("{}:{}: {}", path.string(), line, what));
}

// Where each calendar column is in the file (-1: absent). Every column is used or refused:
// a column the calendar does not know is an error, so that a misspelt or an export's column
// is never dropped without a word.
struct CalendarColumns {
  int date, day, hour, category, paid, tone, value, commerciality, novelty, format;
};

CalendarColumns calendar_columns(const CsvTable& table, const std::filesystem::path& path) {
  std::map<std::string_view, int> index;  // calendar column -> its place in the file
  for (int c = 0; c < int(table.header.size()); ++c) {
    const std::string& name = table.header[c];
    const PostColumn* column = find_post_column(name);
    if (column == nullptr) {
      const auto near = near_post_column(name);
      refuse(path, 1,
             fmt::format("column {} ('{}') must be a calendar column ({}) or a count "
                         "(`buzzsim import --list-columns` lists them){}; rename or remove "
                         "it",
                         c + 1, name, calendar_column_names(),
                         near ? fmt::format(", got a near miss: did you mean '{}'?", *near)
                              : ", got an unknown name"));
    }
    if (column->use == ColumnUse::export_time) {
      refuse(path, 1,
             fmt::format("column {} ('{}') is an export's {}, not a date: rebuild the dates "
                         "with `buzzsim import {} --out FOLDER` and use the calendar it writes",
                         c + 1, name, column->meaning, path.string()));
    }
    if (column->use == ColumnUse::not_used) {
      refuse(path, 1,
             fmt::format("column {} ('{}') holds {}, which a calendar does not use; remove "
                         "it, or read the export with `buzzsim import`, which keeps what it "
                         "uses and lists the rest",
                         c + 1, name, column->meaning));
    }
    if (column->use != ColumnUse::calendar) continue;
    if (const auto [it, fresh] = index.emplace(column->name, c); !fresh) {
      refuse(path, 1,
             fmt::format("columns {} ('{}') and {} ('{}') must not both give {}", it->second + 1,
                         table.header[it->second], c + 1, name, column->name));
    }
  }
  const auto column = [&](std::string_view name) {
    const auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
  };
  return {column("date"),    column("day"),  column("hour"),  column("category"),
          column("paid"),    column("tone"), column("value"), column("commerciality"),
          column("novelty"), column("type")};
}

// One calendar row as a post; errors name the file, line and column.
buzzsim::Post calendar_post(const CalendarColumns& k, const std::vector<std::string>& cells,
                            int line_no, const CsvTable& table, const std::filesystem::path& path,
                            std::optional<long> start_day) {
  const auto [date, day, hour, category, paid, tone, value, commerciality, novelty, format] = k;
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
      refuse(path, line_no,
             fmt::format("column {} ({}) must be a number in [{}, {}], got '{}'", c + 1, name, lo,
                         hi, text));
    }
    return v;
  };
  buzzsim::Post post;
  if (date >= 0) {
    const auto d = days_since_epoch(cell(date));
    if (!d)
      refuse(path, line_no,
             fmt::format("column {} (date) must be YYYY-MM-DD, got '{}'", date + 1, cell(date)));
    if (*d < *start_day) {
      refuse(path, line_no,
             fmt::format("column {} (date) must not be before calendar_start_date, got '{}'",
                         date + 1, cell(date)));
    }
    post.set_day(double(*d - *start_day));
  } else if (const auto d = number(day, "day", 0, 36600)) {
    post.set_day(*d);
  }
  if (const auto h = number(hour, "hour", 0, 23.999)) post.set_hour(*h);
  if (const std::string text = cell(category); !text.empty()) {
    const auto cat = canonical_category(text);
    if (!cat) {
      refuse(path, line_no,
             fmt::format("column {} (category) must be action, product or inspiration "
                         "(or 1, 2, 3), got '{}'",
                         category + 1, text));
    }
    buzzsim::Post::Category value{};
    buzzsim::Post::Category_Parse(upper(*cat), &value);
    post.set_category(value);
  }
  if (const std::string f = cell(format); !f.empty()) {
    const auto name = canonical_format(f);
    buzzsim::PostFormat value{};
    if (!name || !buzzsim::PostFormat_Parse(upper(name.value_or("")), &value)) {
      refuse(path, line_no,
             fmt::format("column {} ({}) must be {}, got '{}'", format + 1, table.header[format],
                         format_names(), f));
    }
    post.set_format(value);
  }
  if (const std::string text = cell(paid); !text.empty()) {
    const auto p = canonical_paid(text);
    if (!p) {
      refuse(path, line_no,
             fmt::format("column {} (paid) must be 1 or 0 (yes/no, true/false), got '{}'", paid + 1,
                         text));
    }
    post.set_paid(*p);
  }
  if (const auto x = number(tone, "tone", 0, 1)) post.set_tone(*x);
  if (const auto x = number(value, "value", 0, 1)) post.set_value(*x);
  if (const auto x = number(commerciality, "commerciality", 0, 1)) post.set_commerciality(*x);
  if (const auto x = number(novelty, "novelty", 0, 1)) post.set_novelty(*x);
  return post;
}

}  // namespace

// Reads a calendar CSV into posts; errors name the file, line and column.
std::vector<buzzsim::Post> read_calendar(const std::filesystem::path& path,
                                         std::optional<long> start_day, Checker& check,
                                         const Node& at) {
  std::vector<buzzsim::Post> posts;
  std::string why;
  const auto text = try_read_input_file(path, why);
  if (!text) {
    check.fail(at.at("calendar_file"),
               fmt::format("{}: cannot open calendar file \"{}\" ({})",
                           at.field_path("calendar_file"), path.string(), why));
    return posts;
  }
  const CsvTable table = parse_csv(*text, path.string(), 0);
  const CalendarColumns k = calendar_columns(table, path);
  if (k.date < 0 && k.day < 0)
    refuse(path, 1, "calendar must have a date or a day column, got neither");
  if (k.date >= 0 && !start_day) {
    refuse(path, 1, "calendar dates need calendar_start_date in the scenario, got none");
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    posts.push_back(calendar_post(k, table.rows[r], table.lines[r], table, path, start_day));
  }
  return posts;
}

}  // namespace buzz::scenario::detail
