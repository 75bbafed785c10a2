// End-to-end robustness of lesson 5 (issue 7): the real build/lesson5 run as a
// subprocess on every bad input of the README's "Bad input" table. Each row checks the
// exit status (1 or 2), that stderr is exactly one line "lesson5: ..." naming
// the problem (no sanitizer report, no abort), and that no existing file was
// overwritten, truncated or added to. Then: two runs with the same seed write
// byte-identical models, and a run killed in the middle of its save leaves
// the previous model intact and usable.
//
// The binary: $LLM_LESSON5, default build/lesson5 (`make test` sets it, and
// `make sanitize` points it at the sanitized build). Run from the repository
// root (the data/ paths are relative). Runs are tiny (workshop10.tsv, one
// epoch, d_model 16): the whole file takes a few seconds.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/checkpoint.hpp"
#include "io/files.hpp"
#include "io/safetensors.hpp"

extern char** environ;

using namespace llm;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Files and folders

using llm::testing::TempDir;

std::string read(const std::string& path) { return io::read_file(path); }

// Every regular file under dir, by relative path, with its bytes: compared
// before and after a run, it catches a file changed, truncated, removed or added.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read(e.path().string());
    return files;
}

std::string names(const std::map<std::string, std::string>& files) {
    std::string out;
    for (const auto& [name, bytes] : files) out += " " + name + "(" + std::to_string(bytes.size()) + ")";
    return out;
}

// Which files differ between two snapshots, for the failure message.
std::string differences(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
    std::string out;
    for (const auto& [name, bytes] : a)
        if (!b.count(name)) out += " removed:" + name;
        else if (b.at(name) != bytes) out += " changed:" + name;
    for (const auto& [name, bytes] : b)
        if (!a.count(name)) out += " added:" + name;
    return out;
}

#define REQUIRE_SAME_FILES(before, after)                            \
    do {                                                             \
        const std::string diff_ = differences((before), (after));    \
        INFO("files:" << diff_);                                     \
        REQUIRE(diff_.empty());                                      \
    } while (0)

// ---------------------------------------------------------------------------
// Running build/lesson5

std::string lesson5_path() {
    const char* env = std::getenv("LLM_LESSON5");
    return env && *env ? env : "build/lesson5";
}

struct Run {
    bool exited = false;   // false: killed by a signal
    int status = -1;       // exit status, or the signal number
    std::string out, err;
};

// Runs lesson5 with `args`, `input` on stdin and `env` added to the
// environment; captures stdout, stderr and the exit status.
Run lesson5(const std::vector<std::string>& args, const std::string& input = "",
            const std::vector<std::pair<std::string, std::string>>& env = {}) {
    const std::string bin = lesson5_path();
    if (::access(bin.c_str(), X_OK) != 0)
        FAIL("no lesson 5 binary at '" << bin << "': build it first (make build/lesson5, or run `make test`), "
                                          "or point LLM_LESSON5 at it");
    TempDir io;
    const std::string in_path = io.write("stdin", input), out_path = io / "stdout", err_path = io / "stderr";

    // Everything the child needs is built before fork: after it, only
    // async-signal-safe calls (open, dup2, execve, _exit).
    std::vector<std::string> argv_s = {bin};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s;
    for (char** e = environ; *e; ++e) {
        const std::string kv = *e;
        const bool replaced = std::any_of(env.begin(), env.end(), [&](const auto& p) { return kv.rfind(p.first + "=", 0) == 0; });
        if (!replaced) env_s.push_back(kv);
    }
    for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
    std::vector<char*> argv, envp;
    for (auto& s : argv_s) argv.push_back(s.data());
    for (auto& s : env_s) envp.push_back(s.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int in = ::open(in_path.c_str(), O_RDONLY);
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    int wstatus = 0;
    REQUIRE(::waitpid(pid, &wstatus, 0) == pid);
    Run r;
    r.exited = WIFEXITED(wstatus);
    r.status = r.exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
    r.out = read(out_path);
    r.err = read(err_path);
    REQUIRE(r.status != 127);   // execve failed
    return r;
}

// The short training every run uses: the workshop's 10 sentences, one epoch,
// a tiny model, outputs in out_dir. `changes` replace a default's value or add
// a flag ("" for a switch's value).
using Flags = std::vector<std::pair<std::string, std::string>>;
std::vector<std::string> tiny(const std::string& out_dir, const Flags& changes = {}) {
    Flags flags = {{"--train", "data/workshop10.tsv"}, {"--test", "data/workshop10.tsv"}, {"--epochs", "1"},
                   {"--d-model", "16"}, {"--heads", "2"}, {"--d-ff", "32"}, {"--layers", "1"}, {"--no-timing", ""},
                   {"--out", out_dir}};
    for (const auto& change : changes) {   // (not a structured binding: clang 14 cannot capture one)
        const auto it = std::find_if(flags.begin(), flags.end(), [&](const auto& f) { return f.first == change.first; });
        if (it != flags.end()) it->second = change.second;
        else flags.push_back(change);
    }
    std::vector<std::string> args;
    for (const auto& [flag, value] : flags) {
        args.push_back(flag);
        if (!value.empty()) args.push_back(value);
    }
    return args;
}

// No trace of a crash: sanitizers, aborts, uncaught exceptions.
void require_no_crash(const Run& r) {
    INFO("stderr: " << r.err);
    REQUIRE(r.exited);
    for (const char* s : {"Sanitizer", "runtime error:", "terminate called", "Aborted", "core dumped", "SUMMARY:"})
        REQUIRE_THAT(r.err, !Contains(s));
}

// The lesson's prose is wrapped: its text with the line breaks made spaces.
std::string unwrapped(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

// The rule of the table: exit `status`, stderr exactly one line "lesson5: ..." containing `phrase`.
void require_one_line_error(const Run& r, int status, const std::string& phrase) {
    INFO("stdout (last 300 bytes): " << r.out.substr(r.out.size() > 300 ? r.out.size() - 300 : 0));
    INFO("stderr: " << r.err);
    require_no_crash(r);
    REQUIRE(r.status == status);
    REQUIRE(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    REQUIRE(r.err.back() == '\n');
    REQUIRE_THAT(r.err, StartsWith("lesson5: "));
    REQUIRE_THAT(r.err, Contains(phrase));
}

// A model trained by lesson5 itself, once per process: the "existing file" at stake.
const std::string& reference_model() {
    static const std::string bytes = [] {
        TempDir dir;
        const Run r = lesson5(tiny(dir / "out", {{"--seed", "1"}}));
        INFO("stderr: " << r.err);
        REQUIRE((r.exited && r.status == 0));
        return read(dir / "out/model.safetensors");
    }();
    return bytes;
}

// A folder holding out/model.safetensors (the reference model) and an out/loss.svg.
struct Workspace : TempDir {
    std::string out = *this / "out", model = *this / "out/model.safetensors";
    Workspace() {
        write("out/model.safetensors", reference_model());
        write("out/loss.svg", "<svg>an earlier figure</svg>\n");
    }
};

std::string u64le(uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
}

// The reference model with `change` applied to its parsed content, the
// checksum recomputed (so that the loader's later checks are reached).
std::string edited_model(const std::function<void(safetensors::File&)>& change) {
    safetensors::File f = safetensors::parse(reference_model(), "reference");
    change(f);
    f.metadata["crc32"] = checkpoint::content_crc32(f);
    return safetensors::serialize(f);
}

// The reference model's header text and data, as raw bytes.
std::pair<std::string, std::string> header_and_data() {
    const std::string& b = reference_model();
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t(static_cast<unsigned char>(b[std::size_t(i)])) << (8 * i);
    return {b.substr(8, n), b.substr(8 + n)};
}

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

}  // namespace

// ---------------------------------------------------------------------------
// The command line: exit 2, nothing written

TEST_CASE("robustness: command-line mistakes exit 2 with one line, nothing written", "[robustness]") {
    Workspace ws;
    const auto before = snapshot(ws.path);
    Run r;
    SECTION("unknown flag") {
        r = lesson5(tiny(ws.out, {{"--frobnicate", ""}}));
        require_one_line_error(r, 2, "unknown flag '--frobnicate' (see --help)");
        r = lesson5(tiny(ws.out, {{"--epoch", "3"}}));
        require_one_line_error(r, 2, "unknown flag '--epoch' (did you mean --epochs?)");
    }
    SECTION("flag without its value") {
        r = lesson5(tiny(ws.out, {{"--lr", ""}}));
        require_one_line_error(r, 2, "--lr needs a value (X)");
        std::vector<std::string> a = tiny(ws.out);
        a.insert(a.end(), {"--seed", "--lr", "0.1"});
        r = lesson5(a);
        require_one_line_error(r, 2, "--seed needs a value (N), got the flag --lr");
    }
    SECTION("out-of-range numbers") {
        const std::vector<std::pair<Flags, std::string>> cases = {
            {{{"--batch-size", "0"}}, "--batch-size 0 is out of range: it must be between 1 and 4096"},
            {{{"--max-len", "100000000000000000000"}}, "--max-len 100000000000000000000 is out of range"},
            {{{"--lr", "1e9"}}, "--lr 1e9 is out of range: it must be > 0 and <= 1000"},
            {{{"--dropout", "1"}}, "--dropout 1 is out of range: it must be >= 0 and < 1"},
            {{{"--seed", "18446744073709551616"}}, "--seed 18446744073709551616 is out of range"},
            {{{"--d-model", "-16"}}, "--d-model -16 is out of range: it must be between 1 and 1024"},
        };
        for (const auto& [changes, message] : cases) {
            r = lesson5(tiny(ws.out, changes));
            require_one_line_error(r, 2, message);
        }
    }
    SECTION("not a number") {
        r = lesson5(tiny(ws.out, {{"--weight-decay", "nan"}}));
        require_one_line_error(r, 2, "--weight-decay: 'nan' is not a number");
    }
    SECTION("config sizes that do not divide") {
        r = lesson5(tiny(ws.out, {{"--heads", "3"}}));   // d_model 16
        require_one_line_error(r, 2, "--d-model 16 is not divisible by --heads 3 (each head gets d-model / heads channels)");
        std::vector<std::string> a = tiny(ws.out);
        a.insert(a.end(), {"--heads", "4"});
        r = lesson5(a);
        require_one_line_error(r, 2, "--heads is given twice");
    }
    SECTION("--predict without --load, --load without --predict") {
        r = lesson5({"--predict", "good film"});
        require_one_line_error(r, 2, "--predict needs --load FILE");
        r = lesson5({"--load", ws.model});
        require_one_line_error(r, 2, "--load needs at least one --predict SENTENCE");
        r = lesson5({"--load", ws.model, "--predict", "good", "--out", ws.out});
        require_one_line_error(r, 2, "--out cannot be used with --load");
    }
    SECTION("empty sentence (--predict)") {
        r = lesson5({"--load", ws.model, "--predict", " \t "});
        require_one_line_error(r, 2, "--predict: the sentence is empty");
    }
    SECTION("bytes that are not UTF-8 (--predict)") {
        r = lesson5({"--load", ws.model, "--predict", "bad \xFF film"});
        require_one_line_error(r, 2, "--predict: the sentence has bytes that are not valid UTF-8 at column 5 (byte 0xFF)");
        REQUIRE(r.out.empty());
    }
    REQUIRE_SAME_FILES(before, snapshot(ws.path));
}

// ---------------------------------------------------------------------------
// Data files: exit 1, the previous model and figures untouched

TEST_CASE("robustness: bad data files exit 1 with one line, the previous outputs untouched", "[robustness]") {
    Workspace ws;
    const std::string good = read("data/workshop10.tsv");
    const auto before = snapshot(ws.path);
    Run r;
    SECTION("missing file") {
        r = lesson5(tiny(ws.out, {{"--train", ws / "none.tsv"}}));
        require_one_line_error(r, 1, "cannot read '" + (ws / "none.tsv") + "': No such file or directory");
    }
    SECTION("unreadable file: a directory") {
        fs::create_directory(ws / "adir.tsv");
        r = lesson5(tiny(ws.out, {{"--test", ws / "adir.tsv"}}));
        require_one_line_error(r, 1, "cannot read '" + (ws / "adir.tsv") + "': it is a directory");
        fs::remove(ws / "adir.tsv");
    }
    SECTION("unreadable file: a path through a regular file") {
        const std::string f = ws.out + "/loss.svg/train.tsv";
        r = lesson5(tiny(ws.out, {{"--train", f}}));
        require_one_line_error(r, 1, "cannot read '" + f + "': Not a directory");
    }
    SECTION("unreadable file: no read permission") {
        const std::string f = ws.write("secret.tsv", good);
        fs::permissions(f, fs::perms::none);
        if (::geteuid() == 0) {
            WARN("running as root: permissions do not stop reads, this case is not run (a directory is, above)");
        } else {
            r = lesson5(tiny(ws.out, {{"--train", f}}));
            require_one_line_error(r, 1, "cannot read '" + f + "': Permission denied");
        }
        fs::remove(f);
    }
    // Dirty rows stop the run only with --strict (the default skips and counts
    // them: "robustness: dirty data rows are skipped and counted" below).
    const Flags strict = {{"--strict", ""}};
    auto with = [](Flags a, const Flags& b) { a.insert(a.end(), b.begin(), b.end()); return a; };
    SECTION("dataset line without a tab (--strict)") {
        const std::string f = ws.write("d.tsv", good + "this line has no tab\n");
        r = lesson5(tiny(ws.out, with({{"--train", f}}, strict)));
        require_one_line_error(r, 1, f + ", line 11: no tab: expected text<TAB>label or text<TAB>label<TAB>part");
        fs::remove(f);
    }
    SECTION("unknown label (in the test file; the training file defines the classes; --strict)") {
        const std::string f = ws.write("d.tsv", "a good film\tpositive\nso happy\thappy\n");
        r = lesson5(tiny(ws.out, with({{"--test", f}}, strict)));
        require_one_line_error(r, 1, f + ", line 2: unknown label 'happy' (allowed: negative, positive)");
        fs::remove(f);
    }
    SECTION("empty sentence (--strict)") {
        const std::string f = ws.write("d.tsv", good + "  \tnegative\tplain\n");
        r = lesson5(tiny(ws.out, with({{"--train", f}}, strict)));
        require_one_line_error(r, 1, f + ", line 11: empty sentence");
        fs::remove(f);
    }
    SECTION("bytes that are not UTF-8 (--strict)") {
        const std::string f = ws.write("d.tsv", "a good film\tpositive\na bad \xC3\x28 film\tnegative\n");
        r = lesson5(tiny(ws.out, with({{"--test", f}}, strict)));
        require_one_line_error(r, 1, f + ", line 2: bytes that are not valid UTF-8 at column 7 (byte 0xC3)");
        fs::remove(f);
    }
    SECTION("more than 3 columns, empty label (--strict)") {
        const std::string f = ws.write("d.tsv", good + "a film\tpositive\tplain\textra\n");
        r = lesson5(tiny(ws.out, with({{"--train", f}}, strict)));
        require_one_line_error(r, 1, f + ", line 11: 4 columns: expected 2");
        const std::string g = ws.write("d.tsv", good + "a film\t \n");
        r = lesson5(tiny(ws.out, with({{"--train", g}}, strict)));
        require_one_line_error(r, 1, g + ", line 11: empty label");
        fs::remove(f);
    }
    SECTION("every row unusable") {
        const std::string f = ws.write("d.tsv", "no tab here\nnor here\n");
        r = lesson5(tiny(ws.out, {{"--test", f}}));
        require_one_line_error(r, 1, f + ": no usable example: every row was skipped (first: line 1: no tab");
        fs::remove(f);
    }
    SECTION("one label only, no example at all") {
        const std::string f = ws.write("d.tsv", "a good film\tpositive\na great film\tpositive\n");
        r = lesson5(tiny(ws.out, {{"--train", f}}));
        require_one_line_error(r, 1, "every example has the label 'positive'; a classifier needs at least 2 classes");
        const std::string g = ws.write("d.tsv", "# only a comment\n\n");
        r = lesson5(tiny(ws.out, {{"--train", g}}));
        require_one_line_error(r, 1, g + ": no examples (only blank lines and comments)");
        const std::string h = ws.write("h.tsv", "");
        r = lesson5(tiny(ws.out, {{"--test", h}}));
        require_one_line_error(r, 1, h + ": no examples");
        fs::remove(f);
        fs::remove(h);
    }
    SECTION("--unlabelled: missing, a folder without .txt, blank only, bad bytes (--strict)") {
        r = lesson5(tiny(ws.out, {{"--unlabelled", ws / "none.txt"}}));
        require_one_line_error(r, 1, "cannot read '" + (ws / "none.txt") + "': No such file or directory");
        fs::create_directory(ws / "unsup");
        r = lesson5(tiny(ws.out, {{"--unlabelled", ws / "unsup"}}));
        require_one_line_error(r, 1, "cannot read '" + (ws / "unsup") + "': a folder without a .txt file");
        fs::remove(ws / "unsup");
        const std::string f = ws.write("u.txt", "\n \n");
        r = lesson5(tiny(ws.out, {{"--unlabelled", f}}));
        require_one_line_error(r, 1, f + ": no text (only blank lines)");
        const std::string g = ws.write("u.txt", "a fine text\nbad \xFF\n");
        r = lesson5(tiny(ws.out, with({{"--unlabelled", g}}, strict)));
        require_one_line_error(r, 1, g + ", line 2: bytes that are not valid UTF-8 at column 5 (byte 0xFF)");
        fs::remove(g);
    }
    SECTION("--out is a regular file") {
        const std::string f = ws.write("not_a_dir", "keep me\n");
        r = lesson5(tiny(f));
        require_one_line_error(r, 1, "cannot create directory '" + f + "'");
        REQUIRE(read(f) == "keep me\n");
        fs::remove(f);
    }
    REQUIRE_SAME_FILES(before, snapshot(ws.path));
}

// ---------------------------------------------------------------------------
// Dirty data rows: skipped, counted one line per reason, the run goes on

TEST_CASE("robustness: dirty data rows are skipped and counted, one line per reason, exit 0", "[robustness]") {
    Workspace ws;
    const std::string good = read("data/workshop10.tsv");
    // line 11: no tab; 12: empty sentence; 13: punctuation only (read: it is text);
    // 14: bad UTF-8; 15: 4 columns; 16: empty label; 17: another line without a tab
    const std::string train = ws.write("train.tsv", good + "this line has no tab\n  \tnegative\n?!\tnegative\n"
                                                           "a bad \xC3\x28 film\tnegative\na\tpositive\tp\tx\n"
                                                           "a film\t \nnor this one\n");
    const std::string test = ws.write("test.tsv", good + "so happy\thappy\nso sad\tsad\n");
    const Run r = lesson5(tiny(ws.out, {{"--train", train}, {"--test", test}}));
    require_no_crash(r);
    INFO("stdout: " << r.out.substr(0, 1500));
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    REQUIRE_THAT(r.out, Contains(train + ": TSV without header, text then label (then part), 11 examples, 2 labels: "
                                 "negative, positive\n"));
    REQUIRE_THAT(r.out, Contains("  skipped 3 rows (wrong number of columns): line 11, line 15, line 17; first: "
                                 "line 11: no tab: expected text<TAB>label or text<TAB>label<TAB>part\n"));
    REQUIRE_THAT(r.out, Contains("  skipped 1 row (empty sentence): line 12; first: line 12: empty sentence\n"));
    REQUIRE_THAT(r.out, Contains("  skipped 1 row (not valid UTF-8): line 14; first: line 14: bytes that are not "
                                 "valid UTF-8 at column 7 (byte 0xC3)\n"));
    REQUIRE_THAT(r.out, Contains("  skipped 1 row (empty label): line 16; first: line 16: empty label\n"));
    REQUIRE_THAT(r.out, Contains(test + ": TSV without header, text then label (then part), 10 examples"));
    REQUIRE_THAT(r.out, Contains("  skipped 2 rows (unknown label): line 11, line 12; first: line 11: unknown label "
                                 "'happy' (allowed: negative, positive)\n"));
}

TEST_CASE("robustness: --unlabelled text joins the vocabulary and the pre-training, dirty lines counted", "[robustness]") {
    Workspace ws;
    // "zorblax" is in no labelled file: only --unlabelled can make it a word the model knows
    const std::string text = ws.write("unsup.txt", "the zorblax was a good film\n\nzorblax again , bad \xFF\n"
                                                   "a zorblax film\n");
    const Run r = lesson5(tiny(ws.out, {{"--unlabelled", text}}));
    require_no_crash(r);
    INFO("stdout: " << r.out.substr(0, 3000));
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    REQUIRE_THAT(r.out, Contains(text + ": text, one per line, 2 texts without labels; 1 blank lines\n"));
    REQUIRE_THAT(r.out, Contains("  skipped 1 row (not valid UTF-8): line 3; first: line 3: bytes that are not valid "
                                 "UTF-8 at column 21 (byte 0xFF)\n"));
    REQUIRE_THAT(r.out, Contains("vocabulary (training split and --unlabelled text, with <pad> and <unk>)"));
    REQUIRE_THAT(r.out, Contains("--unlabelled texts cut to max_len = "));
    // pre-training is on (20 epochs: the tiny run's 10 sentences are under 1,000 lines) and reads both
    REQUIRE_THAT(r.out, Contains("pre-training: 20 epochs of masked words, then 1 epochs on the labels"));
    REQUIRE_THAT(unwrapped(r.out), Contains("training sentences and the 2 texts without labels of --unlabelled: 12 texts per epoch."));
    const Run known = lesson5({"--load", ws.model, "--predict", "a zorblax film"});
    REQUIRE(known.status == 0);
    REQUIRE(known.err.empty());
    // without it, the same word is unknown
    const Run plain = lesson5(tiny(ws.out, {{"--pretrain", "1"}}));
    REQUIRE(plain.status == 0);
    const Run unknown = lesson5({"--load", ws.model, "--predict", "a zorblax film"});
    REQUIRE(unknown.status == 0);
    REQUIRE(unknown.err == "lesson5: warning: sentence 1: words the model does not know (read as <unk>): 'zorblax'\n");
}

// Data of your own of 1,000 lines or more (README, "Lesson 5 on real reviews"):
// 10% of the sentences held out for validation, 4 epochs at lr 0.001 unless
// --epochs, --lr say otherwise, and no pre-training unless --pretrain or
// --unlabelled asks for it (on SST-2's own text it measured no gain); without
// pre-training, dropout 0.3 unless --dropout says otherwise.
TEST_CASE("robustness: data of your own of 1,000 lines or more: 4 epochs at lr 0.001, dropout 0.3, no pre-training",
          "[robustness]") {
    Workspace ws;
    auto lines = [](int n) {
        std::string s = "sentence\tlabel\n";
        for (int i = 0; i < n; ++i)
            s += (i % 2 ? "a bad film number " : "a good film number ") + std::to_string(i) + (i % 2 ? "\t0\n" : "\t1\n");
        return s;
    };
    const std::string big = ws.write("big.tsv", lines(1000)), small = ws.write("small.tsv", lines(999));
    auto run = [&](const std::string& train, const std::vector<std::string>& flags) {
        std::vector<std::string> args = {"--train", train, "--test", "data/workshop10.tsv", "--d-model", "16", "--heads",
                                         "2", "--d-ff", "32", "--layers", "1", "--no-timing", "--out", ws.out};
        args.insert(args.end(), flags.begin(), flags.end());
        const Run r = lesson5(args);
        require_no_crash(r);
        INFO("stdout: " << r.out.substr(0, 2500));
        REQUIRE(r.status == 0);
        REQUIRE(r.err.empty());
        return r.out;
    };
    SECTION("the default") {
        const std::string out = run(big, {});
        CHECK_THAT(out, Contains("validation: 100 of 1000 training sentences held out whole"));
        CHECK_THAT(out, Contains("training: 4 epochs at lr 0.001, dropout 0.3 (data of your own of 1,000 lines or more;"));
        CHECK_THAT(unwrapped(out), Contains("Dropout 0.3 is on while"));
        CHECK_THAT(out, Contains("   4/4 "));
        CHECK_THAT(out, !Contains("   5/"));
        CHECK_THAT(out, !Contains("pre-training:"));
        CHECK_THAT(out, !Contains("MLM loss"));
        // Section 5 reads the run's accuracy against what was measured on SST-2 (shipped data: never, transcripts).
        CHECK_THAT(unwrapped(out), Contains("For scale, measured on SST-2 (1,032 held-out full sentences;"));
        CHECK_THAT(unwrapped(out), Contains("What moves it is the data:"));
    }
    SECTION("--epochs, --lr and --dropout given") {
        const std::string out = run(big, {"--epochs", "2", "--lr", "0.002", "--dropout", "0.2"});
        CHECK_THAT(out, Contains("training: 2 epochs at lr 0.002, dropout 0.2 (data of your own"));
    }
    SECTION("--pretrain given") {
        const std::string out = run(big, {"--pretrain", "1"});
        CHECK_THAT(out, Contains("pre-training: 1 epochs of masked words, then 4 epochs on the labels at lr 0.001"));
        CHECK_THAT(unwrapped(out), Contains("Dropout 0.1 is on while"));   // the pre-training's measurements used 0.1
    }
    SECTION("999 lines: the lesson's own settings") {
        const std::string out = run(small, {});
        CHECK_THAT(out, !Contains("validation: "));
        CHECK_THAT(out, !Contains("training: "));
        CHECK_THAT(out, Contains("   8/8 "));
        CHECK_THAT(unwrapped(out), Contains("Dropout 0.1 is on while"));
    }
}

// ---------------------------------------------------------------------------
// Checkpoints given to --load: exit 1, nothing printed on stdout, nothing written

TEST_CASE("robustness: bad checkpoints exit 1 with one line, nothing predicted", "[robustness]") {
    Workspace ws;
    const std::string bad = ws / "bad.safetensors";
    const auto [header, data] = header_and_data();
    auto load = [&](const std::string& bytes) {
        ws.write("bad.safetensors", bytes);
        const auto before = snapshot(ws.path);
        const Run r = lesson5({"--load", bad, "--predict", "i love this movie"});
        REQUIRE_SAME_FILES(before, snapshot(ws.path));
        REQUIRE(r.out.empty());
        return r;
    };
    SECTION("missing file") {
        const Run r = lesson5({"--load", ws / "none.safetensors", "--predict", "i love this movie"});
        require_one_line_error(r, 1, "cannot read '" + (ws / "none.safetensors") + "': No such file or directory");
    }
    SECTION("unreadable file: a directory") {
        const Run r = lesson5({"--load", ws.out, "--predict", "i love this movie"});
        require_one_line_error(r, 1, "cannot read '" + ws.out + "': it is a directory");
    }
    SECTION("truncated safetensors") {
        const std::string& m = reference_model();
        require_one_line_error(load(m.substr(0, 5)), 1, "'" + bad + "': file is 5 bytes, too short for the 8-byte header length");
        require_one_line_error(load(m.substr(0, 200)), 1, "'" + bad + "': header length " + std::to_string(header.size()) +
                                                              " is beyond the file size 200");
        require_one_line_error(load(m.substr(0, m.size() / 2)), 1, "is beyond the data size");
        require_one_line_error(load(m.substr(0, m.size() - 1)), 1, "is beyond the data size");
        for (std::size_t cut = 0; cut < m.size(); cut += 331) require_one_line_error(load(m.substr(0, cut)), 1, "'" + bad + "': ");
    }
    SECTION("header length beyond the file") {
        const std::string m = u64le(reference_model().size()) + header + data;
        require_one_line_error(load(m), 1, "header length " + std::to_string(reference_model().size()) +
                                               " is beyond the file size " + std::to_string(m.size()));
        require_one_line_error(load(u64le(~uint64_t{0}) + header + data), 1, "header length 18446744073709551615 is beyond");
    }
    SECTION("header that is not JSON") {
        require_one_line_error(load(u64le(header.size()) + "x" + header.substr(1) + data), 1,
                               "header is not valid JSON at byte 0: expected a value, found 'x'");
        const std::string cut = header.substr(0, 40);   // inside the metadata
        require_one_line_error(load(u64le(cut.size()) + cut), 1, "header is not valid JSON at byte 40: unterminated string");
    }
    SECTION("overlapping offsets") {
        const std::string h = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
        require_one_line_error(load(u64le(h.size()) + h + std::string(12, '\0')), 1,
                               "tensor 'b': data_offsets [4, 12] overlap 'a' ending at 8");
    }
    SECTION("out-of-range offsets") {
        const std::string h = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        require_one_line_error(load(u64le(h.size()) + h + std::string(4, '\0')), 1,
                               "tensor 'a': data_offsets end 8 is beyond the data size 4");
        const std::string g = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[18446744073709551615,7]}})";
        require_one_line_error(load(u64le(g.size()) + g), 1, "are reversed");
    }
    SECTION("gapped offsets") {
        const std::string h = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})";
        require_one_line_error(load(u64le(h.size()) + h + std::string(20, '\0')), 1,
                               "tensor 'b': data_offsets [12, 20] leave a gap after 'a' ending at 8");
        require_one_line_error(load(reference_model() + "tail"), 1, "data buffer has 4 trailing bytes not covered by any tensor");
    }
    SECTION("wrong dtype") {
        const std::string h = replace_first(header, "\"dtype\":\"F32\"", "\"dtype\":\"F16\"");
        require_one_line_error(load(u64le(h.size()) + h + data), 1, "dtype 'F16' is not supported (only F32)");
        const std::string g = replace_first(header, "\"dtype\":\"F32\"", "\"dtype\":\"X32\"");
        require_one_line_error(load(u64le(g.size()) + g + data), 1, "dtype 'X32' is unknown");
    }
    SECTION("not a MiniLLM checkpoint; a flipped byte") {
        require_one_line_error(load(edited_model([](safetensors::File& f) { f.metadata.erase("format"); })), 1,
                               "not a MiniLLM checkpoint (its metadata has no \"format\")");
        std::string m = reference_model();
        m[m.size() - 3] = static_cast<char>(m[m.size() - 3] ^ 0x10);   // a weight's bits
        require_one_line_error(load(m), 1, "corrupted: the content's CRC-32 is");
    }
    SECTION("missing tensor") {
        require_one_line_error(load(edited_model([](safetensors::File& f) { f.tensors.erase("classifier.bias"); })), 1,
                               "missing tensor 'classifier.bias' [2]");
    }
    SECTION("tensor shape that disagrees with the config") {
        const std::string m = edited_model([](safetensors::File& f) {
            safetensors::Tensor& w = f.tensors.at("classifier.weight");   // [2, 16] -> [4, 8]
            w.shape = {4, 8};
        });
        require_one_line_error(load(m), 1, "tensor 'classifier.weight' has shape [4, 8] but the config says [2, 16]");
    }
    SECTION("config sizes that do not divide") {
        std::string message = "'";   // appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "'" + bad + ...
        message += bad;
        message += "': invalid config: encoder config: d_model 16 is not divisible by num_heads 3";
        // std::string values: g++ 12 also warns falsely (-Wrestrict) on assigning a string literal here
        require_one_line_error(load(edited_model([](safetensors::File& f) { f.metadata["num_heads"] = std::string("3"); })),
                               1, message);
        require_one_line_error(load(edited_model([](safetensors::File& f) { f.metadata["d_model"] = std::string("abc"); })), 1,
                               "config field 'd_model' is 'abc', not a decimal integer");
    }
}

// ---------------------------------------------------------------------------
// Standard input of --predict -: exit 1, every sentence or none

TEST_CASE("robustness: bad lines on standard input exit 1 with one line, nothing predicted", "[robustness]") {
    Workspace ws;
    SECTION("empty sentence") {
        const Run r = lesson5({"--load", ws.model, "--predict", "-"}, "i love this movie\n\nthis film is terrible\n");
        require_one_line_error(r, 1, "standard input, line 2: empty sentence (every line must hold one sentence)");
        REQUIRE(r.out.empty());
    }
    SECTION("bytes that are not UTF-8") {
        const Run r = lesson5({"--load", ws.model, "--predict", "-"}, "i love this movie\nthis \xED\xA0\x80 film\n");
        require_one_line_error(r, 1, "standard input, line 2: bytes that are not valid UTF-8 at column 6 (byte 0xED)");
        REQUIRE(r.out.empty());
    }
}

// ---------------------------------------------------------------------------
// Sentences longer than max_len: NOT an error. They are cut to their first
// max_len tokens, and the cut is reported.

TEST_CASE("robustness: a sentence longer than max_len is cut, with a warning, exit 0", "[robustness]") {
    Workspace ws;
    SECTION("--predict: a warning on stderr, the prediction on stdout") {
        std::string longer;
        for (int i = 0; i < 10; ++i) longer += "this film is great . ";   // 50 tokens; max_len 8, from the data
        const Run r = lesson5({"--load", ws.model, "--predict", longer, "--predict", "i love this movie"});
        require_no_crash(r);
        REQUIRE(r.status == 0);
        REQUIRE(r.err == "lesson5: warning: sentence 1 has 50 tokens; the model reads only the first 8\n");
        REQUIRE(std::count(r.out.begin(), r.out.end(), '\n') == 2);
        REQUIRE_THAT(r.out, StartsWith("positive") || StartsWith("negative"));
    }
    SECTION("training data: the count of cut sentences in section 1's table, training goes on") {
        const Run r = lesson5(tiny(ws.out, {{"--max-len", "4"}}));
        require_no_crash(r);
        INFO("stderr: " << r.err);
        REQUIRE(r.status == 0);
        REQUIRE(r.err.empty());
        // workshop10.tsv: all 10 sentences have more than 4 tokens; it is both train and test: 20
        REQUIRE_THAT(r.out, Contains("sentences (train + test) cut to max_len = 4             20\n"));
        REQUIRE(checkpoint::load(ws.model).model.config().max_len == 4);
    }
    SECTION("a training file of 2 sentences (fewer than section 2's 4-sentence demo batch) trains") {
        const std::string f = ws.write("two.tsv", "a good film\tpositive\na bad film\tnegative\n");
        const Run r = lesson5(tiny(ws.out, {{"--train", f}}));
        require_no_crash(r);
        INFO("stderr: " << r.err);
        REQUIRE(r.status == 0);
        REQUIRE_THAT(r.out, Contains("One forward pass on 2 training sentences"));
    }
}

// ---------------------------------------------------------------------------
// Training that diverges: one line, exit 1, the previous model kept

TEST_CASE("robustness: training that diverges exits 1 with one line and keeps the previous model", "[robustness]") {
    Workspace ws;
    const auto before = snapshot(ws.path);
    // --lr 1000 (the largest allowed) with pre-LN, no warmup, no clipping
    // overflows after a few epochs on the workshop set.
    const Run r = lesson5(tiny(ws.out, {{"--epochs", "30"}, {"--lr", "1000"}, {"--warmup", "0"}, {"--clip", "1e6"},
                                        {"--dropout", "0"}, {"--pre-norm", ""}}));
    require_one_line_error(r, 1, "lesson5: training stopped: ");
    REQUIRE_THAT(r.err, Contains("; try a smaller --lr (it was 1000)"));
    REQUIRE_THAT(r.err, Contains("are in " + ws.out + "/model.diverged.safetensors"));
    auto after = snapshot(ws.path);
    REQUIRE(after.count("out/model.diverged.safetensors") == 1);
    REQUIRE(checkpoint::load(ws.out + "/model.diverged.safetensors").training.rfind("diverged; weights of epoch", 0) == 0);
    after.erase("out/model.diverged.safetensors");
    REQUIRE_SAME_FILES(before, after);   // model.safetensors and the figures untouched
}

// ---------------------------------------------------------------------------
// Determinism

TEST_CASE("robustness: two runs with the same seed write byte-identical models", "[robustness][determinism]") {
    TempDir dir;
    auto train = [&](const std::string& name, const std::string& seed) {
        const Run ok = lesson5(tiny(dir / name, {{"--seed", seed}, {"--epochs", "2"}}));
        INFO("stderr: " << ok.err);
        require_no_crash(ok);
        REQUIRE(ok.status == 0);
        REQUIRE(ok.err.empty());
        return read(dir / (name + "/model.safetensors"));
    };
    const std::string a = train("a", "7"), b = train("b", "7"), c = train("c", "8");
    REQUIRE(a.size() > 10000);
    REQUIRE(a == b);
    REQUIRE(c.size() == a.size());
    REQUIRE(c != a);
    // the figures too (their text holds no path, no time)
    for (const char* fig : {"loss.svg", "confusion.svg", "attention_1.svg"})
        REQUIRE(read(dir / (std::string("a/") + fig)) == read(dir / (std::string("b/") + fig)));
}

// ---------------------------------------------------------------------------
// Interrupted save: LLM_FAULT_INJECT makes the process exit 3 after writing
// the temporary file, before renaming it over the target (src/io/files.hpp).

TEST_CASE("robustness: a run killed in the middle of its save leaves the previous model intact", "[robustness][atomic]") {
    TempDir dir;
    const std::string out = dir / "out", model = out + "/model.safetensors";
    const Run first = lesson5(tiny(out, {{"--seed", "1"}}));
    REQUIRE(first.status == 0);
    const auto before = snapshot(out);
    const std::string old_model = read(model);
    const std::vector<std::string> predict = {"--load", model, "--predict", "i love this movie", "--predict", "this film is terrible"};
    const Run old_answer = lesson5(predict);
    REQUIRE(old_answer.status == 0);
    REQUIRE(std::count(old_answer.out.begin(), old_answer.out.end(), '\n') == 2);

    const std::vector<std::string> second = tiny(out, {{"--seed", "2"}, {"--activation", "gelu"}});   // another model
    SECTION("killed while saving the model (the figures before it are already replaced)") {
        const Run r = lesson5(second, "", {{"LLM_FAULT_INJECT", "before_rename:model.safetensors"}});
        INFO("stderr: " << r.err);
        REQUIRE(r.exited);
        REQUIRE(r.status == 3);
        REQUIRE(read(model) == old_model);
        // the new figures were written: the run did reach the save
        REQUIRE(read(out + "/loss.svg") != before.at("loss.svg"));
        // the orphaned temporary file is the complete new model, never renamed
        std::vector<fs::path> temps;
        for (const auto& e : fs::directory_iterator(out))
            if (e.path().filename().string().rfind("model.safetensors.tmp.", 0) == 0) temps.push_back(e.path());
        REQUIRE(temps.size() == 1);
        const std::string new_model = read(temps[0].string());
        REQUIRE(new_model != old_model);
        REQUIRE(checkpoint::load(temps[0].string()).model.config().activation == Activation::gelu);
        fs::remove(temps[0]);
    }
    SECTION("killed at the first file it saves") {
        const Run r = lesson5(second, "", {{"LLM_FAULT_INJECT", "before_rename"}});
        REQUIRE(r.exited);
        REQUIRE(r.status == 3);
        auto after = snapshot(out);
        REQUIRE(after.size() == before.size() + 1);   // one orphaned temporary, everything else as it was
        for (auto it = after.begin(); it != after.end();)
            it = it->first.find(".tmp.") != std::string::npos ? after.erase(it) : std::next(it);
        INFO("before:" << names(before) << "\nafter:" << names(after));
        REQUIRE_SAME_FILES(before, after);
    }
    // the previous model still loads and answers as before
    REQUIRE(read(model) == old_model);
    const Run again = lesson5(predict);
    require_no_crash(again);
    REQUIRE(again.status == 0);
    REQUIRE(again.out == old_answer.out);
    REQUIRE(again.err.empty());
}
