// French catalogue of lesson 1 (lessons/1_self_attention.cpp). Keys as src/viz/i18n.hpp explains.
#include "viz/i18n.hpp"
namespace {
constexpr llm::i18n::Entry kEntries[] = {
    // --- title
    {"Lesson 1 — Self-attention", "Leçon 1 — Auto-attention"},
    {"Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, one sentence at a time.",
     "Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, une phrase à la fois."},

    // --- 1. A sentence as vectors
    {"{}. A sentence as vectors", "{}. Une phrase en vecteurs"},
    {"Each word is looked up in an embedding table (random here, N({}, {}), seed {}). \"the\" appears twice and "
     "gets the same vector both times.",
     "Chaque mot est cherché dans une table de plongements (aléatoire ici, N({}, {}), graine {}). \"the\" apparaît "
     "deux fois et reçoit les deux fois le même vecteur."},
    {"embedding table", "table de plongements"},
    {"V = {} words, C = d_model = {}", "V = {} mots, C = d_model = {}"},
    {"x = table[ids]", "x = table[ids]"},
    {"T = {} tokens", "T = {} jetons"},
    {"x[%d] %-4s %s", "x[%d] %-4s %s"},

    // --- 2. Queries, keys and values
    {"{}. Queries, keys and values: three linear projections",
     "{}. Requêtes, clés et valeurs : trois projections linéaires"},
    {"Q = x Wq^T, K = x Wk^T, V = x Wv^T. The weights are untrained (Xavier-uniform, seed {}): everything below is "
     "what a RANDOM attention layer does, not a learned one.",
     "Q = x Wq^T, K = x Wk^T, V = x Wv^T. Les poids ne sont pas entraînés (Xavier uniforme, graine {}) : tout ce "
     "qui suit est ce que fait une couche d'attention ALÉATOIRE, pas une couche apprise."},
    {"Wq, Wk, Wv", "Wq, Wk, Wv"},
    {"[out, in], each", "[sortie, entrée], chacune"},
    {"Q = x Wq^T", "Q = x Wq^T"},
    {"T queries of size d_k = {}", "T requêtes de taille d_k = {}"},
    {"K = x Wk^T", "K = x Wk^T"},
    {"T keys", "T clés"},
    {"V = x Wv^T", "V = x Wv^T"},
    {"T values", "T valeurs"},

    // --- 3. Scores, weights and output
    {"{}. Scores, weights and output", "{}. Scores, poids et sortie"},
    {"Q K^T / sqrt({}); row t: how well query t matches each key",
     "Q K^T / sqrt({}) ; ligne t : à quel point la requête t correspond à chaque clé"},
    {"Q K^T; row t: how well query t matches each key",
     "Q K^T ; ligne t : à quel point la requête t correspond à chaque clé"},
    {"--no-scale: the scores below are Q K^T, NOT divided by sqrt({}) = {}.",
     "--no-scale : les scores ci-dessous sont Q K^T, NON divisés par sqrt({}) = {}."},
    {"softmax(scores), over each row (the keys)", "softmax(scores), sur chaque ligne (les clés)"},
    {"output", "sortie"},
    {"weights V; row t: a weighted average of the values", "poids V ; ligne t : une moyenne pondérée des valeurs"},
    {"Scores (rows: queries, columns: keys):", "Scores (lignes : requêtes, colonnes : clés) :"},
    {"Weights:", "Poids :"},
    // three aligned lines: the values start at the same column
    {"every row sums to 1:          max |row sum - 1| = %s",
     "la somme de chaque ligne vaut 1 :       max |somme de la ligne - 1| = %s"},
    {"largest weight of each row:   between %.3f and %.3f (uniform would be 1/6 = 0.167)",
     "poids le plus grand de chaque ligne :   entre %.3f et %.3f (l'uniforme donnerait 1/6 = 0.167)"},
    {"rows \"the\"(0) and \"the\"(4):   max difference = %s  (same word, same query: same row)",
     "lignes \"the\"(0) et \"the\"(4) :           écart max = %s  (même mot, même requête : même ligne)"},
    {"output[\"cat\"] = sum_j w[cat, j] * V[j], by hand: max difference = %s",
     "output[\"cat\"] = sum_j w[cat, j] * V[j], calculé à la main : écart max = %s"},

    // --- 4. The causal mask
    {"{}. The causal mask: no looking ahead", "{}. Le masque causal : interdit de regarder vers l'avant"},
    {"A decoder predicts word t+{} from words {}..t, so query t must not see keys after t. The mask ({} = blocked) "
     "removes them before the softmax; the remaining weights of each row still sum to {}.",
     "Un décodeur prédit le mot t+{} à partir des mots {}..t : la requête t ne doit donc pas voir les clés situées "
     "après t. Le masque ({} = bloqué) les retire avant la softmax ; les poids restants de chaque ligne ont toujours "
     "pour somme {}."},
    {"mask", "masque"},
    {"causal_mask(T): {} above the diagonal", "causal_mask(T) : {} au-dessus de la diagonale"},
    {"softmax(scores, mask)", "softmax(scores, mask)"},
    {"Causal weights:", "Poids causaux :"},
    {"the first word can only attend to itself: w[0, 0] = %.3f",
     "le premier mot ne peut porter son attention que sur lui-même : w[0, 0] = %.3f"},
    {"weight on a future key (above the diagonal): max = %s",
     "poids sur une clé future (au-dessus de la diagonale) : max = %s"},
    {"no mask", "sans masque"},
    {"causal mask (keys after the query: {})", "masque causal (clés après la requête : {})"},
    {"Self-attention weights (untrained projections)", "Poids d'auto-attention (projections non entraînées)"},
    {"weights with words on both axes: no mask | causal mask",
     "poids avec les mots sur les deux axes : sans masque | masque causal"},

    // --- 5. Why divide by sqrt(d_k)?
    {"{}. Why divide by sqrt(d_k)? A measurement", "{}. Pourquoi diviser par sqrt(d_k) ? Une mesure"},
    {"For each d_k, {} draws of one query and {} keys with N({}, {}) entries ({} dot products), and a softmax over "
     "the {} keys of each draw, raw (q.k) or scaled (q.k / sqrt(d_k)). For the gradient, L = sum(weights * g) with "
     "g a fixed N({}, {}) upstream gradient: the scores are a leaf tensor, and backward() gives dL/dscores.",
     "Pour chaque d_k, {} tirages d'une requête et de {} clés à composantes N({}, {}) ({} produits scalaires), et une "
     "softmax sur les {} clés de chaque tirage, brute (q.k) ou réduite (q.k / sqrt(d_k)). Pour le gradient, "
     "L = sum(weights * g) avec g un gradient amont fixe de loi N({}, {}) : les scores sont un tenseur feuille, et "
     "backward() donne dL/dscores."},
    {"d_k", "d_k"},
    {"var raw", "var brut"},
    {"var scaled", "var réduit"},
    {"max w raw", "max w brut"},
    {"max w scaled", "max w réduit"},
    {"H raw", "H brut"},
    {"H scaled", "H réduit"},
    {"|g| raw", "|g| brut"},
    {"|g| scaled", "|g| réduit"},
    {"saturated raw", "saturées brut"},
    {"var: of the scores; max w: the largest weight of a row; H: its entropy (nats);\n"
     "  |g|: norm of dL/dscores for a row; saturated: rows whose largest weight is > 0.99.",
     "var : des scores ; max w : le poids le plus grand d'une ligne ; H : son entropie (nats) ;\n"
     "  |g| : norme de dL/dscores pour une ligne ; saturées : lignes dont le poids le plus grand est > 0.99."},
    {"Read the table: var(q.k) grows like d_k, so raw scores spread further apart as d_k grows and the softmax "
     "concentrates on one key. At d_k = {} without scaling, the largest weight is {} on average (scaled: {}), the "
     "entropy {} nats (uniform: {}), {} % of the rows are saturated, and the gradient reaching the scores is {} "
     "times smaller than with scaling ({} vs {}). Dividing by sqrt(d_k) keeps the variance at {}, and the softmax "
     "and its gradient about the same from d_k = {} to d_k = {}.",
     "Lecture du tableau : var(q.k) croît comme d_k, donc les scores bruts s'écartent davantage les uns des autres "
     "quand d_k augmente, et la softmax se concentre sur une seule clé. À d_k = {} sans mise à l'échelle, le poids "
     "le plus grand vaut {} en moyenne (scores réduits : {}), l'entropie {} nats (uniforme : {}), la part de lignes "
     "saturées {}\u00a0%, et le gradient qui atteint les scores est {} fois plus petit qu'avec la mise à l'échelle ({} "
     "contre {}). Diviser par sqrt(d_k) maintient la variance à {}, et garde la softmax et son gradient à peu près "
     "identiques, de d_k = {} à d_k = {}."},
    {"q.k (raw)", "q.k (brut)"},
    {"q.k / sqrt(d_k)", "q.k / sqrt(d_k)"},
    {"uniform ({}/{})", "uniforme ({}/{})"},
    {"Largest softmax weight over {} keys (mean of {} draws)",
     "Poids le plus grand de la softmax sur {} clés (moyenne de {} tirages)"},
    {"softmax saturation vs d_k, with and without scaling",
     "saturation de la softmax selon d_k, avec et sans mise à l'échelle"},
    {"Gradient reaching the scores through the softmax", "Gradient qui atteint les scores à travers la softmax"},
    {"mean |dL/dscores| (log)", "moyenne de |dL/dscores| (log)"},
    {"gradient norm at the scores vs d_k (log-log)", "norme du gradient aux scores selon d_k (log-log)"},

    // --- 6. Padding
    {"{}. Padding: masked keys get exactly zero weight",
     "{}. Remplissage (padding) : les clés masquées reçoivent un poids exactement nul"},
    {"Sentences in a batch share one length T, so short ones are padded. A mask ({} = padding) over the keys keeps "
     "every query from reading a pad. Sentence {} is all padding, the worst case: none of its keys may be read.",
     "Les phrases d'un lot partagent une même longueur T : les plus courtes sont donc complétées par du remplissage. "
     "Un masque ({} = remplissage) sur les clés empêche toute requête de lire une position de remplissage. La "
     "phrase {} n'est que du remplissage, le pire cas : aucune de ses clés ne peut être lue."},
    {"{} = padding", "{} = remplissage"},
    {"pad as [B, {}, T]: broadcasts to the scores [B, T, T]",
     "pad vu comme [B, {}, T] : diffusé (broadcast) sur les scores [B, T, T]"},
    {"Sentence 2, weights (keys 3..5 are padding):", "Phrase 2, poids (les clés 3..5 sont du remplissage) :"},
    {"weight on padded keys, sentences 1-2: max = %s, entries != 0: %d",
     "poids sur les clés de remplissage, phrases 1-2 : max = %s, coefficients != 0 : %d"},
    {"(The rows of the pad QUERIES are filled too: they read the real words. Their outputs are simply ignored "
     "later, e.g. by a masked mean over real tokens.)",
     "(Les lignes des REQUÊTES de remplissage sont remplies elles aussi : elles lisent les vrais mots. Leurs "
     "sorties sont simplement ignorées plus loin, par exemple par une moyenne masquée sur les vrais jetons.)"},
    {"Sentence 3, every key blocked:\n  weights row 0:", "Phrase 3, toutes les clés bloquées :\n  poids, ligne 0 :"},
    {"outputs: max |value| = %.3f, NaN count = %d", "sorties : max |valeur| = %.3f, nombre de NaN = %d"},
    {"the textbook recipe (-inf scores, exp(s - max) / sum) on the same row:",
     "la recette des manuels (scores à -inf, exp(s - max) / sum) sur la même ligne :"},
    {"-inf - (-inf) is NaN, and one NaN poisons everything downstream. Our softmax (src/core/ops.cpp) skips the "
     "blocked entries instead and leaves a row with no allowed key at zero.",
     "-inf - (-inf) donne NaN, et un seul NaN contamine tout ce qui suit. Notre softmax (src/core/ops.cpp) saute "
     "au contraire les coefficients bloqués et laisse à zéro une ligne sans aucune clé autorisée."},
    {"Sentence {} with padding: the pad columns are exactly {}",
     "Phrase {} avec remplissage : les colonnes de remplissage valent exactement {}"},
    {"weights of a padded sentence", "poids d'une phrase avec remplissage"},

    // --- 7. What attention costs
    {"{}. What attention costs: O(T^{} d) time, O(T^{}) memory",
     "{}. Ce que coûte l'attention : temps O(T^{} d), mémoire O(T^{})"},
    {"One head, d_k = {}. Q K^T is a [T, D] x [D, T] product ({} T^{} D flops), and the weights times V another {} "
     "T^{} D. The weight matrix holds T^{} floats per head and per sequence. The projections (Q, K, V and the "
     "output, C = {}) cost {} T C^{} flops: linear in T. For T up to {} the attention is actually run and the entry "
     "count read from the tensor it returns.",
     "Une tête, d_k = {}. Q K^T est un produit [T, D] x [D, T] ({} T^{} D flops), et les poids fois V coûtent encore "
     "{} T^{} D. La matrice des poids contient T^{} flottants par tête et par séquence. Les projections (Q, K, V et "
     "la sortie, C = {}) coûtent {} T C^{} flops : un coût linéaire en T. Pour T jusqu'à {}, l'attention est "
     "réellement exécutée et le nombre de coefficients est lu sur le tenseur qu'elle renvoie."},
    {"T", "T"},
    {"T^{}", "T^{}"},
    {"weights tensor (run)", "tenseur des poids (exécuté)"},
    {"flops QK^T + AV", "flops QK^T + AV"},
    {"weights, fp32", "poids, fp32"},
    {"attention / projections", "attention / projections"},
    {"{} entries", "{} coefficients"},
    {"{} MiB", "{} Mio"},
    {"(not run)", "(non exécuté)"},
    {"Multiply T by {} and the weights and the flops grow {}-fold. At T = {} one head of one sequence needs {} MiB "
     "for its weights alone (more for the backward, which keeps them). For short sequences the projections "
     "dominate; past T = {}C = {} the attention itself does.",
     "Multipliez T par {} et les poids comme les flops sont multipliés par {}. À T = {}, une tête d'une séquence "
     "demande {} Mio pour ses seuls poids (davantage pour la passe arrière, qui les conserve). Pour les séquences "
     "courtes, les projections dominent ; au-delà de T = {}C = {}, c'est l'attention elle-même."},

    // --- 8. The gradients, checked
    {"{}. The gradients, checked against finite differences", "{}. Les gradients, vérifiés par différences finies"},
    {"L = sum(output * R) for a fixed random R. Autograd gives dL/dQ, dL/dK, dL/dV in one backward pass; the "
     "central difference (L(x + h) - L(x - h)) / {}h, h = {}, estimates each of the {} entries separately ({} "
     "forward passes).",
     "L = sum(output * R) pour un R aléatoire fixé. L'autograd donne dL/dQ, dL/dK, dL/dV en une seule passe "
     "arrière ; la différence centrée (L(x + h) - L(x - h)) / {}h, h = {}, estime chacun des {} coefficients "
     "séparément ({} passes avant)."},
    {"input", "entrée"},
    {"entries", "coefficients"},
    {"max |autograd|", "max |autograd|"},
    {"max |autograd - finite diff|", "max |autograd - diff. finie|"},
    {"Q", "Q"},
    {"K", "K"},
    {"V", "V"},
    {"The differences are float32 rounding and the h^{} truncation of the central difference; a wrong backward "
     "formula would be off by the size of the gradient itself.",
     "Les écarts viennent de l'arrondi float32 et de la troncature en h^{} de la différence centrée ; une formule "
     "de rétropropagation fausse se tromperait de l'ordre du gradient lui-même."},

    // --- self-checks (printed on stderr only when one fails)
    {"section {}: every row of the weights sums to {}", "section {} : chaque ligne des poids a pour somme {}"},
    {"section {}: the two \"the\" rows are identical", "section {} : les deux lignes \"the\" sont identiques"},
    {"section {}: the output row of \"cat\" equals its weighted sum of values",
     "section {} : la ligne de sortie de \"cat\" est égale à sa somme pondérée des valeurs"},
    {"section {}: the first word attends only to itself",
     "section {} : le premier mot ne porte son attention que sur lui-même"},
    {"section {}: no weight on a future key", "section {} : aucun poids sur une clé future"},
    {"section {}: the scaled scores have variance about {}",
     "section {} : les scores réduits ont une variance d'environ {}"},
    {"section {}: at the largest d_k the raw softmax is more peaked and passes less gradient",
     "section {} : au plus grand d_k, la softmax brute est plus piquée et laisse passer moins de gradient"},
    {"section {}: padded keys get exactly zero weight",
     "section {} : les clés de remplissage reçoivent un poids exactement nul"},
    {"section {}: a fully masked row gives zeros, not NaN",
     "section {} : une ligne entièrement masquée donne des zéros, pas NaN"},
    {"section {}: the weights hold T^{} entries", "section {} : les poids contiennent T^{} coefficients"},
    {"section {}: autograd agrees with finite differences for Q",
     "section {} : l'autograd concorde avec les différences finies pour Q"},
    {"section {}: autograd agrees with finite differences for K",
     "section {} : l'autograd concorde avec les différences finies pour K"},
    {"section {}: autograd agrees with finite differences for V",
     "section {} : l'autograd concorde avec les différences finies pour V"},

    // --- Your turn (lessons/fixtures/exercises.cpp): the expected lines are what the program prints
    {"Without the division by sqrt({}) = {}, will the largest weight of each row move toward {} or toward {}/{}?",
     "Sans la division par sqrt({}) = {}, le poids le plus grand de chaque ligne va-t-il se rapprocher de {} ou de "
     "{}/{} ?"},
    {"largest weight of each row:   between {} and {}", "poids le plus grand de chaque ligne :   entre {} et {}"},
    {"(with the scaling: {} and {}). Scores {} times larger make the softmax sharper: one row is almost one-hot.",
     "(avec la mise à l'échelle : {} et {}). Des scores {} fois plus grands rendent la softmax plus piquée : une "
     "ligne est presque un vecteur one-hot."},
    {"At d_k = {}, will the unscaled softmax be more or less saturated than at {} (largest weight {}), and will the "
     "gradient shrink by more or less than {} times?",
     "À d_k = {}, la softmax sans mise à l'échelle sera-t-elle plus ou moins saturée qu'à {} (poids le plus grand "
     "{}), et le gradient sera-t-il divisé par plus ou par moins de {} ?"},
    {"At d_k = {} without scaling, the largest weight is {} on average (scaled: {})",
     "À d_k = {} sans mise à l'échelle, le poids le plus grand vaut {} en moyenne (scores réduits : {})"},
    {"and the gradient is {} times smaller: the damage grows with d_k; the scaled column does not move.",
     "et le gradient est {} fois plus petit : les dégâts croissent avec d_k ; la colonne des scores réduits ne "
     "bouge pas."},
    {"With other random embeddings and projections, will the two \"the\" rows of the weights still be identical?",
     "Avec d'autres plongements et d'autres projections aléatoires, les deux lignes \"the\" des poids seront-elles "
     "toujours identiques ?"},
    {"rows \"the\"({}) and \"the\"({}):   max difference = {}", "lignes \"the\"({}) et \"the\"({}) :   écart max = {}"},
    {"whatever the weights: attention sees words, not positions (lesson {} adds them).",
     "quels que soient les poids : l'attention voit des mots, pas des positions (la leçon {} les ajoute)."},

    // --- --help
    {"Lesson {}: self-attention, one sentence at a time.", "Leçon {} : auto-attention, une phrase à la fois."},
    {"sections {}, {} and {} without the division by sqrt(d_k)",
     "sections {}, {} et {} sans la division par sqrt(d_k)"},
    {"one more d_k in section {}'s table (none by default)",
     "un d_k de plus dans le tableau de la section {} (aucun par défaut)"},
    {"the embeddings (seed N) and the projections (seed N + {})",
     "les plongements (graine N) et les projections (graine N + {})"},
    {"--dk needs an integer in [{}, {}], got {}", "--dk attend un entier dans [{}, {}], reçu {}"},
    {"--dk needs a value", "--dk attend une valeur"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};
}  // namespace
