#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <set>

#include "sim/analysis/stats.hpp"
#include "sim/batch/runner.hpp"
#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/campaign_detail.hpp"
#include "sim/dynamics/cascades.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/dynamics/schedule.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;

namespace {

// A campaign scenario on a 10,000-person community graph for 60 days, hourly, recorded
// daily. `brand` is the inside of a brands { } block; `extra` goes inside campaign { }.
std::string campaign(const std::string& brand, const std::string& extra = "",
                     std::uint32_t replicates = 12) {
  return fmt::format(R"(
      seed: 99
      replicates: {}
      ticks: 1440
      graph {{ communities {{ nodes: 10000 mean_degree: 20 }} }}
      dynamics {{ campaign {{ brands {{ name: "brand" {} }} {} }} }}
      outputs {{ record_every: 24 }})",
                     replicates, brand, extra);
}

struct Run {
  batch::RunResult result;
  // Metric `name` of each replicate.
  std::vector<double> metric(const std::string& name) const {
    const auto at = engine::index_of(result.run_reporters, name);
    REQUIRE(at < result.run_reporters.size());
    std::vector<double> out;
    for (const auto& rep : result.replicates) out.push_back(rep.metrics[at]);
    return out;
  }
};

Run run(const std::string& text) {
  const auto config = scenario::parse(text);
  return {batch::run(config, batch::build_graph(config))};
}

// 95% interval of the paired difference a - b over replicates (common random numbers:
// the same seed gives the same graph and streams to both).
analysis::Interval paired(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(a[i] - b[i]);
  return analysis::mean_interval(d);
}

double mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / x.size();
}

}  // namespace

TEST_CASE("every regularity posts the same number of times within the window",
          "[campaign][schedule]") {
  dynamics::Brand brand;
  brand.posts_per_week = 3;
  brand.burst_size = 6;
  brand.start_tick = 1;
  brand.end_tick = 90 * 24;
  const engine::Random random(5, 0);
  // 3 a week for 90 days: round(38.57) = 39 posts.
  for (auto r : {dynamics::Regularity::regular, dynamics::Regularity::jittered,
                 dynamics::Regularity::bursty, dynamics::Regularity::sporadic}) {
    brand.regularity = r;
    const auto ticks = dynamics::post_ticks(brand, 0, 1.0, random);
    REQUIRE(ticks.size() == 39);
    CHECK(ticks.front() >= brand.start_tick);
    CHECK(ticks.back() <= brand.end_tick);
    CHECK(std::is_sorted(ticks.begin(), ticks.end()));
  }
  brand.regularity = dynamics::Regularity::regular;
  const auto regular = dynamics::post_ticks(brand, 0, 1.0, random);
  for (std::size_t i = 1; i < regular.size(); ++i) {
    CHECK(regular[i] - regular[i - 1] >= 55);  // 2160 / 39 = 55.4 ticks apart
    CHECK(regular[i] - regular[i - 1] <= 56);
  }
  // Sporadic: the 39 posts fall on ceil(39 / 6) = 7 days, six an hour apart per day.
  brand.regularity = dynamics::Regularity::sporadic;
  const auto sporadic = dynamics::post_ticks(brand, 0, 1.0, random);
  std::set<std::uint32_t> days;
  for (auto t : sporadic) days.insert(t / 24);
  CHECK(days.size() == 7);
}

TEST_CASE("structural virality of stars and paths", "[campaign][cascades][validation]") {
  // Goel, Anderson, Hofman & Watts (2016): the mean distance between nodes of the tree.
  // A star of n nodes has 2(n - 1)/n; a path of n nodes (n + 1)/3. Exact, to rounding.
  for (std::uint32_t n : {2u, 5u, 50u, 1000u}) {
    std::vector<std::uint32_t> star(n, 0), path(n, 0);
    for (std::uint32_t i = 1; i < n; ++i) path[i] = i - 1;
    const auto s = dynamics::cascade_shape(star);
    const auto p = dynamics::cascade_shape(path);
    CHECK(s.size == n);
    CHECK(s.depth == 1);
    CHECK(s.structural_virality == Approx(2.0 * (n - 1) / n).epsilon(1e-12));
    CHECK(p.depth == n - 1);
    CHECK(p.structural_virality == Approx((n + 1) / 3.0).epsilon(1e-12));
  }
  CHECK(dynamics::cascade_shape({0}).structural_virality == 0);
}

TEST_CASE("switching sharing and replies and stories off leaves only owned impressions",
          "[campaign]") {
  const auto r =
      run(campaign("tone: 0.9 reply_probability: 0.9 posts_per_week: 7 follower_share: 0.2",
                   "mechanisms { sharing: false replies: false stories: false }", 2));
  for (const auto& rep : r.result.replicates) {
    double owned = 0, earned = 0, shares = 0;
    const auto& cols = engine::names(r.result.tick_reporters);
    const auto col = [&](const char* name) {
      return std::find(cols.begin(), cols.end(), name) - cols.begin();
    };
    for (std::size_t row = 0; row < rep.ticks.size(); ++row) {
      owned += rep.at(row, col("owned_impressions"), cols.size());
      earned += rep.at(row, col("earned_impressions"), cols.size());
      shares += rep.at(row, col("shares"), cols.size());
    }
    CHECK(owned > 1000);
    CHECK(earned == 0);
    CHECK(shares == 0);
  }
  // With them on, friends' shares, likes and the brand's public answers bring earned
  // impressions.
  const auto on = run(
      campaign("tone: 0.9 reply_probability: 0.9 posts_per_week: 7 follower_share: 0.2", "", 2));
  for (double e : on.metric("earned_owned_ratio")) CHECK(e > 0.05);
}

TEST_CASE("paid reach shows posts to non-followers, and only when bought", "[campaign]") {
  const auto none = run(campaign("follower_share: 0.05", "", 2));
  const auto paid = run(campaign("follower_share: 0.05 paid_reach: 0.05", "", 2));
  const auto count_paid = [](const Run& r) {
    const auto& cols = engine::names(r.result.tick_reporters);
    const auto c = std::find(cols.begin(), cols.end(), "paid_impressions") - cols.begin();
    double total = 0;
    for (const auto& rep : r.result.replicates) {
      for (std::size_t row = 0; row < rep.ticks.size(); ++row) total += rep.at(row, c, cols.size());
    }
    return total;
  };
  CHECK(count_paid(none) == 0);
  CHECK(count_paid(paid) > 1000);
  CHECK(mean(paid.metric("unique_reach")) > mean(none.metric("unique_reach")));
}

TEST_CASE("without negative word of mouth a crisis makes no complaints", "[campaign]") {
  const std::string brand = "follower_share: 0.1 events { kind: CRISIS day: 10 share: 0.1 }";
  const auto off = run(campaign(brand, "mechanisms { negative_word_of_mouth: false }", 2));
  const auto on = run(campaign(brand, "", 2));
  for (double d : off.metric("peak_detractors")) CHECK(d == 0);
  for (double d : off.metric("negative_reach")) CHECK(d == 0);
  for (double d : on.metric("peak_detractors")) CHECK(d > 10);
}

TEST_CASE("the campaign gives the same record for 1 and 2 threads", "[campaign][determinism]") {
  const auto config = scenario::parse(
      campaign("tone: 0.8 reply_probability: 0.5 posts_per_week: 14 follower_share: 0.1 "
               "history_days: 14 events { kind: CRISIS day: 20 share: 0.05 }",
               "", 1));
  const auto g = batch::build_graph(config);
  const engine::RunOptions options{config.seed, config.ticks, config.record_every};
  const auto run = [&] {
    return engine::run_replicate(*dynamics::make_model(config.dynamics, g), 0, options);
  };
  const auto serial = testing::with_threads(1, run);
  const auto parallel = testing::with_threads(2, run);
  CHECK(serial.values == parallel.values);
  CHECK(serial.metrics == parallel.metrics);
  REQUIRE(serial.tables.size() == parallel.tables.size());
  for (std::size_t t = 0; t < serial.tables.size(); ++t) {
    CHECK(serial.tables[t].values == parallel.tables[t].values);
  }
}

// The model's stylized facts (model.md C1-C6) under the default calibration. Each compares
// scenarios that differ in one setting, on common random numbers, and asserts that the
// 95% interval of the paired difference excludes zero: the margin is the interval's
// lower end, printed with INFO when a check fails.

TEST_CASE("fact 1: conversational beats broadcast on engagement and sentiment",
          "[campaign][facts]") {
  const auto conv = run(campaign("tone: 0.9 reply_probability: 0.5 follower_share: 0.5"));
  const auto broad = run(campaign("tone: 0.1 reply_probability: 0.5 follower_share: 0.5"));
  const auto engagement = paired(conv.metric("engagement_rate"), broad.metric("engagement_rate"));
  const auto sentiment = paired(conv.metric("mean_sentiment"), broad.metric("mean_sentiment"));
  INFO("engagement rate difference " << engagement.mean << " [" << engagement.low << ", "
                                     << engagement.high << "]");
  INFO("mean sentiment difference " << sentiment.mean << " [" << sentiment.low << ", "
                                    << sentiment.high << "]");
  // Seen: engagement +0.012 (about 5 times broadcast's), sentiment +0.004 (small: with
  // the feed's ranking most people rarely see a post).
  CHECK(engagement.low > 0.005);
  CHECK(sentiment.low > 0.002);
}

TEST_CASE("fact 2: consistent posting keeps followers more aware than sporadic bursts",
          "[campaign][facts]") {
  const auto regular = run(campaign("posts_per_week: 3 regularity: REGULAR follower_share: 0.5"));
  const auto sporadic = run(campaign("posts_per_week: 3 regularity: SPORADIC follower_share: 0.5"));
  const auto d =
      paired(regular.metric("mean_follower_awareness"), sporadic.metric("mean_follower_awareness"));
  INFO("follower awareness difference " << d.mean << " [" << d.low << ", " << d.high << "]");
  CHECK(d.low > 0.01);  // seen: +0.018 on a scale of 0 to 1
}

TEST_CASE("fact 3: reach rises with posting frequency up to the feed's daily budget",
          "[campaign][facts]") {
  // Evening posts are delivered less (evening_reach), and ten a day put some there: the
  // hour is held level so that the rungs differ in frequency alone.
  const auto rung = [](double per_week, const char* extra = "") {
    return run(campaign(fmt::format("posts_per_week: {} follower_share: 0.5", per_week),
                        fmt::format("audience {{ evening_reach: 1 }} {}", extra)));
  };
  const auto weekly = rung(1), daily = rung(7), flood = rung(70);
  const auto up = paired(daily.metric("reach"), weekly.metric("reach"));
  INFO("daily - weekly reach " << up.mean << " [" << up.low << ", " << up.high << "]");
  INFO("reach: daily " << mean(daily.metric("reach")) << ", ten a day "
                       << mean(flood.metric("reach")));
  CHECK(up.low > 0.005);  // seen: +0.016
  // Beyond the budget the feed shows the same share of the page (Track Social: the daily
  // total is about flat), so ten posts a day reach about as many as one.
  CHECK(std::abs(mean(flood.metric("reach")) / mean(daily.metric("reach")) - 1) < 0.2);
  // Over-posting tires and loses followers when every post reaches the feed (C3); with the
  // feed's ranking the budget shields followers from it (docs/campaign.md, "Calibration").
  const char* unranked = "mechanisms { feed_ranking: false }";
  const auto lost =
      paired(rung(70, unranked).metric("unfollows"), rung(7, unranked).metric("unfollows"));
  INFO("10 a day - daily unfollows, unranked " << lost.mean << " [" << lost.low << ", " << lost.high
                                               << "]");
  CHECK(lost.low > 100);
}

TEST_CASE("fact 4: complaints outrun praise and a responsive brand has fewer detractors",
          "[campaign][facts]") {
  // Equal settings: the same share of aware people start word of mouth on the same day,
  // praising the brand in one run and complaining about it in the other.
  const auto crisis =
      run(campaign("follower_share: 0.5 events { kind: CRISIS day: 20 share: 0.05 }"));
  const auto praise =
      run(campaign("follower_share: 0.5 events { kind: PRAISE day: 20 share: 0.05 }"));
  const auto heard = paired(crisis.metric("negative_reach"), praise.metric("praise_reach"));
  INFO("negative - praise reach " << heard.mean << " [" << heard.low << ", " << heard.high << "]");
  CHECK(heard.low > 0.05);

  const auto responsive = run(campaign(
      "reply_probability: 0.9 follower_share: 0.5 events { kind: CRISIS day: 20 share: 0.05 }"));
  const auto silent = run(campaign(
      "reply_probability: 0 follower_share: 0.5 events { kind: CRISIS day: 20 share: 0.05 }"));
  const auto peak = paired(silent.metric("peak_detractors"), responsive.metric("peak_detractors"));
  const auto end = paired(silent.metric("detractors"), responsive.metric("detractors"));
  INFO("silent - responsive peak detractors " << peak.mean << " [" << peak.low << ", " << peak.high
                                              << "]");
  INFO("silent - responsive final detractors " << end.mean << " [" << end.low << ", " << end.high
                                               << "]");
  CHECK(peak.low > 20);
  CHECK(end.low > 0);
}

TEST_CASE("fact 5: a brand's penetration is highest in the community it fits",
          "[campaign][facts]") {
  // Engagement comes in rare cascades (in most replicates nobody in a community engages),
  // so the means take 48 replicates: at 12, which community led was a matter of seed.
  const auto r = run(campaign("follower_share: 0.1 fit { community: 0 affinity: 0.8 }", "", 48));
  // Mean penetration (share who ever engaged) per community, from community_summary.
  std::map<std::uint32_t, std::pair<double, int>> by_community;
  for (const auto& rep : r.result.replicates) {
    const auto& t = *std::find_if(rep.tables.begin(), rep.tables.end(),
                                  [](const auto& x) { return x.name == "community_summary"; });
    for (std::size_t row = 0; row * 5 < t.values.size(); ++row) {
      auto& [sum, n] = by_community[static_cast<std::uint32_t>(t.values[row * 5 + 1])];
      sum += t.values[row * 5 + 3];
      ++n;
    }
  }
  const double fitted = by_community[0].first / by_community[0].second;
  double best_other = 0;
  for (const auto& [c, sn] : by_community) {
    if (c != 0) best_other = std::max(best_other, sn.first / sn.second);
  }
  INFO("penetration in community 0 " << fitted << ", best elsewhere " << best_other);
  CHECK(fitted > 1.5 * best_other);
}

TEST_CASE("fact 6: advocate seeding raises the earned/owned ratio", "[campaign][facts]") {
  const auto seeded =
      run(campaign("tone: 0.9 reply_probability: 0.5 follower_share: 0.5 seeding { count: 100 "
                   "strategy: COMMUNITY_LEADERS }"));
  const auto plain = run(campaign("tone: 0.9 reply_probability: 0.5 follower_share: 0.5"));
  const auto d = paired(seeded.metric("earned_owned_ratio"), plain.metric("earned_owned_ratio"));
  INFO("earned/owned difference " << d.mean << " [" << d.low << ", " << d.high << "]");
  CHECK(d.low > 0.002);  // seen: +0.016
}

// The rules on one person with a hand-made feed (campaign_rules.cpp, docs/campaign.md).
// Uniforms from all-zero bits are 0, so every chance succeeds; from all-one bits they are
// just under 1, so every chance short of certainty fails.
namespace {

struct OnePerson {
  scenario::Config config = scenario::parse(R"(
      ticks: 48
      graph { complete { nodes: 3 } }
      dynamics { campaign {
        brands { follower_share: 1 posts_per_week: 7 reply_probability: 0 }
        audience { negative_transmissibility: 1 satisfied_if_ignored: 0 share_probability: 0.5 }
      } })");
  graph::Graph g = batch::build_graph(config);
  dynamics::Campaign model{g, std::get<dynamics::CampaignParams>(config.dynamics)};
  OnePerson() { model.start(engine::Random(1, 0)); }
};

constexpr engine::Random::Bits kYes{0, 0, 0, 0};
constexpr engine::Random::Bits kNo{~0ull, ~0ull, ~0ull, ~0ull};
using C = dynamics::Campaign;

}  // namespace

TEST_CASE("fact 7: value offered beats sales offers on engagement sentiment and followers",
          "[campaign][facts]") {
  // C3 and C8 (the "Backbone" report; "What makes good Social Media Marketing?": "Overt
  // sales offers? Certainly not"): scenarios/value_offers against sales_offers.
  const auto value = run(campaign("value: 0.8 commerciality: 0.1 follower_share: 0.5"));
  const auto sales = run(campaign("value: 0.1 commerciality: 0.9 follower_share: 0.5"));
  const auto engagement = paired(value.metric("engagement_rate"), sales.metric("engagement_rate"));
  const auto sentiment = paired(value.metric("mean_sentiment"), sales.metric("mean_sentiment"));
  const auto followers = paired(value.metric("followers"), sales.metric("followers"));
  INFO("differences: engagement rate "
       << engagement.low << " to " << engagement.high << ", sentiment " << sentiment.low << " to "
       << sentiment.high << ", followers " << followers.low << " to " << followers.high);
  CHECK(engagement.low > 0);
  CHECK(sentiment.low > 0);
  CHECK(followers.low > 0);
}

TEST_CASE("one person: a friend's complaint makes a detractor who passes it on once",
          "[campaign][rules]") {
  OnePerson p;
  const C::Item complaint{1, 0, 5, 0, C::Kind::complaint, false, false};
  const auto out = p.model.read_one(0, 5, complaint, kYes);
  const C::Relation& r = p.model.relation(0);
  CHECK(r.state == C::State::detractor);
  CHECK(r.sentiment <= -0.5f);
  CHECK((r.flags & C::kHeardNegative) != 0);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == C::Kind::complaint);
  CHECK(out[0].parent == 1);  // passed on, from whom they had it
  CHECK(out[0].root == 0);
  // Read again: a detractor does not pass the same complaint on twice.
  CHECK(p.model.read_one(0, 6, complaint, kYes).empty());
}

TEST_CASE("one person: a follower who notices a post engages and shares it once",
          "[campaign][rules]") {
  OnePerson p;
  const C::Item post{C::kNone, 0, 5, 0, C::Kind::post, false, false};
  REQUIRE((p.model.relation(2).flags & C::kFollows) != 0);
  // Not noticed: nothing changes and nothing goes out.
  CHECK(p.model.read_one(2, 5, post, kNo).empty());
  CHECK(p.model.relation(2).engagements == 0);
  // Noticed, engaged, shared.
  const auto out = p.model.read_one(2, 5, post, kYes);
  CHECK(p.model.relation(2).state == C::State::engaged);
  CHECK(p.model.relation(2).engagements == 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == C::Kind::share);
  CHECK(out[0].parent == C::kNone);  // shared straight from the brand's post
  // The same post seen again is neither engaged with nor shared again.
  CHECK(p.model.read_one(2, 6, post, kYes).empty());
  CHECK(p.model.relation(2).engagements == 1);
}

TEST_CASE("one person: a like on the page's post shows as a story and one through a story does not",
          "[campaign][rules]") {
  OnePerson p;
  // Engaged but not shared: uniform 5 (the share draw, high half of word 2) is near 1.
  constexpr engine::Random::Bits kEngageOnly{0, 0, 0xffffffff00000000ull, 0};
  const C::Item post{C::kNone, 0, 5, 0, C::Kind::post, false, false};
  const auto out = p.model.read_one(2, 5, post, kEngageOnly);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == C::Kind::story);
  CHECK(out[0].parent == C::kNone);
  CHECK(p.model.read_one(2, 6, post, kEngageOnly).empty());  // once per person and post
  // A friend's story is read as word of mouth: engaging with it makes no story of its own.
  const C::Item story{2, 1, 7, 0, C::Kind::story, false, false};
  CHECK(p.model.read_one(0, 7, story, kEngageOnly).empty());
  CHECK(p.model.relation(0).engagements == 1);
}

TEST_CASE("one person: each tree is passed on once per person even after others",
          "[campaign][rules]") {
  // Satisfied at once (ignored complainers always satisfied here), so that they could pass
  // complaints on again and again if nothing remembered which.
  OnePerson p;
  p.config = scenario::parse(R"(
      ticks: 48
      graph { complete { nodes: 3 } }
      dynamics { campaign {
        brands { follower_share: 1 posts_per_week: 7 reply_probability: 0 }
        audience { negative_transmissibility: 1 satisfied_if_ignored: 1 }
      } })");
  dynamics::Campaign model{p.g, std::get<dynamics::CampaignParams>(p.config.dynamics)};
  model.start(engine::Random(1, 0));
  const C::Item a{1, 0, 5, 0, C::Kind::complaint, false, false};
  const C::Item b{1, 1, 6, 0, C::Kind::complaint, false, false};
  CHECK(model.read_one(0, 5, a, kYes).size() == 1);
  CHECK(model.relation(0).state != C::State::detractor);  // satisfied
  CHECK(model.read_one(0, 6, b, kYes).size() == 1);       // another tree: passed on
  CHECK(model.read_one(0, 7, a, kYes).empty());           // the first again: not twice
}

TEST_CASE("no positive metric rewards a brand for being complained about", "[campaign][metrics]") {
  const std::string base = "follower_share: 0.1 reply_probability: 0 ";
  const auto calm = run(campaign(base, "", 4));
  const auto crisis = run(campaign(base + "events { kind: CRISIS day: 10 share: 0.2 }", "", 4));
  CHECK(mean(crisis.metric("negative_reach")) > 0.05);  // the complaints did spread
  for (const char* m : {"reach", "unique_reach", "final_aware_share", "peak_aware_share",
                        "earned_owned_ratio", "cascades", "max_cascade_size"}) {
    INFO(m << ": calm " << mean(calm.metric(m)) << ", crisis " << mean(crisis.metric(m)));
    CHECK(mean(crisis.metric(m)) <= mean(calm.metric(m)) * 1.05 + 1e-9);
  }
  CHECK(mean(crisis.metric("complaints")) > 0);
  CHECK(mean(calm.metric("complaints")) == 0);
  CHECK(mean(crisis.metric("complaint_cascades")) >= 1);
}

TEST_CASE("a crisis hits customers and not everyone who has seen an ad", "[campaign][events]") {
  // Many people see ads (paid reach) but few follow; nobody passes complaints on or
  // complains, and nobody gets over it, so the detractors are exactly the people hit.
  const std::string quiet =
      "audience { negative_transmissibility: 0 complaint_probability: 0 "
      "detractor_half_life_days: 3000 }";
  const auto r = run(campaign(
      "follower_share: 0.02 paid_reach: 0.5 events { kind: CRISIS day: 30 share: 1 }", quiet, 2));
  const double detractors = mean(r.metric("peak_detractors"));
  const double aware_ever = mean(r.metric("unique_reach")) * 10000;
  INFO("detractors " << detractors << ", people who ever saw the brand " << aware_ever);
  CHECK(detractors > 150);               // the followers (about 2%) and engaged people
  CHECK(detractors < 0.5 * aware_ever);  // far from everyone the ads reached
}

TEST_CASE("detractors get over it with the documented half-life", "[campaign][events]") {
  const std::string crisis = "follower_share: 0.1 events { kind: CRISIS day: 20 share: 0.5 }";
  const auto quick =
      run(campaign(crisis,
                   "audience { negative_transmissibility: 0 complaint_probability: 0 "
                   "detractor_half_life_days: 2 }",
                   2));
  const auto never =
      run(campaign(crisis,
                   "audience { negative_transmissibility: 0 complaint_probability: 0 "
                   "detractor_half_life_days: 3000 }",
                   2));
  // 40 days after the crisis: 20 half-lives, so next to none are left; without recovery
  // all of them are.
  CHECK(mean(quick.metric("detractors")) < 0.02 * mean(quick.metric("peak_detractors")));
  CHECK(mean(never.metric("detractors")) > 0.95 * mean(never.metric("peak_detractors")));
}

TEST_CASE("followers' awareness at the start is spread out, so there is no cliff",
          "[campaign][awareness]") {
  // With every follower starting at the same awareness, the aware count fell by a fifth
  // of its start on day 8, one half-life in, whatever the brand did (and by nearly all of
  // it with the feed's ranking, which refreshes few followers).
  // The mean over 8 replicates: a single one's largest drop moves by a few hundredths with
  // the draws (friends' shares make some people aware, in rare cascades).
  const auto r = run(campaign("follower_share: 0.2", "", 8));
  const auto& cols = r.result.tick_reporters;
  const auto aware = engine::index_of(cols, "aware");
  const auto mean_aware = [&](std::size_t row) {
    double sum = 0;
    for (const auto& rep : r.result.replicates) sum += rep.at(row, aware, cols.size());
    return sum / double(r.result.replicates.size());
  };
  const auto& ticks = r.result.replicates[0].ticks;
  const double start = mean_aware(0);
  double worst = 0;
  for (std::size_t row = 1; row < ticks.size() && ticks[row] <= 21 * 24; ++row) {
    worst = std::max(worst, (mean_aware(row - 1) - mean_aware(row)) / start);
  }
  INFO("largest one-day drop of the aware count, as a share of its start: " << worst);
  CHECK(worst < 0.15);  // seen: 0.12 at two half-lives, where the last followers forget
  CHECK(start > 1500);
}

// Calibration targets (docs/campaign.md, "Calibration"): each names its source and its
// tolerance, and runs the default settings on common random numbers.
namespace {

// Column `name` of table `table` over every replicate, rows in order.
std::vector<double> table_column(const Run& r, const std::string& table, const std::string& name) {
  std::vector<double> out;
  for (const auto& rep : r.result.replicates) {
    for (const auto& t : rep.tables) {
      if (t.name != table) continue;
      const auto c =
          std::size_t(std::find(t.columns.begin(), t.columns.end(), name) - t.columns.begin());
      REQUIRE(c < t.columns.size());
      for (std::size_t i = c; i < t.values.size(); i += t.columns.size())
        out.push_back(t.values[i]);
    }
  }
  return out;
}

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x.size() % 2 ? x[x.size() / 2] : (x[x.size() / 2 - 1] + x[x.size() / 2]) / 2;
}

}  // namespace

TEST_CASE("calibration: the median unpaid post reaches 2 to 6 percent of the followers",
          "[campaign][calibration]") {
  // Source: the cosmetics page of the Facebook metrics data set (Moro, Rita & Vala 2016),
  // fan_reach / page_likes, median 3.5% over its unpaid posts. Tolerance: 2% to 6%.
  const auto r = run(campaign("follower_share: 0.2", "", 4));
  const auto followers = table_column(r, "posts", "followers");
  const auto reached = table_column(r, "posts", "follower_reach");
  std::vector<double> share;
  for (std::size_t i = 0; i < followers.size(); ++i) {
    if (followers[i] > 0) share.push_back(reached[i] / followers[i]);
  }
  REQUIRE(share.size() > 50);
  INFO("median follower reach per post " << median(share));
  CHECK(median(share) > 0.02);
  CHECK(median(share) < 0.06);
}

TEST_CASE("calibration: posting frequency as Track Social found it", "[campaign][calibration]") {
  // Source: Track Social's study of Facebook brand pages (about 2012): at two posts a day
  // each post gets about 57% of the likes of a post at one a day, and the daily total is
  // about flat from one to three posts a day. Tolerances: 57% +-15 points; daily totals
  // within 20% of one a day's. Engagements stand for likes.
  // Track Social's figures average over the hours pages posted at; the schedules here put
  // the second and third posts of a day at other hours, so the hour is held level.
  const auto at = [](int per_day) {
    return run(campaign(fmt::format("follower_share: 0.5 posts_per_week: {}", 7 * per_day),
                        "audience { evening_reach: 1 night_reach: 1 }"));
  };
  const auto one = at(1), two = at(2), three = at(3);
  const auto total = [](const Run& r) {
    double sum = 0;
    for (double e : table_column(r, "posts", "engaged")) sum += e;
    return sum;
  };
  const double t1 = total(one), t2 = total(two), t3 = total(three);
  INFO("engagements: one a day " << t1 << ", two " << t2 << ", three " << t3);
  const double per_post = (t2 / 2) / t1;  // the same days, twice the posts
  CHECK(per_post > 0.42);
  CHECK(per_post < 0.72);
  CHECK(std::abs(t2 / t1 - 1) < 0.2);
  CHECK(std::abs(t3 / t1 - 1) < 0.2);
}

TEST_CASE("calibration: unhappy customers tell about twice as many as happy ones",
          "[campaign][calibration]") {
  // Source: the TARP figure as commonly quoted (unhappy customers tell about twice as many
  // people as happy ones). The same share of customers hit by a crisis or delighted by
  // praise; tolerance: a ratio of people reached between 1.5 and 3.
  const auto crisis =
      run(campaign("follower_share: 0.1 events { kind: CRISIS day: 20 share: 0.05 }"));
  const auto praise =
      run(campaign("follower_share: 0.1 events { kind: PRAISE day: 20 share: 0.05 }"));
  const double ratio = mean(crisis.metric("negative_reach")) / mean(praise.metric("praise_reach"));
  INFO("complaints reach " << ratio << " times as many as praise");
  CHECK(ratio > 1.5);
  CHECK(ratio < 3);
}

TEST_CASE("calibration: a crisis that hits 1 percent of customers stays local",
          "[campaign][calibration]") {
  // The issue's check of the old defaults, where such a crisis reached 99.9% of people.
  // Tolerance: under a tenth of the population hears a complaint.
  const auto r = run(campaign("follower_share: 0.1 events { kind: CRISIS day: 20 share: 0.01 }"));
  INFO("negative reach " << mean(r.metric("negative_reach")));
  CHECK(mean(r.metric("negative_reach")) < 0.1);
  CHECK(mean(r.metric("complaints")) > 0);
}

TEST_CASE("calibration: word of mouth stays within a step of its seed", "[campaign][calibration]") {
  // Source: Goel, Watts & Goldstein 2012 (seven online domains): the large majority of
  // cascades end within one step of their seed, where a seed is the first person in the
  // network to pass on something from outside it. The brand is outside the graph, so a
  // seed here is a person who shares from the page's post (or an ad, or a friend's like)
  // and the cascade is what their friends passed on after them. Tolerance: at least 90% of
  // them end within one step. Goel et al. 2016: structural virality is low; tolerance: the
  // mean over each post's whole tree (the brand at its root) below 2.
  auto text = campaign("follower_share: 0.5 tone: 0.9 reply_probability: 0.5");
  text.replace(text.find("record_every: 24"), 16, "record_every: 24 share_log: true");
  const auto r = run(text);
  const auto virality = table_column(r, "cascades", "structural_virality");
  // Each sharer's parent within its (replicate, root) tree; -1 for a seed.
  std::map<std::tuple<std::size_t, double, double>, double> parent_of;
  for (std::size_t k = 0; k < r.result.replicates.size(); ++k) {
    Run one{r.result};
    one.result.replicates = {r.result.replicates[k]};
    const auto sharer = table_column(one, "shares", "sharer");
    const auto parent = table_column(one, "shares", "parent");
    const auto root = table_column(one, "shares", "root");
    const auto kind = table_column(one, "shares", "kind");
    for (std::size_t i = 0; i < sharer.size(); ++i) {
      if (kind[i] != 0) continue;  // complaints apart
      parent_of.emplace(std::tuple(k, root[i], sharer[i]), parent[i]);
    }
  }
  std::map<std::tuple<std::size_t, double, double>, int> seed_depth;  // seed -> deepest step
  for (const auto& [key, p] : parent_of) {
    auto [rep, rt, at] = key;
    int steps = 0;
    for (double up = p; up >= 0; ++steps) {
      at = up;
      const auto it = parent_of.find(std::tuple(rep, rt, up));
      up = it == parent_of.end() ? -1 : it->second;
    }
    int& d = seed_depth[std::tuple(rep, rt, at)];
    d = std::max(d, steps);
  }
  REQUIRE(seed_depth.size() > 100);
  const double within_one = double(std::count_if(seed_depth.begin(), seed_depth.end(),
                                                 [](const auto& kv) { return kv.second <= 1; })) /
                            double(seed_depth.size());
  INFO(seed_depth.size() << " cascades, " << within_one << " within one step of their seed; "
                         << virality.size() << " post trees, mean structural virality "
                         << mean(virality));
  CHECK(within_one >= 0.9);
  CHECK(mean(virality) < 2);
}

TEST_CASE("calibration: a middling brand holds its followers and a conversational one gains",
          "[campaign][calibration]") {
  // Source: the issue's target from practitioner experience (the "Backbone" report, QueTwo's
  // blog): a brand that posts three times a week in a middling tone does not bleed
  // followers, and talking to people wins some. Tolerance: over 90 days on 20,000 people
  // with 10% following, the middling brand's followers change by more than -0.5%; the
  // conversational brand's grow by more than 0.3% on average and in every replicate.
  const auto change = [](double tone) {
    const auto r = run(fmt::format(R"(
        seed: 7
        replicates: 6
        ticks: 2160
        graph {{ communities {{ nodes: 20000 mean_degree: 20 }} }}
        dynamics {{ campaign {{ brands {{ name: "brand" tone: {} reply_probability: 0.5
                                         posts_per_week: 3 follower_share: 0.1 }} }} }}
        outputs {{ record_every: 24 }})",
                                   tone));
    const auto names = engine::names(r.result.tick_reporters);
    const auto col =
        std::size_t(std::find(names.begin(), names.end(), "followers") - names.begin());
    REQUIRE(col < names.size());
    std::vector<double> out;
    for (const auto& rep : r.result.replicates) {
      const double first = rep.at(0, col, names.size());
      out.push_back(rep.at(rep.ticks.size() - 1, col, names.size()) / first - 1);
    }
    return out;
  };
  const auto middling = change(0.5), conversational = change(0.9);
  INFO("followers over 90 days: middling " << mean(middling) << ", conversational "
                                           << mean(conversational));
  CHECK(mean(middling) > -0.005);
  CHECK(mean(conversational) > 0.003);
  CHECK(*std::min_element(conversational.begin(), conversational.end()) > 0);
}

TEST_CASE("calibration: the replayed cosmetics page against its data", "[campaign][calibration]") {
  // Source: data/facebook_page_2014 (Moro, Rita & Vala 2016), replayed by
  // scenarios/real/cosmetics_page_2014.textproto: its followers, its 345 posts at their
  // hour with their category and paid flag. Targets and tolerances: the median unpaid post
  // reaches 2% to 6% of the followers (data 3.5%); engagements per person reached are
  // lowest for action (offer) posts (data: interactions per reach 1.0% against 3.1% for
  // product and 2.9% for inspiration posts); paid posts reach more people than unpaid ones
  // (data: median 5,801 against 5,369); followers end September within 10% of the data's
  // 135,700, with the page's growth from outside its posts (acquisition_per_day) fitted to
  // that one figure. Readers are the post's own and those of friends' shares and likes, as
  // the data's reach counts them.
  const auto file = testing::source_dir() / "scenarios" / "real" / "cosmetics_page_2014.textproto";
  const auto config = scenario::load(file, {std::nullopt, 1, std::nullopt, {}});
  const Run r{batch::run(config, batch::build_graph(config))};
  const auto& brand = std::get<dynamics::CampaignParams>(config.dynamics).brands[0];
  REQUIRE(brand.calendar.size() == 345);
  const auto followers = table_column(r, "posts", "followers");
  const auto fan_reach = table_column(r, "posts", "follower_reach");
  const auto reach = table_column(r, "posts", "reach");
  const auto earned = table_column(r, "posts", "earned_reach");
  const auto engaged = table_column(r, "posts", "engaged");
  REQUIRE(followers.size() == 345);
  std::vector<double> unpaid_share, paid_reach, unpaid_reach;
  std::map<std::string, std::vector<double>> rate;  // engagements per reach, by category
  const auto category = [](const dynamics::PostContent& c) {
    return c.commerciality == 0.9 ? "action" : c.commerciality == 0.5 ? "product" : "inspiration";
  };
  for (std::size_t k = 0; k < followers.size(); ++k) {
    const auto& content = brand.calendar[k].content;
    const double readers = reach[k] + earned[k];
    (content.paid ? paid_reach : unpaid_reach).push_back(readers);
    if (!content.paid && followers[k] > 0) unpaid_share.push_back(fan_reach[k] / followers[k]);
    if (readers > 0) rate[category(content)].push_back(engaged[k] / readers);
  }
  const auto& rep = r.result.replicates.at(0);
  const auto names = engine::names(r.result.tick_reporters);
  const auto col = std::size_t(std::find(names.begin(), names.end(), "followers") - names.begin());
  REQUIRE(col < names.size());
  const double end_followers = rep.at(rep.ticks.size() - 1, col, names.size());
  INFO("median unpaid follower reach "
       << median(unpaid_share) << "; engagements per reach: "
       << "action " << mean(rate["action"]) << ", product " << mean(rate["product"])
       << ", inspiration " << mean(rate["inspiration"]) << "; median reach paid "
       << median(paid_reach) << ", unpaid " << median(unpaid_reach) << "; followers at the end "
       << end_followers);
  CHECK(median(unpaid_share) > 0.02);
  CHECK(median(unpaid_share) < 0.06);
  CHECK(mean(rate["action"]) < mean(rate["product"]));
  CHECK(mean(rate["action"]) < mean(rate["inspiration"]));
  CHECK(median(paid_reach) > median(unpaid_reach));
  CHECK(std::abs(end_followers / 135700 - 1) < 0.1);
}

TEST_CASE("with a daily rhythm the hour a post goes out matters", "[campaign][calendar]") {
  // People are online only in the evening; posts live three hours. Evening posts are read,
  // early-morning posts are gone before anyone looks.
  const auto at_hour = [](int hour) {
    std::string posts;
    for (int d = 0; d < 10; ++d) posts += fmt::format("posts {{ day: {} hour: {} }} ", d, hour);
    std::string rhythm = "population { hourly_activity: [";
    for (int h = 0; h < 24; ++h)
      rhythm += fmt::format("{}{}", h ? ", " : "", h >= 18 && h < 23 ? 1 : 0);
    rhythm += "] }";
    return run(fmt::format(R"(seed: 4 replicates: 2 ticks: 264 {}
        graph {{ communities {{ nodes: 4000 mean_degree: 16 }} }}
        dynamics {{ campaign {{ brands {{ follower_share: 0.3 {} }}
          audience {{ post_lifetime_hours: 3 }} mechanisms {{ feed_ranking: false }} }} }}
        outputs {{ record_every: 24 }})",
                           rhythm, posts));
  };
  const auto evening = at_hour(19), morning = at_hour(4);
  double read_evening = 0, read_morning = 0;
  for (double x : table_column(evening, "posts", "follower_reach")) read_evening += x;
  for (double x : table_column(morning, "posts", "follower_reach")) read_morning += x;
  INFO("followers reached: evening posts " << read_evening << ", early-morning posts "
                                           << read_morning);
  CHECK(read_evening > 1000);
  CHECK(read_morning < 0.01 * read_evening);
}

namespace {
// Followers reached by each post of a calendar: `posts` inline, 2,000 people, a third
// following, with the given audience settings.
std::vector<double> follower_reach(const std::string& posts, const std::string& audience) {
  const auto r = run(fmt::format(R"(seed: 5 replicates: 1 ticks: 720
      graph {{ communities {{ nodes: 2000 mean_degree: 10 }} }}
      dynamics {{ campaign {{ brands {{ follower_share: 0.33 {} }}
        audience {{ {} }} mechanisms {{ fatigue: false awareness_decay: false }} }} }}
      outputs {{ record_every: 24 }})",
                                 posts, audience));
  return table_column(r, "posts", "follower_reach");
}
double sum(const std::vector<double>& x, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  to = std::min(to, x.size());
  return from < to ? std::accumulate(x.begin() + std::ptrdiff_t(from),
                                     x.begin() + std::ptrdiff_t(to), 0.0)
                   : 0.0;
}
}  // namespace

TEST_CASE("delivery follows the post's format and category and hour", "[campaign][delivery]") {
  // One post a day for 20 days at 10:00; the same days with a multiplier of 3 on the
  // format in question deliver about three times as many followers' reads. Tolerance:
  // 2.2 to 4, for the binomial noise of about 700 followers at 5% each over 20 posts.
  std::string photos, statuses, actions, evenings;
  for (int d = 0; d < 20; ++d) {
    photos += fmt::format("posts {{ day: {} hour: 10 }} ", d);
    statuses += fmt::format("posts {{ day: {} hour: 10 format: STATUS }} ", d);
    actions += fmt::format("posts {{ day: {} hour: 10 category: ACTION }} ", d);
    evenings += fmt::format("posts {{ day: {} hour: 20 }} ", d);
  }
  const std::string a = "organic_reach: 0.05 status_reach: 3 action_reach: 3 evening_reach: 3";
  const double photo = sum(follower_reach(photos, a));
  INFO("photos " << photo);
  REQUIRE(photo > 200);
  for (const auto& [name, posts] :
       {std::pair{"status", statuses}, {"action", actions}, {"evening", evenings}}) {
    const double ratio = sum(follower_reach(posts, a)) / photo;
    INFO(name << " against photos " << ratio);
    CHECK(ratio > 2.2);
    CHECK(ratio < 4);
  }
}

TEST_CASE("organic reach follows its trend over time", "[campaign][delivery]") {
  // A trend of log(0.5) per 30 days: the last ten days' posts (days 20-29) are delivered
  // at 2^(-20/30) ... about 0.55 of the first ten's. Tolerance 0.4 to 0.7.
  std::string posts;
  for (int d = 0; d < 30; ++d) posts += fmt::format("posts {{ day: {} hour: 10 }} ", d);
  const auto reach = follower_reach(posts, "organic_reach: 0.1 organic_reach_trend: -0.6931");
  const double ratio = sum(reach, 20, 30) / sum(reach, 0, 10);
  INFO("last ten days against first ten " << ratio);
  CHECK(ratio > 0.4);
  CHECK(ratio < 0.7);
  const auto flat = follower_reach(posts, "organic_reach: 0.1");
  const double level = sum(flat, 20, 30) / sum(flat, 0, 10);
  INFO("without a trend " << level);
  CHECK(std::abs(level - 1) < 0.15);
}

namespace {
// 30 days of a brand's `posts` to 2,000 people, a third of them followers, each post reaching
// 30% of them; friends' stories and shares off, so every reader is the post's own; no
// fatigue or forgetting.
Run engagement_run(const std::string& posts, const std::string& audience) {
  return run(fmt::format(R"(seed: 5 replicates: 1 ticks: 720
        graph {{ communities {{ nodes: 2000 mean_degree: 10 }} }}
        dynamics {{ campaign {{ brands {{ follower_share: 0.33 {} }}
          audience {{ organic_reach: 0.3 engage_log_odds: -3 story_reach: 0 share_probability: 0 {} }}
          mechanisms {{ fatigue: false awareness_decay: false }} }} }}
        outputs {{ record_every: 24 }})",
                         posts, audience));
}
}  // namespace

TEST_CASE("engagement follows its trend over time", "[campaign][delivery]") {
  // A trend of log(4) per 30 days in log-odds: readers of the last ten days' posts (days
  // 20-29) engage at about 4^(20/30) = 2.5 times the odds of the first ten's, about 2.3
  // times as often at a 5% base. Friends' stories and shares are off, so every reader is
  // the post's own. Tolerance 1.7 to 3.3, for about 100 engagements in the first ten days;
  // without a trend 0.75 to 1.33.
  std::string posts;
  for (int d = 0; d < 30; ++d) posts += fmt::format("posts {{ day: {} hour: 10 }} ", d);
  const auto per_reader = [&](const std::string& audience) {
    const auto r = engagement_run(posts, audience);
    const auto engaged = table_column(r, "posts", "engaged");
    const auto reached = table_column(r, "posts", "reach");
    return (sum(engaged, 20, 30) / sum(reached, 20, 30)) /
           (sum(engaged, 0, 10) / sum(reached, 0, 10));
  };
  const double rising = per_reader("engagement_trend: 1.386");
  INFO("engaged per reader, last ten days against first ten " << rising);
  CHECK(rising > 1.7);
  CHECK(rising < 3.3);
  const double flat = per_reader("");
  INFO("without a trend " << flat);
  CHECK(flat > 0.75);
  CHECK(flat < 1.33);
}

TEST_CASE("non-follower reach is everyone a post reached but followers in their feeds",
          "[campaign][delivery]") {
  // Ads to non-followers and friends' stories and shares, against the platform's reach
  // less its fan reach.
  const auto r = run(campaign("follower_share: 0.2 posts_per_week: 7 paid_reach: 0.02", "", 1));
  const auto total = table_column(r, "posts", "total_reach");
  const auto followers = table_column(r, "posts", "follower_reach");
  const auto paid = table_column(r, "posts", "paid_reach");
  const auto earned = table_column(r, "posts", "earned_reach");
  const auto beyond = table_column(r, "posts", "non_follower_reach");
  REQUIRE(beyond.size() > 50);
  double paid_sum = 0, earned_sum = 0;
  for (std::size_t k = 0; k < beyond.size(); ++k) {
    CHECK(beyond[k] == total[k] - followers[k]);
    CHECK(beyond[k] == paid[k] + earned[k]);
    paid_sum += paid[k], earned_sum += earned[k];
  }
  CHECK(paid_sum > 0);  // both parts occur
  CHECK(earned_sum > 0);
}

TEST_CASE("a category's engagement effect moves its posts alone", "[campaign][delivery]") {
  // action_engagement log(4) on action posts: their readers engage at 4 times the odds, about
  // 3.7 times as often at their base of 2.4% (-3 less the 0.7 an action post's content takes
  // off); product posts are untouched, run for run the same. Friends' stories and shares are
  // off, so every reader is the post's own. Tolerance 2.5 to 5.5 for about 140 engagements
  // without the effect.
  const auto per_reader = [&](const char* category, const std::string& audience) {
    std::string posts;
    for (int d = 0; d < 30; ++d) {
      posts += fmt::format("posts {{ day: {} hour: 10 category: {} }} ", d, category);
    }
    const auto r = engagement_run(posts, audience);
    return sum(table_column(r, "posts", "engaged")) / sum(table_column(r, "posts", "reach"));
  };
  const double action = per_reader("ACTION", "");
  const double lifted = per_reader("ACTION", "action_engagement: 1.386") / action;
  INFO("action posts' engaged per reader " << action << ", lifted " << lifted << " times");
  CHECK(lifted > 2.5);
  CHECK(lifted < 5.5);
  const double product =
      per_reader("PRODUCT", "action_engagement: 1.386") / per_reader("PRODUCT", "");
  INFO("product posts " << product << " times");
  CHECK(product == 1);
}

TEST_CASE("posting_elasticity sets how a day's posts share delivery", "[campaign][delivery]") {
  // Four posts a day against one: with elasticity 1 (a daily budget of one post) each of
  // the four gets a quarter of a lone post's delivery; with 0 each gets a lone post's.
  // Tolerances: per-post ratio 0.15-0.4 and 0.75-1.3.
  std::string one, four;
  for (int d = 0; d < 20; ++d) {
    one += fmt::format("posts {{ day: {} hour: 9 }} ", d);
    for (int h : {9, 10, 11, 12}) four += fmt::format("posts {{ day: {} hour: {} }} ", d, h);
  }
  for (const auto& [elasticity, low, high] : {std::tuple{1.0, 0.15, 0.4}, {0.0, 0.75, 1.3}}) {
    const std::string a = fmt::format("organic_reach: 0.05 posting_elasticity: {}", elasticity);
    const double ratio = (sum(follower_reach(four, a)) / 4) / sum(follower_reach(one, a));
    INFO("elasticity " << elasticity << ": per post at four a day against one " << ratio);
    CHECK(ratio > low);
    CHECK(ratio < high);
  }
}

TEST_CASE("follows from reach grow a page from what it posts", "[campaign][delivery]") {
  // Paid posts reach non-followers; with follow_from_reach some of them follow without
  // engaging, so a page gains more followers than with it off.
  const auto run_with = [](double rate) {
    return run(fmt::format(R"(seed: 8 replicates: 4 ticks: 720
        graph {{ communities {{ nodes: 3000 mean_degree: 10 }} }}
        dynamics {{ campaign {{ brands {{ follower_share: 0.1 paid_reach: 0.05 posts_per_week: 7 }}
          audience {{ follow_from_reach: {} }} }} }}
        outputs {{ record_every: 24 }})",
                           rate));
  };
  const auto off = run_with(0), on = run_with(0.05);
  const auto d = paired(on.metric("followers"), off.metric("followers"));
  INFO("followers, follows from reach on - off " << d.mean << " [" << d.low << ", " << d.high
                                                 << "]");
  CHECK(d.low > 10);
}

TEST_CASE("people with nothing to read still see posts and ads and follow from outside",
          "[campaign][sessions]") {
  // Nobody engages, so after a first session with nothing to read everyone is parked
  // (Campaign::Person::parked): no session is run until something arrives. The figures
  // must still be those of sessions as a Poisson process of rate r per tick read by every
  // session: a post or an ad is read if a session falls within its lifetime of L ticks,
  // and a follow from outside (hazard h per tick) shows at the first session after it.
  const double n = 20000, T = 1440, L = 48, r = 0.25 / 24;
  const auto town = [&](const std::string& brand) {
    return fmt::format(R"(seed: 3 replicates: 1 ticks: {}
        graph {{ communities {{ nodes: {} mean_degree: 10 }} }}
        population {{ mean_sessions_per_day: 0.25 }}
        dynamics {{ campaign {{ brands {{ {} }}
          audience {{ engage_log_odds: -20 annoy_log_odds: -20 post_lifetime_hours: {}
                      organic_reach: 0.2 evening_reach: 1 }}
          mechanisms {{ heavy_tailed_activity: false communities: false }} }} }}
        outputs {{ record_every: 24 }})",
                       T, n, brand, L);
  };
  // Reads expected of `share` of n people, for posts at `ticks`.
  const auto expected_reads = [&](const std::vector<double>& ticks, double share) {
    double sum = 0;
    for (double at : ticks)
      sum += n * share * -std::expm1(-r * std::min(L, T - std::max(at, 1.0) + 1));
    return sum;
  };
  SECTION("posts in followers' feeds") {
    // Everyone follows and nobody unfollows; the feed shows each post to a follower with
    // chance organic_reach (one post a day, every multiplier 1).
    const Run posts{run(town("follower_share: 1 posts_per_week: 7"))};
    const auto ticks = table_column(posts, "posts", "tick");
    const auto followers = table_column(posts, "posts", "followers");
    const auto readers = table_column(posts, "posts", "follower_reach");
    REQUIRE(ticks.size() > 50);
    for (double f : followers) REQUIRE(f == n);
    const double seen = std::accumulate(readers.begin(), readers.end(), 0.0);
    const double expected = expected_reads(ticks, 0.2);
    // Tolerance: 3%, as for ads below.
    INFO("posts read " << seen << ", expected " << expected);
    CHECK(std::abs(seen / expected - 1) < 0.03);
  }
  SECTION("ads") {
    const Run ads{run(town("follower_share: 0 paid_reach: 0.1 posts_per_week: 7"))};
    const auto ticks = table_column(ads, "posts", "tick");
    const auto readers = table_column(ads, "posts", "paid_reach");
    REQUIRE(ticks.size() > 50);
    const double seen = std::accumulate(readers.begin(), readers.end(), 0.0);
    const double expected = expected_reads(ticks, 0.1);
    // Tolerance: 3%, about four standard deviations of the sum (each person's sessions
    // serve two days' ads, so the reads are not independent).
    INFO("ads read " << seen << ", expected " << expected);
    CHECK(std::abs(seen / expected - 1) < 0.03);
  }
  SECTION("follows from outside") {
    const double per_day = 100, h = per_day / n / 24;
    // A brand must be seen somehow: with paid reach, but no post falls within the run.
    const Run outside{run(town(fmt::format(
        "follower_share: 0 paid_reach: 0.1 posts_per_week: 0.01 acquisition_per_day: {}",
        per_day)))};
    REQUIRE(table_column(outside, "posts", "tick").empty());
    double expected = 0;  // the chance that the follow falls at tick k, times that it shows by T
    for (double k = 1; k <= T; ++k) {
      expected += n * (std::exp(-h * (k - 1)) - std::exp(-h * k)) * -std::expm1(-r * (T - k + 1));
    }
    // Tolerance: 3 binomial standard deviations. Were follows shown as they happen, there
    // would be about 8% more (the wait for a session at 0.25 a day).
    const double sd = std::sqrt(expected * (1 - expected / n));
    const double followers = outside.metric("followers").at(0);
    INFO("followers " << followers << ", expected " << expected << " +- " << sd);
    CHECK(std::abs(followers - expected) < 3 * sd);
  }
}

TEST_CASE("the campaign refuses a horizon its inbox items cannot date", "[campaign]") {
  // Inbox items keep their tick in 24 bits; scenarios allow 10 million ticks, below that.
  OnePerson p;
  auto params = std::get<dynamics::CampaignParams>(p.config.dynamics);
  params.ticks = dynamics::Campaign::kMaxTicks;
  CHECK_NOTHROW(dynamics::Campaign(p.g, params));
  params.ticks = dynamics::Campaign::kMaxTicks + 1;
  CHECK_THROWS_AS(dynamics::Campaign(p.g, params), std::invalid_argument);
  CHECK(dynamics::Campaign::kMaxTicks >= 10'000'000u);  // the scenario bound on ticks
}

TEST_CASE("engagement stays within the people reached even where nearly everyone engages",
          "[campaign][bounds]") {
  // Every reader engages (log-odds 6) and every engagement shows to every friend: before a
  // like counted once per person and post, a post seen through several friends was liked
  // again each time, and one post made more engagements than the town has people.
  const auto r = run(R"(
      seed: 5
      replicates: 1
      ticks: 240
      graph { communities { nodes: 300 mean_degree: 12 } }
      dynamics { campaign {
        brands { name: "brand" follower_share: 0.5 posts_per_week: 7 }
        audience { engage_log_odds: 6 story_reach: 1 share_probability: 0.5 }
      } }
      outputs { record_every: 24 })");
  const auto engaged = table_column(r, "posts", "engaged");
  const auto total = table_column(r, "posts", "total_reach");
  const auto reach = table_column(r, "posts", "reach");
  const auto earned = table_column(r, "posts", "earned_reach");
  REQUIRE(engaged.size() >= 5);
  double most = 0;
  for (std::size_t k = 0; k < engaged.size(); ++k) {
    INFO("post " << k << ": engaged " << engaged[k] << ", total reach " << total[k]);
    CHECK(engaged[k] <= 300);
    CHECK(engaged[k] <= total[k]);
    CHECK(total[k] == reach[k] + earned[k]);
    most = std::max(most, engaged[k]);
  }
  // Not a vacuous bound: most of the town engages with some post.
  CHECK(most > 150);
}

TEST_CASE("likes comments and shares answer to their own drivers", "[campaign][channels]") {
  // de Vries, Gensler & Leeflang (2012): likes and comments respond to different post
  // characteristics. Here tone moves comments per like (comment_tone_effect 1: tone 0.9
  // against 0.1 is +1.6 log-odds, about 3.5 times at these rates), a status update draws
  // more comments and shares per like than a photo (status_comment 0.6, status_share 0.3:
  // about 1.7 and 1.3 times), and value moves shares once share_value_effect is set.
  // Tolerances: half of the expected ratio's log, over a few thousand likes.
  const auto ratios = [](const std::string& brand, const std::string& audience = "") {
    const auto r =
        run(campaign("follower_share: 0.5 posts_per_week: 14 " + brand,
                     "audience { engage_log_odds: -1 organic_reach: 0.3 share_probability: 0.15 " +
                         audience + " }",
                     2));
    double likes = 0, comments = 0, shares = 0;
    const auto e = table_column(r, "posts", "engaged"), c = table_column(r, "posts", "comments");
    const auto s = table_column(r, "posts", "shares"), i = table_column(r, "posts", "interactions");
    for (std::size_t k = 0; k < e.size(); ++k) {
      likes += e[k], comments += c[k], shares += s[k];
      CHECK(i[k] == e[k] + c[k] + s[k]);
    }
    REQUIRE(likes > 1000);
    return std::pair{comments / likes, shares / likes};
  };
  const auto talk = ratios("tone: 0.9"), broadcast = ratios("tone: 0.1");
  INFO("comments per like: conversational " << talk.first << ", broadcast " << broadcast.first);
  CHECK(talk.first / broadcast.first > std::exp(0.5 * std::log(3.5)));
  const auto photo = ratios("format: PHOTO"), status = ratios("format: STATUS");
  INFO("per like, photo: comments " << photo.first << " shares " << photo.second
                                    << "; status: comments " << status.first << " shares "
                                    << status.second);
  CHECK(status.first / photo.first > std::exp(0.5 * std::log(1.7)));
  CHECK(status.second / photo.second > std::exp(0.5 * std::log(1.3)) * 0.95);
  const auto plain = ratios("value: 0.9"), valued = ratios("value: 0.9", "share_value_effect: 1.5");
  INFO("shares per like at value 0.9: effect 0 " << plain.second << ", effect 1.5 "
                                                 << valued.second);
  CHECK(valued.second / plain.second > 2);
}

TEST_CASE("posts differ by their own appeal with the set spread and the same mean",
          "[campaign][delivery]") {
  // post_reach_sd: each post's delivery times a log-normal of mean 1 and this log-SD (the
  // cosmetics page's residual 0.8 after everything a calendar says). Posts already differ
  // (days with more posts, the followers' awareness, binomial noise), so what is checked is
  // the log-variance added: its root is expected at 0.8 (tolerance 0.6-1.0), with the mean
  // reach per post within 15%. post_engagement_sd 0.8 adds to the spread of engagements per
  // reader in the same way (tolerance 0.5-1.0: a log-odds shift at low rates) and leaves
  // reach alone.
  const auto spread = [](const std::string& audience) {
    const auto r = run(campaign("follower_share: 0.5 posts_per_week: 14",
                                "audience { organic_reach: 0.05 " + audience + " }", 1));
    const auto reach = table_column(r, "posts", "follower_reach");
    const auto engaged = table_column(r, "posts", "engaged");
    std::vector<double> logs, rates;
    for (std::size_t k = 0; k < reach.size(); ++k) {
      if (reach[k] > 0) logs.push_back(std::log(reach[k]));
      if (reach[k] > 20) rates.push_back(std::log((engaged[k] + 1) / reach[k]));
    }
    const auto sd = [](const std::vector<double>& x) {
      const double m = mean(x);
      double s = 0;
      for (double v : x) s += (v - m) * (v - m);
      return std::sqrt(s / double(x.size() - 1));
    };
    return std::tuple{mean(reach), sd(logs), sd(rates)};
  };
  const auto [plain_mean, plain_sd, plain_rates] = spread("");
  const auto [varied_mean, varied_sd, varied_rates] = spread("post_reach_sd: 0.8");
  const auto [engaging_mean, engaging_sd, engaging_rates] = spread("post_engagement_sd: 0.8");
  INFO("log-SD of reach per post: " << plain_sd << " plain, " << varied_sd
                                    << " with post_reach_sd 0.8; mean reach " << plain_mean
                                    << " and " << varied_mean << "; log-SD of engagements per "
                                    << "reader " << plain_rates << " and " << engaging_rates);
  const double added = std::sqrt(varied_sd * varied_sd - plain_sd * plain_sd);
  CHECK(added > 0.6);
  CHECK(added < 1.0);
  CHECK(std::abs(varied_mean / plain_mean - 1) < 0.15);
  const double added_rates =
      std::sqrt(std::max(0.0, engaging_rates * engaging_rates - plain_rates * plain_rates));
  CHECK(added_rates > 0.5);
  CHECK(added_rates < 1.0);
  CHECK(std::abs(engaging_sd - plain_sd) < 0.1);  // reach untouched
  CHECK(std::abs(engaging_mean / plain_mean - 1) < 0.05);
}

TEST_CASE("a live change of schedule draws from the run's own seed", "[campaign][live]") {
  // Jittered posts after a change to the posting rate at tick 48: the same seed gives the
  // same new schedule, another seed another one (the new schedule's stream was once keyed
  // by the tick and the number of posts alone, the same for every seed).
  const auto config = scenario::parse(
      "seed: 1 ticks: 400 graph { erdos_renyi { nodes: 300 mean_degree: 6 } }\n"
      "dynamics { campaign { brands { name: \"b\" posts_per_week: 7 regularity: JITTERED "
      "follower_share: 0.2 } } }");
  const auto graph = batch::build_graph(config);
  const auto ticks_after_change = [&](std::uint64_t seed) {
    auto model = dynamics::make_model(config.dynamics, graph);
    engine::Simulation sim(*model, seed, 0);
    sim.start();
    while (sim.tick() < 48) sim.advance();
    model->set_control("posts_per_week", 14);
    while (sim.tick() < config.ticks) sim.advance();
    std::vector<double> metrics;
    model->finish(metrics);
    std::vector<double> out;
    for (const auto& t : model->take_tables()) {
      if (t.name != "posts") continue;
      const auto at =
          std::size_t(std::find(t.columns.begin(), t.columns.end(), "tick") - t.columns.begin());
      for (std::size_t r = 0; r * t.columns.size() < t.values.size(); ++r) {
        const double tick = t.values[r * t.columns.size() + at];
        if (tick > 48) out.push_back(tick);
      }
    }
    return out;
  };
  const auto first = ticks_after_change(1);
  REQUIRE(first.size() > 20);  // 14 a week over the 14.6 days left: 29
  CHECK(ticks_after_change(1) == first);
  CHECK(ticks_after_change(2) != first);
}

TEST_CASE("a live change of tone keeps a calendar's dates and formats", "[campaign][live]") {
  // Ten status posts on a calendar; the tone changes at tick 48. The posts keep their
  // dates and format, those still to come take the new tone; a change of posting rate
  // replaces the calendar for the rest of the run.
  std::string posts;
  for (int d = 0; d < 10; ++d)
    posts += fmt::format("posts {{ day: {} hour: 10 format: STATUS }} ", d);
  const auto config = scenario::parse(
      "seed: 1 ticks: 300 graph { erdos_renyi { nodes: 300 mean_degree: 6 } }\n"
      "dynamics { campaign { brands { name: \"b\" tone: 0.3 follower_share: 0.2 " +
      posts + "} } }");
  const auto graph = batch::build_graph(config);
  const auto after_change = [&](const char* control, double value) {
    auto model = dynamics::make_model(config.dynamics, graph);
    auto& campaign = dynamic_cast<dynamics::Campaign&>(*model);
    engine::Simulation sim(*model, 1, 0);
    sim.start();
    while (sim.tick() < 48) sim.advance();
    model->set_control(control, value);
    while (sim.tick() < 60) sim.advance();
    return campaign.posts(0);
  };
  const auto toned = after_change("tone", 0.9);
  REQUIRE(toned.size() == 10);
  for (std::size_t d = 0; d < toned.size(); ++d) {
    const auto& [tick, content] = toned[d];
    CHECK(tick == 24 * d + 10);
    CHECK(content.format == dynamics::Format::status);
    CHECK(content.tone == (tick > 48 ? 0.9 : 0.3));
  }
  const auto faster = after_change("posts_per_week", 14);
  CHECK(faster.size() > 10);
  CHECK(faster.back().second.format == dynamics::Format::photo);  // the brand's own
}

// Each run metric is declared with the function that computes it: those that summarise a
// series must agree with the series, brand by brand.
TEST_CASE("run metrics agree with the series they summarise for each of two brands",
          "[campaign][metrics]") {
  const auto r =
      run(campaign("follower_share: 0.1 tone: 0.8 events { kind: CRISIS day: 10 share: 0.1 }",
                   R"(brands { name: "rival" follower_share: 0.2 tone: 0.2 })", 2));
  const auto& cols = engine::names(r.result.tick_reporters);
  const auto series = [&](const engine::ReplicateRecord& rep, const std::string& name) {
    const auto c = std::size_t(std::find(cols.begin(), cols.end(), name) - cols.begin());
    REQUIRE(c < cols.size());
    std::vector<double> out;
    for (std::size_t row = 0; row < rep.ticks.size(); ++row) {
      out.push_back(rep.at(row, c, cols.size()));
    }
    return out;
  };
  for (std::size_t i = 0; i < r.result.replicates.size(); ++i) {
    const auto& rep = r.result.replicates[i];
    REQUIRE(rep.ticks.back() == 1440);
    double voice = 0;
    for (const std::string b : {"brand.", "rival."}) {
      const auto sum = [](const std::vector<double>& x) {
        return std::accumulate(x.begin(), x.end(), 0.0);
      };
      CHECK(r.metric(b + "followers")[i] == series(rep, b + "followers").back());
      CHECK(r.metric(b + "detractors")[i] == series(rep, b + "detractors").back());
      const auto detractors = series(rep, b + "detractors");
      CHECK(r.metric(b + "peak_detractors")[i] ==
            *std::max_element(detractors.begin(), detractors.end()));
      CHECK(r.metric(b + "unfollows")[i] == sum(series(rep, b + "unfollows")));
      CHECK(r.metric(b + "complaints")[i] == sum(series(rep, b + "complaints")));
      CHECK(r.metric(b + "earned_owned_ratio")[i] ==
            Approx(sum(series(rep, b + "earned_impressions")) /
                   std::max(1.0, sum(series(rep, b + "owned_impressions")))));
      voice += r.metric(b + "share_of_voice")[i];
    }
    CHECK(voice == Approx(1));
    CHECK(r.metric("brand.complaints")[i] > 0);  // the crisis was exercised
  }
  // The headline flags survive the brands' prefixes, so reports find them for both brands.
  const auto headline = engine::headline_names(r.result.run_reporters, 0);
  CHECK(std::count(headline.begin(), headline.end(), "brand.reach") == 1);
  CHECK(std::count(headline.begin(), headline.end(), "rival.reach") == 1);
}

TEST_CASE("the record's rounding is std::llround", "[campaign]") {
  using buzz::dynamics::campaign_detail::round_to_integer;
  // Zero, halves, just under a half, 2^20 and a half just under 2^52, each with its negative.
  std::vector<double> values{
      0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 1048576.0, 4503599627370495.5};
  for (std::size_t i = 0, n = values.size(); i < n; ++i) values.push_back(-values[i]);
  // Awareness and sentiment as the record scales them: floats times 2^20.
  const buzz::engine::Random random(5, 0);
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    const float f = static_cast<float>(2 * random.uniform(0, i, buzz::engine::Purpose{1}) - 1);
    values.push_back(double(f) * (1 << 20));
    values.push_back(std::nextafter(double(i) + 0.5, 0.0));
    values.push_back(-(double(i) + 0.5));
  }
  for (const double x : values) {
    INFO(x);
    REQUIRE(round_to_integer(x) == std::llround(x));
  }
}

TEST_CASE("a posting history starts followers at the awareness the brand's posting keeps",
          "[campaign][awareness]") {
  // Two posts a day reach a fifth of a brand's followers each, and a week's half-life
  // lets their awareness settle well below the start's draw (0.25 to 1) within a few weeks.
  // With 28 days of history (four half-lives) the mean follower's awareness on day 0 is
  // that of days 28-59 within a third; without, it starts at twice that or more.
  const auto start_over_later = [](const std::string& history) {
    const auto r =
        run(campaign("follower_share: 0.2 posts_per_week: 14 regularity: REGULAR " + history,
                     "audience { organic_reach: 0.2 }", 4));
    const auto& cols = r.result.tick_reporters;
    const auto column = engine::index_of(cols, "follower_awareness");
    double start = 0, later = 0;
    std::size_t later_rows = 0;
    for (const auto& rep : r.result.replicates) {
      start += rep.at(0, column, cols.size());
      for (std::size_t row = 0; row < rep.ticks.size(); ++row) {
        if (rep.ticks[row] < 28 * 24) continue;
        later += rep.at(row, column, cols.size());
        ++later_rows;
      }
    }
    return (start / double(r.result.replicates.size())) / (later / double(later_rows));
  };
  const double fresh = start_over_later("");
  INFO("mean follower awareness on day 0 over days 28-59, no history: " << fresh);
  CHECK(fresh > 2);
  const double remembered = start_over_later("history_days: 28");
  INFO("with 28 days of history: " << remembered);
  CHECK(remembered > 0.75);
  CHECK(remembered < 1.33);
}
