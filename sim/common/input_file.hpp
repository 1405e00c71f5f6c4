#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace buzz {

// Why a file a user named cannot be read, checked before it is opened, or "" when it
// can: "No such file or directory", "it is a folder", "it is not a regular file" (a FIFO would
// block the open, a device never end), or the system's reason (a name too long, no permission).
std::string unreadable_reason(const std::filesystem::path& path);

// The whole of a regular file a user named. Throws InputError
// "PATH: cannot read the WHAT (WHY)" when unreadable_reason gives a reason.
std::string read_input_file(const std::filesystem::path& path, std::string_view what);

}  // namespace buzz
