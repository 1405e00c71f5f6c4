#include "sim/batch/delivery_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <span>

#include "sim/analysis/stats.hpp"
#include "sim/common/input_error.hpp"
#include "sim/dynamics/campaign_spec.hpp"

namespace buzz::batch {

namespace {

using dynamics::Audience;
using dynamics::Category;
using dynamics::Format;

// How a term's coefficient becomes its value: a multiplier is exp of its log, the posting
// response its coefficient within [0, 1], an engagement effect its coefficient (log-odds).
enum class Scale { log, unit, log_odds };

struct TermDef {
  const char* field;  // an Audience field, without "audience."
  double& (*of)(Audience&);
  Scale scale;
};

// The reach fit's terms: the delivery multipliers in the order of delivery_terms, then the
// posting-rate response.
constexpr TermDef kReachTerms[] = {
    {"status_reach", [](Audience& a) -> double& { return a.format_reach[int(Format::status)]; },
     Scale::log},
    {"link_reach", [](Audience& a) -> double& { return a.format_reach[int(Format::link)]; },
     Scale::log},
    {"video_reach", [](Audience& a) -> double& { return a.format_reach[int(Format::video)]; },
     Scale::log},
    {"action_reach", [](Audience& a) -> double& { return a.category_reach[int(Category::action)]; },
     Scale::log},
    {"inspiration_reach",
     [](Audience& a) -> double& { return a.category_reach[int(Category::inspiration)]; },
     Scale::log},
    {"night_reach", [](Audience& a) -> double& { return a.hour_reach[0]; }, Scale::log},
    {"evening_reach", [](Audience& a) -> double& { return a.hour_reach[2]; }, Scale::log},
    {"posting_elasticity", [](Audience& a) -> double& { return a.posting_elasticity; },
     Scale::unit},
};
static_assert(std::size(kReachTerms) == kDeliveryMultipliers + 1);

// The engagement fit's terms: format and category, in the order of delivery_terms.
constexpr TermDef kEngagementTerms[] = {
    {"status_engagement",
     [](Audience& a) -> double& { return a.format_engagement[int(Format::status)]; },
     Scale::log_odds},
    {"link_engagement",
     [](Audience& a) -> double& { return a.format_engagement[int(Format::link)]; },
     Scale::log_odds},
    {"video_engagement",
     [](Audience& a) -> double& { return a.format_engagement[int(Format::video)]; },
     Scale::log_odds},
    {"action_engagement",
     [](Audience& a) -> double& { return a.category_engagement[int(Category::action)]; },
     Scale::log_odds},
    {"inspiration_engagement",
     [](Audience& a) -> double& { return a.category_engagement[int(Category::inspiration)]; },
     Scale::log_odds},
};
constexpr std::size_t kEngagementTermCount = std::size(kEngagementTerms);

const TermDef& definition(const std::string& field) {
  for (const auto table :
       {std::span<const TermDef>(kReachTerms), std::span<const TermDef>(kEngagementTerms)}) {
    for (const auto& d : table) {
      if (field == std::string("audience.") + d.field) return d;
    }
  }
  throw std::logic_error("delivery_fit: no term " + field);
}

// One regression's rows: the observed rows used, each term's column, the controls (flat
// prior) and the response.
struct Design {
  std::vector<std::size_t> rows;
  std::vector<std::vector<double>> terms, controls;
  std::vector<double> y;
};

// The terms of `defs` as the fit will treat them: set, or kept and why (a free parameter, a
// --set override, no fitted row with the term; `none_why` overrides the last's text per term).
std::vector<DeliveryTerm> prepare_terms(std::span<const TermDef> defs,
                                        const scenario::CalibrationPlan& plan, const Design& design,
                                        const std::vector<std::string>& none_why) {
  Audience audience = std::get<dynamics::CampaignParams>(plan.base.dynamics).audience;
  std::set<std::string> free, given;
  for (const auto& p : plan.free) free.insert(p.prior.field);
  for (const auto& set : plan.base.sets) given.insert(scenario::set_field(set));
  std::vector<DeliveryTerm> out;
  for (std::size_t t = 0; t < defs.size(); ++t) {
    DeliveryTerm term;
    term.field = std::string("audience.") + defs[t].field;
    term.value = defs[t].of(audience);
    for (const auto& row : design.terms) term.posts += row[t] != 0;
    const std::string path = scenario::expand_field_path(term.field);
    if (free.contains(path)) {
      term.kept_why = "a free parameter";
    } else if (given.contains(path)) {
      term.kept_why = "set by --set";
    } else if (term.posts == 0) {
      term.kept_why = t < none_why.size() ? none_why[t] : "no fitted post";
    } else {
      term.set = true;
    }
    out.push_back(term);
  }
  return out;
}

// The controls: paid (when both occur), `extra` (one value per row, when given) and a
// dummy per month after the first fitted one, appended to each row's.
void add_controls(Design& d, const scenario::Observed& o,
                  const std::vector<dynamics::CalendarPost>& calendar,
                  const std::vector<double>& extra) {
  std::set<int> months;
  bool paid = false, unpaid = false;
  for (const std::size_t i : d.rows) {
    months.insert(o.month[i]);
    (calendar[i].content.paid ? paid : unpaid) = true;
  }
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    const std::size_t i = d.rows[r];
    if (paid && unpaid) d.controls[r].push_back(calendar[i].content.paid ? 1.0 : 0.0);
    if (!extra.empty()) d.controls[r].push_back(extra[r]);
    for (auto m = std::next(months.begin()); m != months.end(); ++m) {
      d.controls[r].push_back(o.month[i] == *m ? 1.0 : 0.0);
    }
  }
}

// Regresses y on an intercept, the set terms' columns, each with a normal(0, prior_sd)
// prior (a ridge of s^2 / prior_sd^2, s^2 from the unpenalised fit), and the controls
// (flat), and fills the set terms' estimates, standard errors and values.
void estimate(DeliveryFit& fit, std::span<const TermDef> defs, const Design& d,
              const std::string& too_few) {
  std::vector<std::vector<double>> x;
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    std::vector<double> row{1.0};
    for (std::size_t t = 0; t < fit.terms.size(); ++t) {
      if (fit.terms[t].set) row.push_back(d.terms[r][t]);
    }
    row.insert(row.end(), d.controls[r].begin(), d.controls[r].end());
    x.push_back(std::move(row));
  }
  const std::size_t k = x.empty() ? 0 : x[0].size();
  if (d.rows.empty() || d.rows.size() < k + 2) {
    throw InputError(fmt::format("{} ({}), got {}", too_few, k + 2, d.rows.size()));
  }
  const std::size_t estimated = std::size_t(std::count_if(
      fit.terms.begin(), fit.terms.end(), [](const DeliveryTerm& t) { return t.set; }));
  const double s = analysis::least_squares(x, d.y).residual_sd;
  std::vector<double> ridge(k, 0.0);
  for (std::size_t j = 1; j <= estimated; ++j) ridge[j] = s * s / (fit.prior_sd * fit.prior_sd);
  const auto ls = analysis::least_squares(x, d.y, ridge);
  fit.rows = d.rows.size();
  fit.residual_sd = ls.residual_sd;
  std::size_t j = 1;
  for (std::size_t t = 0; t < fit.terms.size(); ++t) {
    auto& term = fit.terms[t];
    if (!term.set) continue;
    term.estimate = ls.coef[j];
    term.se = ls.se[j];
    term.value = defs[t].scale == Scale::log    ? std::exp(ls.coef[j])
                 : defs[t].scale == Scale::unit ? std::clamp(ls.coef[j], 0.0, 1.0)
                                                : ls.coef[j];
    ++j;
  }
}

}  // namespace

std::map<long, int> posts_per_day(const scenario::Observed& o) {
  std::map<long, int> out;
  for (const long d : o.day) ++out[d];
  return out;
}

std::array<bool, kDeliveryMultipliers> delivery_terms(const dynamics::CalendarPost& post,
                                                      double tick_hours) {
  const auto& c = post.content;
  const int block = dynamics::hour_block(dynamics::hour_of_day(post.tick, tick_hours));
  return {c.format == Format::status,
          c.format == Format::link,
          c.format == Format::video,
          c.category == Category::action,
          c.category == Category::inspiration,
          block == 0,
          block == 2};
}

DeliveryFit fit_delivery(const scenario::CalibrationPlan& plan) {
  const auto& spec = *plan.delivery_fit;
  const auto& o = plan.observed;
  const auto& campaign = std::get<dynamics::CampaignParams>(plan.base.dynamics);
  const auto& calendar = campaign.brands.front().calendar;
  const auto& reach = o.values[spec.reach];
  const auto& followers = o.values[spec.followers];
  auto posts_on_day = posts_per_day(o);

  // The day's posts share the budget of organic_posts_per_day: each post's delivery is
  // min(1, opd / posts that day) ^ posting_elasticity, a log-linear term.
  const double opd = campaign.audience.organic_posts_per_day;
  Design d;
  for (std::size_t i = 0; i < o.fitted_rows && i < calendar.size(); ++i) {
    if (!(reach[i] > 0 && followers[i] > 0)) continue;  // a log needs both
    d.rows.push_back(i);
    const auto has = delivery_terms(calendar[i], campaign.tick_hours);
    std::vector<double> row(has.begin(), has.end());
    row.push_back(std::log(std::min(1.0, opd / double(posts_on_day[o.day[i]]))));
    d.terms.push_back(std::move(row));
    d.controls.emplace_back();
    d.y.push_back(std::log(reach[i] / followers[i]));
  }

  DeliveryFit fit;
  fit.prior_sd = spec.prior_sd;
  std::vector<std::string> none_why(kDeliveryMultipliers, "no fitted post");
  none_why.push_back(fmt::format("no fitted day of more than {:g} posts", opd));
  fit.terms = prepare_terms(kReachTerms, plan, d, none_why);
  fit.description = fmt::format(
      "Delivery from the fitted rows (calibrate.delivery_fit): regression of log({} / {}) on "
      "format, category, hour block, paid, log posts that day and month, each log "
      "multiplier's and the posting response's prior normal(0, {:g}). A multiplier's "
      "estimate is its log; the response's is its value, kept within 0 to 1; its posts are "
      "those on days of more posts than the budget",
      o.columns[spec.reach], o.columns[spec.followers], fit.prior_sd);

  // Log posts that day is a control when the response is not estimated (and days differ).
  std::vector<double> log_posts;
  for (const std::size_t i : d.rows) log_posts.push_back(std::log(double(posts_on_day[o.day[i]])));
  const bool posting_varies =
      std::any_of(log_posts.begin(), log_posts.end(), [&](double v) { return v != log_posts[0]; });
  if (!posting_varies || fit.terms.back().set) log_posts.clear();
  add_controls(d, o, calendar, log_posts);
  estimate(fit, kReachTerms, d,
           fmt::format("{}: calibrate.delivery_fit needs more fitted posts with {} and {} above "
                       "0 than its regression has terms plus two",
                       o.file.string(), o.columns[spec.reach], o.columns[spec.followers]));
  return fit;
}

DeliveryFit fit_engagement(const scenario::CalibrationPlan& plan) {
  const auto& spec = *plan.engagement_fit;
  const auto& o = plan.observed;
  const auto& campaign = std::get<dynamics::CampaignParams>(plan.base.dynamics);
  const auto& calendar = campaign.brands.front().calendar;
  const auto& interactions = o.values[spec.interactions];
  const auto& reach = o.values[spec.reach];

  Design d;
  for (std::size_t i = 0; i < o.fitted_rows && i < calendar.size(); ++i) {
    if (!(interactions[i] > 0 && reach[i] > 0)) continue;  // a log needs both
    d.rows.push_back(i);
    const auto has = delivery_terms(calendar[i], campaign.tick_hours);
    d.terms.emplace_back(has.begin(), has.begin() + kEngagementTermCount);
    d.controls.emplace_back();
    // What the post's content already adds to its engagement's log-odds (tone, value,
    // commerciality: a category sets the last two) is an offset: the terms are the rest.
    const auto content =
        dynamics::content_log_odds(campaign.audience, campaign.mechanisms, calendar[i].content);
    d.y.push_back(std::log(interactions[i] / reach[i]) - (content.tone + content.offer));
  }

  DeliveryFit fit;
  fit.prior_sd = spec.prior_sd;
  fit.terms = prepare_terms(kEngagementTerms, plan, d, {});
  fit.description = fmt::format(
      "Engagement from the fitted rows (calibrate.engagement_fit): regression of log({} / {}), "
      "less what each post's tone, value and commerciality give, on format, category, paid "
      "and month, each effect's prior normal(0, {:g}). An estimate is the effect in log-odds "
      "of engaging",
      o.columns[spec.interactions], o.columns[spec.reach], fit.prior_sd);
  add_controls(d, o, calendar, {});
  estimate(fit, kEngagementTerms, d,
           fmt::format("{}: calibrate.engagement_fit needs more fitted posts with {} and {} "
                       "above 0 than its regression has terms plus two",
                       o.file.string(), o.columns[spec.interactions], o.columns[spec.reach]));
  return fit;
}

scenario::CalibrationPlan with_delivery(const scenario::CalibrationPlan& plan,
                                        const DeliveryFit& fit) {
  scenario::CalibrationPlan p = plan;
  auto& audience = std::get<dynamics::CampaignParams>(p.base.dynamics).audience;
  for (const auto& term : fit.terms) {
    if (!term.set) continue;
    definition(term.field).of(audience) = term.value;
    p.base.sets.push_back(fmt::format("{}={}", term.field, term.value));
  }
  return p;
}

std::string delivery_table(const DeliveryFit& fit) {
  std::string out = fmt::format("{} ({} posts, residual sd {:.2f})\n", fit.description, fit.rows,
                                fit.residual_sd);
  out += fmt::format("{:<32} {:>6} {:>10} {:>16}\n", "term", "posts", "value", "estimate +- se");
  for (const auto& t : fit.terms) {
    if (t.set) {
      out += fmt::format("{:<32} {:>6} {:>10.3g} {:>+8.2f} +- {:.2f}\n", t.field, t.posts, t.value,
                         t.estimate, t.se);
    } else {
      out +=
          fmt::format("{:<32} {:>6} {:>10.3g} kept: {}\n", t.field, t.posts, t.value, t.kept_why);
    }
  }
  return out;
}

}  // namespace buzz::batch
