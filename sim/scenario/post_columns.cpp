// The columns of a page's post file, as buzzsim names them and as exports spell them.
#include "sim/scenario/post_columns.hpp"

#include <cctype>

#include "sim/common/csv_reader.hpp"
#include "sim/common/edit_distance.hpp"

namespace buzz::scenario {

namespace {

std::string lower(std::string_view text) {
  std::string out;
  for (const char ch : text) out += char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string trimmed(std::string_view text) { return lower(trim(text)); }

}  // namespace

// The aliases are the names of the Facebook metrics data set (Moro, Rita & Vala 2016), of
// Facebook Insights' post export ("Lifetime Post Total Reach", a description row under
// the header), of Meta Business Suite's post export ("Publish time", "Post type") and of
// the Facebook Live sellers data set (num_reactions, status_published).
const std::vector<PostColumn>& post_columns() {
  using U = ColumnUse;
  static const std::vector<PostColumn> table{
      {"date", U::calendar, "the day the post went out, YYYY-MM-DD", {}},
      {"day", U::calendar, "days from the scenario's start (instead of date)", {}},
      {"hour", U::calendar, "the hour it went out, 0-23 (local time)", {"Post Hour"}},
      {"type", U::calendar, "photo, status, link or video", {"format", "Post type", "status_type"}},
      {"category", U::calendar, "action, product or inspiration (or 1, 2, 3)", {"Post category"}},
      {"paid", U::calendar, "1 if the post was also promoted with paid reach", {"Boosted"}},
      {"tone", U::calendar, "0 broadcast to 1 conversational", {}},
      {"value", U::calendar, "what the post offers its reader, 0-1", {}},
      {"commerciality", U::calendar, "how much it sells, 0-1", {}},
      {"novelty", U::calendar, "how new it is, 0-1", {}},
      {"posted",
       U::export_time,
       "date and time the post went out (M/D/YYYY h:mm[:ss] [AM|PM] or YYYY-MM-DD[ T]hh:mm)",
       {"Posted", "Publish time", "created_time", "status_published", "Date posted", "Post date",
        "Published"}},
      {"month", U::export_time, "month of the post, 1-12 (no date given)", {"Post Month"}},
      {"weekday",
       U::export_time,
       "weekday of the post, 1 = Sunday (no date given)",
       {"Post Weekday"}},
      {"page_likes",
       U::count,
       "the page's followers that day",
       {"Page total likes", "followers", "Page likes", "fans", "Lifetime Total Likes"}},
      {"reach",
       U::count,
       "people who saw the post: followers, ads and friends' stories",
       {"Lifetime Post Total Reach", "Post reach", "total_reach"}},
      {"organic_reach", U::count, "people who saw it without ads", {"Lifetime Post organic reach"}},
      {"paid_reach", U::count, "people who saw it in an ad", {"Lifetime Post Paid Reach"}},
      {"impressions",
       U::count,
       "times it was shown",
       {"Lifetime Post Total Impressions", "Post impressions"}},
      {"engaged_users",
       U::count,
       "people who clicked anywhere in it",
       {"Lifetime Engaged Users", "Engaged users"}},
      {"consumers", U::count, "people who clicked it", {"Lifetime Post Consumers"}},
      {"consumptions", U::count, "clicks", {"Lifetime Post Consumptions", "Total clicks"}},
      {"fan_impressions",
       U::count,
       "times it was shown to followers",
       {"Lifetime Post Impressions by people who have liked your Page"}},
      {"fan_reach",
       U::count,
       "followers who saw it",
       {"Lifetime Post reach by people who like your Page"}},
      {"fan_engaged",
       U::count,
       "followers who clicked in it",
       {"Lifetime People who have liked your Page and engaged with your post"}},
      {"negative_feedback",
       U::count,
       "hides, unlikes and reports",
       {"Lifetime Negative feedback", "Lifetime Negative Feedback from Users"}},
      {"comments",
       U::count,
       "comments",
       {"comment", "num_comments", "Lifetime Talking About This (Post) by action type - comment"}},
      {"likes",
       U::count,
       "likes",
       {"like", "num_likes", "Lifetime Talking About This (Post) by action type - like"}},
      {"shares",
       U::count,
       "shares",
       {"share", "num_shares", "Lifetime Talking About This (Post) by action type - share"}},
      {"reactions",
       U::count,
       "likes and the other reactions (love, wow, haha, sad, angry)",
       {"num_reactions"}},
      {"interactions",
       U::count,
       "reactions, comments and shares together",
       {"Total Interactions", "Reactions, comments and shares"}},
      {"message",
       U::not_used,
       "the post's text",
       {"Post Message", "status_message", "Title", "Description"}},
      {"post_id",
       U::not_used,
       "the post's id and address",
       {"Post ID", "Permalink", "status_id", "link"}},
      {"page_id", U::not_used, "the page's id", {"Page ID"}},
      {"page_name", U::not_used, "the page's name", {"Page name"}},
      {"reaction_kinds",
       U::not_used,
       "reactions by kind (counted in reactions)",
       {"num_loves", "num_wows", "num_hahas", "num_sads", "num_angrys"}},
      {"targeting",
       U::not_used,
       "who the post was shown to",
       {"Countries", "Languages", "Audience Targeting"}},
  };
  return table;
}

std::string column_key(std::string_view header) {
  std::string key;
  for (const char ch : header) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      key += char(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return key;
}

const PostColumn* find_post_column(std::string_view header, const ColumnAliases& extra) {
  const std::string key = column_key(header);
  if (key.empty()) return nullptr;
  const auto by_name = [](std::string_view name) -> const PostColumn* {
    for (const auto& c : post_columns()) {
      if (c.name == name) return &c;
    }
    return nullptr;
  };
  for (const auto& [alias, name] : extra) {
    if (column_key(alias) == key) return by_name(name);
  }
  for (const auto& c : post_columns()) {
    if (column_key(c.name) == key) return &c;
    for (const auto alias : c.aliases) {
      if (column_key(alias) == key) return &c;
    }
  }
  return nullptr;
}

std::optional<std::string> near_post_column(std::string_view header) {
  const std::string key = column_key(header);
  // One edit in a short name, two in a long one: "reach2" is a misspelt reach, "rank" is not.
  const std::size_t allowed = key.size() >= 8 ? 2 : key.size() >= 4 ? 1 : 0;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& c : post_columns()) {
    std::vector<std::string_view> names{c.name};
    names.insert(names.end(), c.aliases.begin(), c.aliases.end());
    for (const auto name : names) {
      const std::size_t d = edit_distance(key, column_key(name));
      if (d < best_distance) best_distance = d, best = std::string(c.name);
    }
  }
  return best;
}

std::optional<std::string> canonical_format(std::string_view text) {
  std::string t = trimmed(text);
  if (t.size() > 1 && t.back() == 's' && t != "status") t.pop_back();  // "Photos", "Links"
  if (t == "photo" || t == "image" || t == "album") return "photo";
  if (t == "status" || t == "text") return "status";
  if (t == "link") return "link";
  if (t == "video" || t == "reel" || t == "live") return "video";
  return std::nullopt;
}

std::optional<std::string> canonical_category(std::string_view text) {
  const std::string t = trimmed(text);
  if (t == "1" || t == "action") return "action";
  if (t == "2" || t == "product") return "product";
  if (t == "3" || t == "inspiration") return "inspiration";
  return std::nullopt;
}

std::optional<bool> canonical_paid(std::string_view text) {
  const std::string t = trimmed(text);
  if (t == "1" || t == "1.0" || t == "yes" || t == "true") return true;
  if (t == "0" || t == "0.0" || t == "no" || t == "false") return false;
  return std::nullopt;
}

}  // namespace buzz::scenario
