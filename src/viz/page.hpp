#pragma once
// A lesson's page: the record of its run (viz/report.hpp) as one static HTML
// file, the way a notebook shows a computation, with its output and its plots
// in one place. No script, no external file but the figures next to it, a
// small inline style sheet (laptop, phone and print).
//
//   out/index.html          the course's front page: the five lessons, a line
//                           each, and the first figure of each lesson run
//   out/lessonN/index.html  the lesson: the formulas of its header, then every
//                           section as printed, each figure under the step
//                           that saved it, a link to the code of each section
//
// report::write_page (declared in report.hpp) writes both; the functions
// below build the text, so the tests can read it without writing files.
#include <string>
#include <vector>

#include "viz/report.hpp"

namespace llm::page {

// The page of a run. `blocks` is what the run printed (report::record()),
// `formulas` the lesson's formulas, shown under its title. `to_root` is the
// relative path from the page's folder to the folder the sources are in
// ("../.." for out/lessonN): source paths become links only when that file
// exists (relative to the current directory, as the lessons are run).
std::string lesson_html(const std::vector<report::Block>& blocks, const std::vector<std::string>& formulas,
                        const std::string& dir, const std::string& to_root);

// The front page of `out`, for the lesson pages that exist in out/lesson1..5.
std::string front_html(const std::string& out);

// "<" ">" "&" and quotes as entities.
std::string escape(std::string_view s);

}  // namespace llm::page
