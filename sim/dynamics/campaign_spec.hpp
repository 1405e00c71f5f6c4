#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

// Plain parameters of the campaign model. Defaults, units, ranges and sources live in
// proto/scenario.proto (messages Campaign, Brand, Audience, Mechanisms) and nowhere else;
// these structs hold values the scenario loader has validated and converted to ticks.
namespace buzz::dynamics {

// Feed items carry the brand in one byte.
inline constexpr int kMaxBrands = 255;

enum class Regularity { regular, jittered, bursty, sporadic };
enum class AdvocateStrategy { random, top_degree, community_leaders };
enum class EventKind { crisis, praise };

enum class Format : std::uint8_t { photo, status, link, video };
inline constexpr int kFormats = 4;
// Post categories of the Facebook metrics data set (proto Post.Category), none first.
enum class Category : std::uint8_t { none, action, product, inspiration };
inline constexpr int kCategories = 4;

// The hour of the day, in [0, 24), at which a tick starts.
inline double hour_of_day(std::uint64_t tick, double tick_hours) {
  return std::fmod(double(tick) * tick_hours, 24.0);
}
// Delivery's hour blocks (Audience::hour_reach): 0 night 00-07, 1 day 08-15, 2 evening 16-23.
inline int hour_block(double hour) { return hour < 8 ? 0 : hour < 16 ? 1 : 2; }

// What one post is: its content and whether it is promoted as an ad.
struct PostContent {
  double tone{}, value{}, commerciality{}, novelty{};
  bool paid = true;
  Format format = Format::photo;
  Category category = Category::none;
};

// A post of a brand's calendar.
struct CalendarPost {
  std::uint32_t tick{};
  PostContent content{};
};

struct BrandEvent {
  EventKind kind{};
  std::uint32_t tick{};
  double share{};  // of the brand's customers (followers, or people who engaged)
};

struct Brand {
  std::string name{};
  double tone{};
  double reply_probability{};
  double posts_per_week{};
  Regularity regularity{};
  std::uint32_t burst_size{};
  std::uint32_t start_tick{};
  std::uint32_t end_tick{};  // last tick that may hold a post
  double commerciality{};
  double value{};
  double novelty{};
  double default_fit{};
  std::vector<std::pair<std::uint32_t, double>> fit;  // community, affinity
  std::int32_t target_community{};
  double follower_share{};
  std::uint32_t advocates{};
  AdvocateStrategy advocate_strategy{};
  double paid_reach{};
  double acquisition_per_day{};   // followers from outside the feeds, at the start
  std::uint32_t history_ticks{};  // the posting history followers start with (proto)
  std::vector<BrandEvent> events;
  // When not empty, the posts (ascending by tick), replacing the schedule drawn from
  // posts_per_week and regularity.
  std::vector<CalendarPost> calendar;
  Format format{};  // of posts without a calendar entry

  // The content of a post without a calendar entry.
  PostContent content() const {
    return {tone, value, commerciality, novelty, true, format, Category::none};
  }
};

struct Audience {
  double engage_log_odds{};
  double tone_effect{}, value_effect{}, commerciality_effect{}, fit_effect{};
  double sentiment_effect{}, fatigue_effect{};
  double peer_effect{}, homophily_boost{}, targeting_relevance{};
  double annoy_log_odds{};
  double broadcast_annoyance{}, commercial_annoyance{}, fatigue_annoyance{};
  double mistargeting_annoyance{};
  double awareness_half_life_ticks{};
  double awareness_gain{};
  double attention_floor{};
  double fatigue_per_post{};
  double fatigue_half_life_ticks{};
  double unfollow_probability{};
  double follow_probability{};
  double share_probability{};
  std::uint32_t advocate_threshold{};
  double advocate_share_probability{};
  double comment_share{};
  double negative_transmissibility{};
  double answered_damping{};
  double complaint_probability{};
  double satisfied_if_answered{};
  double satisfied_if_ignored{};
  std::uint32_t feed_capacity{};
  std::uint32_t post_lifetime_ticks{};
  double detractor_half_life_ticks{};
  double aware_threshold{}, initial_awareness_low{}, affinity_spread{};
  double engage_sentiment_step{}, reply_sentiment_step{}, seen_reply_sentiment_step{};
  double annoy_sentiment_step{}, complaint_sentiment_step{};
  double detractor_sentiment{}, advocate_sentiment{}, net_sentiment_cutoff{};
  double commercial_fatigue{}, repetition_fatigue{};
  double organic_reach{}, organic_posts_per_day{};
  double story_reach{};
  // Delivery (proto Audience, "Delivery of a page's post"): the trend per tick, and the
  // multipliers by format, category and hour block (night, day, evening).
  double organic_reach_trend_per_tick{};
  double engagement_trend_per_tick{};  // log-odds, applied at each post's publication
  double posting_elasticity{};
  double format_reach[kFormats]{};
  double category_reach[kCategories]{};
  double hour_reach[3]{};
  double format_engagement[kFormats]{};       // log-odds
  double category_engagement[kCategories]{};  // log-odds, beyond the category's content
  double follow_from_reach{};
  // The comment and share channels (log-odds effects).
  double comment_tone_effect{}, share_value_effect{};
  double format_comment[kFormats]{}, format_share[kFormats]{};
  double post_reach_sd{}, post_engagement_sd{};  // per-post variation (log-SD, log-odds SD)
};

struct Mechanisms {
  bool tone{}, replies{}, awareness_decay{}, fatigue{}, content{};
  bool communities{}, targeting{}, sharing{}, paid_reach{};
  bool negative_word_of_mouth{}, heavy_tailed_activity{}, feed_limit{}, feed_ranking{};
  bool stories{};
};

// What a post's content adds to the log-odds of engaging with it: its tone (C1) and its
// value less its commerciality (C8), each 0 when its mechanism is off. The rules add them;
// calibrate.engagement_fit takes them out of the page's data.
struct ContentLogOdds {
  double tone = 0, offer = 0;
};
inline ContentLogOdds content_log_odds(const Audience& a, const Mechanisms& m,
                                       const PostContent& c) {
  ContentLogOdds out;
  if (m.tone) out.tone = a.tone_effect * (2 * c.tone - 1);
  if (m.content) out.offer = a.value_effect * c.value - a.commerciality_effect * c.commerciality;
  return out;
}

// Fatigue a read brand post adds (C3): salesy posts tire more, and repeated ones.
inline double fatigue_per_read(const Audience& a, const PostContent& c) {
  return a.fatigue_per_post * (1 + a.commercial_fatigue * c.commerciality) *
         (0.5 + a.repetition_fatigue * (1 - c.novelty));
}

struct CampaignParams {
  std::vector<Brand> brands;
  Audience audience;
  Mechanisms mechanisms;
  double tick_hours{};
  std::uint32_t ticks{};         // horizon
  std::uint32_t record_every{};  // for the per-community table
  double mean_sessions_per_day{};
  // Relative activity per hour of the day, mean 1 (24 values), or empty for none.
  std::vector<double> hourly_activity;
  bool per_community{};
  bool share_log{};
  // Records keep the followers and no other stock (they read 0, as do the peaks): all a
  // calibration's run reads of them, counted from follows and unfollows instead of a pass
  // over everyone at each record.
  bool followers_only{};
};

}  // namespace buzz::dynamics
