// libFuzzer harness for the TSV dataset reader and the tokenizer behind it.
//
//   make fuzz                  (builds with clang++ and runs every harness)
//
// What counts as a bug: any crash or sanitizer report, any exception other
// than std::runtime_error from parse_tsv, and any accepted file whose examples
// break the reader's promises: valid UTF-8, a known label, at least one
// token (punctuation only is text), and a vocabulary that encodes every example to ids inside it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/dataset.hpp"
#include "io/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view content(reinterpret_cast<const char*>(data), size);
    const std::vector<std::string> classes = llm::sentiment_classes();
    std::vector<llm::Example> examples;
    try {
        examples = llm::parse_tsv(content, "fuzz.tsv", classes);
    } catch (const std::runtime_error&) {
        return 0;  // refused with a message: the expected outcome for most inputs
    }
    std::vector<std::string> texts;
    for (const auto& e : examples) {
        if (e.label < 0 || e.label >= static_cast<int>(classes.size())) std::abort();
        if (llm::utf8::find_invalid(e.text) != std::string_view::npos) std::abort();
        if (llm::count_tokens(e.text) == 0) std::abort();   // punctuation only is text (issue 13)
        texts.push_back(e.text);
    }
    const llm::Vocab vocab = llm::Vocab::build(texts);
    for (const auto& t : texts)
        for (int id : vocab.encode(t, 16))
            if (id < 0 || id >= static_cast<int>(vocab.size())) std::abort();
    const llm::TokenBatch batch = llm::make_batch(vocab, texts, 16);
    if (batch.ids.size() != batch.B * batch.T) std::abort();
    return 0;
}
