// The campaign model's run: setting up a replicate, the tick loop and delivery.
#include "sim/dynamics/campaign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/dynamics/campaign_detail.hpp"
#include "sim/dynamics/schedule.hpp"
#include "sim/engine/kernels.hpp"
#include "sim/engine/sampling.hpp"
#include "sim/engine/sessions.hpp"

namespace buzz::dynamics {

using graph::Vertex;
using namespace campaign_detail;

Campaign::Campaign(const graph::Graph& graph, const CampaignParams& params)
    : graph_(graph),
      params_(params),
      brands_(static_cast<std::uint32_t>(params.brands.size())),
      communities_(std::max<std::uint32_t>(graph.num_communities(), 1)),
      capacity_(params.audience.feed_capacity),
      ticks_per_day_(24.0 / params.tick_hours) {
  if (params.ticks > kMaxTicks) {
    throw std::invalid_argument(fmt::format(
        "campaign: {} ticks, more than the {} an inbox item can date", params.ticks, kMaxTicks));
  }
}

void Campaign::start(const engine::Random& random) {
  schedule_roots(random);
  reset_people();
  place_people(random);
  recall_history(random);
  seed_advocates(random);
  reset_counters();
}

void Campaign::schedule_roots(const engine::Random& random) {
  // Posts and events are roots of share trees: posts first, brand by brand, then events.
  start_random_ = random;
  root_engage_shift_.clear();
  post_ticks_.assign(brands_, {});
  post_ids_.assign(brands_, {});
  post_shown_.assign(brands_, {});
  post_from_.assign(brands_, {});
  root_brand_.clear();
  root_kind_.clear();
  root_content_.clear();
  audience_.clear();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    post_ticks_[b] = post_ticks(params_.brands[b], b, params_.tick_hours, random);
    const Brand& brand = params_.brands[b];
    for (std::size_t k = 0; k < post_ticks_[b].size(); ++k) {
      post_ids_[b].push_back(add_root(
          b, RootKind::post, brand.calendar.empty() ? brand.content() : brand.calendar[k].content));
    }
    rank_posts(b);
  }
  events_.clear();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (const auto& e : params_.brands[b].events) {
      events_.push_back(
          {b, e,
           add_root(b, e.kind == EventKind::crisis ? RootKind::crisis : RootKind::praise,
                    params_.brands[b].content())});
    }
  }
}

// Everyone's state cleared, the decay and rhythm tables, the inboxes and the schedule.
void Campaign::reset_people() {
  const Vertex n = graph_.num_nodes();
  people_.assign(n, brands_);
  // Decay factors by elapsed ticks, so that catching up costs a lookup.
  awareness_decay_.resize(params_.ticks + 1);
  fatigue_decay_.resize(params_.ticks + 1);
  for (std::uint32_t dt = 0; dt <= params_.ticks; ++dt) {
    awareness_decay_[dt] =
        static_cast<float>(std::exp2(-double(dt) / params_.audience.awareness_half_life_ticks));
    fatigue_decay_[dt] =
        static_cast<float>(std::exp2(-double(dt) / params_.audience.fatigue_half_life_ticks));
  }
  inbox_.clear();
  free_inboxes_.clear();
  last_outgoing_.clear();
  schedule_.reset(n, params_.ticks);
  tick_ = 0;

  activity_by_tick_.clear();
  if (!params_.hourly_activity.empty()) {
    for (std::uint32_t t = 0; t <= params_.ticks; ++t) {
      const auto hour = static_cast<std::size_t>(hour_of_day(t, params_.tick_hours));
      activity_by_tick_.push_back(params_.hourly_activity[std::min<std::size_t>(hour, 23)]);
    }
  }
}

void Campaign::place_people(const engine::Random& random) {
  const Vertex n = graph_.num_nodes();
  const auto& mech = params_.mechanisms;
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
      const auto bits = random.bits(0, v, draw::affinity, b);
      if (mech.communities) {
        const double spread =
            params_.audience.affinity_spread * r123::boxmuller(bits[0], bits[1]).x;
        r.affinity =
            static_cast<float>(std::clamp(fit[b][graph_.community(v)] + spread, -1.0, 1.0));
      }
      const double weight = mech.communities ? 2 * logistic(2 * r.affinity) : 1.0;
      if (engine::Random::to_unit(bits[2]) < params_.brands[b].follower_share * weight) {
        r.flags |= kFollows | kEverAware;
        r.state = State::aware;
        // Spread out, so that followers do not all forget the brand on the same day.
        const double low = params_.audience.initial_awareness_low;
        r.awareness = static_cast<float>(low + (1 - low) * engine::Random::to_unit(bits[3]));
      }
    }
    Person& p = person(v);
    p.community = graph_.community(v);
    const double per_day =
        mech.heavy_tailed_activity ? graph_.sessions_per_day(v) : params_.mean_sessions_per_day;
    p.rate = static_cast<float>(per_day / ticks_per_day_);
    p.mean_gap = 1 / p.rate;
    const double e = -std::log(1 - random.uniform(0, v, draw::first_session));
    if (!activity_by_tick_.empty()) {
      const std::uint32_t t = session_after(0, p.rate, e);
      first_session[v] = t <= params_.ticks ? t : 0;
      return;
    }
    const double gap = std::floor(e / p.rate);
    first_session[v] = gap + 1 <= params_.ticks ? static_cast<std::uint32_t>(gap) + 1 : 0;
  });
  for (Vertex v = 0; v < n; ++v) {
    person(v).next_session = first_session[v];
    if (first_session[v] > 0) schedule_.book_serial(first_session[v], v);
  }
  // The chance of following from outside by elapsed ticks, per brand: a lookup per session
  // instead of an exponential.
  acquisition_chance_.assign(brands_, {});
  acquisition_hazard_.assign(brands_, 0);
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const Brand& brand = params_.brands[b];
    const double outside = double(n) * (1 - brand.follower_share);
    if (brand.acquisition_per_day > 0 && outside > 0) {
      const double hazard = brand.acquisition_per_day / outside / ticks_per_day_;
      acquisition_hazard_[b] = hazard;
      acquisition_chance_[b].resize(params_.ticks + 1);
      for (std::uint32_t dt = 0; dt <= params_.ticks; ++dt) {
        acquisition_chance_[b][dt] = -std::expm1(-hazard * double(dt));
      }
    }
  }
}

void Campaign::recall_history(const engine::Random& random) {
  // Each follower lives through the brand's first history_ticks of posts once before tick
  // 0, by the rules a session applies to a post (engage()): decay between posts, fatigue
  // per post read, and awareness from the ones noticed. Friends' shares are left out.
  if (std::none_of(params_.brands.begin(), params_.brands.end(),
                   [](const Brand& b) { return b.history_ticks > 0; })) {
    return;  // no pass over everyone for the brands without a history
  }
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const double lifetime = a.post_lifetime_ticks;
  engine::for_each_agent(graph_.num_nodes(), [&](Vertex v) {
    const Person& p = person(v);
    // Read only if a session falls within the post's time in the feed.
    const double read_in_time = -std::expm1(-double(p.rate) * lifetime);
    for (std::uint32_t b = 0; b < brands_; ++b) {
      const std::uint32_t span = params_.brands[b].history_ticks;
      Relation& r = rel(v, b);
      if (span == 0 || !(r.flags & kFollows)) continue;
      const auto& ticks = post_ticks_[b];
      double awareness = r.awareness, fatigue = r.fatigue, at = 0;
      const auto decay_to = [&](double t) {
        if (mech.awareness_decay) awareness *= std::exp2(-(t - at) / a.awareness_half_life_ticks);
        if (mech.fatigue) fatigue *= std::exp2(-(t - at) / a.fatigue_half_life_ticks);
        at = t;
      };
      for (std::size_t k = 0; k < ticks.size() && ticks[k] < span; ++k) {
        const auto bits = random.bits(k, v, draw::history, b);
        if (u32(bits, 0) >= post_shown_[b][k] * read_in_time) continue;
        decay_to(ticks[k]);
        if (mech.fatigue) fatigue += fatigue_per_read(a, root_content_[post_ids_[b][k]]);
        if (u32(bits, 1) < a.attention_floor + (1 - a.attention_floor) * awareness) {
          awareness += (1 - awareness) * a.awareness_gain;
        }
      }
      decay_to(span);
      r.awareness = static_cast<float>(awareness);
      r.fatigue = static_cast<float>(fatigue);
    }
  });
}

void Campaign::seed_advocates(const engine::Random& random) {
  const Vertex n = graph_.num_nodes();
  // Advocates seeded by the brand (C5): fans who follow, like it and share.
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const Brand& brand = params_.brands[b];
    if (brand.advocates == 0) continue;
    std::vector<Vertex> order(n);
    std::iota(order.begin(), order.end(), Vertex{0});
    std::vector<Vertex> chosen;
    if (brand.advocate_strategy == AdvocateStrategy::random) {
      engine::shuffle_front(order, brand.advocates, [&](std::size_t m, std::size_t i) {
        return random.below(m, 0, i, draw::advocate_pick, b);
      });
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
      r.sentiment = static_cast<float>(params_.audience.advocate_sentiment);
      r.engagements =
          static_cast<std::uint8_t>(std::min(params_.audience.advocate_threshold, 255u));
    }
  }
}

// The counters, records and tables of a run, from zero.
void Campaign::reset_counters() {
  for (auto& s : scratch_) s = Scratch{};
  mailbox_.clear();
  passed_on_.clear();
  staged_brand_.reset();
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
  record_ticks_.clear();
  followers_by_record_.assign(brands_, {});
  tables_.clear();
  followers_now_.clear();
  if (params_.followers_only) {
    followers_now_.assign(std::size_t{brands_} * communities_, 0);
    for (Vertex v = 0; v < graph_.num_nodes(); ++v) {
      for (std::uint32_t b = 0; b < brands_; ++b) {
        followers_now_[std::size_t{b} * communities_ + graph_.community(v)] +=
            (rel(v, b).flags & kFollows) != 0;
      }
    }
  }
}

std::uint32_t Campaign::session_after(std::uint32_t after, double rate, double e) const {
  double sum = 0;
  for (std::uint32_t t = after + 1; t <= params_.ticks; ++t) {
    sum += rate * activity_by_tick_[t];
    if (sum >= e) return t;
  }
  return params_.ticks + 1;
}

void Campaign::rank_posts(std::uint32_t b) {
  const auto& ticks = post_ticks_[b];
  auto& from = post_from_[b];
  from.assign(std::size_t{params_.ticks} + 2, 0);
  for (std::uint32_t t = 0, k = 0; t < from.size(); ++t) {
    while (k < ticks.size() && ticks[k] < t) ++k;
    from[t] = k;
  }
  auto& shown = post_shown_[b];
  const Audience& a = params_.audience;
  // Each post's own appeal, beyond its calendar entry: drawn once per post from the run's
  // stream, so a post keeps it however the run is split or changed live.
  std::vector<double> appeal(ticks.size(), 1.0);
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const std::uint32_t id = post_ids_[b][k];
    if (a.post_reach_sd > 0) {
      appeal[k] = std::exp(a.post_reach_sd * start_random_.normal(0, id, draw::post_quality, 0) -
                           a.post_reach_sd * a.post_reach_sd / 2);
    }
    // The era's engagement at the post's publication, and the post's own.
    double shift = a.engagement_trend_per_tick * double(ticks[k]);
    if (a.post_engagement_sd > 0) {
      shift += a.post_engagement_sd * start_random_.normal(0, id, draw::post_quality, 1);
    }
    root_engage_shift_[id] = static_cast<float>(shift);
  }
  shown.assign(ticks.size(), 1.0f);
  if (!params_.mechanisms.feed_ranking) return;
  const auto day = [&](std::uint32_t t) { return static_cast<std::uint64_t>(t / ticks_per_day_); };
  for (std::size_t i = 0; i < ticks.size();) {
    std::size_t j = i;
    while (j < ticks.size() && day(ticks[j]) == day(ticks[i])) ++j;
    // The day's posts share the feed's budget, softly (posting_elasticity 1: a fixed budget).
    const double dilution =
        std::pow(std::min(1.0, a.organic_posts_per_day / double(j - i)), a.posting_elasticity);
    for (std::size_t k = i; k < j; ++k) {
      const PostContent& c = root_content_[post_ids_[b][k]];
      const int block = hour_block(hour_of_day(ticks[k], params_.tick_hours));
      const double per_post = a.organic_reach *
                              std::exp(a.organic_reach_trend_per_tick * double(ticks[k])) *
                              a.format_reach[int(c.format)] * a.category_reach[int(c.category)] *
                              a.hour_reach[block] * dilution * appeal[k];
      shown[k] = static_cast<float>(std::min(1.0, per_post));
    }
    i = j;
  }
}

std::uint32_t Campaign::add_root(std::uint32_t brand, RootKind kind, const PostContent& content) {
  root_brand_.push_back(static_cast<std::uint8_t>(brand));
  root_kind_.push_back(kind);
  root_content_.push_back(content);
  root_engage_shift_.push_back(0.0f);
  return static_cast<std::uint32_t>(root_brand_.size() - 1);
}

void Campaign::step(std::uint32_t tick, const engine::Random& random) {
  if (staged_brand_) {  // a live change, from this tick on
    set_brand(0, *staged_brand_);
    staged_brand_.reset();
  }
  tick_ = tick;
  random_ = random;
  apply_events(tick, random);
  // The posts going out now (a post at tick 0 goes out at tick 1), and the audiences of
  // posts that have left feeds let go.
  audience_.resize(root_brand_.size());
  const std::uint32_t lifetime = params_.audience.post_lifetime_ticks;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const auto& ticks = post_ticks_[b];
    for (std::size_t k = post_from_[b][tick == 1 ? 0 : tick]; k < ticks.size() && ticks[k] <= tick;
         ++k) {
      release_post(b, k, tick, random);
    }
    if (tick < lifetime) continue;
    for (std::size_t k = post_from_[b][tick - lifetime];
         k < ticks.size() && ticks[k] == tick - lifetime; ++k) {
      audience_[post_ids_[b][k]] = PostAudience{};
    }
  }
  engine::for_each_due(
      schedule_.due(tick),
      [&]() -> Scratch& {
        Scratch& s = scratch_.local();
        if (s.flows.empty()) s.flows.assign(interval_flows_.size(), 0);
        if (s.outbox == nullptr) s.outbox = &mailbox_.local();
        if (s.bookings == nullptr) s.bookings = &schedule_.local();
        return s;
      },
      [&](Vertex ahead) { __builtin_prefetch(people_.address(ahead)); },
      [&](Scratch& s, Vertex v) { session(v, tick, random, s); });
}

void Campaign::deliver(const Outgoing& out, std::uint32_t tick) {
  const Delivered item{out.sender, out.root, tick, static_cast<std::uint32_t>(out.kind),
                       out.answered};
  const bool story = out.kind == Kind::story;
  for (Vertex w : graph_.out_neighbors(out.sender)) {
    if (story && random_.uniform(tick, (std::uint64_t{out.sender} << 32) | w, draw::story,
                                 out.root) >= params_.audience.story_reach) {
      continue;
    }
    Person& p = person(w);
    if (p.parked) schedule_.book_serial(wake(w, tick, 0, random_), w);
    if (p.inbox == kNone) {
      if (free_inboxes_.empty()) {
        free_inboxes_.push_back(static_cast<std::uint32_t>(inbox_.size() / capacity_));
        inbox_.resize(inbox_.size() + capacity_);
      }
      p.inbox = free_inboxes_.back();
      free_inboxes_.pop_back();
    }
    const std::size_t base = std::size_t{p.inbox} * capacity_;
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
  // Inboxes read this tick are free again (which block a person gets changes nothing).
  for (Scratch& s : scratch_) {
    free_inboxes_.insert(free_inboxes_.end(), s.read_inboxes.begin(), s.read_inboxes.end());
    s.read_inboxes.clear();
  }
  // In key order, so that feeds fill in the same order whatever the thread count.
  last_outgoing_.clear();
  for (const Outgoing& out : mailbox_.collect()) {
    deliver(out, tick_);
    last_outgoing_.emplace_back(out.sender, out.kind == Kind::complaint ? 1 : 0);
    if (out.kind == Kind::share || out.kind == Kind::complaint) {
      shares_.push_back({tick_, out.sender, out.parent, out.root, out.brand, out.kind});
    }
  }
}

std::unique_ptr<engine::Model> make_model(const CampaignParams& p, const graph::Graph& graph) {
  return std::make_unique<Campaign>(graph, p);
}

std::string_view model_name(const CampaignParams&) { return "campaign"; }

}  // namespace buzz::dynamics
