#pragma once

#include <stdexcept>
#include <string>

namespace buzz {

// Bad input from a user: a scenario file, a graph file or the command line. The message
// is complete and ready to print, e.g.
//   scenarios/x.textproto:12:5: dynamics.sir.beta must be in [0, 1], got 1.5
// Commands exit with status 2 on it; any other exception is an internal fault (status 1).
//
// Messages follow one grammar, "PLACE: FIELD must RULE, got VALUE", where PLACE is
// file:line:column, file:line or file; the parts of the first line are also available one
// by one (empty, or -1 for line and column, where a message has no such part), for callers
// that present errors their own way (a notebook, an editor).
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }      // 1-based, -1 when unknown
  int column() const { return column_; }  // 1-based, -1 when unknown
  const std::string& field() const { return field_; }
  const std::string& rule() const { return rule_; }  // e.g. "be in [0, 1]"
  const std::string& value() const { return value_; }

 private:
  std::string file_, field_, rule_, value_;
  int line_ = -1, column_ = -1;
};

}  // namespace buzz
