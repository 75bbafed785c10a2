#pragma once
// The model's settings: the one place their defaults are written (lesson 5's
// mini LLM). Everything else derives from here: an encoder block's settings
// (EncoderConfig below), lesson 5's command-line defaults (app/cli.hpp) and
// the checkpoint's config fields (io/checkpoint.hpp). One comment per field,
// as nanoGPT's GPTConfig.
namespace llm {

enum class Activation { relu, gelu };
const char* to_string(Activation a);                // "relu", "gelu"
enum class Pooling { mean, max };                   // how the token vectors become one sentence vector
const char* to_string(Pooling p);                   // "mean", "max"

struct EncoderConfig;

struct ModelConfig {
    int vocab_size = 0;                     // V: tokens in the vocabulary, <pad> and <unk> included (from the data)
    int d_model = 64;                       // C: width of every token vector
    int num_heads = 4;                      // H: attention heads, must divide d_model (head size D = C / H)
    int d_ff = 128;                         // F: hidden width of each feed-forward network
    int num_layers = 2;                     // encoder blocks
    int num_classes = 3;                    // K: labels to predict (from the data)
    int max_len = 32;                       // longest sequence in tokens; rows of the PE table
    float dropout = 0.1f;                   // probability, applied only in training
    Activation activation = Activation::relu;   // of the feed-forward networks
    bool pre_norm = false;                  // false: post-LN (the paper); true: pre-LN (GPT-2)
    Pooling pooling = Pooling::mean;        // mean or max over the real tokens' final vectors
    void validate() const;                  // throws std::invalid_argument naming the bad field
    EncoderConfig encoder() const;          // the settings every block shares
};

// One encoder block's settings: the model's, without what only the whole
// model has (vocabulary, classes, depth, length). Defaults: ModelConfig's.
struct EncoderConfig {
    int d_model = ModelConfig{}.d_model;    // C
    int num_heads = ModelConfig{}.num_heads;   // H, must divide d_model
    int d_ff = ModelConfig{}.d_ff;          // F
    float dropout = ModelConfig{}.dropout;  // probability, applied only in training
    Activation activation = ModelConfig{}.activation;
    bool pre_norm = ModelConfig{}.pre_norm;
    void validate() const;                  // throws std::invalid_argument with the reason
};

}  // namespace llm
