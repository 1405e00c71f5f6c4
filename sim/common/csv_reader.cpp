#include "sim/common/csv_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "sim/common/input_error.hpp"

namespace buzz {

namespace {

char detect_separator(std::string_view text) {
  std::array<int, 3> count{};
  constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
  bool quoted = false;
  for (const char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (quoted) continue;
    if (ch == '\n' || ch == '\r') break;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) count[k] += ch == kCandidates[k];
  }
  const auto best = std::max_element(count.begin(), count.end()) - count.begin();
  return count[best] == 0 ? ',' : kCandidates[best];
}

}  // namespace

CsvTable parse_csv(std::string_view text, std::string_view origin, char separator) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  table.separator = separator == 0 ? detect_separator(text) : separator;
  std::vector<std::string> record;
  std::string field;
  bool any = false;  // the record has a character or a separator: it is not a blank line
  bool have_header = false;
  int line = 1, record_line = 1;
  const auto end_record = [&] {
    if (any) {
      record.push_back(std::move(field));
      if (!have_header) {
        table.header = std::move(record);
        have_header = true;
      } else {
        table.rows.push_back(std::move(record));
        table.lines.push_back(record_line);
      }
    }
    record.clear(), field.clear(), any = false;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char ch = text[i];
    if (ch == '"' && field.empty()) {
      // A quoted field: to the closing quote, "" standing for one quote.
      const int opened = line;
      any = true;
      for (++i;; ++i) {
        if (i >= text.size()) {
          throw InputError(
              fmt::format("{}:{}: a quoted field must end with a quote, got none "
                          "before the end of the file",
                          origin, opened));
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"', ++i;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        field += text[i];
      }
      if (i < text.size() && text[i] != table.separator && text[i] != '\n' && text[i] != '\r') {
        throw InputError(fmt::format(
            "{}:{}: a quoted field must be followed by a separator or the line's end, got '{}'",
            origin, line, text[i]));
      }
      continue;
    }
    if (ch == table.separator) {
      record.push_back(std::move(field));
      field.clear(), any = true;
    } else if (ch == '\n' || ch == '\r') {
      end_record();
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record_line = ++line;
    } else {
      field += ch, any = true;
    }
    ++i;
  }
  end_record();
  return table;
}

std::string trim(std::string_view cell) {
  while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.front()))) {
    cell.remove_prefix(1);
  }
  while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.back()))) {
    cell.remove_suffix(1);
  }
  return std::string(cell);
}

}  // namespace buzz
