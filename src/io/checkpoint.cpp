// MiniLLM checkpoints as safetensors files (see checkpoint.hpp).
#include "io/checkpoint.hpp"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace llm::checkpoint {

namespace {

// The metadata keys of format v1, in the order the checks below read them.
const char* const kIntKeys[] = {"vocab_size", "d_model", "num_heads", "d_ff", "num_layers", "num_classes", "max_len"};
const std::set<std::string> kKnownKeys = {"format",  "vocab_size", "d_model",    "num_heads", "d_ff",    "num_layers",
                                          "num_classes", "max_len", "dropout",   "activation", "pre_norm", "pooling", "vocab",
                                          "classes", "training", "crc32"};

// CRC-32 (IEEE 802.3, the polynomial of zlib and PNG), bit by bit: small and
// fast enough for a checkpoint of a few hundred kilobytes.
std::uint32_t crc32_update(std::uint32_t crc, std::string_view bytes) {
    for (const char ch : bytes) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

int ModelConfig::*int_field(std::string_view key) {
    if (key == "vocab_size") return &ModelConfig::vocab_size;
    if (key == "d_model") return &ModelConfig::d_model;
    if (key == "num_heads") return &ModelConfig::num_heads;
    if (key == "d_ff") return &ModelConfig::d_ff;
    if (key == "num_layers") return &ModelConfig::num_layers;
    if (key == "num_classes") return &ModelConfig::num_classes;
    return &ModelConfig::max_len;
}

std::pair<int, int> int_range(std::string_view key) {       // [lo, hi] allowed in a file
    if (key == "vocab_size") return {3, Limits::vocab_size};
    if (key == "d_model") return {1, Limits::d_model};
    if (key == "num_heads") return {1, Limits::num_heads};
    if (key == "d_ff") return {1, Limits::d_ff};
    if (key == "num_layers") return {1, Limits::num_layers};
    if (key == "num_classes") return {2, Limits::num_classes};
    return {1, Limits::max_len};
}

// Metadata values shown in messages: at most 40 bytes, control bytes escaped.
std::string shown(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > 40) out += "...";
    return out;
}

std::string shape_string(const std::vector<int64_t>& s) {
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

std::vector<std::string> split_lines(std::string_view s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = s.find('\n', start);
        out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

void check_classes(const std::vector<std::string>& classes, const std::function<void(const std::string&)>& fail) {
    std::set<std::string> seen;
    for (std::size_t k = 0; k < classes.size(); ++k) {
        if (classes[k].empty()) fail("class " + std::to_string(k) + " has an empty name");
        if (classes[k].find('\n') != std::string::npos)
            fail("class " + std::to_string(k) + " '" + shown(classes[k]) + "' contains a newline");
        if (!seen.insert(classes[k]).second) fail("class name '" + shown(classes[k]) + "' appears twice");
    }
}

}  // namespace

std::string content_crc32(const safetensors::File& file) {
    std::uint32_t crc = 0xFFFFFFFFu;
    auto add = [&](std::string_view s) { crc = crc32_update(crc, s); crc = crc32_update(crc, std::string_view("\0", 1)); };
    for (const auto& [key, value] : file.metadata) {                // std::map: sorted by key
        if (key == "crc32") continue;
        add(key);
        add(value);
    }
    for (const auto& [name, t] : file.tensors) {                    // sorted by name
        add(name);
        std::string header;
        for (const int64_t d : t.shape) header += std::to_string(d) + ",";
        add(header);
        std::string bytes(t.data.size() * 4, '\0');
        for (std::size_t i = 0; i < t.data.size(); ++i) {
            const auto u = std::bit_cast<std::uint32_t>(t.data[i]);
            for (int b = 0; b < 4; ++b) bytes[4 * i + std::size_t(b)] = static_cast<char>((u >> (8 * b)) & 0xFF);   // little-endian
        }
        add(bytes);
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(crc ^ 0xFFFFFFFFu));
    return buf;
}

std::string float_to_string(float v) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);   // shortest round-trip form
    if (ec != std::errc()) throw std::runtime_error("float_to_string: cannot format");
    return std::string(buf, end);
}

// ---------------------------------------------------------------------------
// Saving

safetensors::File to_file(const MiniLLM& model, const Vocab& vocab, const std::vector<std::string>& classes,
                          const std::string& training) {
    const ModelConfig& c = model.config();
    auto fail = [](const std::string& why) { throw std::invalid_argument("checkpoint: " + why); };
    if (vocab.size() != static_cast<std::size_t>(c.vocab_size))
        fail("the vocab has " + std::to_string(vocab.size()) + " entries but the model's vocab_size is " +
             std::to_string(c.vocab_size));
    if (classes.size() != static_cast<std::size_t>(c.num_classes))
        fail(std::to_string(classes.size()) + " class names for a model of " + std::to_string(c.num_classes) +
             " classes");
    check_classes(classes, fail);

    safetensors::File f;
    auto& m = f.metadata;
    m["format"] = std::string(format_tag);
    for (const char* key : kIntKeys) m[key] = std::to_string(c.*int_field(key));
    m["dropout"] = float_to_string(c.dropout);
    m["activation"] = to_string(c.activation);
    m["pre_norm"] = c.pre_norm ? "true" : "false";
    if (c.pooling != Pooling::mean) m["pooling"] = to_string(c.pooling);   // absent: mean (older files)
    m["vocab"] = vocab.serialize();
    std::string joined;
    for (std::size_t k = 0; k < classes.size(); ++k) joined += (k ? "\n" : "") + classes[k];
    m["classes"] = joined;
    if (!training.empty()) m["training"] = training;

    for (const auto& [name, t] : model.named_parameters()) {
        safetensors::Tensor st;
        for (const int d : t.shape()) st.shape.push_back(d);
        st.data.assign(t.data().begin(), t.data().end());
        f.tensors.emplace(name, std::move(st));
    }
    f.metadata["crc32"] = content_crc32(f);
    return f;
}

void save(const std::string& path, const MiniLLM& model, const Vocab& vocab, const std::vector<std::string>& classes,
          const std::string& training) {
    safetensors::save(path, to_file(model, vocab, classes, training));
}

// ---------------------------------------------------------------------------
// Loading

namespace {

using Fail = std::function<void(const std::string&)>;   // throws "'file': why"
using Metadata = std::map<std::string, std::string>;

// Step 2 of from_file: the config, field by field, each checked.
ModelConfig config_of(const Metadata& meta, const Fail& fail) {
    auto get = [&](const std::string& key) -> const std::string& {
        const auto it = meta.find(key);
        if (it == meta.end()) fail("missing metadata field '" + key + "'");
        return it->second;
    };
    ModelConfig cfg;
    for (const char* key : kIntKeys) {
        const std::string& s = get(key);
        long long v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        const bool digits_only = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        if (!digits_only || ec != std::errc() || end != s.data() + s.size())
            fail(std::string("config field '") + key + "' is '" + shown(s) + "', not a decimal integer");
        const auto [lo, hi] = int_range(key);
        if (v < lo || v > hi)
            fail(std::string("config field '") + key + "' is " + s + ", outside [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
        cfg.*int_field(key) = static_cast<int>(v);
    }
    {
        const std::string& s = get("dropout");
        float v = 0.0f;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
            fail("config field 'dropout' is '" + shown(s) + "', not a decimal number");
        if (!(v >= 0.0f && v < 1.0f)) fail("config field 'dropout' is " + s + ", outside [0, 1)");
        cfg.dropout = v;
    }
    const std::string& act = get("activation");
    if (act == "relu") cfg.activation = Activation::relu;
    else if (act == "gelu") cfg.activation = Activation::gelu;
    else fail("config field 'activation' is '" + shown(act) + "', expected 'relu' or 'gelu'");
    const std::string& pre = get("pre_norm");
    if (pre != "true" && pre != "false") fail("config field 'pre_norm' is '" + shown(pre) + "', expected 'true' or 'false'");
    cfg.pre_norm = pre == "true";
    if (const auto it = meta.find("pooling"); it != meta.end()) {
        if (it->second == "max") cfg.pooling = Pooling::max;
        else if (it->second != "mean") fail("config field 'pooling' is '" + shown(it->second) + "', expected 'mean' or 'max'");
    }
    try {
        cfg.validate();
    } catch (const std::invalid_argument& e) {
        fail(std::string("invalid config: ") + e.what());
    }
    return cfg;
}

// Step 4 of from_file: every parameter's tensor, its shape checked against
// the config, its values finite; no tensor left over.
void copy_tensors(const safetensors::File& file, MiniLLM& model, const Fail& fail) {
    std::set<std::string> expected;
    for (auto& [name, p] : model.named_parameters()) {
        expected.insert(name);
        std::vector<int64_t> want(p.shape().begin(), p.shape().end());
        const auto it = file.tensors.find(name);
        if (it == file.tensors.end()) fail("missing tensor '" + name + "' " + shape_string(want));
        const safetensors::Tensor& t = it->second;
        if (t.shape != want)
            fail("tensor '" + name + "' has shape " + shape_string(t.shape) + " but the config says " +
                 shape_string(want));
        for (std::size_t i = 0; i < t.data.size(); ++i)
            if (!std::isfinite(t.data[i]))
                fail("tensor '" + name + "' holds a non-finite value (" + std::to_string(t.data[i]) +
                     ") at index " + std::to_string(i));
        Tensor dst = p;
        std::copy(t.data.begin(), t.data.end(), dst.data().begin());
    }
    for (const auto& [name, t] : file.tensors)
        if (!expected.count(name))
            fail("unexpected tensor '" + shown(name) + "' " + shape_string(t.shape) + " (not a parameter of this config)");
}

}  // namespace

Loaded from_file(const safetensors::File& file, const std::string& what) {
    auto fail = [&](const std::string& why) { throw std::runtime_error("'" + what + "': " + why); };
    const auto& meta = file.metadata;
    auto get = [&](const std::string& key) -> const std::string& {
        const auto it = meta.find(key);
        if (it == meta.end()) fail("missing metadata field '" + key + "'");
        return it->second;
    };

    // 1. The format tag: is this a MiniLLM checkpoint at all?
    const auto fmt = meta.find("format");
    if (fmt == meta.end()) fail("not a MiniLLM checkpoint (its metadata has no \"format\")");
    if (fmt->second != format_tag)
        fail("not a MiniLLM checkpoint (format '" + shown(fmt->second) + "', expected '" + std::string(format_tag) + "')");
    for (const auto& [key, value] : meta)
        if (!kKnownKeys.count(key)) fail("unexpected metadata field '" + shown(key) + "'");
    // The checksum first: a flipped byte anywhere (a metadata value, a weight)
    // is then reported as what it is, corruption.
    const std::string& stored_crc = get("crc32");
    if (const std::string actual = content_crc32(file); stored_crc != actual)
        fail("corrupted: the content's CRC-32 is " + actual + " but the file says '" + shown(stored_crc) + "'");

    // 2. The config, field by field.
    const ModelConfig cfg = config_of(meta, fail);

    // 3. The vocabulary and the classes must match the config.
    const std::string& vocab_text = get("vocab");
    Vocab vocab;
    try {
        vocab = Vocab::deserialize(vocab_text);
    } catch (const std::runtime_error& e) {
        fail(e.what());                                                          // "vocab: entry 7 ..."
    }
    if (vocab.size() != static_cast<std::size_t>(cfg.vocab_size))
        fail("the vocab has " + std::to_string(vocab.size()) + " entries but vocab_size is " +
             std::to_string(cfg.vocab_size));
    std::vector<std::string> classes = split_lines(get("classes"));
    if (classes.size() != static_cast<std::size_t>(cfg.num_classes))
        fail("'classes' names " + std::to_string(classes.size()) + " classes but num_classes is " +
             std::to_string(cfg.num_classes));
    check_classes(classes, fail);

    // 4. The tensors. First a guard: never build a model far larger than the
    //    file that describes it (a corrupted d_ff of 10^6 must not allocate gigabytes).
    double stored = 0.0;
    for (const auto& [name, t] : file.tensors) stored += static_cast<double>(t.data.size());
    const double wanted = parameter_count(cfg);
    if (wanted > 2.0 * stored + 1e6) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "the config describes %.0f parameters but the file holds only %.0f values",
                      wanted, stored);
        fail(buf);
    }
    Loaded out{MiniLLM(cfg, 0), std::move(vocab), std::move(classes),
               meta.count("training") ? meta.at("training") : std::string()};
    copy_tensors(file, out.model, fail);
    return out;
}

Loaded load(const std::string& path) {
    return from_file(safetensors::load(path), path);
}

}  // namespace llm::checkpoint
