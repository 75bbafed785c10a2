// A development split of a labelled file of your own, made the way lesson 5
// makes its validation split (hold_out_sentences, src/io/dataset.hpp): whole
// sentences held out, every phrase of a held-out sentence left out of both.
// The README's SST-2 measurements ("Lesson 5 on real reviews") use
//
//   build/realdata/split glue/SST-2/train.tsv 0.15 13 TRAIN.tsv HELDOUT.tsv
//   build/lesson5 --train TRAIN.tsv --test HELDOUT.tsv
//
// Both outputs are "sentence<TAB>label" TSV with a header, the labels as the
// input spells them. Exit 2 for a usage mistake, 1 for a file that cannot be
// read or written; the outputs are written atomically (io/files.hpp).
#include <charconv>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "io/dataset.hpp"
#include "io/files.hpp"

namespace {

int usage(const char* problem) {
    std::fprintf(stderr, "split: %s\nusage: split IN FRACTION SEED TRAIN_OUT HELDOUT_OUT   (0 < FRACTION < 1)\n", problem);
    return 2;
}

// The examples as TSV, each label back to its raw spelling in the input.
std::string tsv(const std::vector<llm::Example>& examples, const llm::Dataset& d) {
    std::string out = "sentence\tlabel\n";
    for (const llm::Example& e : examples) {
        std::string raw = d.classes[static_cast<std::size_t>(e.label)];
        for (const auto& [r, name] : d.label_names)
            if (name == raw) { raw = r; break; }
        out += e.text + "\t" + raw + "\n";
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) return usage("expected 5 arguments");
    const std::string fraction_s = argv[2], seed_s = argv[3];
    double fraction = 0;
    unsigned long long seed = 0;
    if (std::from_chars(fraction_s.data(), fraction_s.data() + fraction_s.size(), fraction).ptr !=
            fraction_s.data() + fraction_s.size() || !(fraction > 0 && fraction < 1))
        return usage(("FRACTION '" + fraction_s + "' is not a number between 0 and 1").c_str());
    if (std::from_chars(seed_s.data(), seed_s.data() + seed_s.size(), seed).ptr != seed_s.data() + seed_s.size())
        return usage(("SEED '" + seed_s + "' is not a whole number >= 0").c_str());
    try {
        const llm::Dataset d = llm::load_dataset(argv[1]);
        for (const std::string& line : d.skip_lines()) std::printf("  %s\n", line.c_str());
        const llm::Holdout h = llm::hold_out_sentences(d.examples, fraction, seed);
        llm::io::write_file_atomic(argv[4], tsv(h.train, d));
        llm::io::write_file_atomic(argv[5], tsv(h.validation, d));
        std::printf("%s: %zu lines, %zu sentences; held out %zu whole sentences -> %s; %zu lines -> %s; "
                    "%zu phrases of held-out sentences in neither\n",
                    argv[1], d.examples.size(), h.groups, h.validation.size(), argv[5], h.train.size(), argv[4],
                    h.dropped);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "split: %s\n", e.what());
        return 1;
    }
}
