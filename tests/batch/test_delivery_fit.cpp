#include <catch2/catch.hpp>

#include <cmath>

#include "sim/analysis/stats.hpp"
#include "sim/batch/delivery_fit.hpp"
#include "sim/dynamics/campaign_spec.hpp"
#include "support.hpp"

using namespace buzz;
using namespace buzz::testing;

namespace {

// One post of a page of 59 days (January and February 2014) with one or two posts a day:
// its index, day, month, the day's post (0, 1), date, and format and category, which cycle
// through photo, status, link, photo and product, action, inspiration.
struct PagePost {
  int k, day, month, post;
  std::string date, format, category;
};

template <class F>
void for_each_post(F&& f) {
  const char* formats[] = {"photo", "status", "link", "photo"};
  const char* categories[] = {"product", "action", "inspiration"};
  int k = 0;
  for (int day = 0; day < 59; ++day) {
    const int month = day < 31 ? 1 : 2, dom = day < 31 ? day + 1 : day - 30;
    for (int post = 0; post < 1 + day % 2; ++post, ++k) {
      f(PagePost{k, day, month, post, fmt::format("2014-{:02}-{:02}", month, dom), formats[k % 4],
                 categories[(k + day) % 3]});
    }
  }
}

// The page's calendar.csv, observed.csv and page.textproto, whose calibrate block holds
// `calibrate` (free parameters, matches, fits).
fs::path write_page(const TempDir& dir, const std::string& calendar, const std::string& observed,
                    const std::string& calibrate) {
  write_text(dir / "calendar.csv", calendar);
  write_text(dir / "observed.csv", observed);
  write_text(dir / "page.textproto",
             "ticks: 1416 graph { communities { nodes: 500 mean_degree: 8 } }\n"
             "dynamics { campaign { brands { follower_share: 0.3 calendar_file: \"calendar.csv\" "
             "calendar_start_date: \"2014-01-01\" } } }\n"
             "calibrate { observed_file: \"observed.csv\" fit_through: \"2014-02-28\"\n" +
                 calibrate + " }\n");
  return dir / "page.textproto";
}

// The page with every format but video, every category and hour block, whose follower reach
// is its followers times 0.05 times known multipliers, (posts that day)^-0.3
// (posting_elasticity 0.3 at the default budget of one post a day), a February that
// delivers 0.7 times January's, and `noise` added to each post's log reach, its sign drawn
// by a hash of the post's index.
fs::path small_page(const TempDir& dir, double noise, const std::string& delivery_fit) {
  const int hours[] = {10, 3, 19, 12, 9};
  std::string calendar = "date,hour,type,category,paid\n";
  std::string observed = "date,hour,fan_reach,page_likes\n";
  for_each_post([&](const PagePost& p) {
    // A day's second post goes out at 23:00, after its first (rows in calendar order).
    const int hour = p.post == 0 ? hours[p.k % 5] : 23;
    const double followers = 10000 + 50 * p.day;
    double log_share = std::log(0.05) + (p.month == 2 ? std::log(0.7) : 0.0);
    log_share += p.format == "status" ? std::log(3.0) : p.format == "link" ? std::log(1.5) : 0.0;
    log_share += p.category == "action"        ? std::log(2.0)
                 : p.category == "inspiration" ? std::log(0.8)
                                               : 0.0;
    log_share += hour < 8 ? std::log(1.2) : hour >= 16 ? std::log(0.5) : 0.0;
    log_share -= 0.3 * std::log(1 + p.day % 2);  // a day's two posts share its delivery
    log_share += ((std::uint32_t(p.k) * 2654435761u) >> 7 & 1 ? 1 : -1) * noise;
    calendar +=
        fmt::format("{},{},{},{},{}\n", p.date, hour, p.format, p.category, int(p.k % 7 == 0));
    observed +=
        fmt::format("{},{},{:.6f},{}\n", p.date, hour, followers * std::exp(log_share), followers);
  });
  return write_page(dir, calendar, observed,
                    "  free { field: \"audience.organic_reach\" low: 0.01 high: 0.3 log: true }\n"
                    "  match { observed: \"fan_reach\" simulated: \"follower_reach\" }\n  " +
                        delivery_fit);
}

const batch::DeliveryTerm& term(const batch::DeliveryFit& fit, const std::string& name) {
  for (const auto& t : fit.terms) {
    if (t.field == "audience." + name) return t;
  }
  FAIL("no term " << name);
  return fit.terms.front();
}

}  // namespace

TEST_CASE("the delivery multipliers are recovered from a page's own posts",
          "[calibrate][delivery]") {
  TempDir dir;
  const auto plan = scenario::load_calibration(
      small_page(dir, 0, R"(delivery_fit { reach: "fan_reach" followers: "page_likes" })"));
  REQUIRE(plan.delivery_fit);
  const auto fit = batch::fit_delivery(plan);
  CHECK(fit.rows == 88);
  // Without noise the residual is 0, so the prior takes nothing off: the multipliers the
  // data were made with, to the fit's rounding (the data have 6 decimals).
  CHECK(fit.residual_sd < 1e-5);
  CHECK(term(fit, "status_reach").value == Approx(3.0).epsilon(1e-4));
  CHECK(term(fit, "link_reach").value == Approx(1.5).epsilon(1e-4));
  CHECK(term(fit, "action_reach").value == Approx(2.0).epsilon(1e-4));
  CHECK(term(fit, "inspiration_reach").value == Approx(0.8).epsilon(1e-4));
  CHECK(term(fit, "night_reach").value == Approx(1.2).epsilon(1e-4));
  CHECK(term(fit, "evening_reach").value == Approx(0.5).epsilon(1e-4));
  CHECK(term(fit, "posting_elasticity").value == Approx(0.3).epsilon(1e-4));
  CHECK(term(fit, "posting_elasticity").posts == 58);  // the 29 days of two posts
  // No video was posted: the scenario's multiplier is kept and said so.
  const auto& video = term(fit, "video_reach");
  CHECK(!video.set);
  CHECK(video.posts == 0);
  CHECK(video.kept_why == "no fitted post");
  CHECK(video.value == 1);  // proto/scenario.proto's default
  // Every run and calibrated.textproto take the fitted values.
  const auto fitted = batch::with_delivery(plan, fit);
  const auto run = scenario::calibration_run(fitted, {0.05}, 1, fitted.fit_ticks);
  const auto& a = std::get<dynamics::CampaignParams>(run.dynamics).audience;
  CHECK(a.format_reach[int(dynamics::Format::status)] == term(fit, "status_reach").value);
  CHECK(a.category_reach[int(dynamics::Category::action)] == term(fit, "action_reach").value);
  CHECK(a.hour_reach[2] == term(fit, "evening_reach").value);
  CHECK(a.posting_elasticity == term(fit, "posting_elasticity").value);
  const auto text = scenario::calibrated_text(fitted, {0.05}, dir.path());
  const auto at = text.find("status_reach: ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(text.substr(at + 14)) == Approx(term(fit, "status_reach").value));
  CHECK_THAT(batch::delivery_table(fit),
             Catch::Contains("audience.video_reach") && Catch::Contains("kept: no fitted post"));
}

TEST_CASE("the delivery multipliers' prior pulls a noisy estimate towards no effect",
          "[calibrate][delivery]") {
  TempDir dir;
  const std::string columns = R"(reach: "fan_reach" followers: "page_likes")";
  const auto wide = batch::fit_delivery(scenario::load_calibration(
      small_page(dir, 0.4, "delivery_fit { " + columns + " prior_sd: 100 }")));
  const auto narrow = batch::fit_delivery(scenario::load_calibration(
      small_page(dir, 0.4, "delivery_fit { " + columns + " prior_sd: 0.05 }")));
  REQUIRE(wide.residual_sd > 0.3);
  for (const char* name : {"status_reach", "action_reach", "evening_reach"}) {
    INFO(name);
    const auto& w = term(wide, name);
    const auto& n = term(narrow, name);
    // A prior sd of 100 is no prior: within two standard errors of the truth.
    const double truth = std::string(name) == "status_reach"   ? std::log(3.0)
                         : std::string(name) == "action_reach" ? std::log(2.0)
                                                               : std::log(0.5);
    CHECK(std::abs(w.estimate - truth) < 2 * w.se);
    // A prior sd of 0.05 holds each log multiplier near 0 (a ridge of s^2 / 0.05^2, about 60
    // against the 20-30 posts of each term, takes off more than half), and narrows it.
    CHECK(std::abs(n.estimate) < 0.5 * std::abs(w.estimate));
    CHECK(n.se < w.se);
  }
}

TEST_CASE("a multiplier the calibration fits or the user sets is left alone",
          "[calibrate][delivery]") {
  TempDir dir;
  auto path = small_page(dir, 0, R"(delivery_fit { reach: "fan_reach" followers: "page_likes" })");
  auto text = read_text(path);
  text.replace(text.find("  match"), 0,
               "  free { field: \"audience.status_reach\" low: 1 high: 5 }\n");
  write_text(path, text);
  const auto plan = scenario::load_calibration(path);
  const auto fit = batch::fit_delivery(plan);
  CHECK(!term(fit, "status_reach").set);
  CHECK(term(fit, "status_reach").kept_why == "a free parameter");
  CHECK(term(fit, "link_reach").set);
  const auto fitted = batch::with_delivery(plan, fit);
  for (const auto& s : fitted.base.sets) CHECK_THAT(s, !Catch::Contains("status_reach"));
  // One given on the command line is the user's: kept, and said so.
  const auto overridden = scenario::load_calibration(path, {{}, {}, {}, {"audience.link_reach=2"}});
  const auto kept = batch::fit_delivery(overridden);
  CHECK(!term(kept, "link_reach").set);
  CHECK(term(kept, "link_reach").kept_why == "set by --set");
  CHECK(term(kept, "link_reach").value == 2);
  CHECK(term(kept, "evening_reach").set);
}

namespace {

// The page of small_page's posts, all at 10:00 or 11:00, whose interactions per person
// reached are exp(-3) times known effects: status -0.5, link -1, action_engagement -0.4,
// inspiration_engagement -0.3 beyond what the category's content gives at the default
// effects (action -0.7, inspiration +0.4: value less commerciality, less product's), and
// February 0.2 above January.
fs::path engaged_page(const TempDir& dir, const std::string& fit) {
  std::string calendar = "date,hour,type,category,paid\n";
  std::string observed = "date,hour,interactions,reach\n";
  for_each_post([&](const PagePost& p) {
    double log_rate = -3 + (p.month == 2 ? 0.2 : 0.0);
    log_rate += p.format == "status" ? -0.5 : p.format == "link" ? -1.0 : 0.0;
    log_rate += p.category == "action" ? -0.7 - 0.4 : p.category == "inspiration" ? 0.4 - 0.3 : 0.0;
    const double reach = 2000 + 10 * p.k;
    calendar += fmt::format("{},{},{},{},{}\n", p.date, 10 + p.post, p.format, p.category,
                            int(p.k % 5 == 0));
    observed +=
        fmt::format("{},{},{:.6f},{}\n", p.date, 10 + p.post, reach * std::exp(log_rate), reach);
  });
  return write_page(dir, calendar, observed,
                    "  free { field: \"audience.engage_log_odds\" low: -5 high: -2 }\n"
                    "  match { observed: \"interactions\" simulated: \"interactions\" }\n  " +
                        fit);
}

}  // namespace

TEST_CASE("the engagement effects of format and category are recovered from a page's posts",
          "[calibrate][delivery]") {
  TempDir dir;
  const auto plan = scenario::load_calibration(
      engaged_page(dir, R"(engagement_fit { interactions: "interactions" reach: "reach" })"));
  REQUIRE(plan.engagement_fit);
  const auto fit = batch::fit_engagement(plan);
  CHECK(fit.rows == 88);
  // Without noise the prior takes nothing off: the effects the data were made with, less
  // what the categories' content gives, to the data's 6 decimals.
  CHECK(fit.residual_sd < 1e-5);
  CHECK(term(fit, "status_engagement").value == Approx(-0.5).margin(1e-4));
  CHECK(term(fit, "link_engagement").value == Approx(-1.0).margin(1e-4));
  CHECK(term(fit, "action_engagement").value == Approx(-0.4).margin(1e-4));
  CHECK(term(fit, "inspiration_engagement").value == Approx(-0.3).margin(1e-4));
  CHECK(term(fit, "video_engagement").kept_why == "no fitted post");
  // Every run takes them.
  const auto fitted = batch::with_delivery(plan, fit);
  const auto run = scenario::calibration_run(fitted, {-3.0}, 1, fitted.fit_ticks);
  const auto& a = std::get<dynamics::CampaignParams>(run.dynamics).audience;
  CHECK(a.format_engagement[int(dynamics::Format::link)] == term(fit, "link_engagement").value);
  CHECK(a.category_engagement[int(dynamics::Category::action)] ==
        term(fit, "action_engagement").value);
  CHECK(a.category_engagement[int(dynamics::Category::product)] == 0);
  // A scenario whose content effects differ moves the offset, not the data: value_effect 2
  // makes the content give action -1.0 and inspiration +0.4 against product, so the rest is
  // -0.1 and -0.3.
  auto text = read_text(dir / "page.textproto");
  text.replace(text.find("} } }") + 2, 0, "audience { value_effect: 2 } ");
  write_text(dir / "page.textproto", text);
  const auto moved = batch::fit_engagement(scenario::load_calibration(dir / "page.textproto"));
  CHECK(term(moved, "action_engagement").value == Approx(-0.1).margin(1e-4));
  CHECK(term(moved, "inspiration_engagement").value == Approx(-0.3).margin(1e-4));
  CHECK_THAT(batch::delivery_table(moved), Catch::Contains("audience.inspiration_engagement"));
}

TEST_CASE("least squares gives the textbook slope and its standard error", "[calibrate][stats]") {
  // y = 1 + 2x plus residuals (+1, -1, -1, +1) at x = 0..3: the fit is y = 1 + 2x exactly
  // (the residuals are orthogonal to 1 and x), s^2 = 4 / (4 - 2) = 2 and the slope's
  // standard error s / sqrt(Sxx) = sqrt(2 / 5), its intercept's s sqrt(1/n + mean^2 / Sxx).
  const std::vector<std::vector<double>> x{{1, 0}, {1, 1}, {1, 2}, {1, 3}};
  const std::vector<double> y{2, 2, 4, 8};
  const auto ls = analysis::least_squares(x, y);
  CHECK(ls.coef[0] == Approx(1).margin(1e-5));
  CHECK(ls.coef[1] == Approx(2).margin(1e-5));
  CHECK(ls.residual_sd == Approx(std::sqrt(2.0)).epsilon(1e-5));
  CHECK(ls.se[1] == Approx(std::sqrt(2.0 / 5)).epsilon(1e-5));
  CHECK(ls.se[0] == Approx(std::sqrt(2.0 * (0.25 + 2.25 / 5))).epsilon(1e-5));
  // A ridge of lambda on the slope is a normal prior of variance s^2 / lambda: the slope
  // becomes Sxy / (Sxx + lambda) = 10 / (5 + 5) (x centred, so the intercept is unaffected).
  const std::vector<std::vector<double>> centred{{1, -1.5}, {1, -0.5}, {1, 0.5}, {1, 1.5}};
  const auto ridge = analysis::least_squares(centred, y, {0, 5});
  CHECK(ridge.coef[0] == Approx(4).margin(1e-5));
  CHECK(ridge.coef[1] == Approx(1).margin(1e-5));
}
