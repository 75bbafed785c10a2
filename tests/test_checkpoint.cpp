// Tests of MiniLLM checkpoints (src/io/checkpoint.hpp): a save/load round trip
// gives bit-identical logits; the loader rejects truncated and corrupted
// files and every inconsistency between the metadata and the tensors, each
// with its own one-line message.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <bit>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "io/checkpoint.hpp"
#include "io/files.hpp"
#include "nn/model.hpp"
#include "io/tokenizer.hpp"
#include "app/train.hpp"

using namespace llm;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kClasses = {"negative", "neutral", "positive"};

Vocab small_vocab() {
    const std::vector<std::string> texts = {"the film was good .", "the plot was not bad !", "a dull , boring film"};
    return Vocab::build(texts);
}

ModelConfig small_config(const Vocab& v) {
    ModelConfig c;
    c.vocab_size = static_cast<int>(v.size());
    c.d_model = 16, c.num_heads = 4, c.d_ff = 24, c.num_layers = 2, c.num_classes = 3, c.max_len = 12;
    c.dropout = 0.1f;
    return c;
}

using llm::testing::TempDir;

std::vector<std::uint32_t> logit_bits(const MiniLLM& m, const Vocab& v) {
    const std::vector<std::string> texts = {"the film was good .", "not bad", "a boring plot , the film was dull"};
    const TokenBatch b = make_batch(v, texts, static_cast<std::size_t>(m.config().max_len));
    NoGrad ng;
    const Tensor logits = m.forward(b.ids, Tensor::from({int(b.B), int(b.T)}, b.pad_mask), nullptr).logits;
    std::vector<std::uint32_t> out;
    for (const float f : logits.data()) out.push_back(std::bit_cast<std::uint32_t>(f));
    return out;
}

// The message from_file throws for `f` ("" if it loads).
std::string load_error(const safetensors::File& f) {
    try {
        checkpoint::from_file(f, "ck");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// A valid checkpoint as a File, to be broken by each test.
safetensors::File good_file() {
    const Vocab v = small_vocab();
    const MiniLLM m(small_config(v), 3);
    return checkpoint::to_file(m, v, kClasses);
}

// After changing a File on purpose, store its new checksum so that the
// loader reaches the check under test instead of reporting corruption.
void reseal(safetensors::File& f) { f.metadata["crc32"] = checkpoint::content_crc32(f); }

std::string error_after(const std::function<void(safetensors::File&)>& change) {
    safetensors::File f = good_file();
    change(f);
    reseal(f);
    return load_error(f);
}

}  // namespace

TEST_CASE("checkpoint round trip: the reloaded model gives bit-identical logits", "[checkpoint]") {
    const Vocab v = small_vocab();
    for (const bool pre_norm : {false, true}) {
        ModelConfig c = small_config(v);
        c.pre_norm = pre_norm;
        c.pooling = pre_norm ? Pooling::max : Pooling::mean;
        c.activation = pre_norm ? Activation::gelu : Activation::relu;
        c.dropout = 0.3f;
        const MiniLLM m(c, 9);
        TempDir dir;
        const std::string path = dir / "m.safetensors";
        checkpoint::save(path, m, v, kClasses, "a note");
        const checkpoint::Loaded back = checkpoint::load(path);
        REQUIRE(logit_bits(back.model, back.vocab) == logit_bits(m, v));
        REQUIRE(back.vocab.tokens() == v.tokens());
        REQUIRE(back.classes == kClasses);
        REQUIRE(back.training == "a note");
        const ModelConfig& b = back.model.config();
        REQUIRE((b.vocab_size == c.vocab_size && b.d_model == c.d_model && b.num_heads == c.num_heads &&
                 b.d_ff == c.d_ff && b.num_layers == c.num_layers && b.num_classes == c.num_classes &&
                 b.max_len == c.max_len && b.activation == c.activation && b.pre_norm == c.pre_norm &&
                 b.pooling == c.pooling));
        REQUIRE(checkpoint::to_file(m, v, kClasses).metadata.count("pooling") == (c.pooling == Pooling::max ? 1u : 0u));
        REQUIRE(std::bit_cast<std::uint32_t>(b.dropout) == std::bit_cast<std::uint32_t>(c.dropout));
        // Saving the reloaded model gives the same bytes.
        checkpoint::save(dir / "again.safetensors", back.model, back.vocab, back.classes, back.training);
        REQUIRE(io::read_file(dir / "again.safetensors") == io::read_file(path));
    }
}

TEST_CASE("checkpoint metadata: every field as a string, torch tensor names", "[checkpoint]") {
    const safetensors::File f = good_file();
    const auto& m = f.metadata;
    REQUIRE(m.at("format") == "llm-from-scratch/minillm-v1");
    REQUIRE(m.at("d_model") == "16");
    REQUIRE(m.at("num_heads") == "4");
    REQUIRE(m.at("d_ff") == "24");
    REQUIRE(m.at("num_layers") == "2");
    REQUIRE(m.at("num_classes") == "3");
    REQUIRE(m.at("max_len") == "12");
    REQUIRE(m.at("dropout") == "0.1");
    REQUIRE(m.at("activation") == "relu");
    REQUIRE(m.at("pre_norm") == "false");
    REQUIRE(m.at("classes") == "negative\nneutral\npositive");
    REQUIRE(m.at("vocab") == small_vocab().serialize());
    REQUIRE(m.at("vocab_size") == std::to_string(small_vocab().size()));
    REQUIRE(m.at("crc32").size() == 8);
    REQUIRE(m.count("training") == 0);
    REQUIRE(f.tensors.count("embedding.weight") == 1);
    REQUIRE(f.tensors.count("encoder.layers.1.self_attn.in_proj_weight") == 1);
    REQUIRE(f.tensors.at("classifier.weight").shape == std::vector<int64_t>{3, 16});
}

TEST_CASE("parameter_count matches the model, float_to_string round-trips", "[checkpoint]") {
    for (const bool pre : {false, true})
        for (const int layers : {1, 3}) {
            ModelConfig c;
            c.vocab_size = 50, c.d_model = 12, c.num_heads = 3, c.d_ff = 7, c.num_layers = layers, c.num_classes = 4;
            c.max_len = 9, c.pre_norm = pre;
            REQUIRE(checkpoint::parameter_count(c) == static_cast<double>(MiniLLM(c, 1).num_parameters()));
        }
    REQUIRE(checkpoint::float_to_string(0.1f) == "0.1");
    REQUIRE(checkpoint::float_to_string(0.0f) == "0");
    for (const float v : {0.1f, 0.3f, 1.0f / 3.0f, 0.999999f, 1e-7f}) {
        const std::string s = checkpoint::float_to_string(v);
        REQUIRE(std::stof(s) == v);
    }
}

TEST_CASE("the loader refuses what is not a MiniLLM checkpoint", "[checkpoint]") {
    safetensors::File f = good_file();
    f.metadata.erase("format");
    REQUIRE_THAT(load_error(f), StartsWith("'ck': not a MiniLLM checkpoint (its metadata has no \"format\")"));
    f.metadata["format"] = "pt";
    REQUIRE_THAT(load_error(f), Contains("not a MiniLLM checkpoint (format 'pt', expected 'llm-from-scratch/minillm-v1')"));
    // A golden file of the reference tests is a fine safetensors file, but not a checkpoint.
    REQUIRE_THROWS_WITH(checkpoint::load("data/golden/softmax.safetensors"), Contains("not a MiniLLM checkpoint"));
    REQUIRE_THROWS_WITH(checkpoint::load("/nonexistent/m.safetensors"), Contains("cannot read '/nonexistent/m.safetensors'"));
}

TEST_CASE("the loader checks every config field", "[checkpoint]") {
    for (const char* key : {"vocab_size", "d_model", "num_heads", "d_ff", "num_layers", "num_classes", "max_len",
                            "dropout", "activation", "pre_norm", "vocab", "classes", "crc32"}) {
        INFO(key);
        safetensors::File f = good_file();
        f.metadata.erase(key);
        if (std::string(key) != "crc32") reseal(f);
        REQUIRE(load_error(f) == std::string("'ck': missing metadata field '") + key + "'");
    }
    for (const char* bad : {"abc", "", "-16", "+16", "16.0", " 16", "1e2", "0x10"}) {
        INFO(bad);
        REQUIRE(error_after([&](auto& f) { f.metadata["d_model"] = bad; }) ==
                std::string("'ck': config field 'd_model' is '") + bad + "', not a decimal integer");
    }
    REQUIRE(error_after([](auto& f) { f.metadata["d_model"] = "0"; }) ==
            "'ck': config field 'd_model' is 0, outside [1, 65536]");
    REQUIRE(error_after([](auto& f) { f.metadata["num_classes"] = "1"; }) ==
            "'ck': config field 'num_classes' is 1, outside [2, 100000]");
    REQUIRE_THAT(error_after([](auto& f) { f.metadata["num_layers"] = "99999999999999999999"; }),
                 Contains("config field 'num_layers' is '99999999999999999999', not a decimal integer"));
    REQUIRE(error_after([](auto& f) { f.metadata["dropout"] = "1.5"; }) ==
            "'ck': config field 'dropout' is 1.5, outside [0, 1)");
    REQUIRE(error_after([](auto& f) { f.metadata["dropout"] = "nan"; }) ==
            "'ck': config field 'dropout' is 'nan', not a decimal number");
    REQUIRE(error_after([](auto& f) { f.metadata["activation"] = "tanh"; }) ==
            "'ck': config field 'activation' is 'tanh', expected 'relu' or 'gelu'");
    REQUIRE(error_after([](auto& f) { f.metadata["pre_norm"] = "yes"; }) ==
            "'ck': config field 'pre_norm' is 'yes', expected 'true' or 'false'");
    REQUIRE(error_after([](auto& f) { f.metadata["pooling"] = "sum"; }) ==
            "'ck': config field 'pooling' is 'sum', expected 'mean' or 'max'");
    REQUIRE(error_after([](auto& f) { f.metadata["pooling"] = "mean"; }).empty());   // optional; absent = mean
    REQUIRE(error_after([](auto& f) { f.metadata["num_heads"] = "5"; }) ==
            "'ck': invalid config: encoder config: d_model 16 is not divisible by num_heads 5");
    REQUIRE(error_after([](auto& f) { f.metadata["extra"] = "1"; }) == "'ck': unexpected metadata field 'extra'");
}

TEST_CASE("the loader checks the vocabulary and the classes against the config", "[checkpoint]") {
    const std::string V = std::to_string(small_vocab().size());
    REQUIRE(error_after([&](auto& f) { f.metadata["vocab_size"] = std::to_string(small_vocab().size() + 1); }) ==
            "'ck': the vocab has " + V + " entries but vocab_size is " + std::to_string(small_vocab().size() + 1));
    REQUIRE(error_after([](auto& f) { f.metadata["vocab"] = "<pad>\nfilm"; }) ==
            "'ck': vocab: entry 1 must be <unk>, found 'film'");
    REQUIRE(error_after([](auto& f) { f.metadata["vocab"] += "\nfilm"; }) ==
            "'ck': vocab: entry " + V + " 'film' duplicates entry " +
                std::to_string(small_vocab().id("film")));
    REQUIRE(error_after([](auto& f) { f.metadata["classes"] = "negative\npositive"; }) ==
            "'ck': 'classes' names 2 classes but num_classes is 3");
    REQUIRE(error_after([](auto& f) { f.metadata["classes"] = "negative\nnegative\npositive"; }) ==
            "'ck': class name 'negative' appears twice");
    REQUIRE(error_after([](auto& f) { f.metadata["classes"] = "negative\n\npositive"; }) ==
            "'ck': class 1 has an empty name");
}

TEST_CASE("the loader checks every tensor against the config", "[checkpoint]") {
    REQUIRE(error_after([](auto& f) { f.tensors.erase("classifier.bias"); }) ==
            "'ck': missing tensor 'classifier.bias' [3]");
    REQUIRE(error_after([](auto& f) { f.tensors["encoder.layers.2.norm1.weight"] = {{16}, std::vector<float>(16)}; }) ==
            "'ck': unexpected tensor 'encoder.layers.2.norm1.weight' [16] (not a parameter of this config)");
    // d_ff says 32 but the tensors were saved with 24
    REQUIRE(error_after([](auto& f) { f.metadata["d_ff"] = "32"; }) ==
            "'ck': tensor 'encoder.layers.0.linear1.weight' has shape [24, 16] but the config says [32, 16]");
    // one layer fewer in the config: the second layer's tensors are unexpected
    REQUIRE_THAT(error_after([](auto& f) { f.metadata["num_layers"] = "1"; }),
                 StartsWith("'ck': unexpected tensor 'encoder.layers.1."));
    // pre_norm wants encoder.norm.*
    REQUIRE(error_after([](auto& f) { f.metadata["pre_norm"] = "true"; }) ==
            "'ck': missing tensor 'encoder.norm.weight' [16]");
    REQUIRE(error_after([](auto& f) { f.tensors["embedding.weight"].data[7] = std::numeric_limits<float>::quiet_NaN(); }) ==
            "'ck': tensor 'embedding.weight' holds a non-finite value (nan) at index 7");
    // A config far larger than the file is refused before any allocation.
    REQUIRE_THAT(error_after([](auto& f) { f.metadata["d_ff"] = "1048576"; }),
                 Contains("the config describes") && Contains("parameters but the file holds only"));
}

TEST_CASE("the checksum catches a changed value that is still valid", "[checkpoint]") {
    safetensors::File f = good_file();
    f.metadata["dropout"] = "0.2";                               // plausible, but not what was saved
    REQUIRE_THAT(load_error(f), StartsWith("'ck': corrupted: the content's CRC-32 is "));
    f = good_file();
    f.tensors["classifier.weight"].data[0] += 1.0f;              // a weight changed
    REQUIRE_THAT(load_error(f), Contains("corrupted"));
    f = good_file();
    f.metadata["crc32"] = "zz";
    REQUIRE_THAT(load_error(f), Contains("but the file says 'zz'"));
}

TEST_CASE("truncated and corrupted files are refused with one line, never loaded", "[checkpoint]") {
    const Vocab v = small_vocab();
    const MiniLLM m(small_config(v), 5);
    TempDir dir;
    const std::string path = dir / "m.safetensors";
    checkpoint::save(path, m, v, kClasses);
    const std::string bytes = io::read_file(path);
    const std::string broken = dir / "broken.safetensors";

    // In memory (safetensors::parse + from_file, what load does after reading
    // the file): refused with one line naming the source.
    auto refused = [&](const std::string& content) {
        try {
            checkpoint::from_file(safetensors::parse(content, broken), broken);
        } catch (const std::runtime_error& e) {
            const std::string msg = e.what();
            return msg.rfind("'" + broken + "'", 0) == 0 && msg.find('\n') == std::string::npos;
        }
        return false;
    };
    SECTION("through a file") {
        io::write_file_atomic(broken, bytes.substr(0, bytes.size() - 1));
        REQUIRE_THROWS_WITH(checkpoint::load(broken), StartsWith("'" + broken + "'"));
    }
    SECTION("truncated at many lengths") {
        for (std::size_t cut : {std::size_t(0), std::size_t(4), std::size_t(8), std::size_t(100), bytes.size() / 2,
                                bytes.size() - 4, bytes.size() - 1}) {
            INFO("cut at " << cut);
            REQUIRE(refused(bytes.substr(0, cut)));
        }
    }
    SECTION("a single byte changed at 400 spread positions") {
        // CRC-32 detects every single-byte error, so a byte changed anywhere
        // in the content (length, JSON, metadata value, weight) must be
        // refused. The one harmless change: a padding space of the header
        // turned into other JSON whitespace; then the content is unchanged.
        std::size_t harmless = 0;
        for (std::size_t k = 0; k < 400; ++k) {
            const std::size_t pos = (k * 7919) % bytes.size();
            std::string b = bytes;
            b[pos] = static_cast<char>(b[pos] ^ (1 + k % 255));
            INFO("byte " << pos << ": " << int(static_cast<unsigned char>(bytes[pos])) << " -> "
                         << int(static_cast<unsigned char>(b[pos])));
            if (refused(b)) continue;
            REQUIRE(bytes[pos] == ' ');
            REQUIRE(logit_bits(checkpoint::from_file(safetensors::parse(b, "b"), "b").model, v) == logit_bits(m, v));
            ++harmless;
        }
        REQUIRE(harmless <= 2);
    }
    SECTION("extra bytes at the end") { REQUIRE(refused(bytes + "x")); }
}

TEST_CASE("to_file refuses pieces that do not fit together", "[checkpoint]") {
    const Vocab v = small_vocab();
    const MiniLLM m(small_config(v), 5);
    REQUIRE_THROWS_WITH(checkpoint::to_file(m, v, {"a", "b"}), Contains("2 class names for a model of 3 classes"));
    REQUIRE_THROWS_WITH(checkpoint::to_file(m, v, {"a", "b", "a"}), Contains("class name 'a' appears twice"));
    REQUIRE_THROWS_WITH(checkpoint::to_file(m, v, {"a", "b\nc", "d"}), Contains("contains a newline"));
    REQUIRE_THROWS_WITH(checkpoint::to_file(m, Vocab(), kClasses), Contains("the vocab has 2 entries"));
}
