#include "core/tensor.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <limits>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "kernels/kernels.hpp"

namespace llm {

std::string to_string(const Shape& s) {
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(s[i]);
    }
    return out + "]";
}

std::size_t numel(const Shape& s) {
    std::size_t n = 1;
    for (int d : s) {
        if (d < 0) throw std::invalid_argument("shape " + to_string(s) + " has a negative dimension");
        n *= static_cast<std::size_t>(d);
    }
    return n;
}

// ---------------------------------------------------------------------------
// Iterative destruction (see "Ownership" in tensor.hpp). When a node dies, it
// hands its parents to a local stack instead of letting each parent's
// destructor run inside its own. A parent held only by that stack is about to
// die too: drop its closure (which may hold handles on its own parents), take
// its parents, and let it go with nothing left to recurse into.

Node::~Node() {
    backward_fn = nullptr;
    std::vector<std::shared_ptr<Node>> stack = std::move(parents);
    while (!stack.empty()) {
        std::shared_ptr<Node> p = std::move(stack.back());
        stack.pop_back();
        if (p && p.use_count() == 1) {
            p->backward_fn = nullptr;
            for (auto& q : p->parents) stack.push_back(std::move(q));
            p->parents.clear();
        }
        // p dies here, shallow: its parents are on the stack
    }
}

namespace {
// node.grad = zeros, numel floats
void zero_grad_of(Node& node) {
    node.grad.resize(node.data.size());                // (fast build: resize leaves the new floats unset)
    kernels::fill_zero(node.grad);
}
}  // namespace

// ---------------------------------------------------------------------------
// Makers and accessors

Tensor::Tensor() : n_(std::make_shared<Node>()) { n_->shape = {0}; }

Tensor Tensor::zeros(const Shape& shape, bool requires_grad) { return full(shape, 0.0f, requires_grad); }

Tensor Tensor::full(const Shape& shape, float value, bool requires_grad) {
    auto n = std::make_shared<Node>();
    n->data.assign(llm::numel(shape), value);
    n->shape = shape;
    n->requires_grad = requires_grad;
    return Tensor(std::move(n));
}

Tensor Tensor::from(const Shape& shape, std::vector<float> values, bool requires_grad) {
    if (values.size() != llm::numel(shape))
        throw std::invalid_argument("Tensor::from: shape " + to_string(shape) + " needs " +
                                    std::to_string(llm::numel(shape)) + " values, got " +
                                    std::to_string(values.size()));
    auto n = std::make_shared<Node>();
    n->data.assign(values.begin(), values.end());
    n->shape = shape;
    n->requires_grad = requires_grad;
    return Tensor(std::move(n));
}

Tensor Tensor::scalar(float value, bool requires_grad) { return full({}, value, requires_grad); }

int Tensor::dim(int i) const {
    const int nd = ndim();
    const int j = i < 0 ? i + nd : i;
    if (j < 0 || j >= nd)
        throw std::invalid_argument("dim " + std::to_string(i) + " is out of range for shape " + to_string(shape()));
    return n_->shape[static_cast<std::size_t>(j)];
}

float Tensor::item() const {
    if (numel() != 1)
        throw std::invalid_argument("item: tensor of shape " + to_string(shape()) + " does not hold exactly one value");
    return n_->data[0];
}

float Tensor::at(std::initializer_list<int> index) const {
    if (index.size() != n_->shape.size())
        throw std::invalid_argument("at: " + std::to_string(index.size()) + " indices for shape " + to_string(shape()));
    std::size_t flat = 0, k = 0;
    for (int i : index) {
        const int d = n_->shape[k++];
        if (i < 0 || i >= d) throw std::invalid_argument("at: index out of range for shape " + to_string(shape()));
        flat = flat * static_cast<std::size_t>(d) + static_cast<std::size_t>(i);
    }
    return n_->data[flat];
}

std::span<float> Tensor::grad() {
    if (n_->grad.size() != n_->data.size()) n_->grad.assign(n_->data.size(), 0.0f);
    return n_->grad;
}

std::span<const float> Tensor::grad() const {
    if (n_->grad.size() != n_->data.size()) n_->grad.assign(n_->data.size(), 0.0f);
    return n_->grad;
}

// The fast build empties the gradient instead (keeping its memory): it reads
// as zeros (grad() fills them in when asked), and the next backward's first
// closure writes it whole (grad_for_overwrite) without the zeros streaming
// through memory first: for config B, 24M floats per step.
void Tensor::zero_grad() {
    if (kernels::readable) zero_grad_of(*n_);
    else n_->grad.clear();
}

namespace {
std::atomic<bool> g_overwrite_fresh{true};
}
void Tensor::set_overwrite_fresh_grads(bool on) { g_overwrite_fresh.store(on); }
bool Tensor::overwrite_fresh_grads() { return g_overwrite_fresh.load(std::memory_order_relaxed); }

std::span<float> Tensor::grad_for_overwrite() {
    if (!n_->grad.empty()) throw std::logic_error("grad_for_overwrite: the gradient already holds values");
#if defined(LLM_POISON)
    n_->grad.assign(n_->data.size(), std::numeric_limits<float>::quiet_NaN());   // an element left unwritten shows
#else
    n_->grad.resize(n_->data.size());                  // (fast build: not zeroed)
#endif
    return n_->grad;
}

Tensor Tensor::detach() const { return from(shape(), std::vector<float>(n_->data.begin(), n_->data.end()), false); }

// ---------------------------------------------------------------------------
// Graph recording

namespace {
thread_local bool g_grad_enabled = true;
}

bool grad_enabled() { return g_grad_enabled; }
NoGrad::NoGrad() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGrad::~NoGrad() { g_grad_enabled = previous_; }

Tensor Tensor::make_result(const Shape& shape, std::initializer_list<Tensor> inputs, const char* op, Init init) {
    auto n = std::make_shared<Node>();
    if (init == Init::zeros) n->data.assign(llm::numel(shape), 0.0f);
#if defined(LLM_POISON)
    else n->data.assign(llm::numel(shape), std::numeric_limits<float>::quiet_NaN());
#else
    else n->data.resize(llm::numel(shape));                   // not zeroed: the op writes every element
#endif
    n->shape = shape;
    n->op = op;
    if (g_grad_enabled) {
        for (const Tensor& t : inputs) n->requires_grad = n->requires_grad || t.requires_grad();
        if (n->requires_grad)
            for (const Tensor& t : inputs) n->parents.push_back(t.n_);
    }
    return Tensor(std::move(n));
}

void Tensor::set_backward(std::function<void(Node&)> fn) {
    if (n_->requires_grad && !n_->parents.empty()) n_->backward_fn = std::move(fn);
}

// ---------------------------------------------------------------------------
// Backpropagation.
//
// 1. Order the graph topologically with an explicit stack (a depth-first
//    post-order: a node is emitted after all its parents), never recursion.
// 2. Reset the gradients of intermediate nodes, seed this node's gradient.
// 3. Visit the nodes from the output back to the leaves; each node's closure
//    adds (+=) its contribution into its parents' gradients. A tensor used
//    twice simply receives both contributions.

void Tensor::backward() {
    if (numel() != 1)
        throw std::invalid_argument("backward: called without an upstream gradient on a tensor of shape " +
                                    to_string(shape()) + "; only a one-element tensor (a loss) has an implicit 1");
    const float one = 1.0f;
    backward(std::span<const float>(&one, 1));
}

void Tensor::backward(std::span<const float> upstream) {
    if (upstream.size() != numel())
        throw std::invalid_argument("backward: upstream gradient has " + std::to_string(upstream.size()) +
                                    " values for a tensor of shape " + to_string(shape()));
    if (!n_->requires_grad)
        throw std::invalid_argument("backward: this tensor does not require a gradient (no input requires one, "
                                    "or it was computed under NoGrad)");

    std::vector<Node*> order;                          // parents before children
    std::unordered_set<Node*> seen;
    std::vector<std::pair<Node*, std::size_t>> stack;  // (node, next parent to visit)
    stack.emplace_back(n_.get(), 0);
    seen.insert(n_.get());
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->parents.size()) {
            Node* p = node->parents[next++].get();
            if (p->requires_grad && seen.insert(p).second) stack.emplace_back(p, 0);
        } else {
            order.push_back(node);
            stack.pop_back();
        }
    }

    // Intermediate gradients restart from zero. They are emptied here; the
    // first closure that adds into one finds it empty and either has it
    // zero-filled then (Tensor::grad(): the zeros are still in cache when it
    // adds) or, in the fast build, writes it whole without zeros first
    // (grad_for_overwrite). Zeroing them all up front streamed every gradient
    // through memory twice.
    for (Node* node : order)
        if (!node->parents.empty()) node->grad.clear();  // keeps the capacity
    if (n_->grad.size() != n_->data.size()) zero_grad_of(*n_);
    for (std::size_t i = 0; i < upstream.size(); ++i) n_->grad[i] += upstream[i];

    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node* node = *it;
        if (!node->backward_fn) continue;              // a leaf
        if (node->grad.size() != node->data.size()) zero_grad_of(*node);   // no consumer wrote one
        node->backward_fn(*node);                      // (its parents' grads: Tensor::grad() or grad_for_overwrite)
    }
    for (Node* node : order)                           // every node of the graph ends with a full gradient
        if (node->grad.size() != node->data.size()) zero_grad_of(*node);
}

}  // namespace llm
