#pragma once

#include <string>
#include <string_view>

namespace buzz::report {

// Text made safe to put in HTML and SVG.
inline std::string html_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// A metric or field path in words: its last part, underscores as spaces
// ("dynamics.campaign.brands[0].posts_per_week" -> "posts per week").
inline std::string words(std::string_view name) {
  const auto dot = name.rfind('.');
  std::string out(dot == std::string_view::npos ? name : name.substr(dot + 1));
  for (char& ch : out) {
    if (ch == '_') ch = ' ';
  }
  return out;
}

// A reported metric in words, its brand kept when it has one ("challenger.engagement_rate"
// -> "challenger: engagement rate"), so that two brands' charts can be told apart.
inline std::string metric_title(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return words(name);
  return std::string(name.substr(0, dot)) + ": " + words(name.substr(dot + 1));
}

// The start of a report page: its title and the style the reports share.
inline std::string report_head(std::string_view title) {
  return std::string(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>)") +
         html_escape(std::string(title)) + R"(</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts svg { border: 1px solid #ddd; background: #fff; }
.title { font-size: 12px; font-weight: bold; } .tick { font-size: 10px; fill: #555; }
.axis { stroke: #888; stroke-width: 1; } .err { stroke: #222; stroke-width: 1.2; }
table { border-collapse: collapse; font-size: 12px; } td, th { border: 1px solid #ccc; padding: 3px 6px; }
.headline { font-size: 17px; background: #f3f7fb; border-left: 4px solid #1f77b4; padding: 8px 12px; }
.legend span { display: inline-block; margin-right: 16px; } .swatch { width: 12px; height: 12px; display: inline-block; margin-right: 4px; vertical-align: middle; }
</style></head><body>
)";
}

}  // namespace buzz::report
