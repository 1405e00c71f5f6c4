#include "sim/batch/delivery_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "sim/analysis/stats.hpp"
#include "sim/common/input_error.hpp"
#include "sim/dynamics/campaign_spec.hpp"

namespace buzz::batch {

namespace {

using dynamics::Category;
using dynamics::Format;

// The multipliers, then the posting-rate response, in the order of DeliveryFit::terms.
constexpr const char* kFields[] = {"status_reach",  "link_reach",        "video_reach",
                                   "action_reach",  "inspiration_reach", "night_reach",
                                   "evening_reach", "posting_elasticity"};
constexpr std::size_t kTerms = std::size(kFields), kMultipliers = kDeliveryMultipliers;
static_assert(kTerms == kMultipliers + 1);

// A term's value in the campaign's audience (const or not).
template <class A>
auto& value_of(A& a, std::size_t term) {
  switch (term) {
    case 0:
      return a.format_reach[int(Format::status)];
    case 1:
      return a.format_reach[int(Format::link)];
    case 2:
      return a.format_reach[int(Format::video)];
    case 3:
      return a.category_reach[int(Category::action)];
    case 4:
      return a.category_reach[int(Category::inspiration)];
    case 5:
      return a.hour_reach[0];
    case 6:
      return a.hour_reach[2];
    default:
      return a.posting_elasticity;
  }
}

}  // namespace

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
  std::set<std::string> free, given;
  for (const auto& p : plan.free) free.insert(p.prior.field);
  for (const auto& set : plan.base.sets) given.insert(scenario::set_field(set));

  // The fitted rows with both counts above 0 (a log needs them), and posts per day over
  // every row (a fitted day's posts are all fitted).
  std::map<long, int> posts_on_day;
  for (const long d : o.day) ++posts_on_day[d];
  std::vector<std::size_t> rows;
  std::vector<std::array<bool, kMultipliers>> has;  // per row: delivery_terms
  for (std::size_t i = 0; i < o.fitted_rows && i < calendar.size(); ++i) {
    if (reach[i] > 0 && followers[i] > 0) {
      rows.push_back(i);
      has.push_back(delivery_terms(calendar[i], campaign.tick_hours));
    }
  }

  // The day's posts share the budget of organic_posts_per_day: each post's delivery is
  // min(1, opd / posts that day) ^ posting_elasticity, a log-linear term.
  const double opd = campaign.audience.organic_posts_per_day;
  const auto shared = [&](std::size_t i) {
    return std::log(std::min(1.0, opd / double(posts_on_day[o.day[i]])));
  };

  DeliveryFit fit;
  fit.rows = rows.size();
  fit.prior_sd = spec.prior_sd;
  for (std::size_t t = 0; t < kTerms; ++t) {
    DeliveryTerm term;
    term.field = std::string("audience.") + kFields[t];
    term.value = value_of(campaign.audience, t);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      term.posts += t < kMultipliers ? has[r][t] : posts_on_day[o.day[rows[r]]] > opd;
    }
    const std::string path = scenario::expand_field_path(term.field);
    if (free.contains(path)) {
      term.kept_why = "a free parameter";
    } else if (given.contains(path)) {
      term.kept_why = "set by --set";
    } else if (term.posts == 0) {
      term.kept_why = t < kMultipliers ? "no fitted post"
                                       : fmt::format("no fitted day of more than {:g} posts", opd);
    } else {
      term.set = true;
    }
    fit.terms.push_back(term);
  }

  // Design: intercept, the terms set (the posting response's column log min(1, opd / posts
  // that day)), paid, log posts that day when the response is not estimated, a dummy per
  // month after the first fitted one.
  std::set<int> months;
  bool paid = false, unpaid = false, posting_varies = false;
  for (const std::size_t i : rows) {
    months.insert(o.month[i]);
    (calendar[i].content.paid ? paid : unpaid) = true;
    posting_varies |= posts_on_day[o.day[i]] != posts_on_day[o.day[rows.front()]];
  }
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const std::size_t i = rows[row];
    std::vector<double> r{1.0};
    for (std::size_t t = 0; t < kMultipliers; ++t) {
      if (fit.terms[t].set) r.push_back(has[row][t] ? 1.0 : 0.0);
    }
    const bool response = fit.terms[kMultipliers].set;
    if (response) r.push_back(shared(i));
    if (paid && unpaid) r.push_back(calendar[i].content.paid ? 1.0 : 0.0);
    if (posting_varies && !response) r.push_back(std::log(double(posts_on_day[o.day[i]])));
    for (auto m = std::next(months.begin()); m != months.end(); ++m) {
      r.push_back(o.month[i] == *m ? 1.0 : 0.0);
    }
    x.push_back(std::move(r));
    y.push_back(std::log(reach[i] / followers[i]));
  }
  const std::size_t k = x.empty() ? 0 : x[0].size();
  if (rows.empty() || rows.size() < k + 2) {
    throw InputError(fmt::format(
        "{}: calibrate.delivery_fit needs more fitted posts with {} and {} above 0 than its "
        "regression has terms plus two ({}), got {}",
        o.file.string(), o.columns[spec.reach], o.columns[spec.followers], k + 2, rows.size()));
  }
  // The terms' prior: ridge s^2 / prior_sd^2 on their columns, s^2 from the unpenalised
  // fit.
  const std::size_t estimated = std::size_t(std::count_if(
      fit.terms.begin(), fit.terms.end(), [](const DeliveryTerm& t) { return t.set; }));
  const double s = analysis::least_squares(x, y).residual_sd;
  std::vector<double> ridge(k, 0.0);
  for (std::size_t j = 1; j <= estimated; ++j) ridge[j] = s * s / (spec.prior_sd * spec.prior_sd);
  const auto ls = analysis::least_squares(x, y, ridge);
  fit.residual_sd = ls.residual_sd;
  std::size_t j = 1;
  for (std::size_t t = 0; t < kTerms; ++t) {
    auto& term = fit.terms[t];
    if (!term.set) continue;
    term.estimate = ls.coef[j];
    term.se = ls.se[j];
    // A multiplier is exp of its log; the response is its coefficient, within its bounds.
    term.value = t < kMultipliers ? std::exp(ls.coef[j]) : std::clamp(ls.coef[j], 0.0, 1.0);
    ++j;
  }
  return fit;
}

scenario::CalibrationPlan with_delivery(const scenario::CalibrationPlan& plan,
                                        const DeliveryFit& fit) {
  scenario::CalibrationPlan p = plan;
  auto& audience = std::get<dynamics::CampaignParams>(p.base.dynamics).audience;
  for (std::size_t t = 0; t < fit.terms.size(); ++t) {
    if (!fit.terms[t].set) continue;
    value_of(audience, t) = fit.terms[t].value;
    p.base.sets.push_back(fmt::format("{}={}", fit.terms[t].field, fit.terms[t].value));
  }
  return p;
}

std::string delivery_table(const DeliveryFit& fit) {
  std::string out = fmt::format(
      "Delivery from the fitted rows (calibrate.delivery_fit): regression of log(reach / "
      "followers) over {} posts on format, category, hour block, paid, log posts that day and "
      "month, each log multiplier's and the posting response's prior normal(0, {:g}); residual "
      "sd {:.2f}. A multiplier's estimate is its log; the response's is its value, kept within "
      "0 to 1; its posts are those on days of more posts than the budget\n",
      fit.rows, fit.prior_sd, fit.residual_sd);
  out += fmt::format("{:<28} {:>6} {:>10} {:>16}\n", "term", "posts", "value", "estimate +- se");
  for (const auto& t : fit.terms) {
    if (t.set) {
      out += fmt::format("{:<28} {:>6} {:>10.3g} {:>+8.2f} +- {:.2f}\n", t.field, t.posts, t.value,
                         t.estimate, t.se);
    } else {
      out +=
          fmt::format("{:<28} {:>6} {:>10.3g} kept: {}\n", t.field, t.posts, t.value, t.kept_why);
    }
  }
  return out;
}

}  // namespace buzz::batch
