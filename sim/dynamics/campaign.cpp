#include "sim/dynamics/campaign.hpp"

#include <fmt/format.h>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "sim/dynamics/cascades.hpp"
#include "sim/dynamics/schedule.hpp"
#include "sim/engine/kernels.hpp"

namespace buzz::dynamics {

namespace {

using graph::Vertex;

// What each draw decides.
enum Purpose : std::uint32_t {
  kAffinity = 0xca01,
  kFollowAtStart,
  kFirstSession,
  kNextSession,
  kItem,
  kPaid,
  kEvent,
  kDetractor,
  kAdvocatePick,
};

constexpr std::size_t kPrefetch = 32;     // sessions to fetch ahead
constexpr float kAwareThreshold = 0.25f;  // awareness that counts as aware
constexpr float kAffinitySpread = 0.3f;   // personal spread of affinity around the fit (a guess)
// Sentiment moves per event: small steps that a few experiences add up (guesses).
constexpr float kEngageSentiment = 0.05f, kReplySentiment = 0.2f, kSeenReplySentiment = 0.02f;
constexpr float kAnnoySentiment = 0.1f;
constexpr float kComplaintSentiment = 0.15f, kDetractorSentiment = -0.5f, kAdvocateSentiment = 0.8f;
constexpr double kFixedPoint = 1 << 20;  // sentiment and awareness sums as exact integers

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Eight uniforms in [0, 1) from one draw's four words.
double u32(const engine::Random::Bits& b, int i) {
  return double((b[i / 2] >> (32 * (i % 2))) & 0xffffffffu) * 0x1.0p-32;
}

}  // namespace

const engine::Reporters& Campaign::brand_tick_reporters() {
  using engine::Direction, engine::Measure;
  static const engine::Reporters reporters{
      {"aware", "people", Measure::stock, Direction::higher_is_better,
       "people whose awareness is at or above the aware threshold"},
      {"engaged", "people", Measure::stock, Direction::higher_is_better,
       "people in the engaged state"},
      {"advocates", "people", Measure::stock, Direction::higher_is_better,
       "people in the advocate state"},
      {"detractors", "people", Measure::stock, Direction::lower_is_better,
       "people in the detractor state"},
      {"followers", "people", Measure::stock, Direction::higher_is_better,
       "people following the brand"},
      {"unfollows", "people", Measure::flow, Direction::lower_is_better,
       "people who stopped following since the previous record"},
      {"follows", "people", Measure::flow, Direction::higher_is_better,
       "people who started following since the previous record"},
      {"mean_sentiment", "sentiment in [-1, 1]", Measure::stock, Direction::higher_is_better,
       "mean sentiment of everyone who ever became aware"},
      {"follower_awareness", "awareness in [0, 1]", Measure::stock, Direction::higher_is_better,
       "mean awareness of the current followers"},
      {"owned_impressions", "impressions", Measure::flow, Direction::higher_is_better,
       "the brand's posts read by followers"},
      {"earned_impressions", "impressions", Measure::flow, Direction::higher_is_better,
       "friends' shares, answers and complaints read"},
      {"paid_impressions", "impressions", Measure::flow, Direction::no_verdict,
       "posts read as ads by non-followers"},
      {"negative_impressions", "impressions", Measure::flow, Direction::lower_is_better,
       "complaints read (part of earned)"},
      {"engagements", "engagements", Measure::flow, Direction::higher_is_better,
       "likes, comments and shares"},
      {"shares", "shares", Measure::flow, Direction::higher_is_better,
       "items passed on to friends"},
      {"complaints", "complaints", Measure::flow, Direction::lower_is_better,
       "complaints put out"},
      {"share_of_voice", "share", Measure::flow, Direction::higher_is_better,
       "the brand's share of all brands' impressions since the previous record"},
  };
  return reporters;
}

const engine::Reporters& Campaign::brand_run_reporters() {
  using engine::Direction, engine::Measure;
  static const engine::Reporters reporters{
      {"reach", "share per day", Measure::flow, Direction::higher_is_better,
       "mean daily reach: share of the population with an impression of the brand on a day, averaged over the days (complaints included)"},
      {"unique_reach", "share", Measure::stock, Direction::higher_is_better,
       "share of the population with at least one impression"},
      {"final_aware_share", "share", Measure::stock, Direction::higher_is_better,
       "aware share at the end"},
      {"peak_aware_share", "share", Measure::stock, Direction::higher_is_better,
       "highest aware share over the recorded ticks"},
      {"time_to_peak_days", "days", Measure::stock, Direction::no_verdict,
       "when the aware share peaked"},
      {"engagement_rate", "engagements per impression", Measure::flow, Direction::higher_is_better,
       "engagements per impression"},
      {"earned_owned_ratio", "impressions per impression", Measure::flow, Direction::higher_is_better,
       "earned impressions per owned impression"},
      {"mean_sentiment", "sentiment in [-1, 1]", Measure::stock, Direction::higher_is_better,
       "mean sentiment at the end over everyone who ever became aware"},
      {"net_sentiment", "share", Measure::stock, Direction::higher_is_better,
       "share of the ever aware with sentiment above 0.2 minus the share below -0.2"},
      {"followers", "people", Measure::stock, Direction::higher_is_better,
       "followers at the end"},
      {"unfollows", "people", Measure::flow, Direction::lower_is_better,
       "unfollows over the run"},
      {"detractors", "people", Measure::stock, Direction::lower_is_better,
       "detractors at the end"},
      {"peak_detractors", "people", Measure::stock, Direction::lower_is_better,
       "most detractors at a recorded tick"},
      {"negative_reach", "share", Measure::stock, Direction::lower_is_better,
       "share of the population who read a complaint"},
      {"praise_reach", "share", Measure::stock, Direction::higher_is_better,
       "share of the population who read a shared praise event"},
      {"mean_follower_awareness", "awareness in [0, 1]", Measure::stock, Direction::higher_is_better,
       "mean over recorded ticks of the followers' mean awareness"},
      {"share_of_voice", "share", Measure::flow, Direction::higher_is_better,
       "the brand's share of all brands' impressions of the run"},
      {"cascades", "trees", Measure::stock, Direction::higher_is_better,
       "share trees with at least one share"},
      {"mean_cascade_size", "people", Measure::stock, Direction::higher_is_better,
       "mean people per share tree, root excluded"},
      {"max_cascade_size", "people", Measure::stock, Direction::higher_is_better,
       "largest share tree"},
      {"max_cascade_depth", "steps", Measure::stock, Direction::higher_is_better,
       "deepest share tree"},
      {"structural_virality", "steps", Measure::stock, Direction::higher_is_better,
       "mean distance between two nodes of a share tree (Goel et al. 2016), averaged over trees"},
  };
  return reporters;
}

Campaign::Campaign(const graph::Graph& graph, const CampaignParams& params)
    : graph_(graph),
      params_(params),
      brands_(static_cast<std::uint32_t>(params.brands.size())),
      communities_(std::max<std::uint32_t>(graph.num_communities(), 1)),
      capacity_(params.audience.feed_capacity),
      ticks_per_day_(24.0 / params.tick_hours) {}

std::string Campaign::column(std::uint32_t b, const std::string& name) const {
  return brands_ == 1 ? name : params_.brands[b].name + "." + name;
}

engine::Reporters Campaign::per_brand(const engine::Reporters& reporters) const {
  engine::Reporters out;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (engine::Reporter r : reporters) {
      r.name = column(b, r.name);
      out.push_back(std::move(r));
    }
  }
  return out;
}

engine::Reporters Campaign::tick_reporters() const { return per_brand(brand_tick_reporters()); }

engine::Reporters Campaign::run_reporters() const { return per_brand(brand_run_reporters()); }

void Campaign::start(const engine::Random& random) {
  const Vertex n = graph_.num_nodes();
  const auto& mech = params_.mechanisms;

  // Posts and events are roots of share trees: posts first, brand by brand, then events.
  post_ticks_.assign(brands_, {});
  post_ids_.assign(brands_, {});
  root_brand_.clear();
  root_kind_.clear();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    post_ticks_[b] = post_ticks(params_.brands[b], b, params_.tick_hours, random);
    for (std::size_t k = 0; k < post_ticks_[b].size(); ++k) {
      post_ids_[b].push_back(add_root(b, RootKind::post));
    }
  }
  events_.clear();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (const auto& e : params_.brands[b].events) {
      events_.push_back(
          {b, e, add_root(b, e.kind == EventKind::crisis ? RootKind::crisis : RootKind::praise)});
    }
  }

  block_lines_ = (sizeof(Person) + sizeof(Relation) * brands_ + 63) / 64;
  blocks_.assign(std::size_t{n} * block_lines_, Line{});
  for (Vertex v = 0; v < n; ++v) {
    new (&person(v)) Person{};
    for (std::uint32_t b = 0; b < brands_; ++b) new (&rel(v, b)) Relation{};
  }
  // Decay factors by elapsed ticks, so that catching up costs a lookup.
  awareness_decay_.resize(params_.ticks + 1);
  fatigue_decay_.resize(params_.ticks + 1);
  for (std::uint32_t dt = 0; dt <= params_.ticks; ++dt) {
    awareness_decay_[dt] =
        static_cast<float>(std::exp2(-double(dt) / params_.audience.awareness_half_life_ticks));
    fatigue_decay_[dt] =
        static_cast<float>(std::exp2(-double(dt) / params_.audience.fatigue_half_life_ticks));
  }
  inbox_.assign(std::size_t{n} * capacity_, Item{});
  heard_from_.assign(n, kNone);
  last_outgoing_.clear();
  due_bits_.assign(n / 64 + 1, 0);
  sessions_.assign(params_.ticks + 2, {});
  tick_ = 0;

  // Affinity, initial following (more where the brand fits, C4) and first sessions.
  std::vector<std::vector<double>> fit(brands_, std::vector<double>(communities_));
  for (std::uint32_t b = 0; b < brands_; ++b) {
    std::fill(fit[b].begin(), fit[b].end(), params_.brands[b].default_fit);
    for (auto [c, a] : params_.brands[b].fit) {
      if (c < communities_) fit[b][c] = a;
    }
  }
  std::vector<std::uint32_t> first_session(n);
  engine::for_each_agent(n, [&](Vertex v) {
    for (std::uint32_t b = 0; b < brands_; ++b) {
      Relation& r = rel(v, b);
      const auto bits = random.bits(0, v, kAffinity, b);
      if (mech.communities) {
        const double spread = kAffinitySpread * r123::boxmuller(bits[0], bits[1]).x;
        r.affinity =
            static_cast<float>(std::clamp(fit[b][graph_.community(v)] + spread, -1.0, 1.0));
      }
      const double weight = mech.communities ? 2 * logistic(2 * r.affinity) : 1.0;
      if (engine::Random::to_unit(bits[2]) < params_.brands[b].follower_share * weight) {
        r.flags |= kFollows | kEverAware;
        r.state = State::aware;
        r.awareness = 0.5f;
      }
    }
    Person& p = person(v);
    p.community = graph_.community(v);
    const double per_day =
        mech.heavy_tailed_activity ? graph_.sessions_per_day(v) : params_.mean_sessions_per_day;
    p.rate = static_cast<float>(per_day / ticks_per_day_);
    const double e = -std::log(1 - random.uniform(0, v, kFirstSession));
    const double gap = std::floor(e / p.rate);
    first_session[v] = gap + 1 <= params_.ticks ? static_cast<std::uint32_t>(gap) + 1 : 0;
  });
  for (Vertex v = 0; v < n; ++v) {
    if (first_session[v] > 0) sessions_[first_session[v]].push_back(v);
  }

  // Advocates seeded by the brand (C5): fans who follow, like it and share.
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const Brand& brand = params_.brands[b];
    if (brand.advocates == 0) continue;
    std::vector<Vertex> order(n);
    std::iota(order.begin(), order.end(), Vertex{0});
    std::vector<Vertex> chosen;
    if (brand.advocate_strategy == AdvocateStrategy::random) {
      for (Vertex i = 0; i + 1 < n && i < brand.advocates; ++i) {
        std::swap(order[i], order[i + random.below(n - i, 0, i, kAdvocatePick, b)]);
      }
      chosen.assign(order.begin(), order.begin() + std::min<Vertex>(brand.advocates, n));
    } else {
      std::stable_sort(order.begin(), order.end(), [&](Vertex a, Vertex c) {
        return graph_.out_degree(a) > graph_.out_degree(c);
      });
      if (brand.advocate_strategy == AdvocateStrategy::top_degree) {
        chosen.assign(order.begin(), order.begin() + std::min<Vertex>(brand.advocates, n));
      } else {
        // Community leaders: the best-connected of each community in turn.
        std::vector<std::vector<Vertex>> by_community(communities_);
        for (Vertex v : order) by_community[graph_.community(v)].push_back(v);
        for (std::size_t rank = 0; chosen.size() < std::min<Vertex>(brand.advocates, n); ++rank) {
          for (const auto& members : by_community) {
            if (rank < members.size() && chosen.size() < brand.advocates)
              chosen.push_back(members[rank]);
          }
        }
      }
    }
    for (Vertex v : chosen) {
      Relation& r = rel(v, b);
      r.flags |= kFollows | kEverAware | kEverEngaged;
      r.state = State::advocate;
      r.awareness = 1;
      r.sentiment = kAdvocateSentiment;
      r.engagements =
          static_cast<std::uint8_t>(std::min(params_.audience.advocate_threshold, 255u));
    }
  }

  for (auto& s : scratch_) s = Scratch{};
  const std::size_t flow_size = std::size_t{brands_} * communities_ * kFlowCount;
  interval_flows_.assign(flow_size, 0);
  total_flows_.assign(std::size_t{brands_} * kFlowCount, 0);
  shares_.clear();
  row_.assign(brand_tick_reporters().size() * brands_, 0);
  peak_aware_.assign(brands_, 0);
  peak_aware_tick_.assign(brands_, 0);
  peak_detractors_.assign(brands_, 0);
  follower_awareness_sum_.assign(brands_, 0);
  records_ = 0;
  community_rows_.clear();
  last_stock_.assign(std::size_t{brands_} * communities_ * kStockCount, 0);
  tables_.clear();
}

void Campaign::catch_up(Relation& r, std::uint32_t tick) const {
  const std::uint32_t dt = tick - r.updated;
  if (dt == 0) return;
  if (params_.mechanisms.awareness_decay) {
    r.awareness *= awareness_decay_[dt];
  }
  if (params_.mechanisms.fatigue) {
    r.fatigue *= fatigue_decay_[dt];
  }
  r.updated = tick;
}

void Campaign::expose(std::uint32_t c, std::uint32_t b, Relation& r, std::uint32_t tick, Flow kind,
                      Scratch& s) const {
  // Daily reach counts a person's first impression of a day; `updated` still holds the
  // tick of their previous read.
  const auto day = [&](std::uint32_t t) { return static_cast<std::uint32_t>(t / ticks_per_day_); };
  if (!(r.flags & kEverExposed) || day(r.updated) != day(tick)) ++flow(s, b, c, kReached);
  r.flags |= kEverExposed;
  ++flow(s, b, c, kind);
}

std::uint32_t Campaign::add_root(std::uint32_t brand, RootKind kind) {
  root_brand_.push_back(static_cast<std::uint8_t>(brand));
  root_kind_.push_back(kind);
  return static_cast<std::uint32_t>(root_brand_.size() - 1);
}

void Campaign::set_brand(std::uint32_t b, const Brand& brand) {
  // Posts up to now stand; from the next tick on the new schedule applies.
  Brand from_now = brand;
  from_now.start_tick = std::max(brand.start_tick, tick_ + 1);
  params_.brands[b] = brand;
  auto& ticks = post_ticks_[b];
  auto& ids = post_ids_[b];
  const auto kept = std::upper_bound(ticks.begin(), ticks.end(), tick_) - ticks.begin();
  ticks.resize(static_cast<std::size_t>(kept));
  ids.resize(static_cast<std::size_t>(kept));
  // A stream of its own for the new schedule, so that it does not repeat the old draws.
  const engine::Random random(root_brand_.size(), tick_);
  for (std::uint32_t t : post_ticks(from_now, b, params_.tick_hours, random)) {
    ticks.push_back(t);
    ids.push_back(add_root(b, RootKind::post));
  }
}

void Campaign::trigger_event(std::uint32_t b, EventKind kind, double share) {
  events_.push_back({b, BrandEvent{kind, tick_ + 1, share},
                     add_root(b, kind == EventKind::crisis ? RootKind::crisis : RootKind::praise)});
}

void Campaign::apply_events(std::uint32_t tick, const engine::Random& random) {
  for (const Event& e : events_) {
    if (e.event.tick != tick) continue;
    if (e.event.kind == EventKind::crisis && !params_.mechanisms.negative_word_of_mouth) continue;
    engine::for_each_agent(graph_.num_nodes(), [&](Vertex v) {
      Relation& r = rel(v, e.brand);
      if (!(r.flags & kEverAware) || random.uniform(tick, v, kEvent, e.root) >= e.event.share) {
        return;
      }
      r.event_root = e.root;
      if (e.event.kind == EventKind::crisis) {
        r.state = State::detractor;
        r.sentiment = std::min(r.sentiment, kDetractorSentiment);
        r.flags |= kPendingComplaint;
      } else {
        r.state = State::advocate;
        r.sentiment = std::max(r.sentiment, kAdvocateSentiment);
        r.flags |= kPendingPraise;
      }
    });
  }
}

void Campaign::step(std::uint32_t tick, const engine::Random& random) {
  tick_ = tick;
  apply_events(tick, random);
  // Sessions in id order walk memory forwards; a bitmap sorts them in O(n / 64).
  due_.clear();
  auto mark = [&](std::vector<Vertex>& booked) {
    for (Vertex v : booked) due_bits_[v / 64] |= std::uint64_t{1} << (v % 64);
    std::vector<Vertex>().swap(booked);
  };
  mark(sessions_[tick]);
  for (Scratch& s : scratch_) {
    if (tick < s.sessions.size()) mark(s.sessions[tick]);
  }
  for (std::size_t w = 0; w < due_bits_.size(); ++w) {
    for (std::uint64_t bits = due_bits_[w]; bits != 0; bits &= bits - 1) {
      due_.push_back(static_cast<Vertex>(w * 64 + std::countr_zero(bits)));
    }
    due_bits_[w] = 0;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, due_.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      Scratch& s = scratch_.local();
                      if (s.flows.empty()) {
                        s.flows.assign(interval_flows_.size(), 0);
                        s.sessions.resize(params_.ticks + 1);
                      }
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        // Sessions are memory-bound: fetch a few people ahead.
                        if (i + kPrefetch < range.end()) {
                          const Vertex ahead = due_[i + kPrefetch];
                          __builtin_prefetch(&person(ahead));
                          __builtin_prefetch(&inbox_[std::size_t{ahead} * capacity_]);
                        }
                        session(due_[i], tick, random, s);
                      }
                    });
}

void Campaign::complain(Vertex v, std::uint32_t community, std::uint32_t b, std::uint32_t root,
                        std::uint32_t parent, double u_answer, double u_satisfied, Scratch& s) {
  const Audience& a = params_.audience;
  Relation& r = rel(v, b);
  const bool answered =
      params_.mechanisms.replies && u_answer < params_.brands[b].reply_probability;
  s.outbox.push_back({v, root, parent, static_cast<std::uint8_t>(b), Kind::complaint, answered});
  ++flow(s, b, community, kComplaints);
  r.flags &= ~kPendingComplaint;
  r.event_root = root;
  if (u_satisfied < (answered ? a.satisfied_if_answered : a.satisfied_if_ignored)) {
    r.state = State::aware;
    r.sentiment = std::max(r.sentiment, 0.0f);
  }
}

void Campaign::session(Vertex v, std::uint32_t tick, const engine::Random& random, Scratch& s) {
  const Audience& a = params_.audience;
  Person& me = person(v);
  const std::uint32_t community = me.community;
  const std::uint32_t last = me.last_session;
  me.last_session = tick;
  const auto session_bits = random.bits(tick, v, kNextSession);

  // Detractors speak up; people delighted by a praise event pass it on.
  for (std::uint32_t b = 0; b < brands_; ++b) {
    Relation& r = rel(v, b);
    if (r.state == State::detractor && params_.mechanisms.negative_word_of_mouth) {
      const auto bits = random.bits(tick, v, kDetractor, b);
      if ((r.flags & kPendingComplaint) || u32(bits, 0) < a.complaint_probability) {
        complain(v, community, b, r.event_root, kNone, u32(bits, 1), u32(bits, 2), s);
      }
    }
    if ((r.flags & kPendingPraise) && params_.mechanisms.sharing) {
      s.outbox.push_back(
          {v, r.event_root, kNone, static_cast<std::uint8_t>(b), Kind::share, false});
      ++flow(s, b, community, kShares);
      r.shared_root = r.event_root;
      r.flags &= ~kPendingPraise;
    }
  }

  // The feed: brand posts since the last session, as a follower or as a paid ad, and what
  // friends put out. Newest first; ties keep the inbox's order, then brand order.
  auto& feed = s.feed;
  feed.clear();
  const std::uint8_t count = me.inbox_count;
  for (std::uint8_t k = 0; k < count; ++k) {
    feed.push_back(
        inbox_[std::size_t{v} * capacity_ + (me.inbox_head + count - 1 - k) % capacity_]);
  }
  me.inbox_count = 0;
  me.inbox_head = 0;
  const std::uint32_t window_start =
      std::max<std::int64_t>(last, std::int64_t{tick} - a.post_lifetime_ticks) + 1;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const auto& ticks = post_ticks_[b];
    const Brand& brand = params_.brands[b];
    const bool follows = rel(v, b).flags & kFollows;
    const bool paid_here =
        params_.mechanisms.paid_reach && brand.paid_reach > 0 &&
        (brand.target_community < 0 || std::uint32_t(brand.target_community) == community);
    if (!follows && !paid_here) continue;
    auto it = std::lower_bound(ticks.begin(), ticks.end(), window_start);
    for (; it != ticks.end() && *it <= tick; ++it) {
      const auto id = post_ids_[b][static_cast<std::size_t>(it - ticks.begin())];
      if (!follows && random.uniform(*it, v, kPaid, id) >= brand.paid_reach) continue;
      feed.push_back({kNone, id, *it, static_cast<std::uint8_t>(b), Kind::post, false, !follows});
    }
  }
  // Insertion sort: feeds are short, and it is stable without allocating.
  for (std::size_t i = 1; i < feed.size(); ++i) {
    const Item item = feed[i];
    std::size_t j = i;
    for (; j > 0 && feed[j - 1].tick < item.tick; --j) feed[j] = feed[j - 1];
    feed[j] = item;
  }
  const std::size_t reads =
      params_.mechanisms.feed_limit ? std::min<std::size_t>(feed.size(), capacity_) : feed.size();
  for (std::size_t i = 0; i < reads; ++i) {
    read(v, community, tick, feed[i], random.bits(tick, v, kItem, static_cast<std::uint32_t>(i)),
         s);
  }

  // The next session: sessions are a Poisson process at the person's own rate (C9).
  // 24 bits, so that 1 - u is never 0 in float.
  const float u = static_cast<float>(session_bits[0] >> 40) * 0x1.0p-24f;
  const float e = -std::log(1.0f - u);
  const double gap = std::floor(e / me.rate) + 1;
  if (tick + gap <= params_.ticks) s.sessions[tick + static_cast<std::uint32_t>(gap)].push_back(v);
}

void Campaign::read(Vertex v, std::uint32_t community, std::uint32_t tick, const Item& item,
                    const engine::Random::Bits& bits, Scratch& s) {
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const std::uint32_t b = item.brand;
  const Brand& brand = params_.brands[b];
  Relation& r = rel(v, b);
  const bool post = item.kind == Kind::post;
  if (!post) heard_from_[v] = item.sender;
  expose(community, b, r, tick, post ? (item.paid ? kPaid : kOwned) : kEarned, s);
  catch_up(r, tick);

  if (item.kind == Kind::complaint) {
    // Negative word of mouth (C6): it lowers sentiment, and may be passed on.
    ++flow(s, b, community, kNegative);
    r.flags |= kHeardNegative | kEverAware;
    if (r.state == State::unaware) r.state = State::aware;
    r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
    r.sentiment = std::max(-1.0f, r.sentiment - kComplaintSentiment);
    const double pass_on =
        a.negative_transmissibility * (item.answered ? 1 - a.answered_damping : 1);
    if (r.state != State::detractor && r.shared_root != item.root && u32(bits, 0) < pass_on) {
      r.state = State::detractor;
      r.sentiment = std::min(r.sentiment, kDetractorSentiment);
      r.shared_root = item.root;
      complain(v, community, b, item.root, item.sender, u32(bits, 1), u32(bits, 2), s);
    }
    return;
  }

  if (item.kind == Kind::reply) {
    // A brand's public answer to a friend: seen in passing, it warms a little (C1).
    r.flags |= kEverAware;
    if (r.state == State::unaware) r.state = State::aware;
    r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
    r.sentiment = std::min(1.0f, r.sentiment + kSeenReplySentiment);
    return;
  }

  if (item.kind == Kind::share && root_kind_[item.root] == RootKind::praise)
    r.flags |= kHeardPraise;
  if (post && mech.fatigue) {
    r.fatigue +=
        static_cast<float>(a.fatigue_per_post * (1 + brand.commerciality) * (1.5 - brand.novelty));
  }
  // A brand post is noticed in proportion to awareness left (C2); friends are noticed.
  if (post && u32(bits, 0) >= a.attention_floor + (1 - a.attention_floor) * r.awareness) return;
  r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
  r.flags |= kEverAware;
  if (r.state == State::unaware) r.state = State::aware;

  // Engaging (C1 tone, C8 value and commerciality, C4 fit, C3 fatigue, C5 peers).
  const double tone = brand.tone;
  const bool targeted = mech.targeting && brand.target_community >= 0;
  const bool on_target = targeted && std::uint32_t(brand.target_community) == community;
  double engage = a.engage_log_odds + a.sentiment_effect * r.sentiment;
  if (mech.tone) engage += a.tone_effect * (2 * tone - 1);
  if (mech.content)
    engage += a.value_effect * brand.value - a.commerciality_effect * brand.commerciality;
  if (mech.communities) engage += a.fit_effect * r.affinity;
  if (mech.fatigue) engage -= a.fatigue_effect * r.fatigue;
  if (!post) {
    engage += a.peer_effect;
    if (mech.communities && graph_.community(item.sender) == community) engage += a.homophily_boost;
  }
  if (on_target) engage += a.targeting_relevance;

  if (u32(bits, 1) < logistic(engage)) {
    ++flow(s, b, community, kEngagements);
    r.flags |= kEverEngaged;
    r.sentiment = std::min(1.0f, r.sentiment + kEngageSentiment);
    if (r.engagements < 0xff) ++r.engagements;
    if (r.state != State::detractor) {
      r.state = r.engagements >= a.advocate_threshold ? State::advocate : State::engaged;
    }
    if (!(r.flags & kFollows) && u32(bits, 2) < a.follow_probability) {
      r.flags |= kFollows;
      ++flow(s, b, community, kFollows_);
    }
    // A comment the brand answers lifts the commenter, and friends see the answer (C1).
    if (mech.replies && u32(bits, 3) < a.comment_share && u32(bits, 4) < brand.reply_probability) {
      r.sentiment = std::min(1.0f, r.sentiment + kReplySentiment);
      s.outbox.push_back({v, item.root, kNone, static_cast<std::uint8_t>(b), Kind::reply, false});
    }
    const double share =
        r.state == State::advocate ? a.advocate_share_probability : a.share_probability;
    if (mech.sharing && r.shared_root != item.root && u32(bits, 5) < share) {
      s.outbox.push_back({v, item.root, post ? kNone : item.sender, static_cast<std::uint8_t>(b),
                          Kind::share, false});
      ++flow(s, b, community, kShares);
      r.shared_root = item.root;
    }
    return;
  }

  // Annoyance from brand posts: broadcast tone, salesiness, fatigue, wrong targeting.
  if (!post) return;
  double annoy = a.annoy_log_odds;
  if (mech.tone) annoy += a.broadcast_annoyance * (1 - 2 * brand.tone);
  if (mech.content) annoy += a.commercial_annoyance * brand.commerciality;
  if (mech.fatigue) annoy += a.fatigue_annoyance * r.fatigue;
  if (targeted && !on_target) annoy += a.mistargeting_annoyance;
  if (u32(bits, 6) < logistic(annoy)) {
    r.sentiment = std::max(-1.0f, r.sentiment - kAnnoySentiment);
    if (r.state == State::aware || r.state == State::engaged) r.state = State::annoyed;
    if ((r.flags & kFollows) && u32(bits, 7) < a.unfollow_probability) {
      r.flags &= ~kFollows;
      ++flow(s, b, community, kUnfollows);
    }
  }
}

void Campaign::deliver(const Outgoing& out, std::uint32_t tick) {
  const Item item{out.sender, out.root, tick, out.brand, out.kind, out.answered, false};
  for (Vertex w : graph_.out_neighbors(out.sender)) {
    const std::size_t base = std::size_t{w} * capacity_;
    Person& p = person(w);
    if (p.inbox_count < capacity_) {
      inbox_[base + (p.inbox_head + p.inbox_count) % capacity_] = item;
      ++p.inbox_count;
    } else {  // full: the newest replaces the oldest
      inbox_[base + p.inbox_head] = item;
      p.inbox_head = static_cast<std::uint8_t>((p.inbox_head + 1) % capacity_);
    }
  }
}

void Campaign::commit() {
  std::vector<Outgoing> outgoing;
  for (Scratch& s : scratch_) {
    outgoing.insert(outgoing.end(), s.outbox.begin(), s.outbox.end());
    s.outbox.clear();
  }
  // Sorted, so that feeds fill in the same order whatever the thread count.
  std::sort(outgoing.begin(), outgoing.end(),
            [](const Outgoing& x, const Outgoing& y) { return x.key() < y.key(); });
  last_outgoing_.clear();
  for (const Outgoing& out : outgoing) {
    deliver(out, tick_);
    last_outgoing_.emplace_back(out.sender, out.kind == Kind::complaint ? 1 : 0);
    if (out.kind == Kind::share || out.kind == Kind::complaint) {
      shares_.push_back({tick_, out.sender, out.parent, out.root, out.brand, out.kind});
    }
  }
}

void Campaign::on_record(std::uint32_t tick) {
  // Flows stay in each thread's counters until a record needs them.
  for (Scratch& s : scratch_) {
    for (std::size_t i = 0; i < s.flows.size(); ++i) {
      interval_flows_[i] += s.flows[i];
      s.flows[i] = 0;
    }
  }

  // Stocks per brand and community, as exact integers so that sums are thread-independent.
  const std::size_t stock_size = std::size_t{brands_} * communities_ * kStockCount;
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> partial(
      std::vector<std::int64_t>(stock_size, 0));
  engine::for_each_agent(graph_.num_nodes(), [&](Vertex v) {
    auto& st = partial.local();
    const std::uint32_t c = graph_.community(v);
    for (std::uint32_t b = 0; b < brands_; ++b) {
      const Relation& r = rel(v, b);
      std::int64_t* at = &st[(std::size_t{b} * communities_ + c) * kStockCount];
      const double awareness = params_.mechanisms.awareness_decay
                                   ? r.awareness * awareness_decay_[tick - r.updated]
                                   : r.awareness;
      at[kAware] += awareness >= kAwareThreshold;
      at[kEngaged] += r.state == State::engaged;
      at[kAdvocates] += r.state == State::advocate;
      at[kDetractors] += r.state == State::detractor;
      if (r.flags & kFollows) {
        ++at[kFollowers];
        at[kFollowerAwarenessSum] += std::llround(awareness * kFixedPoint);
      }
      if (r.flags & kEverAware) {
        ++at[kEverAwareCount];
        at[kSentimentSum] += std::llround(r.sentiment * kFixedPoint);
      }
    }
  });
  std::vector<std::int64_t> stock(stock_size, 0);
  for (const auto& st : partial) {
    for (std::size_t i = 0; i < stock_size; ++i) stock[i] += st[i];
  }

  // Per-brand totals, then the row.
  const double n = graph_.num_nodes();
  std::vector<double> impressions(brands_, 0);
  double all_impressions = 0;
  const std::size_t width = brand_tick_reporters().size();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    std::array<double, kStockCount> s{};
    std::array<double, kFlowCount> f{};
    for (std::uint32_t c = 0; c < communities_; ++c) {
      for (std::uint32_t k = 0; k < kStockCount; ++k) {
        s[k] += double(stock[(std::size_t{b} * communities_ + c) * kStockCount + k]);
      }
      for (std::uint32_t k = 0; k < kFlowCount; ++k) {
        f[k] += double(interval_flows_[(std::size_t{b} * communities_ + c) * kFlowCount + k]);
      }
    }
    impressions[b] = f[kOwned] + f[kEarned] + f[kPaid];
    all_impressions += impressions[b];
    const double follower_awareness =
        s[kFollowers] > 0 ? s[kFollowerAwarenessSum] / kFixedPoint / s[kFollowers] : 0;
    double* row = &row_[b * width];
    const double values[] = {
        s[kAware],
        s[kEngaged],
        s[kAdvocates],
        s[kDetractors],
        s[kFollowers],
        f[kUnfollows],
        f[kFollows_],
        s[kEverAwareCount] > 0 ? s[kSentimentSum] / kFixedPoint / s[kEverAwareCount] : 0,
        follower_awareness,
        f[kOwned],
        f[kEarned],
        f[kPaid],
        f[kNegative],
        f[kEngagements],
        f[kShares],
        f[kComplaints],
        0};
    std::copy(std::begin(values), std::end(values), row);
    for (std::uint32_t k = 0; k < kFlowCount; ++k) total_flows_[b * kFlowCount + k] += f[k];
    if (s[kAware] / n > peak_aware_[b]) {
      peak_aware_[b] = s[kAware] / n;
      peak_aware_tick_[b] = tick;
    }
    peak_detractors_[b] = std::max(peak_detractors_[b], s[kDetractors]);
    follower_awareness_sum_[b] += follower_awareness;
  }
  for (std::uint32_t b = 0; b < brands_; ++b) {
    row_[b * width + width - 1] =
        all_impressions > 0 ? impressions[b] / all_impressions : 0;
  }
  ++records_;

  if (params_.per_community) {
    for (std::uint32_t b = 0; b < brands_; ++b) {
      for (std::uint32_t c = 0; c < communities_; ++c) {
        const std::int64_t* st = &stock[(std::size_t{b} * communities_ + c) * kStockCount];
        const std::uint64_t* fl =
            &interval_flows_[(std::size_t{b} * communities_ + c) * kFlowCount];
        community_rows_.insert(
            community_rows_.end(),
            {double(tick), double(b), double(c), double(st[kAware]), double(st[kEngaged]),
             double(st[kAdvocates]), double(st[kDetractors]), double(st[kFollowers]),
             st[kEverAwareCount] > 0 ? st[kSentimentSum] / kFixedPoint / st[kEverAwareCount] : 0,
             double(fl[kOwned]), double(fl[kEarned]), double(fl[kPaid]), double(fl[kUnfollows])});
      }
    }
  }
  std::fill(interval_flows_.begin(), interval_flows_.end(), 0);
}

void Campaign::observe(std::vector<double>& row) const {
  row.insert(row.end(), row_.begin(), row_.end());
}

void Campaign::finish(std::vector<double>& metrics) {
  const Vertex n = graph_.num_nodes();
  // Final per-person figures.
  struct Final {
    std::uint64_t exposed = 0, aware = 0, ever_aware = 0, positive = 0, negative = 0;
    std::uint64_t heard_negative = 0, heard_praise = 0, followers = 0, detractors = 0;
    std::int64_t sentiment = 0;
  };
  std::vector<Final> fin(brands_);
  std::vector<std::uint64_t> population(communities_, 0),
      engaged_by_community(std::size_t{brands_} * communities_, 0);
  std::vector<std::uint64_t> followers_by_community(std::size_t{brands_} * communities_, 0);
  for (Vertex v = 0; v < n; ++v) {
    const std::uint32_t c = graph_.community(v);
    ++population[c];
    for (std::uint32_t b = 0; b < brands_; ++b) {
      const Relation& r = rel(v, b);
      Final& f = fin[b];
      const double awareness = params_.mechanisms.awareness_decay
                                   ? r.awareness * awareness_decay_[tick_ - r.updated]
                                   : r.awareness;
      f.exposed += (r.flags & kEverExposed) != 0;
      f.aware += awareness >= kAwareThreshold;
      f.heard_negative += (r.flags & kHeardNegative) != 0;
      f.heard_praise += (r.flags & kHeardPraise) != 0;
      f.followers += (r.flags & kFollows) != 0;
      f.detractors += r.state == State::detractor;
      engaged_by_community[std::size_t{b} * communities_ + c] += (r.flags & kEverEngaged) != 0;
      followers_by_community[std::size_t{b} * communities_ + c] += (r.flags & kFollows) != 0;
      if (r.flags & kEverAware) {
        ++f.ever_aware;
        f.sentiment += std::llround(r.sentiment * kFixedPoint);
        f.positive += r.sentiment > 0.2f;
        f.negative += r.sentiment < -0.2f;
      }
    }
  }

  // Share trees, one per root, nodes in the order they joined.
  struct Tree {
    std::vector<std::uint32_t> parent{0};
    std::unordered_map<std::uint32_t, std::uint32_t> index;
  };
  std::vector<Tree> trees(root_brand_.size());
  for (const ShareRecord& s : shares_) {
    Tree& t = trees[s.root];
    if (t.index.count(s.sharer)) continue;
    const auto p = s.parent == kNone ? t.index.end() : t.index.find(s.parent);
    t.parent.push_back(p == t.index.end() ? 0 : p->second);
    t.index.emplace(s.sharer, static_cast<std::uint32_t>(t.parent.size() - 1));
  }
  engine::Table cascades{
      "cascades", {"brand", "root", "kind", "size", "depth", "structural_virality"}, {}};
  struct CascadeStats {
    double count = 0, size_sum = 0, max_size = 0, max_depth = 0, virality_sum = 0;
  };
  std::vector<CascadeStats> cs(brands_);
  for (std::uint32_t root = 0; root < trees.size(); ++root) {
    if (trees[root].parent.size() < 2) continue;
    const CascadeShape shape = cascade_shape(trees[root].parent);
    const std::uint32_t b = root_brand_[root];
    cascades.values.insert(cascades.values.end(),
                           {double(b), double(root), double(root_kind_[root]), double(shape.size),
                            double(shape.depth), shape.structural_virality});
    cs[b].count += 1;
    cs[b].size_sum += shape.size;
    cs[b].max_size = std::max(cs[b].max_size, double(shape.size));
    cs[b].max_depth = std::max(cs[b].max_depth, double(shape.depth));
    cs[b].virality_sum += shape.structural_virality;
  }

  double all_impressions = 0;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const auto* t = &total_flows_[b * kFlowCount];
    all_impressions += double(t[kOwned] + t[kEarned] + t[kPaid]);
  }
  const double days = params_.ticks / ticks_per_day_;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const auto* t = &total_flows_[b * kFlowCount];
    const Final& f = fin[b];
    const double impressions = double(t[kOwned] + t[kEarned] + t[kPaid]);
    const double values[] = {
        double(t[kReached]) / (double(n) * std::max(days, 1.0)),
        double(f.exposed) / n,
        double(f.aware) / n,
        peak_aware_[b],
        peak_aware_tick_[b] / ticks_per_day_,
        impressions > 0 ? double(t[kEngagements]) / impressions : 0,
        double(t[kEarned]) / std::max<double>(double(t[kOwned]), 1),
        f.ever_aware > 0 ? f.sentiment / kFixedPoint / double(f.ever_aware) : 0,
        f.ever_aware > 0 ? (double(f.positive) - double(f.negative)) / double(f.ever_aware) : 0,
        double(f.followers),
        double(t[kUnfollows]),
        double(f.detractors),
        peak_detractors_[b],
        double(f.heard_negative) / n,
        double(f.heard_praise) / n,
        records_ > 0 ? follower_awareness_sum_[b] / records_ : 0,
        all_impressions > 0 ? impressions / all_impressions : 0,
        cs[b].count,
        cs[b].count > 0 ? cs[b].size_sum / cs[b].count : 0,
        cs[b].max_size,
        cs[b].max_depth,
        cs[b].count > 0 ? cs[b].virality_sum / cs[b].count : 0,
    };
    metrics.insert(metrics.end(), std::begin(values), std::end(values));
  }

  tables_.push_back(std::move(cascades));
  engine::Table summary{"community_summary",
                        {"brand", "community", "population", "penetration", "follower_share"},
                        {}};
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (std::uint32_t c = 0; c < communities_; ++c) {
      const double pop = double(population[c]);
      if (pop == 0) continue;
      summary.values.insert(
          summary.values.end(),
          {double(b), double(c), pop,
           double(engaged_by_community[std::size_t{b} * communities_ + c]) / pop,
           double(followers_by_community[std::size_t{b} * communities_ + c]) / pop});
    }
  }
  tables_.push_back(std::move(summary));
  if (params_.per_community) {
    tables_.push_back({"communities",
                       {"tick", "brand", "community", "aware", "engaged", "advocates", "detractors",
                        "followers", "mean_sentiment", "owned_impressions", "earned_impressions",
                        "paid_impressions", "unfollows"},
                       std::move(community_rows_)});
  }
  if (params_.share_log) {
    engine::Table log{"shares", {"tick", "brand", "sharer", "parent", "root", "kind"}, {}};
    for (const ShareRecord& s : shares_) {
      log.values.insert(log.values.end(), {double(s.tick), double(s.brand), double(s.sharer),
                                           s.parent == kNone ? -1.0 : double(s.parent),
                                           double(s.root), s.kind == Kind::complaint ? 1.0 : 0.0});
    }
    tables_.push_back(std::move(log));
  }
}

std::vector<engine::Table> Campaign::take_tables() { return std::move(tables_); }

std::vector<std::string> Campaign::state_names() const {
  return {"unaware", "aware", "engaged", "advocate", "annoyed", "detractor"};
}

void Campaign::agent_states(std::span<std::uint8_t> out) const {
  for (Vertex v = 0; v < graph_.num_nodes(); ++v)
    out[v] = static_cast<std::uint8_t>(rel(v, 0).state);
}

std::vector<std::pair<std::uint32_t, std::uint8_t>> Campaign::recent_senders() const {
  return last_outgoing_;
}

std::string Campaign::describe(Vertex v) const {
  const Relation& r = rel(v, 0);
  const double awareness = params_.mechanisms.awareness_decay
                               ? r.awareness * awareness_decay_[tick_ - r.updated]
                               : r.awareness;
  const auto heard = heard_from_[v];
  return fmt::format(
      "state {}, sentiment {:+.2f}, awareness {:.2f}, fatigue {:.2f}, {}following, "
      "{} engagements; last heard from {}",
      state_names()[static_cast<std::size_t>(r.state)], r.sentiment, awareness, r.fatigue,
      (r.flags & kFollows) ? "" : "not ", r.engagements,
      heard == kNone ? std::string("no friend yet") : fmt::format("person {}", heard));
}

std::vector<std::pair<Vertex, Vertex>> Campaign::share_tree(Vertex v) const {
  std::uint32_t root = kNone;
  for (auto it = shares_.rbegin(); it != shares_.rend() && root == kNone; ++it) {
    if (it->sharer == v) root = it->root;
  }
  std::vector<std::pair<Vertex, Vertex>> ties;
  if (root == kNone) return ties;
  for (const ShareRecord& s : shares_) {
    if (s.root == root) ties.emplace_back(s.parent, s.sharer);
  }
  return ties;
}

}  // namespace buzz::dynamics
