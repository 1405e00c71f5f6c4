#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace buzz::report {

// Builds CSV text as RFC 4180 says: fields separated by commas, rows ended by "\n", and a
// field that holds a comma, a quote or a line break enclosed in quotes with its quotes
// doubled ("Acme, Inc" stays one field). Numbers are written in their shortest form that
// reads back to the same double.
class Csv {
 public:
  Csv& text(std::string_view field) {
    separate();
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      out_.append(field.data(), field.data() + field.size());
      return *this;
    }
    out_.push_back('"');
    for (char c : field) {
      if (c == '"') out_.push_back('"');
      out_.push_back(c);
    }
    out_.push_back('"');
    return *this;
  }
  template <typename Number>
  Csv& number(Number value) {
    separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  Csv& empty() {
    separate();
    return *this;
  }
  void end_row() {
    out_.push_back('\n');
    first_ = true;
  }
  std::string str() const { return fmt::to_string(out_); }

 private:
  void separate() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  fmt::memory_buffer out_;
  bool first_ = true;
};

}  // namespace buzz::report
