#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace buzz::scenario {

// What a column of a page's post file holds.
enum class ColumnUse {
  calendar,     // what and when a post is: read into the campaign's calendar
  count,        // a measured count per post (reach, likes): what calibrate's matches read
  export_time,  // how exports give the time (a date-time, or month and weekday): import rebuilds
                // dates
  not_used,     // known to carry nothing the model uses (a post's id, text or link)
};

// One column: its name in buzzsim's calendar and observed files, and the names exports give
// it. Names are compared by their letters and digits only, ignoring case ("Post Hour",
// "post_hour" and "POSTHOUR" are one name).
struct PostColumn {
  std::string_view name;
  ColumnUse use;
  std::string_view meaning;
  std::vector<std::string_view> aliases;
};

// The one table of post-file columns (the calendar reader, `buzzsim import`, the docs'
// list via `buzzsim import --list-columns`).
const std::vector<PostColumn>& post_columns();

// A header's letters and digits, lower-cased: the form names are compared in.
std::string column_key(std::string_view header);

// Extra names for columns, as `buzzsim import --columns FILE` gives them: (export's name,
// buzzsim's name).
using ColumnAliases = std::vector<std::pair<std::string, std::string>>;

// The column a header names (by name or alias, `extra` first), or nullptr.
const PostColumn* find_post_column(std::string_view header, const ColumnAliases& extra = {});
// The known name nearest a header that names none, when it is near enough to be a misspelling
// of it (a near miss): "Catgory" gives "category".
std::optional<std::string> near_post_column(std::string_view header);

// Values as exports write them, in the calendar's words, or nothing when not one:
// a format ("Photos", "Text", "Reel" -> photo, status, video), a category (1, 2, 3 as the
// Facebook metrics data set codes them, or the name in any case), paid (1/0, yes/no,
// true/false).
std::optional<std::string> canonical_format(std::string_view text);
std::optional<std::string> canonical_category(std::string_view text);
std::optional<bool> canonical_paid(std::string_view text);

}  // namespace buzz::scenario
