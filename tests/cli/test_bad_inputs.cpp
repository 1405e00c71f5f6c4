#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "support.hpp"

using namespace buzz::testing;

namespace {

// One case of tests/bad_inputs/: the command, what its error must say, and its files.
//   # what it checks
//   args: run {dir}/s.textproto --out {dir}/out     ({dir}: the case's scratch folder)
//   expect: text the error must hold                (one or more)
//   mkdir: name                                     (a folder to create; optional)
//   --- file name                                   (then the file's lines, to the next ---)
struct Case {
  std::string args;
  std::vector<std::string> expect, folders;
  std::vector<std::pair<std::string, std::string>> files;
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

Case read_case(const fs::path& path) {
  Case c;
  std::ifstream in(path);
  std::string line;
  std::pair<std::string, std::string>* file = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      c.files.emplace_back(line.substr(4), "");
      file = &c.files.back();
    } else if (file != nullptr) {
      file->second += line + "\n";
    } else if (line.rfind("args: ", 0) == 0) {
      c.args = line.substr(6);
    } else if (line.rfind("expect: ", 0) == 0) {
      c.expect.push_back(line.substr(8));
    } else if (line.rfind("mkdir: ", 0) == 0) {
      c.folders.push_back(line.substr(7));
    }
  }
  return c;
}

}  // namespace

TEST_CASE("every case of the bad-input catalogue exits 2 with its message and leaves nothing",
          "[cli][errors]") {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests" / "bad_inputs")) {
    if (e.path().extension() == ".case") cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 30);
  for (const auto& path : cases) {
    SECTION(path.stem().string()) {
      const Case c = read_case(path);
      REQUIRE_FALSE(c.args.empty());
      REQUIRE_FALSE(c.expect.empty());
      TempDir dir;
      std::set<std::string> mine{"stdout.txt", "stderr.txt"};
      for (const auto& f : c.folders) fs::create_directories(dir / f), mine.insert(f);
      for (const auto& [name, text] : c.files) {
        write_text(dir / name, replace_all(text, "{dir}", dir.path().string()));
        mine.insert(name);
      }
      const auto r = buzzsim(replace_all(c.args, "{dir}", dir.path().string()), dir);
      INFO("stderr: " << r.err);
      CHECK(r.status == 2);
      for (const auto& e : c.expect) CHECK_THAT(r.err, Catch::Matchers::Contains(e));
      // Nothing written: no output folder, no staging folder, no partial file.
      for (const auto& e : fs::directory_iterator(dir.path())) {
        const auto name = e.path().filename().string();
        INFO("left behind: " << name);
        CHECK(mine.count(name) == 1);
      }
    }
  }
}
