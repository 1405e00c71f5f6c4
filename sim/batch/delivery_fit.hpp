#pragma once

// calibrate.delivery_fit and calibrate.engagement_fit: the delivery multipliers of a page's
// posts (format, category, hour block), its posting-rate response, and the format and
// category effects on engagement, estimated from its own fitted rows before the ABC fit, so
// that a calibration does not borrow them from another page, and a backtest does not borrow
// them from the months it holds out (docs/forecasting.md, "Delivery from the page's own
// rows").

#include <array>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/dynamics/campaign_spec.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

// One multiplier, the posting-rate response, or an engagement effect, as the fitted rows
// estimate it.
struct DeliveryTerm {
  std::string field;      // "audience.status_reach"
  std::size_t posts = 0;  // fitted posts the term applies to
  // Its estimate (a multiplier's log; the response and an engagement effect themselves) and
  // standard error (NaN when not estimated), and the value the calibration uses:
  // exp(estimate) for a multiplier, the estimate within [0, 1] for the response, the
  // estimate for an engagement effect (log-odds), the scenario's value when not set.
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double se = estimate, value = estimate;
  bool set = false;
  std::string kept_why;  // when not set: "no fitted post", "a free parameter", "set by --set"
};

struct DeliveryFit {
  // fit_delivery: status, link, video, action, inspiration, night, evening (_reach), then
  // posting_elasticity; fit_engagement: status, link, video, action, inspiration
  // (_engagement).
  std::vector<DeliveryTerm> terms;
  std::string description;  // the regression, in words, for the table
  std::size_t rows = 0;     // fitted rows with both counts above 0
  double prior_sd = 1;      // the spec's
  double residual_sd = std::numeric_limits<double>::quiet_NaN();  // in log units
};

// Which of the delivery multipliers' terms a post has, in the order of DeliveryFit::terms:
// status, link, video, action, inspiration, night (00-07), evening (16-23).
inline constexpr std::size_t kDeliveryMultipliers = 7;
std::array<bool, kDeliveryMultipliers> delivery_terms(const dynamics::CalendarPost& post,
                                                      double tick_hours);

// Posts per day over every observed row, by day (a fitted day's posts are all fitted).
std::map<long, int> posts_per_day(const scenario::Observed& o);

// Regression of log(reach / followers) over the fitted rows on the post's format,
// category, hour block, paid flag, log min(1, organic_posts_per_day / posts that day) and
// calendar month, each log multiplier and the posting response with a normal(0, prior_sd)
// prior (ridge; s^2 from the unpenalised fit). Terms no fitted post informs, terms that are
// free parameters and terms a --set override gives are left out and keep their value. Throws
// InputError naming the observed file when fewer fitted rows have both counts above 0 than the
// regression has terms plus two.
DeliveryFit fit_delivery(const scenario::CalibrationPlan& plan);

// Regression of log(interactions / reach) over the fitted rows, less the log-odds each post's
// tone, value and commerciality give, on the post's format, category, paid flag and calendar
// month: the format and category effects on engagement (Audience status_engagement, ...,
// inspiration_engagement), each with a normal(0, prior_sd) prior. Interactions per person
// reached stand for the chance of engaging (both small), and a post's comments and shares
// per like, which differ by format by a few per cent, are not separated out. Terms are kept
// and errors thrown as by fit_delivery.
DeliveryFit fit_engagement(const scenario::CalibrationPlan& plan);

// The plan with the fitted terms set, in its scenario and in the overrides every run
// and calibrated.textproto are made from.
scenario::CalibrationPlan with_delivery(const scenario::CalibrationPlan& plan,
                                        const DeliveryFit& fit);

// The fit as a table for posterior.txt and the terminal.
std::string delivery_table(const DeliveryFit& fit);

}  // namespace buzz::batch
