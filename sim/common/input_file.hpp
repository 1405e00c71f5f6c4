#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace buzz {

// The whole of a regular file a user named, checked for what it is before it is opened;
// or nothing, with `why` it cannot be read: "No such file or directory", "it is a folder",
// "it is not a regular file" (a FIFO would block the open, a device never end), or the
// system's reason (a name too long, no permission). For readers that word their own error.
std::optional<std::string> try_read_input_file(const std::filesystem::path& path, std::string& why);

// The same, throwing InputError "PATH: cannot read the WHAT (WHY)".
std::string read_input_file(const std::filesystem::path& path, std::string_view what);

}  // namespace buzz
