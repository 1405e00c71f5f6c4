#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace buzz {

// A CSV table as RFC 4180 reads it, with what spreadsheet exports add: a UTF-8 byte-order
// mark, CRLF or LF line ends, `,`, `;` or tab as the separator, quoted fields holding
// separators, doubled quotes and line breaks. Blank lines are skipped.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // the 1-based line each row starts on, for error messages
  char separator = ',';
};

// Parses `text`; `separator` 0 takes whichever of `,` `;` and tab occurs most often
// outside quotes in the first line. Throws InputError naming `origin` and the line for an
// unterminated quote or text after a closing quote.
CsvTable parse_csv(std::string_view text, std::string_view origin, char separator = ',');

// A cell without the spaces around it.
std::string trim(std::string_view cell);

}  // namespace buzz
