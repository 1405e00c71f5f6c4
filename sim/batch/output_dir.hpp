#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace buzz::batch {

// An output folder that appears whole or not at all. Files are written into a hidden
// sibling staging folder; commit() renames it into place. An uncommitted folder is
// removed on destruction, so a failed run leaves nothing behind; what a killed run left
// (its staging folder, or an old output moved aside while being replaced) is cleaned up,
// or put back, by the next run into the same place.
class OutputDir {
 public:
  // Throws InputError if `target` exists and `overwrite` is false (an existing output is
  // never replaced silently), or if it exists and is not a buzzsim output folder.
  OutputDir(std::filesystem::path target, bool overwrite);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Where to write files before commit().
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }
  // Moves the staged folder to the target, replacing an old one only when allowed.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool overwrite_;
  bool committed_ = false;
  std::vector<std::filesystem::path> created_;  // parents made for the target, innermost first
};

// Every output folder holds this file; --overwrite replaces only folders that do, so that
// a mistyped --out never deletes someone's files.
inline constexpr std::string_view kOutputMarker = ".buzzsim-output";
void write_marker(const std::filesystem::path& folder);
// Throws InputError unless `folder` holds the marker.
void check_replaceable(const std::filesystem::path& folder);

// Opens `folder` for a command that can be resumed (calibrate, backtest). With `resume`, the
// folder must hold `plan_file` with exactly `identity`, else InputError saying what may be
// continued (`same`, e.g. "scenario, observed file and build"); a missing folder is
// started. Without, an existing folder is refused unless `overwrite` (and then only a
// buzzsim output folder is replaced); the folder is started afresh with the marker and the
// identity. `what` names the command's work ("calibration").
void open_resumable(const std::filesystem::path& folder, const std::string& plan_file,
                    const std::string& identity, bool resume, bool overwrite, std::string_view what,
                    std::string_view same);

// The whole content of `path` ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Writes `content` to `path` whole: into a temporary file beside it, then renamed.
void write_file(const std::filesystem::path& path, std::string_view content);

}  // namespace buzz::batch
