// Tokenizer, vocabulary and batching. The rules are in tokenizer.hpp.
#include "io/tokenizer.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace llm {

// ---------------------------------------------------------------------------
// Splitting

namespace {

enum class CharKind { separator, punctuation, word };

CharKind kind_of(unsigned char c) {
    if (c <= 0x20 || c == 0x7F) return CharKind::separator;  // space and control bytes
    if (c >= 0x80) return CharKind::word;                    // UTF-8 lead/continuation bytes
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return CharKind::word;
    return CharKind::punctuation;  // the 32 ASCII punctuation characters
}

char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Calls on_token(std::string_view token_of_text, bool is_word) for each token,
// without lowercasing; the callers lowercase when they keep the token.
template <typename F>
void for_each_token(std::string_view text, F&& on_token) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const CharKind k = kind_of(static_cast<unsigned char>(text[i]));
        if (k == CharKind::separator) {
            ++i;
        } else if (k == CharKind::punctuation) {
            on_token(text.substr(i, 1), false);
            ++i;
        } else {
            std::size_t j = i + 1;
            while (j < n && kind_of(static_cast<unsigned char>(text[j])) == CharKind::word) ++j;
            on_token(text.substr(i, j - i), true);
            i = j;
        }
    }
}

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower_ascii(c);
    return out;
}

}  // namespace

std::string quote_for_message(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    std::size_t cut = std::min<std::size_t>(s.size(), 40);
    while (cut > 0 && cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;  // do not split a UTF-8 character
    std::string out = "'";
    for (std::size_t i = 0; i < cut; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (cut < s.size()) out += "...";
    out += '\'';
    return out;
}

std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> out;
    for_each_token(text, [&](std::string_view tok, bool) { out.push_back(lowered(tok)); });
    return out;
}

bool is_punctuation_token(std::string_view token) {
    return token.size() == 1 &&
           kind_of(static_cast<unsigned char>(token[0])) == CharKind::punctuation;
}

std::size_t count_tokens(std::string_view text) {
    std::size_t n = 0;
    for_each_token(text, [&](std::string_view, bool) { ++n; });
    return n;
}

bool has_token(std::string_view text) {
    for (const char c : text)
        if (kind_of(static_cast<unsigned char>(c)) != CharKind::separator) return true;
    return false;
}

std::size_t count_word_tokens(std::string_view text) {
    std::size_t n = 0;
    for_each_token(text, [&](std::string_view, bool is_word) { n += is_word ? 1 : 0; });
    return n;
}

// ---------------------------------------------------------------------------
// Vocabulary

Vocab::Vocab() : Vocab(std::vector<std::string>{std::string(pad_token), std::string(unk_token)}) {}

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
    for (std::size_t i = 0; i < tokens_.size(); ++i)
        ids_.emplace(tokens_[i], static_cast<int>(i));
}

Vocab Vocab::build(std::span<const std::string> texts, std::size_t min_count,
                   std::size_t max_size) {
    if (min_count < 1) throw std::invalid_argument("Vocab::build: min_count must be >= 1");
    if (max_size == 1)
        throw std::invalid_argument(
            "Vocab::build: max_size must be 0 (no cap) or >= 2 (it counts <pad> and <unk>)");
    std::map<std::string, std::size_t, std::less<>> counts;
    for (const std::string& text : texts)
        for (std::string& tok : tokenize(text)) ++counts[std::move(tok)];

    std::vector<std::pair<std::string, std::size_t>> words;
    for (auto& [word, count] : counts)
        if (count >= min_count) words.emplace_back(word, count);
    // counts is already in byte order; a stable sort by count keeps it for ties
    std::stable_sort(words.begin(), words.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });

    std::vector<std::string> tokens{std::string(pad_token), std::string(unk_token)};
    for (auto& [word, count] : words) {
        if (max_size != 0 && tokens.size() >= max_size) break;
        tokens.push_back(std::move(word));
    }
    return Vocab(std::move(tokens));
}

std::string Vocab::serialize() const {
    std::string out;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        if (i) out += '\n';
        out += tokens_[i];
    }
    return out;
}

Vocab Vocab::deserialize(std::string_view text) {
    if (text.empty()) throw std::runtime_error("vocab: empty string, expected <pad> and <unk> first");
    if (text.back() == '\n') text.remove_suffix(1);

    std::vector<std::string> tokens;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find('\n', start);
        tokens.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }

    auto fail = [](std::size_t i, const std::string& what) {
        throw std::runtime_error("vocab: entry " + std::to_string(i) + " " + what);
    };
    if (tokens[0] != pad_token) fail(0, "must be <pad>, found " + quote_for_message(tokens[0]));
    if (tokens.size() < 2) throw std::runtime_error("vocab: only 1 entry, expected <pad> and <unk> first");
    if (tokens[1] != unk_token) fail(1, "must be <unk>, found " + quote_for_message(tokens[1]));

    std::map<std::string_view, std::size_t> first_seen;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& tok = tokens[i];
        if (tok.empty()) fail(i, "is empty");
        if (auto [it, fresh] = first_seen.emplace(tok, i); !fresh)
            fail(i, quote_for_message(tok) + " duplicates entry " + std::to_string(it->second));
        if (i < 2) continue;
        const std::vector<std::string> again = tokenize(tok);
        if (again.size() != 1 || again[0] != tok)
            fail(i, quote_for_message(tok) + " is not a single lowercase token the tokenizer can produce");
    }
    return Vocab(std::move(tokens));
}

int Vocab::id(std::string_view token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? unk_id : it->second;
}

bool Vocab::contains(std::string_view token) const { return ids_.find(token) != ids_.end(); }

const std::string& Vocab::token(int id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size())
        throw std::out_of_range("Vocab::token: id " + std::to_string(id) + " outside [0, " +
                                std::to_string(tokens_.size()) + ")");
    return tokens_[static_cast<std::size_t>(id)];
}

std::vector<int> Vocab::encode(std::string_view text, std::size_t max_len) const {
    return encode(text, max_len, nullptr);
}

std::vector<int> Vocab::encode(std::string_view text, std::size_t max_len, std::size_t* tokens) const {
    if (max_len == 0) throw std::invalid_argument("Vocab::encode: max_len must be >= 1");
    std::vector<int> ids;
    std::string tok;                                      // the lowercased token, one buffer for all
    std::size_t n = 0;
    for_each_token(text, [&](std::string_view t, bool) {
        if (n++ >= max_len) return;
        tok.resize(t.size());
        for (std::size_t k = 0; k < t.size(); ++k) tok[k] = lower_ascii(t[k]);
        ids.push_back(id(tok));
    });
    if (tokens) *tokens = n;
    return ids;
}

std::string Vocab::decode(std::span<const int> ids) const {
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ' ';
        out += token(ids[i]);
    }
    return out;
}

// ---------------------------------------------------------------------------
// Batching

TokenBatch make_batch(const Vocab& vocab, std::span<const std::string> texts,
                      std::size_t max_len) {
    if (texts.empty()) throw std::invalid_argument("make_batch: no sentences");
    if (max_len == 0) throw std::invalid_argument("make_batch: max_len must be >= 1");

    TokenBatch batch;
    batch.B = texts.size();
    std::vector<std::vector<int>> rows;
    rows.reserve(texts.size());
    for (std::size_t b = 0; b < texts.size(); ++b) {
        rows.push_back(vocab.encode(texts[b], max_len));
        if (rows.back().empty())
            throw std::invalid_argument("make_batch: sentence " + std::to_string(b) +
                                        " has no tokens");
        if (count_tokens(texts[b]) > max_len) ++batch.truncated;
        batch.T = std::max(batch.T, rows.back().size());
    }

    batch.ids.assign(batch.B * batch.T, Vocab::pad_id);
    batch.pad_mask.assign(batch.B * batch.T, 1.0f);
    batch.lengths.resize(batch.B);
    for (std::size_t b = 0; b < batch.B; ++b) {
        batch.lengths[b] = rows[b].size();
        for (std::size_t t = 0; t < rows[b].size(); ++t) {
            batch.ids[b * batch.T + t] = rows[b][t];
            batch.pad_mask[b * batch.T + t] = 0.0f;
        }
    }
    return batch;
}

}  // namespace llm
