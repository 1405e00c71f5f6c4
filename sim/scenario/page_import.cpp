// `buzzsim import`: a page's post export as downloaded, read into a calendar, an observed
// file and a starter scenario.
#include "sim/scenario/page_import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "sim/common/csv_reader.hpp"
#include "sim/common/input_error.hpp"

namespace buzz::scenario {

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

long to_days(int y, unsigned m, unsigned d) {
  return sys_days(year_month_day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)})
      .time_since_epoch()
      .count();
}

year_month_day from_days(long days) { return year_month_day{sys_days{std::chrono::days{days}}}; }

std::string iso(long days) {
  const auto ymd = from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()));
}

// 1 = Sunday ... 7 = Saturday, as the Facebook metrics data set codes weekdays.
int weekday(long days) {
  return int(std::chrono::weekday{sys_days{std::chrono::days{days}}}.c_encoding()) + 1;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace((unsigned char)c); });
}

// A count as exports write it: "2200", "2,200" (thousands), "2200.0"; nothing when not one.
std::optional<double> parse_count(std::string_view text) {
  std::string t = trim(text);
  const bool grouped = t.size() > 4 && t.find(',') != std::string::npos &&
                       std::all_of(t.begin(), t.end(), [](char c) {
                         return std::isdigit((unsigned char)c) || c == ',';
                       });
  if (grouped) t.erase(std::remove(t.begin(), t.end(), ','), t.end());
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

// A date-time as exports write it, in parts: "2014-09-30", "2014-09-30T23:00:00+0000",
// "9/30/2014 11:00:00 PM", "30/09/2014 23:00", "4/11/18 04:53". For A/B/YYYY, which of A and B is
// the month is decided over the whole file.
struct Stamp {
  int year = 0;
  unsigned a = 0, b = 0;  // month and day (ISO), or the two numbers of A/B/YYYY
  bool slashed = false;
  double hour = 0;  // with minutes as a fraction
};

std::optional<Stamp> parse_stamp(std::string_view text) {
  const std::string t = trim(text);
  Stamp s;
  unsigned hh = 0, mm = 0, ss = 0;
  int used = 0;
  if (std::sscanf(t.c_str(), "%d-%u-%u%n", &s.year, &s.a, &s.b, &used) == 3) {
  } else if (std::sscanf(t.c_str(), "%u/%u/%d%n", &s.a, &s.b, &s.year, &used) == 3) {
    s.slashed = true;
  } else {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(t).substr(std::size_t(used));
  if (!rest.empty() && (rest.front() == 'T' || rest.front() == ' ')) {
    rest.remove_prefix(1);
    int n = 0;
    const std::string r(rest);
    if (std::sscanf(r.c_str(), "%u:%u:%u%n", &hh, &mm, &ss, &n) == 3 ||
        std::sscanf(r.c_str(), "%u:%u%n", &hh, &mm, &n) == 2) {
      rest.remove_prefix(std::size_t(n));
      const std::string ampm = trim(rest).substr(0, 2);
      if (ampm == "PM" || ampm == "pm") {
        if (hh > 12) return std::nullopt;
        hh = hh % 12 + 12;
      } else if (ampm == "AM" || ampm == "am") {
        if (hh > 12) return std::nullopt;
        hh %= 12;
      }
      if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    } else {
      return std::nullopt;
    }
  } else if (!is_blank(rest)) {
    return std::nullopt;
  }
  s.hour = hh + mm / 60.0;
  if (s.slashed && s.year < 100) s.year += 2000;  // "4/11/18 04:53"
  if (s.year < 1900 || s.year > 2200) return std::nullopt;
  return s;
}

// One post as read, before its date is known.
struct Row {
  int line = 0;
  std::optional<Stamp> stamp;
  int month = 0, weekday = 0;
  double hour = 0;
  long day = 0;  // days since 1970-01-01, once known
  std::string type, category, paid;
  std::vector<std::optional<double>> counts;  // by count column
};

std::string round2(double x) {  // two significant figures, as a whole number
  if (x <= 0) return "0";
  const double p = std::pow(10.0, std::floor(std::log10(x)) - 1);
  return fmt::format("{:.0f}", std::round(x / p) * p);
}

std::string thousands(double x) {
  std::string digits = fmt::format("{:.0f}", x), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The starter scenario: the page replayed (or, for the what-if, posting on a schedule)
// in a population sized from its follower count, with the calibrate block of
// scenarios/real/cosmetics_calibrate_delivery.textproto for the columns the export has.
struct Starter {
  std::string name;
  long start = 0, end = 0;  // first and last day of the months the posts span
  double followers = 0, max_followers = 0, market = 0, scale = 1, growth_per_day = 0;
  bool follower_series = false, any_paid = false;
  std::size_t paid_posts = 0;
  std::optional<double> comment_share;
  std::vector<std::string> counts;  // count columns present
  std::size_t posts = 0;
  std::string format = "PHOTO";
};

// The starter's scenario: the page (its calendar) or a what-if (a schedule).
std::string starter_scenario(const Starter& s, bool calendar) {
  const long days = s.end - s.start + 1;
  const double nodes = std::round(s.market * s.scale);
  const double acquisition = s.growth_per_day * s.scale;
  std::string out;
  out += fmt::format(
      "# {} as `buzzsim import` read it from the page's export ({} posts, {} to {}).\n"
      "# The market is twice the page's largest follower count ({} people), so that the\n"
      "# page can grow without running out of people to reach; it is simulated at a scale of\n"
      "# {} ({} people) to keep each run short: population.scale brings the page's counts\n"
      "# to it. Change the market with graph.communities.nodes and follower_share together.\n",
      calendar ? "The page" : "A what-if for the page", s.posts, iso(s.start), iso(s.end),
      thousands(s.market), s.scale, thousands(nodes));
  if (!calendar) {
    out +=
        "# Its posts follow a schedule instead of the page's calendar: edit posts_per_week,\n"
        "# the content and the format, then `buzzsim compare page.textproto whatif.textproto\n"
        "# --posterior <calibration>/posterior.csv`.\n";
  }
  out += fmt::format("name: \"{}\"\n", calendar ? s.name : s.name + "_whatif");
  out += "seed: 1\nreplicates: 1\n";
  out += fmt::format("ticks: {}              # {} days of hourly ticks: {} to {}\n", days * 24,
                     days, iso(s.start), iso(s.end));
  out += fmt::format("graph {{ communities {{ nodes: {:.0f} mean_degree: 20 }} }}\n", nodes);
  if (s.scale < 1) out += fmt::format("population {{ scale: {} }}\n", s.scale);
  out += "dynamics { campaign {\n  brands {\n";
  out += fmt::format("    name: \"{}\"\n", s.name);
  out += fmt::format("    follower_share: {:.5g}  # {} followers at the start, of {}\n",
                     s.followers / s.market, thousands(s.followers), thousands(s.market));
  if (calendar && s.any_paid) {
    out += fmt::format("    paid_reach: 0.003  # {} of the page's posts were promoted\n",
                       s.paid_posts);
  } else if (!calendar) {
    out += fmt::format(
        "    paid_reach: 0  # no ads; 0.003 promotes every post (the page promoted {} of {})\n",
        s.paid_posts, s.posts);
  }
  if (calendar) {
    out += "    calendar_file: \"posts.csv\"\n";
    out += fmt::format("    calendar_start_date: \"{}\"\n", iso(s.start));
  } else {
    const double per_week = std::round(double(s.posts) / double(days) * 7 * 10) / 10;
    out += fmt::format("    posts_per_week: {}  # the page's own rate; change it to try another\n",
                       std::max(0.1, per_week));
    out += "    regularity: JITTERED\n";
    out +=
        "    # What the posts are: a product post's content (an offer is commerciality 0.9 and\n"
        "    # value 0.2, inspiration 0.1 and 0.5), in the page's most common format.\n"
        "    commerciality: 0.5\n    value: 0.5\n";
    out += fmt::format("    format: {}\n", s.format);
  }
  if (s.follower_series) {
    out += fmt::format(
        "    acquisition_per_day: {:.3g}  # the page's growth, {:.3g} a day, at the scale\n",
        acquisition, s.growth_per_day);
  }
  out += "  }\n";
  if (s.comment_share) {
    out += fmt::format(
        "  # The page's readers wrote {:.3g} comments for every like.\n"
        "  audience {{ comment_share: {:.3g} }}\n",
        *s.comment_share, std::clamp(*s.comment_share, 0.001, 1.0));
  }
  out += "} }\noutputs { record_every: 24 }\n";
  return out;
}

// The page's calibrate block: a match for each count the export has.
std::string starter_calibrate(const Starter& s) {
  const double acquisition = s.growth_per_day * s.scale;
  const auto has = [&](std::string_view c) {
    return std::find(s.counts.begin(), s.counts.end(), c) != s.counts.end();
  };
  std::string out;
  std::vector<std::string> matches;
  if (has("fan_reach")) {
    matches.push_back(
        "match { observed: \"fan_reach\" simulated: \"follower_reach\" statistic: MEDIAN }");
  }
  if (has("interactions")) {
    matches.push_back(
        "match { observed: \"interactions\" simulated: \"interactions\" statistic: MEDIAN }");
  }
  if (has("reach")) {
    matches.push_back("match { observed: \"reach\" simulated: \"total_reach\" statistic: MEDIAN }");
  }
  if (s.follower_series) {
    matches.push_back(
        "match { observed: \"page_likes\" simulated: \"followers\" statistic: LAST weight: 10 }");
  }
  if (matches.empty()) {
    out +=
        "# No calibrate block: the export has none of the counts a fit matches (fan_reach,\n"
        "# reach, interactions, page_likes).\n";
    return out;
  }
  out += "calibrate {\n  observed_file: \"posts.csv\"\n";
  out +=
      "  # How many followers see a post, how many readers engage, how far friends' stories\n"
      "  # carry it, how delivery changes over time (and with the posting rate, unless the\n"
      "  # posts give it: delivery_fit below) (docs/forecasting.md).\n"
      "  free { field: \"audience.organic_reach\" low: 0.01 high: 0.3 log: true }\n"
      "  free { field: \"audience.engage_log_odds\" low: -5 high: -2 }\n"
      "  free { field: \"audience.story_reach\" low: 0.3 high: 1 }\n"
      "  free { field: \"audience.organic_reach_trend\" low: -0.2 high: 0.05 }\n";
  // With delivery_fit the posting response comes from the posts (below), where days of one
  // post against days of several identify it; monthly medians cannot.
  const bool delivery = has("fan_reach") && s.follower_series;
  if (!delivery) out += "  free { field: \"audience.posting_elasticity\" low: 0 high: 1 }\n";
  if (s.follower_series) {
    out += fmt::format(
        "  free {{ field: \"campaign.acquisition_per_day\" low: {:.3g} high: {:.3g} log: true }}\n"
        "  free {{ field: \"audience.follow_from_reach\" low: 0 high: 0.06 }}\n",
        std::max(acquisition / 10, 0.01), std::max(acquisition * 3, 1.0));
  }
  for (const auto& m : matches) out += "  " + m + "\n";
  if (delivery) {
    out +=
        "  # The format, category and hour multipliers of delivery and the posting-rate\n"
        "  # response from the page's own fitted posts, not the cosmetics page's defaults\n"
        "  # (docs/forecasting.md).\n"
        "  delivery_fit { reach: \"fan_reach\" followers: \"page_likes\" }\n";
  }
  if (has("interactions") && has("reach")) {
    out +=
        "  # The format and category effects on engagement, from the same posts.\n"
        "  engagement_fit { interactions: \"interactions\" reach: \"reach\" }\n";
  }
  out += "  particles: 60\n  generations: 5\n}\n";
  return out;
}

std::string starter_text(const Starter& s, bool calendar) {
  return calendar ? starter_scenario(s, true) + starter_calibrate(s) : starter_scenario(s, false);
}

// One import: the export's table, its columns as the table of post columns names them,
// its rows, and what is said about them; each step a method, in the order import_page
// calls them.
class Importer {
 public:
  Importer(std::string_view text, const std::string& origin, const ImportOptions& options)
      : table_(parse_csv(text, origin, 0)), origin_(origin), options_(options) {
    if (table_.header.empty()) fail(1, "the export must have a header row, got an empty file");
  }

  // Columns: each used, or listed as not used; a near miss is an error.
  void map_columns() {
    const CsvTable& table = table_;
    const ImportOptions& options = options_;
    auto& at = at_;
    auto& used = used_;
    auto& not_used = not_used_;
    int& page_column = page_column_;
    for (int c = 0; c < int(table.header.size()); ++c) {
      const std::string& header = table.header[c];
      if (is_blank(header)) continue;
      const PostColumn* column = find_post_column(header, options.columns);
      if (column == nullptr) {
        if (const auto near = near_post_column(header)) {
          fail(1, fmt::format("column {} ('{}') must be a column buzzsim knows, got a near miss: "
                              "did you mean '{}'? If it means something else, name it in a "
                              "--columns file (`buzzsim import --list-columns` lists the names)",
                              c + 1, header, *near));
        }
        not_used.push_back(fmt::format("{} (unknown to buzzsim)", header));
        continue;
      }
      if (column->name == "page_id") {
        page_column = c;
        used.push_back(fmt::format("{} -> page_id (which page)", header));
        continue;
      }
      if (column->use == ColumnUse::not_used) {
        not_used.push_back(fmt::format("{} ({})", header, column->meaning));
        continue;
      }
      if (const auto [it, fresh] = at.emplace(column->name, c); !fresh) {
        fail(1, fmt::format("columns {} ('{}') and {} ('{}') must not both give {}", it->second + 1,
                            table.header[it->second], c + 1, header, column->name));
      }
      used.push_back(header == column->name ? header
                                            : fmt::format("{} -> {}", header, column->name));
    }
    for (const auto& c : post_columns()) {
      if (c.use == ColumnUse::count && index(c.name) >= 0) {
        count_names_.emplace_back(c.name), count_index_.push_back(index(c.name));
      }
    }
    const bool by_weekday = index("date") < 0 && index("posted") < 0;
    if (by_weekday && (index("month") < 0 || index("weekday") < 0)) {
      fail(1,
           "the export must give each post's time: a date, a date-time (such as Posted or "
           "Publish time) or month and weekday (Post Month, Post Weekday), got none of them");
    }
    if (by_weekday && !options.year) {
      fail(1, "the export gives month and weekday but no year: give it with --year YYYY");
    }
  }

  // A file of several pages (as the Facebook Live sellers data set is): one page is chosen.
  void choose_page() const {
    const CsvTable& table = table_;
    const ImportOptions& options = options_;
    const int page_column = page_column_;
    std::map<std::string, std::size_t> pages;
    if (page_column >= 0) {
      for (const auto& cells : table.rows) {
        if (page_column < int(cells.size()) && !is_blank(cells[page_column])) {
          ++pages[trim(cells[page_column])];
        }
      }
    }
    if (pages.size() > 1 && options.page.empty()) {
      std::string list;
      for (const auto& [id, n] : pages)
        list += fmt::format("{}{} ({} posts)", list.empty() ? "" : ", ", id, n);
      fail(1, fmt::format("column {} ('{}') names {} pages: choose one with --page ID, got none; "
                          "pages: {}",
                          page_column + 1, table.header[page_column], pages.size(), list));
    }
    if (!options.page.empty() && !pages.contains(options.page)) {
      fail(1, fmt::format("--page must be a page of column {}, got '{}'",
                          page_column < 0 ? std::string("page_id (the file has none)")
                                          : fmt::format("{} ('{}')", page_column + 1,
                                                        table.header[page_column]),
                          options.page));
    }
  }

  // Rows: one post each. Insights' description row (text where counts belong) is skipped.
  void read_rows() {
    const int posted = index("posted");
    std::size_t description_rows = 0;
    for (std::size_t r = 0; r < table_.rows.size(); ++r) {
      const auto& cells = table_.rows[r];
      const auto cell = [&](int c) {
        return c >= 0 && c < int(cells.size()) ? trim(cells[c]) : "";
      };
      if (std::all_of(cells.begin(), cells.end(),
                      [](const std::string& x) { return is_blank(x); })) {
        continue;
      }
      if (!options_.page.empty() && cell(page_column_) != options_.page) continue;
      if (r == 0 && !count_index_.empty() && !is_blank(cell(count_index_.front())) &&
          !parse_count(cell(count_index_.front())) && (posted < 0 || !parse_stamp(cell(posted)))) {
        ++description_rows;
        continue;
      }
      rows_.push_back(read_row(cells, table_.lines[r]));
    }
    if (rows_.empty()) fail(2, "the export must hold at least one post, got none");
    if (description_rows > 0) {
      notes_.push_back("line 2 holds the columns' descriptions (as Insights exports do): skipped");
    }
    if (!options_.page.empty()) {
      notes_.push_back(fmt::format("page {}: its {} posts", options_.page, rows_.size()));
    }
  }

  // Each row's day, oldest first.
  void date_rows() {
    if (index("date") >= 0 || index("posted") >= 0) {
      date_from_stamps();
    } else {
      rebuild_from_weekdays();
    }
  }

  // interactions = likes (or reactions) + comments + shares, when the export has no total.
  void add_interactions() {
    auto& rows = rows_;
    auto& count_names = count_names_;
    auto& notes = notes_;
    if (column_of("interactions") < 0 && column_of("comments") >= 0 && column_of("shares") >= 0 &&
        (column_of("likes") >= 0 || column_of("reactions") >= 0)) {
      const int l = column_of("reactions") >= 0 ? column_of("reactions") : column_of("likes");
      const int c = column_of("comments"), s = column_of("shares");
      for (auto& row : rows) {
        row.counts.push_back(row.counts[l] && row.counts[c] && row.counts[s]
                                 ? std::optional(*row.counts[l] + *row.counts[c] + *row.counts[s])
                                 : std::nullopt);
      }
      notes.push_back(fmt::format("interactions = {} + comments + shares (the export has no total)",
                                  count_names[l]));
      count_names.emplace_back("interactions");
    }
  }

  Starter starter() {
    const auto& rows = rows_;
    const auto& options = options_;
    const auto& origin = origin_;
    const auto& count_names = count_names_;
    auto& notes = notes_;
    Starter st;
    st.name = options.name;
    st.posts = rows.size();
    {
      const auto first = from_days(rows.front().day), last = from_days(rows.back().day);
      st.start = to_days(int(first.year()), unsigned(first.month()), 1);
      const auto next = std::chrono::year_month{last.year(), last.month()} + std::chrono::months(1);
      st.end = sys_days{next / std::chrono::day(1)}.time_since_epoch().count() - 1;
    }
    const int likes = column_of("page_likes");
    if (likes >= 0) {
      std::vector<double> series;
      for (const auto& row : rows) {
        if (row.counts[likes]) series.push_back(*row.counts[likes]);
      }
      if (!series.empty()) {
        st.follower_series = true;
        st.followers = series.front();
        st.max_followers = *std::max_element(series.begin(), series.end());
        st.growth_per_day =
            std::max(0.0, (series.back() - series.front()) / double(st.end - st.start + 1));
      }
    }
    if (options.followers) {
      if (st.follower_series) {
        notes.push_back(
            fmt::format("--followers {} replaces the export's first follower count ({})",
                        *options.followers, st.followers));
      }
      st.followers = *options.followers;
      st.max_followers = std::max(st.max_followers, st.followers);
    }
    if (st.followers <= 0) {
      throw InputError(fmt::format(
          "{}: the export must give the page's follower count (a column such as 'Page total "
          "likes'), got none: give the followers at the first post with --followers N",
          origin));
    }
    st.market = std::stod(round2(2 * st.max_followers));
    for (const double s : {1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001}) {
      st.scale = s;
      if (st.market * s <= 30000) break;
    }
    const int comments = column_of("comments"), like_count = column_of("likes");
    if (comments >= 0 && like_count >= 0) {
      double c = 0, l = 0;
      for (const auto& row : rows) {
        if (row.counts[comments] && row.counts[like_count]) {
          c += *row.counts[comments], l += *row.counts[like_count];
        }
      }
      if (l > 0) st.comment_share = c / l;
    }
    std::map<std::string, std::size_t> formats;
    for (const auto& row : rows) {
      st.any_paid = st.any_paid || row.paid == "1";
      st.paid_posts += row.paid == "1";
      if (!row.type.empty()) ++formats[row.type];
    }
    if (!formats.empty()) {
      std::string f = std::max_element(formats.begin(), formats.end(), [](auto& x, auto& y) {
                        return x.second < y.second;
                      })->first;
      for (char& ch : f) ch = char(std::toupper((unsigned char)ch));
      st.format = f;
    }
    st.counts = count_names;

    return st;
  }

  // The calendar and observed file.
  std::string posts_file() const {
    const auto& rows = rows_;
    const auto& count_names = count_names_;
    const int type = index("type"), category = index("category"), paid = index("paid");
    ImportedPage page;
    ImportedPage& out = page;
    const bool has_type = type >= 0, has_category = category >= 0, has_paid = paid >= 0;
    out.posts_csv = "date,hour";
    if (has_type) out.posts_csv += ",type";
    if (has_category) out.posts_csv += ",category";
    if (has_paid) out.posts_csv += ",paid";
    for (const auto& n : count_names) out.posts_csv += "," + n;
    out.posts_csv += "\n";
    for (const auto& row : rows) {
      out.posts_csv += fmt::format("{},{:g}", iso(row.day), row.hour);
      if (has_type) out.posts_csv += "," + row.type;
      if (has_category) out.posts_csv += "," + row.category;
      if (has_paid) out.posts_csv += "," + row.paid;
      for (const auto& v : row.counts) out.posts_csv += v ? fmt::format(",{:g}", *v) : ",";
      out.posts_csv += "\n";
    }
    return out.posts_csv;
  }

  std::string summary(const Starter& st) const {
    const auto& rows = rows_;
    std::string sum;
    sum += fmt::format("{}: {} posts, {} to {}{}\n", origin_, rows.size(), iso(rows.front().day),
                       iso(rows.back().day),
                       newest_first_ ? " (newest first in the file; written oldest first)" : "");
    sum += "columns used: ";
    for (std::size_t k = 0; k < used_.size(); ++k) sum += (k ? ", " : "") + used_[k];
    sum += "\n";
    if (!not_used_.empty()) {
      sum += "columns not used: ";
      for (std::size_t k = 0; k < not_used_.size(); ++k) sum += (k ? ", " : "") + not_used_[k];
      sum += "\n";
    }
    for (const auto& n : notes_) sum += n + "\n";
    sum += fmt::format(
        "population: a market of {} people, twice the page's largest follower count ({}); "
        "simulated at scale {}: {} people, {} followers at the start\n",
        thousands(st.market), thousands(st.max_followers), st.scale,
        thousands(std::round(st.market * st.scale)),
        thousands(std::round(st.followers * st.scale)));
    if (!st.follower_series) {
      sum += "followers: one count given, no series: the fit cannot match follower growth\n";
    }
    return sum;
  }

  const std::vector<Row>& rows() const { return rows_; }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw InputError(fmt::format("{}:{}: {}", origin_, line, what));
  }
  int index(std::string_view name) const {
    const auto it = at_.find(name);
    return it == at_.end() ? -1 : it->second;
  }
  int column_of(std::string_view name) const {
    const auto it = std::find(count_names_.begin(), count_names_.end(), name);
    return it == count_names_.end() ? -1 : int(it - count_names_.begin());
  }

  Row read_row(const std::vector<std::string>& cells, int line) const {
    const CsvTable& table = table_;
    const int date = index("date"), posted = index("posted"), month = index("month"),
              wday = index("weekday"), hour = index("hour"), type = index("type"),
              category = index("category"), paid = index("paid");
    const auto cell = [&](int c) { return c >= 0 && c < int(cells.size()) ? trim(cells[c]) : ""; };
    Row row;
    row.line = line;
    const auto whole = [&](int c, std::string_view name, int lo, int hi) {
      const std::string t = cell(c);
      char* end = nullptr;
      const double v = std::strtod(t.c_str(), &end);
      if (t.empty() || *end != 0 || v != std::floor(v) || v < lo || v > hi) {
        fail(line, fmt::format("column {} ({}) must be a whole number from {} to {}, got '{}'",
                               c + 1, name, lo, hi, t));
      }
      return int(v);
    };
    if (date >= 0 || posted >= 0) {
      const int c = posted >= 0 ? posted : date;
      row.stamp = parse_stamp(cell(c));
      if (!row.stamp) {
        fail(line, fmt::format("column {} ({}) must be a date or date-time such as 2014-09-30, "
                               "2014-09-30 23:00 or 9/30/2014 11:00:00 PM, got '{}'",
                               c + 1, table.header[c], cell(c)));
      }
      row.hour = row.stamp->hour;
    } else {
      row.month = whole(month, table.header[month], 1, 12);
      row.weekday = whole(wday, table.header[wday], 1, 7);
    }
    if (hour >= 0 && !cell(hour).empty()) {
      char* end = nullptr;
      const std::string t = cell(hour);
      const double h = std::strtod(t.c_str(), &end);
      if (*end != 0 || !(h >= 0 && h < 24)) {
        fail(line, fmt::format("column {} ({}) must be an hour from 0 to 23, got '{}'", hour + 1,
                               table.header[hour], t));
      }
      row.hour = h;
    }
    if (const std::string t = cell(type); !t.empty()) {
      const auto f = canonical_format(t);
      if (!f) {
        fail(line, fmt::format("column {} ({}) must be a post format (photo, status, link, "
                               "video, as exports name them), got '{}'",
                               type + 1, table.header[type], t));
      }
      row.type = *f;
    }
    if (const std::string t = cell(category); !t.empty()) {
      const auto k = canonical_category(t);
      if (!k) {
        fail(line, fmt::format("column {} ({}) must be action, product or inspiration (or 1, 2, "
                               "3), got '{}'",
                               category + 1, table.header[category], t));
      }
      row.category = *k;
    }
    if (const std::string t = cell(paid); !t.empty()) {
      const auto p = canonical_paid(t);
      if (!p) {
        fail(line, fmt::format("column {} ({}) must be 1 or 0 (yes/no, true/false), got '{}'",
                               paid + 1, table.header[paid], t));
      }
      row.paid.assign(1, *p ? '1' : '0');  // (a char: GCC 12 warns falsely on a literal)
    }
    row.counts = read_counts(cells, line);
    return row;
  }

  // The row's counts, in count_index_'s order; empty cells are missing values.
  std::vector<std::optional<double>> read_counts(const std::vector<std::string>& cells,
                                                 int line) const {
    const CsvTable& table = table_;
    const auto& count_index = count_index_;
    const auto cell = [&](int c) { return c >= 0 && c < int(cells.size()) ? trim(cells[c]) : ""; };
    std::vector<std::optional<double>> counts;
    for (std::size_t k = 0; k < count_index.size(); ++k) {
      const std::string t = cell(count_index[k]);
      if (t.empty()) {
        counts.emplace_back();
        continue;
      }
      const auto v = parse_count(t);
      if (!v) {
        fail(line, fmt::format("column {} ({}) must be a count (a number from 0) or empty, got "
                               "'{}'",
                               count_index[k] + 1, table.header[count_index[k]], t));
      }
      counts.push_back(v);
    }
    return counts;
  }

  void date_from_stamps() {
    auto& rows = rows_;
    auto& notes = notes_;
    // A/B/YYYY: B above 12 anywhere means A is the month (Facebook's order); A above 12, the day.
    bool month_first = true, decided = false;
    for (const auto& row : rows) {
      if (!row.stamp->slashed) continue;
      if (row.stamp->b > 12) month_first = true, decided = true;
      if (row.stamp->a > 12) month_first = false, decided = true;
    }
    const bool any_slashed =
        std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.stamp->slashed; });
    if (any_slashed && !decided) {
      notes.push_back(
          "dates A/B/YYYY are read as month/day/year (Facebook's order); no day "
          "above 12 told the order apart");
    }
    for (auto& row : rows) {
      Stamp s = *row.stamp;
      const unsigned m = s.slashed && !month_first ? s.b : s.a;
      const unsigned d = s.slashed && !month_first ? s.a : s.b;
      const year_month_day ymd{std::chrono::year(s.year), std::chrono::month(m),
                               std::chrono::day(d)};
      if (!ymd.ok()) {
        fail(row.line, fmt::format("the post's date must be a real day, got year {}, month {}, "
                                   "day {}",
                                   s.year, m, d));
      }
      row.day = to_days(s.year, m, d);
    }
    const bool newest_first = rows.front().day > rows.back().day;
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.day != y.day ? x.day < y.day : x.hour < y.hour;
    });
    newest_first_ = newest_first;
  }

  void rebuild_from_weekdays() {
    auto& rows = rows_;
    auto& notes = notes_;
    const auto& options = options_;
    bool newest_first = false;
    // Month, weekday and hour, newest first as the data set lists them (or oldest first):
    // taken oldest first, a post is on the day of the one before when it has the same
    // weekday and a later hour, otherwise on the next day with its weekday, within its month.
    // Newest first unless the months say otherwise (the data set's order).
    newest_first = rows.front().month >= rows.back().month;
    if (rows.front().month == rows.back().month) {
      notes.push_back(
          "all posts are in one month: taken as listed newest first, as the "
          "Facebook metrics data set lists them");
    }
    if (newest_first) std::reverse(rows.begin(), rows.end());
    for (std::size_t k = 1; k < rows.size(); ++k) {
      if (rows[k].month < rows[k - 1].month) {
        fail(rows[k].line, fmt::format("posts must be in time order (newest or oldest first); "
                                       "month {} comes after month {}",
                                       rows[k].month, rows[k - 1].month));
      }
    }
    const int year = *options.year;
    std::size_t moved_back = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      Row& row = rows[k];
      const long month_start = to_days(year, unsigned(row.month), 1);
      const long month_end = row.month == 12 ? to_days(year + 1, 1, 1) - 1
                                             : to_days(year, unsigned(row.month) + 1, 1) - 1;
      if (k > 0 && rows[k - 1].month == row.month && rows[k - 1].weekday == row.weekday &&
          row.hour >= rows[k - 1].hour) {
        row.day = rows[k - 1].day;
        continue;
      }
      long from = k > 0 ? std::max(rows[k - 1].day + 1, month_start) : month_start;
      while (weekday(from) != row.weekday) ++from;
      if (from > month_end) {
        // A week without posts was missed before it: put it on the month's last such day.
        from = month_end;
        while (weekday(from) != row.weekday) --from;
        ++moved_back;
      }
      row.day = from;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.day != y.day ? x.day < y.day : x.hour < y.hour;
    });
    notes.push_back(date_sureness(year, moved_back));
    newest_first_ = newest_first;
  }

  // How sure the rebuilt dates are, month by month.
  std::string date_sureness(int year, std::size_t moved_back) const {
    const auto& rows = rows_;
    // How sure: the rebuilt days are the earliest the order allows. A month whose last
    // rebuilt post leaves a week or more before its end may hold runs of posts that were
    // really that many weeks later (the export is a sample, or the page skipped a week);
    // one that leaves less is exact, since any post moved a week later moves those after it.
    std::map<int, std::pair<long, long>> span;  // month -> first and last rebuilt day
    std::map<int, std::size_t> in_month;
    for (const auto& row : rows) {
      auto [it, fresh] = span.emplace(row.month, std::pair{row.day, row.day});
      if (!fresh) it->second.second = std::max(it->second.second, row.day);
      ++in_month[row.month];
    }
    std::string months;
    std::vector<int> exact;
    for (const auto& [m, fl] : span) {
      const long month_end = m == 12 ? to_days(year + 1, 1, 1) - 1 : to_days(year, m + 1, 1) - 1;
      const long weeks = (month_end - fl.second) / 7;
      if (weeks == 0) exact.push_back(m);
      months += fmt::format("\n  month {:>2}: {:>3} posts, {} to {}, {}", m, in_month[m],
                            iso(fl.first), iso(fl.second),
                            weeks == 0 ? "exact"
                                       : fmt::format("a post may be up to {} week{} later", weeks,
                                                     weeks == 1 ? "" : "s"));
    }
    return fmt::format(
        "dates rebuilt from month, weekday and hour (year {}, weekday 1 = Sunday) as the earliest "
        "days the order allows: a post with the weekday of the one before and a later hour is on "
        "its day, else on the next day with its weekday. Exact in {} of {} months (their posts "
        "reach the month's last week); in the others a run of posts may be a week or more later, "
        "as where the export is a sample or the page skipped a week. {} post{} had to be moved "
        "back into {} month (a missed week).{}",
        year, exact.size(), span.size(), moved_back, moved_back == 1 ? "" : "s",
        moved_back == 1 ? "its" : "their", months);
  }

  CsvTable table_;
  std::string origin_;
  const ImportOptions& options_;
  std::map<std::string_view, int> at_;  // column name -> index in the file
  std::vector<std::string> used_, not_used_;
  int page_column_ = -1;  // a file of several pages names each row's page
  std::vector<std::string> count_names_;
  std::vector<int> count_index_;
  std::vector<Row> rows_;
  std::vector<std::string> notes_;
  bool newest_first_ = false;
};

}  // namespace

ImportedPage import_page(std::string_view text, const std::string& origin,
                         const ImportOptions& options) {
  Importer in(text, origin, options);
  in.map_columns();
  in.choose_page();
  in.read_rows();
  in.date_rows();
  in.add_interactions();
  const Starter st = in.starter();
  ImportedPage out;
  out.posts = in.rows().size();
  out.first_date = iso(in.rows().front().day);
  out.last_date = iso(in.rows().back().day);
  out.posts_csv = in.posts_file();
  out.scenario = starter_text(st, true);
  out.whatif = starter_text(st, false);
  out.summary = in.summary(st);
  return out;
}

ColumnAliases read_column_aliases(std::string_view text, const std::string& origin) {
  const CsvTable table = parse_csv(text, origin, 0);
  if (table.header.size() < 2 || column_key(table.header[0]) != "column" ||
      column_key(table.header[1]) != "means") {
    throw InputError(fmt::format("{}:1: a columns file's header must be column,means, got '{}'",
                                 origin, fmt::join(table.header, ",")));
  }
  ColumnAliases out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string name = row.size() > 0 ? trim(row[0]) : "";
    const std::string means = row.size() > 1 ? trim(row[1]) : "";
    const PostColumn* target = nullptr;
    for (const auto& c : post_columns()) {
      if (c.name == means) target = &c;
    }
    if (name.empty() || target == nullptr) {
      const auto near = near_post_column(means);
      throw InputError(fmt::format(
          "{}:{}: means must name a column of `buzzsim import --list-columns`, got '{}'{}", origin,
          table.lines[r], means, near ? fmt::format("; did you mean '{}'?", *near) : ""));
    }
    out.emplace_back(name, means);
  }
  return out;
}

std::string describe_post_columns() {
  std::string out =
      "Columns of a page's post file. Names are matched by their letters and digits in any "
      "case;\nadd your own with --columns FILE (a CSV with header column,means).\n\n";
  const char* uses[] = {"calendar", "count", "time (import)", "not used"};
  for (const auto& c : post_columns()) {
    out += fmt::format("{:<18} {:<13} {}\n", c.name, uses[int(c.use)], c.meaning);
    if (!c.aliases.empty())
      out += fmt::format("{:<18} {:<13} also: {}\n", "", "", fmt::join(c.aliases, "; "));
  }
  return out;
}

}  // namespace buzz::scenario
