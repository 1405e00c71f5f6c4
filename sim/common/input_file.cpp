#include "sim/common/input_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/common/input_error.hpp"

namespace buzz {

std::optional<std::string> try_read_input_file(const std::filesystem::path& path,
                                               std::string& why) {
  std::error_code ec;  // a path the system refuses (too long, say) is the user's to fix
  const auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    why = ec.message();
  } else if (!std::filesystem::exists(status)) {
    why = std::strerror(ENOENT);
  } else if (std::filesystem::is_directory(status)) {
    why = "it is a folder";
  } else if (!std::filesystem::is_regular_file(status)) {
    why = "it is not a regular file";
  } else if (std::ifstream in(path, std::ios::binary); !in) {
    why = std::strerror(errno);
  } else {
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
  }
  return std::nullopt;
}

std::string read_input_file(const std::filesystem::path& path, std::string_view what) {
  std::string why;
  auto text = try_read_input_file(path, why);
  if (!text) throw InputError(fmt::format("{}: cannot read the {} ({})", path.string(), what, why));
  return std::move(*text);
}

}  // namespace buzz
