#include "sim/common/input_error.hpp"

#include <regex>

namespace buzz {

InputError::InputError(const std::string& message) : std::runtime_error(message) {
  const std::string first = message.substr(0, message.find('\n'));
  static const std::regex with_column(R"(^(.+?):(\d+):(\d+): (.*)$)");
  static const std::regex with_line(R"(^(.+?):(\d+): (.*)$)");
  static const std::regex file_only(R"(^([^:\s][^:]*): (.*)$)");
  static const std::regex rule(R"(^([\w.\[\]]+) must (.*), got (.*)$)");
  std::smatch m;
  std::string body = first;
  if (std::regex_match(first, m, with_column)) {
    file_ = m[1], line_ = std::stoi(m[2]), column_ = std::stoi(m[3]), body = m[4];
  } else if (std::regex_match(first, m, with_line)) {
    file_ = m[1], line_ = std::stoi(m[2]), body = m[3];
  } else if (std::regex_match(first, m, file_only)) {
    file_ = m[1], body = m[2];
  }
  if (std::regex_match(body, m, rule)) {
    field_ = m[1], rule_ = m[2], value_ = m[3];
  }
}

}  // namespace buzz
