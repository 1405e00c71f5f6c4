// Post exports as downloaded: the CSV reader, the column table and `buzzsim import`, on
// real-shaped files of each layout (tests/import/, made from the shipped pages' rows).
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <map>

#include "sim/common/csv_reader.hpp"
#include "sim/common/input_error.hpp"
#include "sim/dynamics/campaign_spec.hpp"
#include "sim/scenario/page_import.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

fs::path fixture(const std::string& name) {
  return testing::source_dir() / "tests" / "import" / name;
}

// Rows of a CSV file with a plain header (buzzsim's own files), by column name.
std::vector<std::map<std::string, std::string>> rows_of(const std::string& text) {
  const auto table = parse_csv(text, "<test>");
  std::vector<std::map<std::string, std::string>> out;
  for (const auto& cells : table.rows) {
    auto& row = out.emplace_back();
    for (std::size_t c = 0; c < table.header.size() && c < cells.size(); ++c) {
      row[table.header[c]] = cells[c];
    }
  }
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the CSV reader reads what RFC 4180 and spreadsheets write", "[import][csv]") {
  const auto t = parse_csv(
      "\xEF\xBB\xBF"
      "a;b;c\r\n1;\"two; and \"\"2\"\"\";3\r\n\r\n4;\"five\r\nlines\";\r\n",
      "f.csv", 0);
  CHECK(t.separator == ';');
  REQUIRE(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"1", "two; and \"2\"", "3"});
  CHECK(t.rows[1] == std::vector<std::string>{"4", "five\nlines", ""});
  CHECK(t.lines == std::vector<int>{2, 4});  // the blank line 3 is skipped
  CHECK(parse_csv("x\ty\n1\t2\n", "f", 0).separator == '\t');
  CHECK(parse_csv("x,y\n\"1;2\",3\n", "f", 0).separator == ',');  // `;` inside quotes
  CHECK(parse_csv("x;y\n1;2\n", "f", ',').rows[0] == std::vector<std::string>{"1;2"});
  CHECK_THAT(error_of([] { parse_csv("x,y\n1,\"2\n3,4\n", "f.csv"); }),
             Contains("f.csv:2: a quoted field must end with a quote"));
  CHECK_THAT(error_of([] { parse_csv("x,y\n1,\"2\"z\n", "f.csv"); }),
             Contains("f.csv:2: a quoted field must be followed by a separator"));
}

TEST_CASE("the column table knows exports' names in any spelling and their codes", "[import]") {
  using namespace buzz::scenario;
  const auto name = [](std::string_view header) {
    const PostColumn* c = find_post_column(header);
    return c == nullptr ? std::string("none") : std::string(c->name);
  };
  CHECK(name("Post Hour") == "hour");
  CHECK(name("post_hour") == "hour");
  CHECK(name(" LIFETIME POST TOTAL REACH ") == "reach");
  CHECK(name("Lifetime Post reach by people who like your Page") == "fan_reach");
  CHECK(name("Publish time") == "posted");
  CHECK(name("num_reactions") == "reactions");
  CHECK(name("Reichweite") == "none");
  CHECK(std::string(find_post_column("Reichweite", {{"Reichweite", "reach"}})->name) == "reach");
  CHECK(near_post_column("Lifetime Post Total Reachh") == "reach");
  CHECK(near_post_column("Catgory") == "category");
  CHECK_FALSE(near_post_column("mood"));
  CHECK(canonical_format("Photos") == "photo");
  CHECK(canonical_format("Text") == "status");
  CHECK(canonical_format("Reel") == "video");
  CHECK_FALSE(canonical_format("carousel"));
  CHECK(canonical_category("1") == "action");
  CHECK(canonical_category("Inspiration") == "inspiration");
  CHECK_FALSE(canonical_category("4"));
  CHECK(canonical_paid("yes") == true);
  CHECK(canonical_paid("0") == false);
  CHECK_FALSE(canonical_paid("2"));
}

// The whole page, written back into the Facebook metrics data set's layout (newest first,
// `;`, codes, month, weekday and hour only), must import into the shipped file's dates and
// counts: data/facebook_page_2014/README.md rebuilt those dates with the same rule.
TEST_CASE("the Facebook metrics layout imports into the shipped page's dates and counts",
          "[import]") {
  const auto shipped = rows_of(testing::read_text(testing::source_dir() / "data" /
                                                  "facebook_page_2014" / "posts_2014_jan_sep.csv"));
  REQUIRE(shipped.size() == 345);
  const std::map<std::string, std::string> code{
      {"action", "1"}, {"product", "2"}, {"inspiration", "3"}};
  std::string raw =
      "Page total likes;Type;Category;Post Month;Post Weekday;Post Hour;Paid;"
      "Lifetime Post Total Reach;Lifetime Post reach by people who like your Page;comment;like;"
      "share;Total Interactions\n";
  for (auto it = shipped.rbegin(); it != shipped.rend(); ++it) {
    auto r = *it;
    const int y = std::stoi(r["date"].substr(0, 4)), m = std::stoi(r["date"].substr(5, 2)),
              d = std::stoi(r["date"].substr(8, 2));
    const std::chrono::sys_days day{std::chrono::year(y) / m / d};
    const unsigned weekday = std::chrono::weekday(day).c_encoding() + 1;  // 1 = Sunday
    std::string type = r["type"];
    type[0] = char(std::toupper(type[0]));
    raw += fmt::format("{};{};{};{};{};{};{};{};{};{};{};{};{}\n", r["page_likes"], type,
                       code.at(r["category"]), m, weekday, r["hour"], r["paid"], r["reach"],
                       r["fan_reach"], r["comments"], r["likes"], r["shares"], r["interactions"]);
  }
  scenario::ImportOptions options;
  options.year = 2014;
  const auto page = scenario::import_page(raw, "export.csv", options);
  const auto imported = rows_of(page.posts_csv);
  REQUIRE(imported.size() == shipped.size());
  int same = 0;
  for (std::size_t k = 0; k < shipped.size(); ++k) {
    auto s = shipped[k], i = imported[k];
    same += s["date"] == i["date"] && s["hour"] == i["hour"] && s["type"] == i["type"] &&
            s["category"] == i["category"] && s["paid"] == i["paid"] && s["reach"] == i["reach"] &&
            s["fan_reach"] == i["fan_reach"] && s["interactions"] == i["interactions"] &&
            s["page_likes"] == i["page_likes"];
  }
  CHECK(same == 345);
  CHECK(page.first_date == "2014-01-01");
  CHECK_THAT(page.summary, Contains("newest first in the file"));
  // How sure: April and July run to their last week; the other months leave room.
  CHECK_THAT(page.summary, Contains("Exact in 2 of 9 months"));
  CHECK_THAT(page.summary, Contains("month  4:  50 posts, 2014-04-02 to 2014-04-30, exact"));
  CHECK_THAT(page.summary, Contains("month  1:  25 posts, 2014-01-01 to 2014-01-17, a post may "
                                    "be up to 2 weeks later"));
  // The starter's population from the follower count: twice the largest (135,700), at a
  // scale that keeps it within 30,000 people.
  CHECK_THAT(page.scenario, Contains("graph { communities { nodes: 27000 mean_degree: 20 } }"));
  CHECK_THAT(page.scenario, Contains("follower_share: 0.30137"));
  CHECK_THAT(page.scenario, Contains("population { scale: 0.1 }"));
  CHECK_THAT(page.whatif, Contains("population { scale: 0.1 }"));
  CHECK_THAT(page.scenario, Contains("ticks: 6552"));
  CHECK_THAT(page.scenario, Contains("paid_reach: 0.003  # 102 of the page's posts"));
  CHECK_THAT(page.whatif, Contains("paid_reach: 0  # no ads"));

  // Both scenarios load as written, the calendar replaying every post.
  testing::TempDir dir;
  testing::write_text(dir / "posts.csv", page.posts_csv);
  testing::write_text(dir / "page.textproto", page.scenario);
  testing::write_text(dir / "whatif.textproto", page.whatif);
  const auto config = scenario::load(dir / "page.textproto");
  CHECK(config.scale == 0.1);
  CHECK(scenario::load_calibration(dir / "page.textproto").scale == 0.1);
  const auto& brand = std::get<dynamics::CampaignParams>(config.dynamics).brands[0];
  CHECK(brand.calendar.size() == 345);
  std::size_t paid = 0;
  for (const auto& post : brand.calendar) paid += post.content.paid;
  CHECK(paid == 102);
  const auto whatif = scenario::load(dir / "whatif.textproto");
  CHECK(std::get<dynamics::CampaignParams>(whatif.dynamics).brands[0].calendar.empty());
}

TEST_CASE("an Insights post export reads with its description row and date-times", "[import]") {
  const std::string text = testing::read_text(fixture("insights_export.csv"));
  REQUIRE(text.substr(0, 3) == "\xEF\xBB\xBF");
  REQUIRE(text.find("\r\n") != std::string::npos);
  scenario::ImportOptions options;
  CHECK_THAT(error_of([&] { scenario::import_page(text, "insights_export.csv", options); }),
             Contains("insights_export.csv: the export must give the page's follower count") &&
                 Contains("--followers N"));
  options.followers = 135000;
  const auto page = scenario::import_page(text, "insights_export.csv", options);
  const auto rows = rows_of(page.posts_csv);
  REQUIRE(rows.size() == 36);
  CHECK_THAT(page.summary, Contains("line 2 holds the columns' descriptions"));
  CHECK_THAT(page.summary, Contains("Post Message (the post's text)"));
  CHECK_THAT(page.summary, Contains("interactions = likes + comments + shares"));
  // Newest first in the file, oldest first here; "11:00:00 PM" is hour 23, "12:00:00 AM" 0;
  // a quoted "2,360" is a count of 2360.
  const auto shipped = rows_of(testing::read_text(testing::source_dir() / "data" /
                                                  "facebook_page_2014" / "posts_2014_jan_sep.csv"));
  std::vector<std::map<std::string, std::string>> september;
  for (const auto& r : shipped) {
    if (r.at("date").rfind("2014-09", 0) == 0) september.push_back(r);
  }
  REQUIRE(september.size() == 36);
  int same = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    auto r = rows[k], s = september[k];
    // The one post whose shares are missing has no derived total (the data set's is 18).
    const std::string total = s["shares"].empty() ? "" : s["interactions"];
    same += r["date"] == s["date"] && r["hour"] == s["hour"] && r["reach"] == s["reach"] &&
            r["fan_reach"] == s["fan_reach"] && r["interactions"] == total;
  }
  CHECK(same == 36);
  CHECK_THAT(page.scenario, Contains("follower_share: 0.5  # 135,000 followers"));
  CHECK_THAT(page.scenario, Contains("match { observed: \"fan_reach\""));
  CHECK_THAT(page.scenario, !Contains("observed: \"page_likes\""));  // no follower series
}

TEST_CASE("a Meta Business Suite export reads its publish times and post types", "[import]") {
  scenario::ImportOptions options;
  options.followers = 135000;
  const auto page = scenario::import_page(testing::read_text(fixture("business_suite.csv")),
                                          "business_suite.csv", options);
  const auto rows = rows_of(page.posts_csv);
  REQUIRE(rows.size() == 36);
  CHECK(rows[0].at("date") == "2014-09-01");
  CHECK(rows[0].at("type") == "photo");  // "Photos"
  CHECK(std::stod(rows[0].at("interactions")) == std::stod(rows[0].at("reactions")) +
                                                     std::stod(rows[0].at("comments")) +
                                                     std::stod(rows[0].at("shares")));
  CHECK_THAT(page.summary, Contains("Total clicks -> consumptions"));
  CHECK_THAT(page.summary, Contains("Page ID -> page_id (which page)"));
}

TEST_CASE("a file of several pages imports the page asked for", "[import]") {
  const std::string text = testing::read_text(fixture("sellers.csv"));
  scenario::ImportOptions options;
  options.followers = 20000;
  CHECK_THAT(error_of([&] { scenario::import_page(text, "sellers.csv", options); }),
             Contains("sellers.csv:1: column 1 ('page_id') names 2 pages: choose one with "
                      "--page ID") &&
                 Contains("246675545449582 (12 posts)"));
  options.page = "nope";
  CHECK_THAT(error_of([&] { scenario::import_page(text, "sellers.csv", options); }),
             Contains("--page must be a page of column 1 ('page_id'), got 'nope'"));
  options.page = "246675545449582";
  const auto page = scenario::import_page(text, "sellers.csv", options);
  const auto rows = rows_of(page.posts_csv);
  REQUIRE(rows.size() == 12);
  // "4/11/18 04:53": a two-digit year, minutes as a fraction of the hour.
  CHECK(rows.front().at("date") == "2018-04-09");
  CHECK(rows.back().at("date") == "2018-04-22");
  CHECK(rows.back().at("hour") == "6");
  CHECK_THAT(page.summary, Contains("num_loves (reactions by kind"));
}

TEST_CASE("import refuses a near-miss column and reads one named in a columns file", "[import]") {
  const std::string text = "date,Post Hour,Lifetime Post Total Reachh,likes\n2014-01-02,9,100,3\n";
  scenario::ImportOptions options;
  options.followers = 1000;
  CHECK_THAT(error_of([&] { scenario::import_page(text, "e.csv", options); }),
             Contains("e.csv:1: column 3 ('Lifetime Post Total Reachh') must be a column "
                      "buzzsim knows, got a near miss: did you mean 'reach'?"));
  options.columns = scenario::read_column_aliases(
      "column,means\nLifetime Post Total Reachh,reach\n", "columns.csv");
  const auto page = scenario::import_page(text, "e.csv", options);
  CHECK(rows_of(page.posts_csv).at(0).at("reach") == "100");
  CHECK_THAT(error_of([] { scenario::read_column_aliases("column,means\nx,rech\n", "c.csv"); }),
             Contains("c.csv:2: means must name a column") && Contains("did you mean 'reach'?"));
  CHECK_THAT(error_of([] {
               scenario::ImportOptions o;
               o.followers = 10;
               scenario::import_page("Post Month;Post Weekday\n1;4\n", "m.csv", o);
             }),
             Contains("m.csv:1: the export gives month and weekday but no year: give it with "
                      "--year YYYY"));
  CHECK_THAT(error_of([] {
               scenario::ImportOptions o;
               o.followers = 10;
               scenario::import_page("Posted,reach\n13/13/2014,5\n", "d.csv", o);
             }),
             Contains("d.csv:2: the post's date must be a real day"));
}

TEST_CASE("buzzsim import writes a folder whole and refuses bad exports with status 2",
          "[import][cli]") {
  testing::TempDir dir;
  const auto ok = testing::buzzsim(
      fmt::format("import {} --year 2014 --out {}", fixture("facebook_metrics.csv").string(),
                  (dir / "page").string()),
      dir);
  INFO(ok.err);
  REQUIRE(ok.status == 0);
  for (const char* f : {"posts.csv", "page.textproto", "whatif.textproto", "import.txt"}) {
    CHECK(fs::exists(dir / "page" / f));
  }
  CHECK_THAT(ok.out, Contains("buzzsim calibrate"));
  // The page's follower reach and followers: its calibration estimates delivery from them.
  const auto plan = scenario::load_calibration(dir / "page" / "page.textproto");
  REQUIRE(plan.delivery_fit);
  CHECK(plan.observed.columns[plan.delivery_fit->reach] == "fan_reach");
  CHECK(plan.observed.columns[plan.delivery_fit->followers] == "page_likes");
  // Its interactions and reach: the engagement effects too.
  REQUIRE(plan.engagement_fit);
  CHECK(plan.observed.columns[plan.engagement_fit->interactions] == "interactions");
  CHECK(plan.observed.columns[plan.engagement_fit->reach] == "reach");
  // The posting response comes from the posts, not the ABC fit.
  for (const auto& f : plan.free) CHECK_THAT(f.prior.field, !Contains("posting_elasticity"));
  // Again without --overwrite: refused, the first import kept.
  const auto again = testing::buzzsim(
      fmt::format("import {} --year 2014 --out {}", fixture("facebook_metrics.csv").string(),
                  (dir / "page").string()),
      dir);
  CHECK(again.status == 2);
  CHECK(fs::exists(dir / "page" / "posts.csv"));
  const auto list = testing::buzzsim("import --list-columns", dir);
  CHECK(list.status == 0);
  CHECK_THAT(list.out, Contains("Lifetime Post reach by people who like your Page"));
}
