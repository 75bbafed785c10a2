#pragma once
// Tokenizer: text -> words -> ids, and batches of ids with a padding mask.
//
// The rule, chosen to be simple and easy to predict:
//   * ASCII letters are lowercased; every other byte is kept as it is.
//   * ASCII whitespace and control bytes (< 0x20, 0x7F) separate tokens.
//   * Every ASCII punctuation character !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ is a
//     token of its own: "Good, but" -> "good" "," "but"; "don't" -> "don" "'" "t";
//     "o'clock" -> "o" "'" "clock".
//   * Anything else (letters, digits, UTF-8 bytes >= 0x80) forms words:
//     "café" is one token, and so is a curly apostrophe inside "don’t".
// A "word token" is a token that is not punctuation. A sentence needs at least
// one token of either kind (the data loader checks it: "?!" is text).
//
// Vocab: id 0 is <pad>, id 1 is <unk>, then the words of the training texts
// by frequency (most frequent first), ties broken alphabetically (byte order),
// so the same texts always give the same ids. The special tokens can never
// collide with a word: "<" and ">" are punctuation, so "<pad>" in a text is
// split into "<" "pad" ">".
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace llm {

// ---------------------------------------------------------------------------
// Splitting

// Splits text into tokens by the rule above.
std::vector<std::string> tokenize(std::string_view text);

// True for a token made of a single ASCII punctuation character.
bool is_punctuation_token(std::string_view token);

// Text for a one-line error message, in single quotes: control bytes as
// \xNN, at most 40 bytes (cut on a UTF-8 character boundary, then "...").
std::string quote_for_message(std::string_view s);

// Number of tokens and of word (non-punctuation) tokens in text.
std::size_t count_tokens(std::string_view text);
// count_tokens(text) > 0, without counting them all.
bool has_token(std::string_view text);
std::size_t count_word_tokens(std::string_view text);

// ---------------------------------------------------------------------------
// Vocabulary

class Vocab {
public:
    static constexpr int pad_id = 0;
    static constexpr int unk_id = 1;
    static constexpr std::string_view pad_token = "<pad>";
    static constexpr std::string_view unk_token = "<unk>";

    // A vocabulary of the two special tokens only.
    Vocab();

    // Builds the vocabulary of `texts` (the TRAINING split only): words seen
    // at least `min_count` times (min_count >= 1), most frequent first, ties
    // alphabetical. `max_size` caps the total size INCLUDING the two special
    // tokens (0 = no cap; otherwise it must be >= 2). Punctuation tokens are
    // words like any other. Throws std::invalid_argument on bad arguments.
    static Vocab build(std::span<const std::string> texts, std::size_t min_count = 1,
                       std::size_t max_size = 0);

    // Serialisation for a checkpoint's metadata: the tokens in id order,
    // joined by '\n' (no trailing newline). deserialize accepts exactly what
    // serialize writes (one trailing '\n' is tolerated) and throws
    // std::runtime_error naming the entry when: the string is empty; the
    // first two entries are not <pad>, <unk>; an entry is empty, is a
    // duplicate, or is not something the tokenizer can produce (uppercase,
    // whitespace, punctuation glued to a word, ...).
    std::string serialize() const;
    static Vocab deserialize(std::string_view text);

    std::size_t size() const { return tokens_.size(); }
    // The id of a token; unk_id when it is not in the vocabulary.
    int id(std::string_view token) const;
    bool contains(std::string_view token) const;
    // The token of an id. Throws std::out_of_range.
    const std::string& token(int id) const;
    const std::vector<std::string>& tokens() const { return tokens_; }

    // Token ids of text, unknown words -> unk_id, cut to the first max_len
    // tokens (max_len >= 1, else std::invalid_argument). Whether it was cut:
    // count_tokens(text) > max_len.
    std::vector<int> encode(std::string_view text, std::size_t max_len) const;
    // The same, and count_tokens(text) in *tokens (the scan reads every token anyway).
    std::vector<int> encode(std::string_view text, std::size_t max_len, std::size_t* tokens) const;

    // The tokens of ids joined by single spaces (for printing).
    std::string decode(std::span<const int> ids) const;

private:
    explicit Vocab(std::vector<std::string> tokens);  // trusted, already validated
    std::vector<std::string> tokens_;
    // token -> id, looked up by string_view (no std::string made per lookup)
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, int, Hash, std::equal_to<>> ids_;
};

// ---------------------------------------------------------------------------
// Batching

// B sentences padded to a common length T = the longest encoded sentence,
// capped at max_len. Row-major: element (b, t) is at b * T + t.
struct TokenBatch {
    std::size_t B = 0;
    std::size_t T = 0;
    std::vector<int> ids;         // [B, T], pad_id after the end of each sentence
    std::vector<float> pad_mask;  // [B, T], 1.0 = padding (blocked), 0.0 = real token
    std::vector<std::size_t> lengths;  // [B], real tokens per row, each in [1, T]
    std::size_t truncated = 0;    // how many sentences were cut to max_len
};

// Encodes and pads `texts`. Throws std::invalid_argument if texts is empty,
// max_len is 0, or a sentence has no tokens at all (the loader rejects such
// sentences, so every row has at least one real token).
TokenBatch make_batch(const Vocab& vocab, std::span<const std::string> texts,
                      std::size_t max_len);

}  // namespace llm
