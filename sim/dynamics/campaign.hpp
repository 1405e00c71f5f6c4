#pragma once

#include <memory>
#include <string_view>

#include <oneapi/tbb/concurrent_unordered_set.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/dynamics/campaign_spec.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/padded_records.hpp"
#include "sim/engine/sessions.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// The campaign model: brands post, people read a limited feed, engage, share, tire,
// unfollow or complain (docs/campaign.md, claims C1-C9).
//
// Each person has, toward each brand, a state and four numbers: awareness (a memory in
// [0, 1] that halves every awareness half-life, C2), fatigue (grows with each brand post
// read, more for salesy and repetitive ones, and halves every fatigue half-life, C3),
// sentiment in [-1, 1], and a fixed affinity (community fit plus a personal spread, C4).
//
// States toward a brand, and what moves a person between them, item by item:
//
//   unaware  --notices a post, a share or an answer (not a complaint)---> aware
//   aware, annoyed, engaged --engages (likes, comments, shares)-------------> engaged
//   engaged  --engagements reach advocate_threshold--------------------------> advocate
//   aware, engaged --annoyed by a brand post (broadcast, salesy, tired)------> annoyed
//   any but detractor --passes on a complaint, or is a customer hit by a crisis--> detractor
//   detractor --complains and is satisfied (answered or not, C6), or gets over it
//               with time (detractor half-life)----------------------------> aware (engaged)
//
// Following is separate from the state: an annoyed follower may unfollow, an engaged
// non-follower may follow. Each person passes each share tree on at most once (shares
// and complaints alike). Complaints are negative word of mouth and count apart from every
// positive figure: they neither reach nor make aware in the brand's favour.
//
// A tick:
//   1. Brand events (crisis, praise) due now turn some customers (followers, or people who
//      have engaged) into detractors or advocates.
//   2. People whose session falls on this tick (sessions follow each person's heavy-tailed
//      daily activity, C9) read their feed, newest first, up to feed_capacity items: the
//      posts of the brands they follow or that reach them as paid ads since their last
//      session, and what friends shared, answered or complained about (earned, C5, C7).
//      Each item read is an impression; noticing it raises awareness; it may make them
//      engage, comment (which the brand may answer in public), share onward, get annoyed,
//      unfollow, or pass on a complaint. Customers hit by a crisis may complain once.
//      A session changes only the reader's own state; what they share goes to an outbox.
//   3. Commit: outboxes are sorted and delivered into friends' feeds for their next
//      session, so the outcome never depends on the order sessions ran in.
class Campaign final : public engine::Model {
 public:
  enum class State : std::uint8_t { unaware, aware, engaged, advocate, annoyed, detractor };

  Campaign(const graph::Graph& graph, const CampaignParams& params);

  engine::Reporters tick_reporters() const override;
  engine::Reporters run_reporters() const override;
  void start(const engine::Random& random) override;
  void step(std::uint32_t tick, const engine::Random& random) override;
  void commit() override;
  void on_record(std::uint32_t tick) override;
  void observe(std::vector<double>& row) const override;
  void finish(std::vector<double>& metrics) override;
  std::vector<engine::Table> take_tables() override;
  // The posts table so far.
  std::vector<engine::Table> tables_so_far() const override;

  // Live control (engine::Model): brand 0's settings (its posting schedule is redrawn from
  // the next tick on; a calendar keeps its dates unless the posting rate or regularity
  // changes), a crisis or praise event at the next tick.
  std::vector<engine::Control> controls() const override;
  void set_control(std::string_view name, double value) override;
  std::vector<engine::Trigger> triggers() const override;
  void trigger(std::string_view name, double share) override;
  // The same for any brand, with whole settings.
  void set_brand(std::uint32_t b, const Brand& brand);
  void trigger_event(std::uint32_t b, EventKind kind, double share);
  const Brand& brand(std::uint32_t b) const { return params_.brands[b]; }
  // Brand b's posts, published or to come: each one's tick and content.
  std::vector<std::pair<std::uint32_t, PostContent>> posts(std::uint32_t b) const;

  // Snapshots and inspection (engine::Model), for brand 0.
  std::vector<std::string> state_names() const override;
  engine::Display display() const override;
  void agent_states(std::span<std::uint8_t> out) const override;
  std::vector<std::pair<std::uint32_t, std::uint8_t>> recent_senders() const override;
  // Brand 0's followers, when it posted in the last tick.
  std::vector<std::uint32_t> reached_from_outside() const override;
  // A person's state, sentiment, awareness and whom they last had an item from.
  std::string describe(std::uint32_t v) const override;
  // The ties (parent, child) of the share tree the person last joined; a parent of
  // 0xffffffff is the post or event itself.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spread_tree(std::uint32_t v) const override;

  static constexpr std::uint32_t kNone = 0xffffffffu;
  // The longest horizon: an inbox item keeps its tick in 24 bits.
  static constexpr std::uint32_t kMaxTicks = (1u << 24) - 1;

  // One person's relation to one brand, 32 bytes.
  struct Relation {
    float awareness = 0;  // as of `updated`
    float fatigue = 0;    // as of `updated`
    float sentiment = 0;
    float affinity = 0;
    std::uint32_t updated = 0;         // tick of the last item read (0: none yet)
    std::uint32_t event_root = kNone;  // a complaint or praise to pass on
    std::uint32_t liked = kNone;       // the last post engaged with: liked once, not per friend
    std::uint8_t engagements = 0;      // saturates at 255
    State state = State::unaware;
    std::uint8_t flags = 0;
  };
  enum Flag : std::uint8_t {
    kFollows = 1,
    kEverAware = 2,
    kEverEngaged = 4,
    kEverExposed = 8,
    kHeardNegative = 16,
    kHeardPraise = 32,
    kPendingComplaint = 64,  // hit by a crisis: complains at the next session
    kPendingPraise = 128,    // delighted by a praise event: shares it at the next session
  };

  // What a session needs of a person besides their relations, kept together for the cache.
  struct Person {
    std::uint32_t last_session = 0;
    float rate = 0;      // sessions per tick
    float mean_gap = 0;  // 1 / rate: a product is quicker than a quotient
    std::uint32_t community = 0;
    // The tick of the session booked last; a booking at any other tick is stale.
    std::uint32_t next_session = 0;
    std::uint32_t heard_from = 0xffffffffu;  // the last friend they read, for describe()
    // Their inbox's block in the pool (Campaign::inbox_), while it holds items.
    std::uint32_t inbox = 0xffffffffu;
    std::uint8_t inbox_head = 0, inbox_count = 0;
    // Idle: has nothing to read or pass on. A parked person's next session is the one that
    // notices a follow from outside, unless something arrives first (an item in the inbox,
    // a post or ad the feed shows them, a brand event): then it is the first session after
    // that.
    bool parked = false;
  };
  // With one brand, the Person and its Relation fill one cache line.
  static_assert(sizeof(Person) == 32 && sizeof(Relation) == 32);

  // story: a friend liked or commented on a brand post, shown to some of their friends.
  enum class Kind : std::uint8_t { post, share, reply, complaint, story };
  enum class RootKind : std::uint8_t { post, crisis, praise };

  // An item waiting in a person's feed.
  struct Item {
    std::uint32_t sender;
    std::uint32_t root;
    std::uint32_t tick;
    std::uint8_t brand;
    Kind kind;
    bool answered;  // a complaint the brand answered in public
    bool paid;      // a post shown as an ad
  };
  // Something a person put out this tick, delivered to their friends at commit.
  struct Outgoing {
    std::uint32_t sender;
    std::uint32_t root;
    std::uint32_t parent;  // whom the sender had it from; kNone for the root itself
    std::uint8_t brand;
    Kind kind;
    bool answered;
    // Every field: items with equal keys are identical, so the order is fully determined.
    auto key() const { return std::tuple(sender, brand, kind, root, parent, answered); }
  };
  // One person reading one item of their feed at `tick`, with the uniforms of `bits`,
  // exactly as in a session (campaign_rules.cpp): for tests and tools that probe the rules
  // on one person with a hand-made feed. Returns what they put out; relation() shows how
  // they changed.
  std::vector<Outgoing> read_one(std::uint32_t v, std::uint32_t tick, const Item& item,
                                 const engine::Random::Bits& bits);
  const Relation& relation(std::uint32_t v, std::uint32_t b = 0) const { return rel(v, b); }

  // Per-tick reporters and per-run metrics for each brand, before any brand prefix.
  static const engine::Reporters& brand_tick_reporters();
  static const engine::Reporters& brand_run_reporters();
  // Columns of the posts table (posts.csv), one row per post: the post's identity (brand,
  // post, tick, day), then its values, which a calibration may match: the followers when it
  // went out, then the counts of events, which only grow through a run.
  static const std::vector<std::string>& post_columns();
  static const std::vector<std::string>& post_value_columns();
  static const std::vector<std::string>& post_count_columns();
  // The counts made only by reads of the post itself (followers' and ads'), not of friends'
  // shares or stories of it: final once the post has left feeds, `post_lifetime_ticks`
  // after it went out.
  static const std::vector<std::string>& post_direct_columns();

 private:
  struct ShareRecord {
    std::uint32_t tick, sharer, parent, root;
    std::uint8_t brand;
    Kind kind;
  };

  // Counts of what happened, per brand and community, between two records.
  enum Flow : std::uint32_t {
    kOwned,
    kEarned,
    kPaid,
    kNegative,
    kEngagements,
    kShares,
    kComplaints,
    kUnfollows,
    kFollows_,
    kReached,
    kReplyImpressions,  // of the earned ones, the brand's answers seen by friends
    kFlowCount
  };
  // What happened to each post, counted per root (posts.csv).
  enum PostCount : std::uint32_t {
    kPostReach,        // people who read the post itself
    kPostFanReach,     // ... of them, followers
    kPostPaidReach,    // ... of them, shown it as an ad
    kPostEngaged,      // engagements with the post or a friend's share or like of it
    kPostShares,       // shares of it
    kPostEarnedReach,  // reads of friends' shares and stories of it (a person may read two)
    kPostComments,     // comments on it
    kPostCountKinds
  };
  // A thread's working space while sessions run.
  struct Scratch {
    std::vector<Outgoing>* outbox = nullptr;                // this thread's, in mailbox_
    engine::SessionSchedule::Bookings* bookings = nullptr;  // this thread's, in schedule_
    std::vector<std::uint64_t> flows;                       // per brand, community and Flow
    std::vector<std::uint32_t> posts;  // per root and PostCount, grown as needed
    std::vector<Item> feed;
    std::vector<std::uint32_t> read_inboxes;  // inbox blocks emptied this tick
  };
  void count_post(Scratch& s, std::uint32_t root, PostCount k) const {
    const std::size_t at = std::size_t{root} * kPostCountKinds + k;
    if (s.posts.size() <= at) s.posts.resize(root_brand_.size() * kPostCountKinds, 0);
    ++s.posts[at];
  }

  // Stock figures per brand and community at a recorded tick.
  enum Stock : std::uint32_t {
    kAware,
    kEngaged,
    kAdvocates,
    kDetractors,
    kFollowers,
    kEverAwareCount,
    kSentimentSum,
    kFollowerAwarenessSum,
    kStockCount
  };
  // A brand's totals over its communities at a record: stocks now, flows since the previous
  // record.
  struct BrandTotals {
    std::array<double, kStockCount> stock{};
    std::array<double, kFlowCount> flow{};
    double follower_awareness() const;
  };
  // Each tick reporter declared with the function that computes it from the brand's
  // totals, in the row's order; share_of_voice, which needs every brand's impressions, has
  // none and is filled in once all brands are totalled.
  using TickColumn = engine::Column<BrandTotals>;
  static const std::vector<TickColumn>& tick_columns();
  // Each run metric declared with the function that computes it from the brand's run.
  struct BrandRun;
  using RunColumn = engine::Column<BrandRun>;
  static const std::vector<RunColumn>& run_columns();

  Person& person(graph::Vertex v) { return people_.head(v); }
  Relation& rel(graph::Vertex v, std::uint32_t b) { return people_.item(v, b); }
  const Relation& rel(graph::Vertex v, std::uint32_t b) const { return people_.item(v, b); }
  std::uint64_t& flow(Scratch& s, std::uint32_t b, std::uint32_t community, Flow f) const {
    return s.flows[(std::size_t{b} * communities_ + community) * kFlowCount + f];
  }

  void apply_events(std::uint32_t tick, const engine::Random& random);
  std::uint32_t add_root(std::uint32_t brand, RootKind kind, const PostContent& content);
  void rank_posts(std::uint32_t b);  // fills post_from_[b] and post_shown_[b] from post_ticks_[b]
  // start()'s steps: the posts and events (the share trees' roots); people's state,
  // tables and inboxes cleared; affinity, following and first sessions drawn; the brands'
  // advocates; the run's counters from zero.
  void schedule_roots(const engine::Random& random);
  void reset_people();
  void place_people(const engine::Random& random);
  void recall_history(const engine::Random& random);  // followers' awareness and fatigue at 0
  void seed_advocates(const engine::Random& random);
  void reset_counters();
  // With a daily rhythm: the first tick after `after` at which the rhythm-weighted rate
  // has added up to the exponential draw e (a session), or past the horizon.
  std::uint32_t session_after(std::uint32_t after, double rate, double e) const;
  // The first session after tick `after` of a person at `rate`, for an exponential draw e:
  // sessions are a Poisson process, so this holds whenever the person was last seen.
  std::uint32_t next_session_after(std::uint32_t after, const Person& p, float e) const;
  // Whether v, after a session (which empties the inbox), has nothing to do until something
  // arrives (Person::parked).
  bool idle(graph::Vertex v) const;
  // Parks v after a session at `tick`: books the session that notices a follow from
  // outside, if one falls in the run.
  void park(graph::Vertex v, std::uint32_t tick, float e, const engine::Random& random, Scratch& s);
  // Something for a parked v arrived after tick `after`: unparks v and returns the session
  // that reads it, to book (past the horizon if none). `cause` keeps the draws apart.
  std::uint32_t wake(graph::Vertex v, std::uint32_t after, std::uint32_t cause,
                     const engine::Random& random);
  // Brand b's k-th post goes out at `tick`: whom the feed's ranking shows it to (if they
  // follow) and, for a paid post, whom its ad is shown to (if they do not); the parked among
  // them are woken to read it.
  void release_post(std::uint32_t b, std::size_t k, std::uint32_t tick,
                    const engine::Random& random);
  void session(graph::Vertex v, std::uint32_t tick, const engine::Random& random, Scratch& s);
  // session()'s steps: what happens to v's relations since the last session (follows from
  // outside, a detractor's complaint or recovery, passing praise on), and the feed: the
  // inbox and the brands' posts since then, in s.feed.
  void session_events(graph::Vertex v, std::uint32_t community, std::uint32_t last,
                      std::uint32_t tick, const engine::Random& random, Scratch& s);
  void gather_feed(graph::Vertex v, std::uint32_t last, std::uint32_t tick, Scratch& s);
  void read(graph::Vertex v, std::uint32_t community, std::uint32_t tick, const Item& item,
            const engine::Random::Bits& bits, Scratch& s);
  // read()'s steps: a complaint read, the log-odds of engaging, engaging (liking, with a
  // comment, a share or a story), and annoyance at a brand post.
  void read_complaint(graph::Vertex v, std::uint32_t community, Relation& r, const Item& item,
                      const engine::Random::Bits& bits, Scratch& s);
  double engagement_log_odds(const Relation& r, std::uint32_t community, const Item& item,
                             bool on_target) const;
  void engage(graph::Vertex v, std::uint32_t community, Relation& r, const Item& item,
              const engine::Random::Bits& bits, Scratch& s);
  void annoy(std::uint32_t community, Relation& r, const Item& item, bool mistargeted,
             const engine::Random::Bits& bits, Scratch& s) const;
  void complain(graph::Vertex v, std::uint32_t community, std::uint32_t b, std::uint32_t root,
                std::uint32_t parent, double u_answer, double u_satisfied, Scratch& s);
  void catch_up(Relation& r, std::uint32_t tick) const;
  // A person's awareness as of `tick` (it decays between the items they read).
  float awareness_at(const Relation& r, std::uint32_t tick) const {
    return params_.mechanisms.awareness_decay ? r.awareness * awareness_decay_[tick - r.updated]
                                              : r.awareness;
  }
  // A detractor satisfied or over it: back to aware (engaged if they ever engaged).
  void recover(Relation& r) const;
  // Whether v passes `root` on for the first time (and records it): each share tree is
  // passed on once per person, shares and complaints alike.
  bool first_pass(graph::Vertex v, std::uint32_t root);
  void expose(std::uint32_t community, std::uint32_t b, Relation& r, std::uint32_t tick, Flow kind,
              Scratch& s) const;
  void deliver(const Outgoing& out, std::uint32_t tick);
  engine::Table posts_table(std::uint32_t upto) const;
  // on_record()'s steps: each brand's and community's stocks (exact integers, so that
  // sums are thread-independent), each brand's row of the record, the per-community rows.
  std::vector<std::int64_t> stocks(std::uint32_t tick) const;
  std::vector<std::int64_t> followers_stock();  // params_.followers_only's
  void record_brands(std::uint32_t tick, const std::vector<std::int64_t>& stock);
  void record_communities(std::uint32_t tick, const std::vector<std::int64_t>& stock);
  // finish()'s steps: the final per-person counts, the share trees' shapes (with the
  // cascades table), each brand's run metrics, and the per-community summary.
  struct FinalCounts;
  struct CascadeTotals;
  FinalCounts final_counts() const;
  CascadeTotals cascade_totals() const;
  void append_metrics(const FinalCounts& counts, const CascadeTotals& cascades,
                      std::vector<double>& metrics) const;
  engine::Table community_summary(const FinalCounts& counts) const;
  std::string column(std::uint32_t b, const std::string& name) const;
  engine::Reporters per_brand(const engine::Reporters& reporters) const;

  const graph::Graph& graph_;
  CampaignParams params_;
  std::uint32_t brands_;
  std::uint32_t communities_;
  std::uint32_t capacity_;
  double ticks_per_day_;

  // Fixed for a replicate once started.
  std::vector<std::vector<std::uint32_t>> post_ticks_;  // per brand, ascending
  std::vector<std::vector<std::uint32_t>> post_ids_;    // per brand, the root of each post
  // Per brand and tick t (0 to ticks + 1), the index of the brand's first post at or after
  // t: a session's window of posts without a binary search (5% of a page's run).
  std::vector<std::vector<std::uint32_t>> post_from_;
  // Per brand and post, the chance the feed ranking shows it to a follower (C9): the
  // brand's day of posting shares a budget of organic_posts_per_day.
  std::vector<std::vector<float>> post_shown_;
  struct Event {
    std::uint32_t brand;
    BrandEvent event;
    std::uint32_t root;
  };
  std::vector<Event> events_;  // the scenario's, then any triggered while running

  std::vector<float> awareness_decay_, fatigue_decay_;  // by elapsed ticks
  std::vector<double> activity_by_tick_;  // the daily rhythm's factor per tick; empty: none
  std::vector<std::uint8_t> root_brand_;
  std::vector<RootKind> root_kind_;
  std::vector<PostContent> root_content_;  // per root: a post's content, an event's brand's

  // Agent state: each person's Person and a Relation per brand, in whole cache lines, so
  // that a session with one brand touches one line. Sessions change only their reader's
  // record; what they put out goes through mailbox_ and is delivered at commit.
  engine::PaddedRecords<Person, Relation> people_;
  // An item as it waits in an inbox, 12 bytes: the brand is its root's, and an inbox holds
  // friends' items, never a paid post. Ticks fit in 24 bits (scenarios allow 10 million).
  struct Delivered {
    std::uint32_t sender = 0, root = 0;
    std::uint32_t tick : 24 = 0;
    std::uint32_t kind : 7 = 0;
    std::uint32_t answered : 1 = 0;
  };
  static_assert(sizeof(Delivered) == 12);
  // Inboxes: blocks of capacity_ items, each a ring, taken by a person when an item
  // arrives and given back when their session reads it, so that memory follows the items
  // waiting rather than the population. Blocks are taken and freed lists merged at commit.
  std::vector<Delivered> inbox_;
  std::vector<std::uint32_t> free_inboxes_;
  engine::SessionSchedule schedule_;
  engine::Mailbox<Outgoing> mailbox_;
  tbb::concurrent_unordered_set<std::uint64_t> passed_on_;  // (root << 32) | person
  std::uint32_t tick_ = 0;
  // Per brand, by ticks since a non-follower's last session: their chance of having
  // followed from outside the feeds since (empty: no such follows); and its hazard per tick.
  std::vector<std::vector<double>> acquisition_chance_;
  std::vector<double> acquisition_hazard_;
  engine::Random random_{0, 0};           // this tick's, for delivering stories at commit
  engine::Random start_random_{0, 0};     // the run's, for what is drawn once per post
  std::vector<float> root_engage_shift_;  // per root: its engagement log-odds shift
  // Per root, while a post is in feeds, ascending: the people the feed's ranking shows it
  // to if they follow (empty if it shows it to every follower), and those its ad is shown
  // to if they do not.
  struct PostAudience {
    std::vector<std::uint32_t> feed, ad;
    bool every_follower = false;  // the ranking showed it to all (then `feed` is empty)
  };
  std::vector<PostAudience> audience_;
  std::optional<Brand> staged_brand_;  // brand 0's new settings, from the next tick

  tbb::enumerable_thread_specific<Scratch> scratch_;
  std::vector<std::uint64_t> interval_flows_;  // since the last record
  std::vector<std::uint64_t> total_flows_;     // whole run, per brand
  std::vector<ShareRecord> shares_;
  std::vector<std::pair<std::uint32_t, std::uint8_t>> last_outgoing_;  // last tick's senders

  // Observation at the last record, and what the run metrics need from all records.
  std::vector<double> row_;
  std::vector<double> peak_aware_, peak_aware_tick_, peak_detractors_;
  std::vector<double> follower_awareness_sum_;
  std::uint32_t records_ = 0;
  std::vector<double> community_rows_;
  std::vector<std::uint64_t> last_stock_;  // per brand and community, at the last record
  std::vector<std::uint32_t> record_ticks_;
  std::vector<std::vector<double>> followers_by_record_;  // per brand, per record
  std::vector<std::int64_t> followers_now_;  // per brand and community, for followers_only
  std::vector<engine::Table> tables_;
};

// The dynamics' entry points for make_model and name (dynamics.hpp).
std::unique_ptr<engine::Model> make_model(const CampaignParams& p, const graph::Graph& graph);
std::string_view model_name(const CampaignParams& p);

}  // namespace buzz::dynamics
