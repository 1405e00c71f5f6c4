// The campaign model's behavioural rules, one person at a time: what a session reads, and
// how each item read moves that person (docs/campaign.md, "Mechanisms").
#include <algorithm>
#include <cmath>

#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/campaign_detail.hpp"
#include "sim/engine/kernels.hpp"
#include "sim/engine/sampling.hpp"

namespace buzz::dynamics {

using graph::Vertex;
using namespace campaign_detail;

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

void Campaign::apply_events(std::uint32_t tick, const engine::Random& random) {
  for (const Event& e : events_) {
    if (e.event.tick != tick) continue;
    if (e.event.kind == EventKind::crisis && !params_.mechanisms.negative_word_of_mouth) continue;
    engine::for_each_agent(graph_.num_nodes(), [&](Vertex v) {
      Relation& r = rel(v, e.brand);
      // Events hit customers: people who follow the brand or have engaged with it.
      if (!(r.flags & (kFollows | kEverEngaged)) ||
          random.uniform(tick, v, draw::event, e.root) >= e.event.share) {
        return;
      }
      r.event_root = e.root;
      if (e.event.kind == EventKind::crisis) {
        r.state = State::detractor;
        r.sentiment = std::min(r.sentiment, float(params_.audience.detractor_sentiment));
        r.flags |= kPendingComplaint;
      } else {
        r.state = State::advocate;
        r.sentiment = std::max(r.sentiment, float(params_.audience.advocate_sentiment));
        r.flags |= kPendingPraise;
      }
      if (person(v).parked) schedule_.book(schedule_.local(), wake(v, tick - 1, 2, random), v);
    });
  }
}

void Campaign::complain(Vertex v, std::uint32_t community, std::uint32_t b, std::uint32_t root,
                        std::uint32_t parent, double u_answer, double u_satisfied, Scratch& s) {
  const Audience& a = params_.audience;
  Relation& r = rel(v, b);
  const bool answered =
      params_.mechanisms.replies && u_answer < params_.brands[b].reply_probability;
  s.outbox->push_back({v, root, parent, static_cast<std::uint8_t>(b), Kind::complaint, answered});
  ++flow(s, b, community, kComplaints);
  r.event_root = root;
  if (u_satisfied < (answered ? a.satisfied_if_answered : a.satisfied_if_ignored)) recover(r);
}

void Campaign::recover(Relation& r) const {
  r.state = r.flags & kEverEngaged ? State::engaged : State::aware;
  r.sentiment = std::max(r.sentiment, 0.0f);
}

bool Campaign::first_pass(Vertex v, std::uint32_t root) {
  // Only v's own session asks about v, so the answer does not depend on thread timing.
  return passed_on_.insert((std::uint64_t{root} << 32) | v).second;
}

void Campaign::session_events(Vertex v, std::uint32_t community, std::uint32_t last,
                              std::uint32_t tick, const engine::Random& random, Scratch& s) {
  const Audience& a = params_.audience;
  // Detractors hit by a crisis may speak up, once; others get over it with time (C6).
  // People delighted by a praise event pass it on.
  for (std::uint32_t b = 0; b < brands_; ++b) {
    Relation& r = rel(v, b);
    // Follows from outside the feeds (acquisition_per_day), at a constant rate since the
    // last session: the draw is the last session's, so that park() can tell when it falls.
    if (!acquisition_chance_[b].empty() && !(r.flags & kFollows) &&
        random.uniform(last, v, draw::acquire, b) < acquisition_chance_[b][tick - last]) {
      catch_up(r, tick);
      r.flags |= kFollows | kEverAware;
      if (r.state == State::unaware) r.state = State::aware;
      r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
      ++flow(s, b, community, kFollows_);
    }
    if (r.state == State::detractor && params_.mechanisms.negative_word_of_mouth) {
      const auto bits = random.bits(tick, v, draw::detractor, b);
      if (r.flags & kPendingComplaint) {
        r.flags &= ~kPendingComplaint;
        if (u32(bits, 0) < a.complaint_probability && first_pass(v, r.event_root)) {
          complain(v, community, b, r.event_root, kNone, u32(bits, 1), u32(bits, 2), s);
        }
      } else if (u32(bits, 3) < 1 - std::exp2(-double(tick - last) / a.detractor_half_life_ticks)) {
        recover(r);
      }
    }
    if ((r.flags & kPendingPraise) && params_.mechanisms.sharing) {
      r.flags &= ~kPendingPraise;
      if (first_pass(v, r.event_root)) {
        s.outbox->push_back(
            {v, r.event_root, kNone, static_cast<std::uint8_t>(b), Kind::share, false});
        ++flow(s, b, community, kShares);
      }
    }
  }
}

void Campaign::gather_feed(Vertex v, std::uint32_t last, std::uint32_t tick, Scratch& s) {
  const Audience& a = params_.audience;
  Person& me = person(v);
  // The feed: brand posts since the last session, as a follower or as a paid ad, and what
  // friends put out. Newest first; ties keep the inbox's order, then brand order.
  auto& feed = s.feed;
  feed.clear();
  const std::uint8_t count = me.inbox_count;
  if (me.inbox != kNone) {
    for (std::uint8_t k = 0; k < count; ++k) {
      const Delivered& d =
          inbox_[std::size_t{me.inbox} * capacity_ + (me.inbox_head + count - 1 - k) % capacity_];
      feed.push_back({d.sender, d.root, d.tick, root_brand_[d.root], static_cast<Kind>(d.kind),
                      bool(d.answered), false});
    }
    s.read_inboxes.push_back(me.inbox);
    me.inbox = kNone;
  }
  me.inbox_count = 0;
  me.inbox_head = 0;
  const std::uint32_t window_start =
      std::max<std::int64_t>(last, std::int64_t{tick} - a.post_lifetime_ticks) + 1;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const auto& ticks = post_ticks_[b];
    const bool follows = rel(v, b).flags & kFollows;
    for (std::size_t k = post_from_[b][window_start]; k < ticks.size() && ticks[k] <= tick; ++k) {
      const std::uint32_t at = ticks[k], id = post_ids_[b][k];
      // The feed's ranking shows a follower only some of a page's posts (C9), and an ad
      // only some of the rest (none for an unpaid post): each drawn when the post went out
      // (release_post), so a later live change of delivery does not redraw them.
      const PostAudience& audience = audience_[id];
      const auto& shown_to = follows ? audience.feed : audience.ad;
      if (!(follows && audience.every_follower) &&
          !std::binary_search(shown_to.begin(), shown_to.end(), v)) {
        continue;
      }
      feed.push_back({kNone, id, at, static_cast<std::uint8_t>(b), Kind::post, false, !follows});
    }
  }
  // Insertion sort: feeds are short, and it is stable without allocating.
  for (std::size_t i = 1; i < feed.size(); ++i) {
    const Item item = feed[i];
    std::size_t j = i;
    for (; j > 0 && feed[j - 1].tick < item.tick; --j) feed[j] = feed[j - 1];
    feed[j] = item;
  }
}

std::uint32_t Campaign::next_session_after(std::uint32_t after, const Person& p, float e) const {
  if (!activity_by_tick_.empty()) return session_after(after, p.rate, e);  // a daily rhythm
  const double gap = std::floor(e * p.mean_gap) + 1;
  return after + gap <= params_.ticks ? after + static_cast<std::uint32_t>(gap) : params_.ticks + 1;
}

bool Campaign::idle(Vertex v) const {
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const Relation& r = rel(v, b);
    if (r.flags & (kPendingComplaint | kPendingPraise)) return false;
    if (r.state == State::detractor && params_.mechanisms.negative_word_of_mouth) return false;
  }
  return true;  // the session has just emptied the inbox
}

void Campaign::park(Vertex v, std::uint32_t tick, float e, const engine::Random& random,
                    Scratch& s) {
  // The first tick by which a follow from outside has happened, from the draw that
  // session_events() will compare at the next session (the same law: an exponential wait).
  std::uint32_t follow = params_.ticks + 1;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    if (acquisition_hazard_[b] == 0 || (rel(v, b).flags & kFollows)) continue;
    const double wait =
        -std::log1p(-random.uniform(tick, v, draw::acquire, b)) / acquisition_hazard_[b];
    if (double(tick) + wait < double(follow)) {
      follow = tick + std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(wait)));
    }
  }
  Person& me = person(v);
  me.parked = true;
  me.next_session =
      follow <= params_.ticks ? next_session_after(follow - 1, me, e) : params_.ticks + 1;
  schedule_.book(*s.bookings, me.next_session, v);
}

std::uint32_t Campaign::wake(Vertex v, std::uint32_t after, std::uint32_t cause,
                             const engine::Random& random) {
  Person& p = person(v);
  p.parked = false;
  const auto e = static_cast<float>(-std::log1p(-random.uniform(after, v, draw::wake, cause)));
  p.next_session = next_session_after(after, p, e);
  return p.next_session;
}

void Campaign::release_post(std::uint32_t b, std::size_t k, std::uint32_t tick,
                            const engine::Random& random) {
  const Vertex n = graph_.num_nodes();
  const std::uint32_t id = post_ids_[b][k];
  const Brand& brand = params_.brands[b];
  PostAudience& audience = audience_[id];
  const auto wake_if = [&](Vertex v, bool follower, std::uint32_t cause) {
    if (person(v).parked && bool(rel(v, b).flags & kFollows) == follower) {
      schedule_.book_serial(wake(v, tick - 1, cause, random), v);
    }
  };
  // The feed's ranking (C9): each person with the post's chance, drawn once for all.
  const float shown = post_shown_[b][k];
  if (shown < 1) {
    audience.feed = engine::bernoulli_subset(
        n, shown, [&](std::uint64_t j) { return random.uniform(tick, j, draw::organic, id); });
    for (Vertex v : audience.feed) wake_if(v, true, 3);
  } else {
    audience.every_follower = true;
    for (Vertex v = 0; v < n; ++v) wake_if(v, true, 3);
  }
  if (!root_content_[id].paid || !params_.mechanisms.paid_reach || brand.paid_reach <= 0) return;
  audience.ad = engine::bernoulli_subset(n, brand.paid_reach, [&](std::uint64_t j) {
    return random.uniform(tick, j, draw::paid, id);
  });
  if (brand.target_community >= 0) {
    std::erase_if(audience.ad, [&](Vertex v) {
      return person(v).community != std::uint32_t(brand.target_community);
    });
  }
  for (Vertex v : audience.ad) wake_if(v, false, 1);
}

void Campaign::session(Vertex v, std::uint32_t tick, const engine::Random& random, Scratch& s) {
  Person& me = person(v);
  if (me.next_session != tick) return;  // booked before the person was parked or woken
  const std::uint32_t community = me.community;
  const std::uint32_t last = me.last_session;
  me.last_session = tick;
  const auto session_bits = random.bits(tick, v, draw::next_session);

  session_events(v, community, last, tick, random, s);
  gather_feed(v, last, tick, s);
  const auto& feed = s.feed;
  const std::size_t reads =
      params_.mechanisms.feed_limit ? std::min<std::size_t>(feed.size(), capacity_) : feed.size();
  for (std::size_t i = 0; i < reads; ++i) {
    read(v, community, tick, feed[i],
         random.bits(tick, v, draw::item, static_cast<std::uint32_t>(i)), s);
  }

  // The next session: sessions are a Poisson process at the person's own rate (C9).
  // 24 bits, so that 1 - u is never 0 in float.
  const float u = static_cast<float>(session_bits[0] >> 40) * 0x1.0p-24f;
  const float e = -std::log(1.0f - u);
  if (idle(v)) {
    park(v, tick, e, random, s);
    return;
  }
  me.next_session = next_session_after(tick, me, e);
  schedule_.book(*s.bookings, me.next_session, v);
}

std::vector<Campaign::Outgoing> Campaign::read_one(std::uint32_t v, std::uint32_t tick,
                                                   const Item& item,
                                                   const engine::Random::Bits& bits) {
  std::vector<Outgoing> out;
  Scratch s;
  s.flows.assign(interval_flows_.size(), 0);
  s.outbox = &out;
  read(v, person(v).community, tick, item, bits, s);
  return out;
}

void Campaign::read_complaint(Vertex v, std::uint32_t community, Relation& r, const Item& item,
                              const engine::Random::Bits& bits, Scratch& s) {
  // Negative word of mouth (C6), counted apart from every positive figure: it neither
  // reaches nor makes aware in the brand's favour. It lowers sentiment, and may be passed
  // on, once per person.
  const Audience& a = params_.audience;
  const std::uint32_t b = item.brand;
  ++flow(s, b, community, kNegative);
  r.flags |= kHeardNegative | kEverAware;
  r.sentiment = std::max(-1.0f, r.sentiment - float(a.complaint_sentiment_step));
  const double pass_on = a.negative_transmissibility * (item.answered ? 1 - a.answered_damping : 1);
  if (r.state != State::detractor && u32(bits, 0) < pass_on && first_pass(v, item.root)) {
    r.state = State::detractor;
    r.sentiment = std::min(r.sentiment, float(a.detractor_sentiment));
    complain(v, community, b, item.root, item.sender, u32(bits, 1), u32(bits, 2), s);
  }
}

double Campaign::engagement_log_odds(const Relation& r, std::uint32_t community, const Item& item,
                                     bool on_target) const {
  // C1 tone, C8 value and commerciality, C4 fit, C3 fatigue, C5 peers.
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const PostContent& content = root_content_[item.root];
  double engage = a.engage_log_odds + a.sentiment_effect * r.sentiment;
  if (root_kind_[item.root] == RootKind::post) {
    engage += a.format_engagement[int(content.format)] +
              a.category_engagement[int(content.category)] + root_engage_shift_[item.root];
  }
  const auto from_content = content_log_odds(a, mech, content);
  engage += from_content.tone;
  engage += from_content.offer;
  if (mech.communities) engage += a.fit_effect * r.affinity;
  if (mech.fatigue) engage -= a.fatigue_effect * r.fatigue;
  if (item.kind != Kind::post) {
    engage += a.peer_effect;
    if (mech.communities && graph_.community(item.sender) == community) engage += a.homophily_boost;
  }
  if (on_target) engage += a.targeting_relevance;
  return engage;
}

void Campaign::engage(Vertex v, std::uint32_t community, Relation& r, const Item& item,
                      const engine::Random::Bits& bits, Scratch& s) {
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const std::uint32_t b = item.brand;
  const PostContent& content = root_content_[item.root];
  const bool post = item.kind == Kind::post;
  const bool of_post = root_kind_[item.root] == RootKind::post;
  if (of_post) r.liked = item.root;
  ++flow(s, b, community, kEngagements);
  if (of_post) count_post(s, item.root, kPostEngaged);
  r.flags |= kEverEngaged;
  r.sentiment = std::min(1.0f, r.sentiment + float(a.engage_sentiment_step));
  if (r.engagements < 0xff) ++r.engagements;
  if (r.state != State::detractor) {
    r.state = r.engagements >= a.advocate_threshold ? State::advocate : State::engaged;
  }
  if (!(r.flags & kFollows) && u32(bits, 2) < a.follow_probability) {
    r.flags |= kFollows;
    ++flow(s, b, community, kFollows_);
  }
  // With the like, a comment and a share, each with its own drivers: tone draws
  // comments, value shares, and the format both.
  const int format = of_post ? int(content.format) : 0;
  const auto log_odds = [](double p) { return std::log(p / (1 - p)); };
  double comment = log_odds(a.comment_share) + a.format_comment[format];
  if (mech.tone) comment += a.comment_tone_effect * (2 * content.tone - 1);
  const bool comments = u32(bits, 3) < logistic(comment);
  if (comments && of_post) count_post(s, item.root, kPostComments);
  // A comment the brand answers lifts the commenter, and friends see the answer (C1).
  if (mech.replies && comments && u32(bits, 4) < params_.brands[b].reply_probability) {
    r.sentiment = std::min(1.0f, r.sentiment + float(a.reply_sentiment_step));
    s.outbox->push_back({v, item.root, kNone, static_cast<std::uint8_t>(b), Kind::reply, false});
  }
  double share =
      log_odds(r.state == State::advocate ? a.advocate_share_probability : a.share_probability) +
      a.format_share[format];
  if (mech.content) share += a.share_value_effect * content.value;
  if (mech.sharing && u32(bits, 5) < logistic(share) && first_pass(v, item.root)) {
    s.outbox->push_back({v, item.root, item.kind == Kind::share ? item.sender : kNone,
                         static_cast<std::uint8_t>(b), Kind::share, false});
    ++flow(s, b, community, kShares);
    if (of_post) count_post(s, item.root, kPostShares);
  } else if (mech.stories && post && a.story_reach > 0 && first_pass(v, item.root)) {
    // Not shared: a like or comment on the page's post still shows in some friends'
    // feeds (C5), once per person and post. Only on the post itself: likes reached
    // through a story make none, so that viral reach stays in proportion to engagement.
    s.outbox->push_back({v, item.root, kNone, static_cast<std::uint8_t>(b), Kind::story, false});
  }
  // Liked through a friend: remembered beyond `liked`, as more friends may show it.
  if (of_post && !post) passed_on_.insert((std::uint64_t{item.root} << 32) | v);
}

void Campaign::annoy(std::uint32_t community, Relation& r, const Item& item, bool mistargeted,
                     const engine::Random::Bits& bits, Scratch& s) const {
  // Annoyance from brand posts: broadcast tone, salesiness, fatigue, wrong targeting.
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const PostContent& content = root_content_[item.root];
  double annoy = a.annoy_log_odds;
  if (mech.tone) annoy += a.broadcast_annoyance * (1 - 2 * content.tone);
  if (mech.content) annoy += a.commercial_annoyance * content.commerciality;
  if (mech.fatigue) annoy += a.fatigue_annoyance * r.fatigue;
  if (mistargeted) annoy += a.mistargeting_annoyance;
  if (u32(bits, 6) < logistic(annoy)) {
    r.sentiment = std::max(-1.0f, r.sentiment - float(a.annoy_sentiment_step));
    if (r.state == State::aware || r.state == State::engaged) r.state = State::annoyed;
    if ((r.flags & kFollows) && u32(bits, 7) < a.unfollow_probability) {
      r.flags &= ~kFollows;
      ++flow(s, item.brand, community, kUnfollows);
    }
  }
}

void Campaign::read(Vertex v, std::uint32_t community, std::uint32_t tick, const Item& item,
                    const engine::Random::Bits& bits, Scratch& s) {
  const Audience& a = params_.audience;
  const Mechanisms& mech = params_.mechanisms;
  const std::uint32_t b = item.brand;
  const Brand& brand = params_.brands[b];
  const PostContent& content = root_content_[item.root];  // what the post (or event) is
  Relation& r = rel(v, b);
  const bool post = item.kind == Kind::post;
  const bool of_post = root_kind_[item.root] == RootKind::post;  // the item is or carries a post
  if (!post) person(v).heard_from = item.sender;
  if (item.kind == Kind::complaint) {
    read_complaint(v, community, r, item, bits, s);
    return;
  }

  expose(community, b, r, tick, post ? (item.paid ? kPaid : kOwned) : kEarned, s);
  catch_up(r, tick);
  if (post) {
    count_post(s, item.root, kPostReach);
    count_post(s, item.root, item.paid ? kPostPaidReach : kPostFanReach);
  } else if (of_post && item.kind != Kind::reply) {
    count_post(s, item.root, kPostEarnedReach);
  }

  if (item.kind == Kind::reply) {
    // A brand's public answer to a friend: seen in passing, it warms a little (C1).
    ++flow(s, b, community, kReplyImpressions);
    r.flags |= kEverAware;
    if (r.state == State::unaware) r.state = State::aware;
    r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
    r.sentiment = std::min(1.0f, r.sentiment + float(a.seen_reply_sentiment_step));
    return;
  }

  if (item.kind == Kind::share && root_kind_[item.root] == RootKind::praise)
    r.flags |= kHeardPraise;
  if (post && mech.fatigue) {
    r.fatigue += static_cast<float>(fatigue_per_read(a, content));
  }
  // A brand post is noticed in proportion to awareness left (C2); friends are noticed.
  if (post && u32(bits, 0) >= a.attention_floor + (1 - a.attention_floor) * r.awareness) return;
  r.awareness += (1 - r.awareness) * static_cast<float>(a.awareness_gain);
  r.flags |= kEverAware;
  if (r.state == State::unaware) r.state = State::aware;

  const bool targeted = mech.targeting && brand.target_community >= 0;
  const bool on_target = targeted && std::uint32_t(brand.target_community) == community;
  const bool engages = u32(bits, 1) < logistic(engagement_log_odds(r, community, item, on_target));
  // Seen again through a friend, a post already liked is not liked again, so a post's
  // engagements stay within the people it reached. Known: the last post liked (4 bytes a
  // person), and every post a person shared or whose like friends were shown (passed_on_).
  // Only a post liked directly, neither shared nor shown to friends, then liked again
  // through a friend's share after another post was liked, counts twice.
  if (engages && of_post &&
      (r.liked == item.root || passed_on_.count((std::uint64_t{item.root} << 32) | v))) {
    return;
  }
  if (engages) {
    engage(v, community, r, item, bits, s);
    return;
  }
  // Follows from what the page posts: a non-follower who noticed its post (an ad, or a
  // friend's share or like of it) follows without engaging. Bit 7 is the unfollow's draw,
  // which only a follower makes.
  if (of_post && !(r.flags & kFollows) && a.follow_from_reach > 0 &&
      u32(bits, 7) < a.follow_from_reach) {
    r.flags |= kFollows;
    ++flow(s, b, community, kFollows_);
    return;
  }
  if (post) annoy(community, r, item, targeted && !on_target, bits, s);
}

}  // namespace buzz::dynamics
