// Every lesson is a test (issue 11). The real build/lesson1..5 run as
// subprocesses, with --no-timing:
//
//   - transcripts: each lesson's whole output equals tests/transcripts/lessonN.txt.
//     These runs are exactly `build/lessonN --no-timing`, so they write their
//     figures to out/lessonN/ as `make lessonN` does (a temporary folder would
//     change the printed paths, and with them the wrapping of the text). A
//     difference fails and shows the first differing lines. `make transcripts` rewrites the
//     files on purpose, so a change to what a lesson teaches is a reviewed diff;
//   - self-checks: a lesson whose self-check fails exits 1 and names the
//     check on stderr: every run here must exit 0 with an empty stderr;
//   - exercises: every "Your turn" command (lessons/fixtures/exercises.cpp)
//     prints its expected line before the "Your turn" section;
//   - flags: --help, and a bad flag is one line on stderr, exit 2;
//   - PPM: lesson 1's heatmaps as P6 files: header, size, pixels.
//
// The binaries: $LLM_LESSONS/lessonN, default build/ (`make test` sets it).
// Run from the repository root (lesson 5 reads data/).
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures/lesson_cli.hpp"
#include "io/files.hpp"
#include "viz/i18n.hpp"
#include "viz/plot.hpp"

using namespace llm;
using llm::testing::TempDir;

namespace {

struct Output {
    int status = -1;       // exit status; -1 killed by a signal
    std::string out, err;
};

std::string lesson_path(int n) {
    const char* env = std::getenv("LLM_LESSONS");
    return std::string(env && *env ? env : "build") + "/lesson" + std::to_string(n);
}

// Runs lesson n with `args` (and `env`, "NAME=value" entries added to the
// environment); stdout and stderr through files of a TempDir.
Output run_lesson(int n, const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    const std::string bin = lesson_path(n);
    if (::access(bin.c_str(), X_OK) != 0)
        FAIL("no binary at '" << bin << "': run `make test`, or point LLM_LESSONS at the folder of lesson1..5");
    TempDir io;
    const std::string out_path = io / "stdout", err_path = io / "stderr";
    std::vector<std::string> argv_s = {bin};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = env;
    for (char** e = environ; *e; ++e) env_s.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& s : env_s) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {   // only async-signal-safe calls from here
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    int wstatus = 0;
    REQUIRE(::waitpid(pid, &wstatus, 0) == pid);
    Output r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    r.out = io::read_file(out_path);
    r.err = io::read_file(err_path);
    return r;
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "" when equal; else the first differing line, with two lines of context.
std::string first_difference(const std::string& expected, const std::string& got) {
    if (expected == got) return "";
    const auto a = lines_of(expected), b = lines_of(got);
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    std::string msg = "first difference at line " + std::to_string(i + 1) + " (transcript " +
                      std::to_string(a.size()) + " lines, output " + std::to_string(b.size()) + " lines)\n";
    for (std::size_t k = i >= 2 ? i - 2 : 0; k < i; ++k) msg += "    " + a[k] + "\n";
    for (std::size_t k = i; k < std::min(a.size(), i + 3); ++k) msg += "  - " + a[k] + "\n";
    for (std::size_t k = i; k < std::min(b.size(), i + 3); ++k) msg += "  + " + b[k] + "\n";
    if (i == a.size() && i == b.size()) msg += "  (only the final newline differs)\n";
    return msg;
}

// The French of an English text, as the lessons print it with --lang fr.
std::string french(std::string_view english) {
    i18n::set_language(i18n::Lang::fr);
    std::string s = i18n::tr(english);
    i18n::set_language(i18n::Lang::en);
    return s;
}

// Whitespace runs (spaces, newlines of wrapped paragraphs) as one space.
std::string squeeze(const std::string& s) {
    std::string out;
    for (const char c : s) {
        const bool space = c == ' ' || c == '\n' || c == '\t';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

// The lesson's output before its "Your turn" section (which quotes the expected lines).
std::string before_exercises(const std::string& out) {
    std::size_t at = out.find("\n== Your turn ");
    if (at == std::string::npos) at = out.find("\n== " + french("Your turn") + " ");
    return at == std::string::npos ? out : out.substr(0, at);
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("lessons: each output equals its committed transcript, every self-check passes", "[lessons][transcript]") {
    for (int n = 1; n <= 5; ++n) {
        DYNAMIC_SECTION("lesson " << n) {
            const Output r = run_lesson(n, {"--no-timing"});
            INFO("stderr: " << r.err);
            REQUIRE(r.status == 0);   // a failed self-check exits 1 and names itself on stderr
            REQUIRE(r.err.empty());
            const std::string& got = r.out;
            const std::string path = "tests/transcripts/lesson" + std::to_string(n) + ".txt";
            const std::string expected = io::read_file(path);
            const std::string diff = first_difference(expected, got);
            INFO("lesson " << n << " no longer prints " << path << "; if the change is meant, run `make transcripts` "
                 "and review the diff\n" << diff);
            CHECK(diff.empty());
        }
    }
}

TEST_CASE("lessons: every exercise prints the result its lesson announces", "[lessons][transcript]") {
    for (int n = 1; n <= 5; ++n) {
        const auto exercises = lesson::exercises(n);
        REQUIRE(exercises.size() >= 3);
        REQUIRE(exercises.size() <= 5);
        for (std::size_t i = 0; i < exercises.size(); ++i) {
            const lesson::Exercise& e = exercises[i];
            DYNAMIC_SECTION("lesson " << n << ", exercise " << i + 1) {
                TempDir dir;
                std::vector<std::string> args = e.args;
                for (const char* a : {"--no-timing", "--out"}) args.push_back(a);
                args.push_back(dir / "out");
                const Output r = run_lesson(n, args);
                INFO("build/lesson" << n << " " << squeeze(std::accumulate(e.args.begin(), e.args.end(), std::string(),
                                                                           [](std::string a, const std::string& b) { return a + " " + b; }))
                                    << "\nstderr: " << r.err << "\nexpected: " << e.expect);
                REQUIRE(r.status == 0);
                CHECK(squeeze(before_exercises(r.out)).find(squeeze(e.expect)) != std::string::npos);
            }
        }
    }
}

TEST_CASE("lessons 1-4: --help, and a bad flag is one line on stderr with exit 2", "[lessons]") {
    for (int n = 1; n <= 4; ++n) {
        DYNAMIC_SECTION("lesson " << n) {
            const Output help = run_lesson(n, {"--help"});
            CHECK(help.status == 0);
            CHECK(help.out.rfind("usage: build/lesson" + std::to_string(n), 0) == 0);
            for (const std::vector<std::string>& bad :
                 {std::vector<std::string>{"--bogus"}, {"--seed", "x"}, {"--seed"}, {"--out", ""}}) {
                const Output r = run_lesson(n, bad);
                INFO("args: " << bad[0] << "\nstderr: " << r.err);
                CHECK(r.status == 2);
                CHECK(r.out.empty());
                CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
                CHECK(r.err.rfind("lesson" + std::to_string(n) + ": ", 0) == 0);
                CHECK(r.err.find("(see --help)\n") != std::string::npos);
            }
        }
    }
}

TEST_CASE("lessons: the heatmaps are also written as PPM (P6) files", "[lessons]") {
    TempDir dir;
    const Output r = run_lesson(1, {"--no-timing", "--out", dir / "out"});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("attention_weights.ppm") != std::string::npos);   // the list of figures names it
    auto pixel = [](const std::string& ppm, std::size_t header, std::size_t w, std::size_t x, std::size_t y) {
        const std::size_t o = header + (y * w + x) * 3;
        return plot::Rgb{static_cast<std::uint8_t>(ppm[o]), static_cast<std::uint8_t>(ppm[o + 1]),
                         static_cast<std::uint8_t>(ppm[o + 2])};
    };
    SECTION("one panel: padding_weights.ppm, 6 x 6 cells of 43 x 43 pixels") {
        const std::string ppm = io::read_file(dir / "out/padding_weights.ppm");
        const std::string header = "P6\n258 258\n255\n";
        REQUIRE(ppm.size() == header.size() + 258 * 258 * 3);
        CHECK(ppm.substr(0, header.size()) == header);
        // keys 3..5 are padding: weight exactly 0, the bottom of the colour range
        CHECK(pixel(ppm, header.size(), 258, 3 * 43 + 20, 0) == plot::colormap(plot::Colormap::viridis, 0.0));
        CHECK(pixel(ppm, header.size(), 258, 5 * 43 + 42, 5 * 43 + 42) == plot::colormap(plot::Colormap::viridis, 0.0));
        CHECK(!(pixel(ppm, header.size(), 258, 0, 0) == plot::colormap(plot::Colormap::viridis, 0.0)));
    }
    SECTION("two panels: attention_weights.ppm, no mask | causal, a white gap between") {
        const std::string ppm = io::read_file(dir / "out/attention_weights.ppm");
        const std::size_t s = 16, w = (2 * 7 - 1) * s, h = 6 * s;   // cells of 16 px, one cell of gap
        const std::string header = "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
        REQUIRE(ppm.size() == header.size() + w * h * 3);
        CHECK(ppm.substr(0, header.size()) == header);
        const std::size_t right = 7 * s;                              // the causal panel's left edge
        CHECK(pixel(ppm, header.size(), w, 6 * s + 3, 10) == plot::Rgb{255, 255, 255});                  // the gap
        CHECK(pixel(ppm, header.size(), w, right + 5, 5) == plot::colormap(plot::Colormap::viridis, 1.0));  // w[0, 0] = 1
        CHECK(pixel(ppm, header.size(), w, right + 5 * s + 5, 5) == plot::colormap(plot::Colormap::viridis, 0.0));  // a future key
    }
}

// ---------------------------------------------------------------------------
// The course in French (issue 12): --lang fr on every lesson.
//
//   - transcripts: tests/transcripts/fr/lessonN.txt, as the English ones (the
//     figures go to out/fr/lessonN/, the French course's folder);
//   - completeness: every message a lesson can print in French has a catalogue
//     entry: the lesson itself, --help, every exercise, bad flags and, for
//     lesson 5, bad data and --predict's warnings, run with LLM_I18N_MISSING,
//     which names each key the program could not find;
//   - French prose: English function words are rare in the French output.

namespace {

const std::vector<std::string> kFrench = {"--lang", "fr"};

std::vector<std::string> french_args(std::vector<std::string> args) {
    args.insert(args.begin(), kFrench.begin(), kFrench.end());
    return args;
}

}  // namespace

TEST_CASE("lessons in French: each output equals its committed French transcript", "[lessons][fr][transcript]") {
    for (int n = 1; n <= 5; ++n) {
        DYNAMIC_SECTION("lesson " << n) {
            const Output r = run_lesson(n, french_args({"--no-timing", "--out", "out/fr/lesson" + std::to_string(n)}));
            INFO("stderr: " << r.err);
            REQUIRE(r.status == 0);
            REQUIRE(r.err.empty());
            const std::string path = "tests/transcripts/fr/lesson" + std::to_string(n) + ".txt";
            const std::string diff = first_difference(io::read_file(path), r.out);
            INFO("lesson " << n << " --lang fr no longer prints " << path << "; if the change is meant, run "
                 "`make transcripts` and review the diff\n" << diff);
            CHECK(diff.empty());
        }
    }
}

TEST_CASE("lessons in French: every message has a French entry, on every path", "[lessons][fr][transcript]") {
    for (int n = 1; n <= 5; ++n) {
        DYNAMIC_SECTION("lesson " << n) {
            TempDir dir;
            const std::string missing = dir / "missing.txt";
            const std::vector<std::string> env = {"LLM_I18N_MISSING=" + missing};
            // a folder named lessonN: the run also writes the course's front page
            // and the page's link to it, whose words are then looked up too
            const std::string out = dir / ("lesson" + std::to_string(n));
            auto run = [&](std::vector<std::string> args) { return run_lesson(n, french_args(std::move(args)), env); };
            CHECK(run({"--no-timing", "--out", out}).status == 0);
            CHECK(run({"--help"}).status == 0);
            for (const lesson::Exercise& e : lesson::exercises(n)) {
                std::vector<std::string> args = e.args;
                for (const std::string& a : std::vector<std::string>{"--no-timing", "--out", out + "-exercise"}) args.push_back(a);
                const Output r = run(args);
                CHECK(r.status == 0);
                // the line the French "Your turn" section announces is printed
                INFO("exercise: " << e.expect << "\nin French: " << french(e.expect));
                CHECK(squeeze(before_exercises(r.out)).find(squeeze(french(e.expect))) != std::string::npos);
            }
            CHECK(run({"--bogus"}).status == 2);
            CHECK(run({"--seed", "x"}).status == 2);
            if (n == 5) {
                const std::string model = out + "/model.safetensors";
                CHECK(run({"--epochs", "0"}).status == 2);
                CHECK(run({"--train", dir / "no-such-file.tsv"}).status == 1);
                io::write_file_atomic(dir / "dirty.tsv", "a fine film\tpositive\n\tnegative\nbad\t\nworse\tnegative\n");
                CHECK(run({"--train", dir / "dirty.tsv", "--test", dir / "dirty.tsv", "--epochs", "1", "--out",
                           dir / "dirty-out", "--no-timing"}).status == 0);
                CHECK(run({"--train", dir / "dirty.tsv", "--strict"}).status == 1);
                std::string big;   // 1,000 lines: the settings for data of your own are printed
                for (int i = 0; i < 1000; ++i) big += "film " + std::to_string(i) + (i % 2 ? "\tpositive\n" : "\tnegative\n");
                io::write_file_atomic(dir / "big.tsv", big);
                CHECK(run({"--train", dir / "big.tsv", "--test", dir / "dirty.tsv", "--d-model", "16", "--heads", "2",
                           "--layers", "1", "--out", dir / "big-out", "--no-timing"}).status == 0);
                CHECK(run({"--train", dir / "dirty.tsv", "--test", dir / "dirty.tsv", "--pretrain", "1", "--epochs",
                           "1", "--out", dir / "pretrain-out", "--no-timing"}).status == 0);   // masked-word pre-training
                io::write_file_atomic(dir / "unsup.txt", "a fine text\n\nbad \xFF\n<br />\n");   // --unlabelled, dirty lines
                CHECK(run({"--train", dir / "dirty.tsv", "--test", dir / "dirty.tsv", "--unlabelled", dir / "unsup.txt",
                           "--pretrain", "1", "--epochs", "1", "--out", dir / "pretrain-out", "--no-timing"}).status == 0);
                CHECK(run({"--unlabelled", dir / "unsup.txt", "--pretrain", "0"}).status == 2);
                CHECK(run({"--unlabelled", dir / "unsup.txt", "--strict"}).status == 1);
                std::filesystem::create_directories(dir.path / "unsup");
                CHECK(run({"--unlabelled", dir / "unsup"}).status == 1);   // a folder without a .txt file
                CHECK(run({"--unlabelled", dir / "no-such.txt"}).status == 1);
                CHECK(run({"--pool", "median"}).status == 2);
                CHECK(run({"--load", model, "--predict", "zzz qqq", "--predict",
                           "the plot of the film was slow and the acting was not good at all but the music "
                           "was lovely and the ending was a real surprise to me and my friends"}).status == 0);
                CHECK(run({"--predict", "x"}).status == 2);
            }
            std::string keys;
            if (::access(missing.c_str(), F_OK) == 0) keys = io::read_file(missing);
            INFO("lesson " << n << ": messages without a French entry (add them to lessons/fr/lesson" << n
                 << ".cpp, or to lessons/fr/common.cpp when several lessons print them):\n" << keys);
            CHECK(keys.empty());
        }
    }
}

TEST_CASE("lessons in French: the prose is French, not English", "[lessons][fr]") {
    // Counted on the prose: words outside double quotes (quoted text is data:
    // the sentences, the words of the data), outside the exercises' command
    // lines and expected lines (copies of lines counted where the lesson
    // prints them), and outside indented lines (tables, matrices, shapes and
    // file lists: data words such as lesson 1's "the" and numbers; their
    // headers and labels are checked by the completeness test above).
    const std::vector<std::string> english = {"the", "and", "of", "is", "are", "with", "to", "not"};
    const std::vector<std::string> french_words = {"le", "la", "les", "de", "des", "et", "est", "un", "une", "du"};
    for (int n = 1; n <= 5; ++n) {
        DYNAMIC_SECTION("lesson " << n) {
            const std::string text = io::read_file("tests/transcripts/fr/lesson" + std::to_string(n) + ".txt");
            std::size_t en = 0, fr = 0;
            std::string english_lines;
            for (const std::string& line : lines_of(text)) {
                if (line.find("$ build/") != std::string::npos || line.rfind("  ", 0) == 0 ||
                    line.rfind(french("It prints:"), 0) == 0)
                    continue;
                std::string word, kept;
                bool quoted = false;
                std::size_t line_en = 0;
                for (const char c : line + " ") {
                    if (c == '"') quoted = !quoted;
                    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c & 0x80) || c == '\'';
                    if (letter && !quoted) { word += static_cast<char>(std::tolower(static_cast<unsigned char>(c))); continue; }
                    if (std::find(english.begin(), english.end(), word) != english.end()) ++line_en;
                    if (std::find(french_words.begin(), french_words.end(), word) != french_words.end()) ++fr;
                    word.clear();
                }
                en += line_en;
                if (line_en > 0) english_lines += "  " + line + "\n";
            }
            INFO("lesson " << n << ": " << en << " English function words, " << fr << " French ones; lines:\n"
                 << english_lines);
            CHECK(fr >= 100);
            CHECK(static_cast<double>(en) <= 0.02 * static_cast<double>(fr));
        }
    }
}
