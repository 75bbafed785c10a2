#pragma once
// A small float tensor with reverse-mode automatic differentiation.
//
// A Tensor is a row-major std::vector<float> with a shape. Every op in
// ops.hpp computes its output (the forward) and, when gradients are wanted,
// records a closure that pushes the output's gradient back to its inputs
// (the backward). Tensor::backward() walks that graph in reverse topological
// order. This is micrograd's engine with vectors instead of scalars.
//
// Dimension names used in shape comments throughout the project (as llm.c):
//   B batch size        T tokens (sequence length)   C channels (d_model)
//   H heads             D head size (C / H)          F feed-forward width (d_ff)
//   V vocabulary size   K number of classes          S key length (T unless said)
//
// ---------------------------------------------------------------------------
// Ownership of the graph (the one place it is described)
//
//   A Tensor is a handle: a std::shared_ptr<Node>. Copies share the node.
//   A node owns its inputs (`parents`, and the handles its backward closure
//   captures); nothing owns a node's outputs. Edges point only backwards in
//   time, so the graph is a DAG of owning pointers with no cycles and nothing
//   leaks: when the last handle on a loss goes, its whole graph goes, except
//   the nodes something else still holds (parameters, kept activations).
//   Closures must never capture their own output node.
//   Destroying a 10,000-op chain would recurse 10,000 destructors deep, so
//   ~Node() unlinks its ancestors iteratively instead (tensor.cpp).
// ---------------------------------------------------------------------------
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kernels/kernels.hpp"

namespace llm {

using Shape = std::vector<int>;

std::string to_string(const Shape& s);      // "[2, 3, 4]"
std::size_t numel(const Shape& s);          // product of the dims (1 for [])

using Buffer = kernels::Buffer;             // a std::vector<float> (kernels.hpp: fast, it does not zero)

struct Node {
    Buffer data;                             // values, row-major, numel(shape) floats
    Buffer grad;                             // d(loss)/d(data); empty until first needed
    Shape shape;
    bool requires_grad = false;              // leaf flag, or "depends on a leaf that has it"
    const char* op = "leaf";                 // the op that made it, for messages and debugging
    std::vector<std::shared_ptr<Node>> parents;          // inputs (owning)
    std::function<void(Node& self)> backward_fn;         // adds self.grad into the parents' grads
    ~Node();
};

class Tensor {
public:
    Tensor();                                            // an empty [0] tensor
    // Makers. `requires_grad` marks a leaf whose gradient we want (a parameter).
    static Tensor zeros(const Shape& shape, bool requires_grad = false);
    static Tensor full(const Shape& shape, float value, bool requires_grad = false);
    static Tensor from(const Shape& shape, std::vector<float> values, bool requires_grad = false);
    static Tensor scalar(float value, bool requires_grad = false);

    const Shape& shape() const { return n_->shape; }
    int dim(int i) const;                                // negative i counts from the end
    int ndim() const { return static_cast<int>(n_->shape.size()); }
    std::size_t numel() const { return n_->data.size(); }

    std::span<float> data() { return n_->data; }
    std::span<const float> data() const { return n_->data; }
    float item() const;                                  // the value of a one-element tensor
    float at(std::initializer_list<int> index) const;    // bounds-checked element read

    // The gradient. Allocated (zeros) on first use, so grad() is always numel() long.
    std::span<float> grad();
    std::span<const float> grad() const;
    bool has_grad() const { return !n_->grad.empty(); }
    void zero_grad();                                    // zeroing is its own step
    // For a backward closure that is the first to write this gradient (has_grad()
    // is false: during backward() nothing has been added to it yet, it would be
    // zeros): the gradient, numel() long, NOT zeroed (the readable build zeroes
    // anyway). The closure must set every element to 0.0f + its contribution,
    // bit for bit what adding into zeros gives, without streaming the zeros
    // through memory first (ops.cpp, grad_out).
    std::span<float> grad_for_overwrite();
    // Whether closures take that path (on by default; tests turn it off to
    // check that both ways give the same bytes).
    static void set_overwrite_fresh_grads(bool on);
    static bool overwrite_fresh_grads();

    bool requires_grad() const { return n_->requires_grad; }
    void set_requires_grad(bool on) { n_->requires_grad = on; }
    const char* op() const { return n_->op; }

    // Backpropagation from this tensor: d(this)/d(this) = 1 (this must hold one
    // element), or the given upstream gradient (numel() floats). Gradients of
    // leaves accumulate (+=) across calls; those of intermediate nodes are
    // reset first, so calling backward twice adds the leaves' gradients twice.
    void backward();
    void backward(std::span<const float> upstream);

    // A copy that shares no graph (a new leaf with the same values).
    Tensor detach() const;

    // For ops (ops.cpp): an output node whose parents are `inputs`. It records
    // the parents only when grad mode is on and some input requires a grad.
    // Its data starts as zeros, or with Init::none as whatever the memory held
    // (the readable build's Buffer zeroes it anyway), for an op that writes
    // every element itself. (Builds with LLM_POISON, as
    // `make sanitize`, fill it with NaN instead, so the tests catch an op that
    // leaves an element unwritten.)
    enum class Init { zeros, none };
    static Tensor make_result(const Shape& shape, std::initializer_list<Tensor> inputs, const char* op,
                              Init init = Init::zeros);
    // Attach the backward closure; ignored when the result needs no graph.
    void set_backward(std::function<void(Node&)> fn);
    Node& node() const { return *n_; }

private:
    explicit Tensor(std::shared_ptr<Node> n) : n_(std::move(n)) {}
    std::shared_ptr<Node> n_;
};

// ---------------------------------------------------------------------------
// Grad mode. Inside a NoGrad scope no op records a graph (evaluation,
// inference, optimizer updates), exactly like `with torch.no_grad():`.
bool grad_enabled();
class NoGrad {
public:
    NoGrad();
    ~NoGrad();
    NoGrad(const NoGrad&) = delete;
    NoGrad& operator=(const NoGrad&) = delete;
private:
    bool previous_;
};

}  // namespace llm
