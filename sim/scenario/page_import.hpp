#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/post_columns.hpp"

namespace buzz::scenario {

// What `buzzsim import` needs beyond the export itself.
struct ImportOptions {
  std::optional<int> year;          // for exports that give month and weekday but no year
  std::optional<double> followers;  // the page's followers at its first post, when the export
                                    // has no follower column
  std::string page;                 // which page, when the file holds several (a page_id)
  ColumnAliases columns;            // the user's own names for columns (--columns FILE)
  std::string name = "page";        // the page's name in the scenario
};

// A page's export read into buzzsim's files.
struct ImportedPage {
  std::string posts_csv;  // calendar and observed file: one row per post, oldest first
  std::string scenario;   // a starter scenario replaying the page, with a calibrate block
  std::string whatif;     // the same page posting on a schedule, to edit into a what-if
  std::string summary;    // what was read and used, what was not, and how sure the dates are
  std::size_t posts = 0;
  std::string first_date, last_date;  // YYYY-MM-DD
};

// Reads a post export as downloaded: the Facebook metrics data set's layout (`;`, long
// names, newest first, month, weekday and hour without a date; dates rebuilt), Facebook
// Insights' post export (a description row under the header, "Posted" date-times), Meta
// Business Suite's ("Publish time") or any file whose columns the table of post columns
// names (post_columns.hpp). Throws InputError naming `origin`, the line, the column, the
// rule and the value: for a near-miss column name, a value that cannot be read, an export
// without a time for its posts or without a follower count (and no `followers`).
ImportedPage import_page(std::string_view text, const std::string& origin,
                         const ImportOptions& options);

// A --columns file: a header `column,means` and a row per name, e.g.
// `Reichweite,reach`; every `means` must name a column of the table. Errors name the file
// and line.
ColumnAliases read_column_aliases(std::string_view text, const std::string& origin);

// The table of post columns as text, for `buzzsim import --list-columns`.
std::string describe_post_columns();

}  // namespace buzz::scenario
