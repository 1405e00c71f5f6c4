// Calibration plans: the calibrate block checked, its observed file read, and the
// scenarios of fitting runs (docs/calibration.md).
#include <chrono>
#include <limits>

#include "sim/common/csv_reader.hpp"
#include "sim/common/input_file.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario {

using namespace detail;

std::string expand_field_path(const std::string& path) {
  if (path.rfind("campaign.", 0) == 0) return "dynamics.campaign.brands[0]." + path.substr(9);
  if (path.rfind("audience.", 0) == 0) return "dynamics.campaign." + path;
  return path;
}

std::string set_field(const std::string& set) {
  return expand_field_path(set.substr(0, set.find('=')));
}

namespace {

std::optional<int> month_of(std::string_view date) {
  int y = 0;
  unsigned m = 0;
  if (std::sscanf(std::string(date).c_str(), "%d-%u", &y, &m) != 2) return std::nullopt;
  return y * 12 + int(m) - 1;
}

// Reads the observed CSV; its errors name the file, line and column.
Observed read_observed(const std::filesystem::path& path, long start_day, long horizon_days,
                       double scale, Checker& check, const Node& at) {
  Observed o;
  o.file = path;
  std::string why;
  const auto text = try_read_input_file(path, why);
  if (!text) {
    check.fail(at.at("observed_file"),
               fmt::format("{}: cannot open observed file \"{}\" ({})",
                           at.field_path("observed_file"), path.string(), why));
    return o;
  }
  const auto fail = [&](int line_no, std::string_view what) {
    throw InputError(fmt::format("{}:{}: {}", path.string(), line_no, what));
  };
  const CsvTable table = parse_csv(*text, path.string(), 0);
  const auto& header = table.header;
  int date = -1;
  std::vector<int> series;  // header index of each column in o.columns
  for (int c = 0; c < int(header.size()); ++c) {
    if (header[c] == "date") {
      date = c;
    } else if (header[c] == "hour") {
      o.per_post = true;
    } else if (!header[c].empty()) {
      o.columns.push_back(header[c]);
      series.push_back(c);
    }
  }
  if (date < 0) fail(1, "the observed file must have a date column (YYYY-MM-DD), got none");
  o.values.assign(o.columns.size(), {});
  o.not_counts.assign(o.columns.size(), {});
  long last_day = std::numeric_limits<long>::min();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    const int line_no = table.lines[r];
    const std::string text = date < int(cells.size()) ? cells[date] : "";
    const auto d = days_since_epoch(text);
    if (!d)
      fail(line_no, fmt::format("column {} (date) must be YYYY-MM-DD, got '{}'", date + 1, text));
    const long day = *d - start_day;
    if (day < 0 || day >= horizon_days) {
      fail(line_no, fmt::format("column {} (date) must fall within the scenario's horizon "
                                "(days 0 to {} from its start), got '{}' (day {})",
                                date + 1, horizon_days - 1, text, day));
    }
    if (day < last_day) {
      fail(line_no, fmt::format("rows must be in date order; '{}' comes after a later date", text));
    }
    last_day = day;
    o.day.push_back(day);
    o.month.push_back(*month_of(text));
    o.line.push_back(line_no);
    for (std::size_t k = 0; k < series.size(); ++k) {
      const int c = series[k];
      const std::string cell = c < int(cells.size()) ? cells[c] : "";
      double v = std::numeric_limits<double>::quiet_NaN();
      if (!cell.empty()) {
        char* end = nullptr;
        v = std::strtod(cell.c_str(), &end);
        if (end == cell.c_str() || *end != 0 || !std::isfinite(v) || v < 0) {
          // A text column (type, category) is fine until a match reads it.
          if (o.not_counts[k].empty()) {
            o.not_counts[k] = fmt::format(
                "{}:{}: column {} ({}) must be a count (a number "
                "from 0) or empty, got '{}'",
                path.string(), line_no, c + 1, header[c], cell);
          }
          v = std::numeric_limits<double>::quiet_NaN();
        }
        v *= scale;
      }
      o.values[k].push_back(v);
    }
  }
  if (o.day.empty()) fail(2, "the observed file has no rows");
  return o;
}

// One calibrate.free entry, checked: its field (any numeric field of the campaign, free
// once) and its prior (given, or the audience field's own, within the field's bounds).
// nullopt once a failure is reported.
std::optional<FreeParameter> free_parameter(const Scenario& s, const buzzsim::FreeParameter& fp,
                                            const Node& n,
                                            const std::vector<FreeParameter>& earlier,
                                            const std::vector<Prior>& audience,
                                            const std::string& origin, Checker& check) {
  const std::string path = expand_field_path(fp.field());
  const auto place = [&](std::string_view field) {
    const Location l = n.at(field);
    return l.line < 0 ? origin : fmt::format("{}:{}:{}", origin, l.line + 1, l.column + 1);
  };
  Scenario probe = s;
  if (const std::string error = set_by_path(probe, path, 0.5); !error.empty()) {
    check.fail(n.at("field"),
               fmt::format("{}: {} (path \"{}\")", n.field_path("field"), error, path));
    return std::nullopt;
  }
  if (path.rfind("dynamics.campaign.", 0) != 0) {
    check.fail(n.at("field"), fmt::format("{} must be a field of the campaign, got \"{}\"",
                                          n.field_path("field"), path));
    return std::nullopt;
  }
  if (std::any_of(earlier.begin(), earlier.end(),
                  [&](const FreeParameter& p) { return p.prior.field == path; })) {
    check.fail(n.at("field"), fmt::format("{}: \"{}\" is free twice", n.field_path("field"), path));
    return std::nullopt;
  }
  const pb::FieldDescriptor* f = field_at(path);
  Prior prior;
  prior.field = path;
  prior.integer = f->cpp_type() != pb::FieldDescriptor::CPPTYPE_DOUBLE &&
                  f->cpp_type() != pb::FieldDescriptor::CPPTYPE_FLOAT;
  if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL ||
      f->cpp_type() == pb::FieldDescriptor::CPPTYPE_ENUM) {
    check.fail(n.at("field"),
               fmt::format("{} must be a numeric field, got \"{}\"", n.field_path("field"), path));
    return std::nullopt;
  }
  const auto own = std::find_if(audience.begin(), audience.end(),
                                [&](const Prior& p) { return p.field == path; });
  if (fp.has_low() != fp.has_high()) {
    check.fail(n.at(fp.has_low() ? "low" : "high"),
               fmt::format("{}: give both low and high, or neither", n.path));
    return std::nullopt;
  }
  if (fp.has_low()) {
    prior.low = fp.low(), prior.high = fp.high(), prior.log = fp.log();
  } else if (own != audience.end()) {
    prior.low = own->low, prior.high = own->high, prior.log = own->log;
  } else {
    check.fail(n.at("field"), fmt::format("{} has no prior of its own (only audience fields "
                                          "do): give low and high",
                                          n.path));
    return std::nullopt;
  }
  if (!(prior.low < prior.high)) {
    check.fail(n.at("high"), fmt::format("{}: low must be below high, got [{}, {}]", n.path,
                                         prior.low, prior.high));
    return std::nullopt;
  }
  if (prior.log && !(prior.low > 0)) {
    check.fail(n.at("low"),
               fmt::format("{}: a log prior must start above 0, got low {}", n.path, prior.low));
    return std::nullopt;
  }
  if (f->options().HasExtension(bounds)) {
    const auto& b = f->options().GetExtension(bounds);
    bool bad = false;
    for (const auto& [end, v] : {std::pair("low", prior.low), std::pair("high", prior.high)}) {
      if (!within(b, v)) {
        bad = true;
        check.fail(n.at(fp.has_low() ? end : "field"),
                   fmt::format("{}: the prior's {} must be {} (the range of {}), got {}", n.path,
                               end, describe_bounds(b, prior.integer), path, v));
      }
    }
    if (bad) return std::nullopt;
  }
  return FreeParameter{prior, place("field")};
}

// The index of the count column `name` that field `field` of `n` names, checked against
// the observed file's columns ("did you mean" for a near miss); nullopt once a failure is
// reported.
std::optional<std::size_t> count_column(const std::string& name, const Node& n,
                                        const std::string& field, const Observed& o,
                                        Checker& check) {
  const auto it = std::find(o.columns.begin(), o.columns.end(), name);
  if (it == o.columns.end()) {
    std::string best, all;
    std::size_t best_distance = std::string::npos;
    for (const auto& col : o.columns) {
      all += (all.empty() ? "" : ", ") + col;
      if (edit_distance(name, col) < best_distance) {
        best_distance = edit_distance(name, col), best = col;
      }
    }
    check.fail(n.at(field),
               fmt::format("{} must be a column of {} ({}), got \"{}\"{}", n.field_path(field),
                           o.file.string(), all, name,
                           best_distance <= 2 ? fmt::format("; did you mean \"{}\"?", best) : ""));
    return std::nullopt;
  }
  const auto k = std::size_t(it - o.columns.begin());
  if (const auto& bad = o.not_counts[k]; !bad.empty()) {
    check.fail(n.at(field),
               fmt::format("{} reads column \"{}\", but {}", n.field_path(field), name, bad));
    return std::nullopt;
  }
  return k;
}

// One calibrate.match entry, checked against the observed file's columns; nullopt once a
// failure is reported.
std::optional<MatchSpec> match_spec(const buzzsim::Match& m, const Node& n, Observed& o,
                                    const std::string& origin, Checker& check) {
  auto column = count_column(m.observed(), n, "observed", o, check);
  if (!column) return std::nullopt;
  std::string observed = m.observed();
  if (m.has_observed_less()) {
    const auto less = count_column(m.observed_less(), n, "observed_less", o, check);
    if (!less) return std::nullopt;
    // The difference as a column of its own, so that every statistic, baseline and band
    // reads it as it reads the file's.
    observed = m.observed() + " - " + m.observed_less();
    const auto& a = o.values[*column];
    const auto& b = o.values[*less];
    std::vector<double> difference(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) difference[i] = a[i] - b[i];  // NaN stays NaN
    o.columns.push_back(observed);
    o.values.push_back(std::move(difference));
    o.not_counts.emplace_back();
    column = o.columns.size() - 1;
  }
  if (m.simulated().empty()) {
    check.fail(n.where, fmt::format("{} must name a column of posts.csv or timeseries.csv",
                                    n.field_path("simulated")));
    return std::nullopt;
  }
  const Location l = n.at("simulated");
  return MatchSpec{*column,
                   observed,
                   m.simulated(),
                   m.statistic() == buzzsim::Match::MEAN   ? MatchSpec::Statistic::mean
                   : m.statistic() == buzzsim::Match::LAST ? MatchSpec::Statistic::last
                                                           : MatchSpec::Statistic::median,
                   m.weight(),
                   l.line < 0 ? origin : fmt::format("{}:{}:{}", origin, l.line + 1, l.column + 1)};
}

// The two count columns of calibrate.delivery_fit or calibrate.engagement_fit (`block`,
// which fits `what` per post), checked against the observed file's: its rows must be posts.
std::optional<std::pair<std::size_t, std::size_t>> per_post_columns(
    const Node& cal, const char* block, const char* what,
    std::pair<const char*, const std::string&> first,
    std::pair<const char*, const std::string&> second, const Observed& o, Checker& check) {
  const Node n = cal.child(block);
  if (!o.per_post) {
    check.fail(n.where, fmt::format("{} fits {} per post, so the observed rows must be posts (a "
                                    "file with an hour column); {} has no hour column",
                                    n.path, what, o.file.string()));
    return std::nullopt;
  }
  const auto a = count_column(first.second, n, first.first, o, check);
  const auto b = count_column(second.second, n, second.first, o, check);
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

std::optional<DeliveryFitSpec> delivery_fit_spec(const buzzsim::DeliveryFit& d, const Node& cal,
                                                 const Observed& o, Checker& check) {
  const auto c = per_post_columns(cal, "delivery_fit", "delivery", {"reach", d.reach()},
                                  {"followers", d.followers()}, o, check);
  if (!c) return std::nullopt;
  return DeliveryFitSpec{c->first, c->second, d.prior_sd()};
}

std::optional<EngagementFitSpec> engagement_fit_spec(const buzzsim::EngagementFit& e,
                                                     const Node& cal, const Observed& o,
                                                     Checker& check) {
  const auto c =
      per_post_columns(cal, "engagement_fit", "engagement", {"interactions", e.interactions()},
                       {"reach", e.reach()}, o, check);
  if (!c) return std::nullopt;
  return EngagementFitSpec{c->first, c->second, e.prior_sd()};
}

struct FitWindow {
  std::optional<long> start;           // day 0, days since the epoch
  long horizon_days = 0, fit_day = 0;  // fit_day: the last fitted day, from day 0
};

// Day 0 (calibrate.start_date or the first brand's calendar_start_date), the horizon and
// the last fitted day; sets plan.start_date, fit_through and fit_ticks.
FitWindow fit_window(const Scenario& s, const Node& cal, CalibrationPlan& plan, Checker& check) {
  const auto& c = s.calibrate();
  plan.start_date = c.has_start_date() ? c.start_date()
                    : s.dynamics().campaign().brands_size() > 0
                        ? s.dynamics().campaign().brands(0).calendar_start_date()
                        : "";
  const std::optional<long> start = days_since_epoch(plan.start_date);
  if (!start) {
    check.fail(cal.at("start_date"),
               fmt::format("{} must be a date YYYY-MM-DD (or the first brand's "
                           "calendar_start_date), got '{}'",
                           cal.field_path("start_date"), plan.start_date));
  }
  const long horizon_days =
      std::max(1L, long(std::floor(double(plan.base.ticks) * plan.base.tick_hours / 24.0)));
  long fit_day = horizon_days - 1;
  if (c.has_fit_through()) {
    plan.fit_through = c.fit_through();
    const auto d = days_since_epoch(c.fit_through());
    if (!d || !start || *d - *start < 0 || *d - *start >= horizon_days) {
      check.fail(cal.at("fit_through"),
                 fmt::format("{} must be a date YYYY-MM-DD within the scenario's horizon, got '{}'",
                             cal.field_path("fit_through"), c.fit_through()));
    } else {
      fit_day = *d - *start;
    }
  }
  plan.fit_ticks = std::min(
      plan.base.ticks, std::uint32_t(std::ceil(double(fit_day + 1) * 24.0 / plan.base.tick_hours)));

  return {start, horizon_days, fit_day};
}

// The observed file's rows, read and checked: some fitted, one per post of the first
// brand's calendar when rows are posts.
Observed observed_rows(const std::filesystem::path& file, const buzzsim::Calibrate& c,
                       const Node& cal, const CalibrationPlan& plan, std::optional<long> start,
                       long horizon_days, long fit_day, Checker& check) {
  if (!c.has_observed_file()) {
    check.fail(cal.where, "calibrate.observed_file must name the observed data (a CSV), got none");
  }
  check.throw_if_failed();
  Observed o = read_observed(resolve(file.parent_path(), c.observed_file()), *start, horizon_days,
                             plan.scale, check, cal);
  check.throw_if_failed();
  o.fitted_rows =
      std::size_t(std::upper_bound(o.day.begin(), o.day.end(), fit_day) - o.day.begin());
  if (o.fitted_rows == 0) {
    check.fail(cal.at("fit_through"), fmt::format("{}: no observed row falls on or before {}",
                                                  cal.field_path("fit_through"), plan.fit_through));
  }
  if (o.per_post) {
    const auto& spec = std::get<dynamics::CampaignParams>(plan.base.dynamics);
    const std::size_t posts = spec.brands.empty() ? 0 : spec.brands[0].calendar.size();
    if (posts != o.day.size()) {
      check.fail(cal.at("observed_file"),
                 fmt::format("{}: rows are posts (the file has an hour column), so there must be "
                             "one per post of the first brand's calendar ({}), got {}",
                             cal.field_path("observed_file"), posts, o.day.size()));
    }
  }
  return o;
}

}  // namespace

CalibrationPlan load_calibration(const std::filesystem::path& file, const Overrides& overrides) {
  const std::string origin = file.string();
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), origin, s, tree);
  CalibrationPlan plan;
  plan.base = convert(s, tree, origin, file.parent_path(), overrides, file);
  if (!s.has_calibrate()) {
    throw InputError(fmt::format(
        "{}: calibrate needs a calibrate block (calibrate {{ observed_file: ... free {{ field: "
        "... }} match {{ observed: ... simulated: ... }} }}), got none",
        origin));
  }
  const Node root{s, &tree, "", Location{0, 0}};
  const Node cal = root.child("calibrate");
  Checker check{origin};
  if (!s.dynamics().has_campaign()) {
    check.fail(cal.where,
               "calibrate fits a campaign's parameters; the scenario's dynamics must "
               "be campaign");
    check.throw_if_failed();
  }
  const auto& c = s.calibrate();
  plan.scale = c.has_scale() ? c.scale() : s.population().scale();
  plan.particles = c.particles();
  plan.generations = c.generations();
  plan.quantile = c.quantile();
  plan.min_acceptance = c.min_acceptance();
  plan.recency_halflife_months = c.recency_halflife_months();
  plan.local_kernel = c.local_kernel();
  plan.predictive_runs = c.predictive_runs();
  plan.predict_ticks = plan.base.ticks;

  // Day 0 and the fitted part.
  const auto [start, horizon_days, fit_day] = fit_window(s, cal, plan, check);

  // Free parameters and their priors.
  const auto audience = campaign_priors();
  const pb::FieldDescriptor* free_field = c.GetDescriptor()->FindFieldByName("free");
  if (c.free_size() == 0) check.fail(cal.where, "calibrate must name at least one free parameter");
  for (int k = 0; k < c.free_size(); ++k) {
    const Node n{c.free(k), Checker::nested(cal.tree, free_field, k),
                 fmt::format("calibrate.free[{}]", k),
                 Checker::locate(cal.tree, free_field, cal.where, k)};
    if (auto p = free_parameter(s, c.free(k), n, plan.free, audience, origin, check)) {
      plan.free.push_back(std::move(*p));
    }
  }

  // The observed file and the matches.
  plan.observed = observed_rows(file, c, cal, plan, start, horizon_days, fit_day, check);
  auto& o = plan.observed;
  const pb::FieldDescriptor* match_field = c.GetDescriptor()->FindFieldByName("match");
  if (c.match_size() == 0) check.fail(cal.where, "calibrate must have at least one match");
  for (int k = 0; k < c.match_size(); ++k) {
    const Node n{c.match(k), Checker::nested(cal.tree, match_field, k),
                 fmt::format("calibrate.match[{}]", k),
                 Checker::locate(cal.tree, match_field, cal.where, k)};
    if (auto m = match_spec(c.match(k), n, o, origin, check)) plan.matches.push_back(*m);
  }
  if (c.has_delivery_fit()) plan.delivery_fit = delivery_fit_spec(c.delivery_fit(), cal, o, check);
  if (c.has_engagement_fit()) {
    plan.engagement_fit = engagement_fit_spec(c.engagement_fit(), cal, o, check);
  }
  check.throw_if_failed();
  return plan;
}

int observed_months(const Observed& observed) {
  return observed.month.empty() ? 0 : observed.month.back() - observed.month.front() + 1;
}

CalibrationPlan origin_plan(const CalibrationPlan& plan, int fitted_months, int horizon_months) {
  CalibrationPlan p = plan;
  auto& o = p.observed;
  const int first = o.month.empty() ? 0 : o.month.front();
  const auto rows_before = [&](int month) {
    return std::size_t(std::lower_bound(o.month.begin(), o.month.end(), month) - o.month.begin());
  };
  const std::size_t fitted = rows_before(first + fitted_months);
  const std::size_t kept = rows_before(first + fitted_months + horizon_months);
  if (fitted_months < 1 || horizon_months < 1 || fitted == 0 || kept == fitted) {
    throw InputError(fmt::format(
        "{}: a backtest origin must fit at least one month and leave one to predict; the file's "
        "{} months cannot fit {} and predict {}",
        o.file.string(), observed_months(o), fitted_months, horizon_months));
  }
  // The first day of month `m` (year * 12 + month - 1), in days since the simulation's day 0.
  const long start = *days_since_epoch(p.start_date);
  const auto month_start = [&](int m) {
    return *days_since_epoch(fmt::format("{:04}-{:02}-01", m / 12, m % 12 + 1)) - start;
  };
  const auto ticks_before = [&](long day) {
    return std::min(p.base.ticks, std::uint32_t(std::ceil(double(day) * 24.0 / p.base.tick_hours)));
  };
  const long fit_end = month_start(first + fitted_months);
  const std::chrono::year_month_day last_fitted{
      std::chrono::sys_days(std::chrono::days(start + fit_end - 1))};
  p.fit_through = fmt::format("{:04}-{:02}-{:02}", int(last_fitted.year()),
                              unsigned(last_fitted.month()), unsigned(last_fitted.day()));
  p.fit_ticks = ticks_before(fit_end);
  p.predict_ticks = ticks_before(month_start(first + fitted_months + horizon_months));
  o.fitted_rows = fitted;
  o.day.resize(kept);
  o.month.resize(kept);
  o.line.resize(kept);
  for (auto& column : o.values) column.resize(kept);
  auto& spec = std::get<dynamics::CampaignParams>(p.base.dynamics);
  for (auto& b : spec.brands) {
    std::erase_if(b.calendar,
                  [&](const dynamics::CalendarPost& c) { return c.tick >= p.predict_ticks; });
  }
  if (o.per_post && spec.brands[0].calendar.size() != kept) {
    throw InputError(fmt::format("{}: {} rows before the backtest's horizon but {} posts",
                                 o.file.string(), kept, spec.brands[0].calendar.size()));
  }
  return p;
}

Config calibration_run(const CalibrationPlan& plan, const std::vector<double>& values,
                       std::uint64_t seed, std::uint32_t ticks) {
  std::vector<std::pair<std::string, double>> set;
  for (std::size_t j = 0; j < plan.free.size(); ++j) {
    const auto& p = plan.free[j].prior;
    set.emplace_back(p.field, p.integer ? std::floor(values[j] + 0.5) : values[j]);
  }
  Config c = load_with(plan.base.file, {seed, 1u, plan.base.ticks, plan.base.sets}, set);
  // Cut to the horizon: what happens after it cannot be seen.
  c.ticks = ticks;
  auto& spec = std::get<dynamics::CampaignParams>(c.dynamics);
  for (auto& b : spec.brands) {
    std::erase_if(b.calendar, [&](const dynamics::CalendarPost& p) { return p.tick > ticks; });
    std::erase_if(b.events, [&](const dynamics::BrandEvent& e) { return e.tick > ticks; });
    b.end_tick = std::min(b.end_tick, ticks);
  }
  return c;
}

std::string calibrated_text(const CalibrationPlan& plan, const std::vector<double>& values,
                            const std::filesystem::path& dir) {
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(plan.base.file), plan.base.origin, s, tree);
  for (const auto& set : plan.base.sets) apply_set(s, set);  // checked when the plan was loaded
  for (std::size_t j = 0; j < plan.free.size(); ++j) {
    const auto& p = plan.free[j].prior;
    set_by_path(s, p.field, p.integer ? std::floor(values[j] + 0.5) : values[j]);
  }
  s.clear_calibrate();
  // Relative paths started at the scenario's folder; make them start at `dir`.
  const auto base = std::filesystem::absolute(plan.base.file).parent_path();
  const auto moved = [&](const std::string& p) {
    if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
    std::error_code ec;
    const auto rel = std::filesystem::relative(base / p, std::filesystem::absolute(dir), ec);
    return ec ? (base / p).lexically_normal().string() : rel.string();
  };
  if (s.graph().has_edge_list()) {
    auto* e = s.mutable_graph()->mutable_edge_list();
    e->set_path(moved(e->path()));
    if (e->has_community_path()) e->set_community_path(moved(e->community_path()));
  }
  for (auto& b : *s.mutable_dynamics()->mutable_campaign()->mutable_brands()) {
    if (b.has_calendar_file()) b.set_calendar_file(moved(b.calendar_file()));
  }
  std::string text;
  pb::TextFormat::Printer printer;
  printer.SetUseShortRepeatedPrimitives(true);
  printer.PrintToString(s, &text);
  return text;
}

}  // namespace buzz::scenario
