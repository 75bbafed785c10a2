// French catalogue of lesson 2 (lessons/2_multi_head_attention.cpp). Keys as src/viz/i18n.hpp explains.
#include "viz/i18n.hpp"
namespace {

// Section 5's conclusion is one paragraph built from three measured parts
// (gaze_conclusion): each of its 8 variants is a key, composed from these.
#define MEASURED_EN "Measured above: "
#define MEASURED_FR "Mesuré ci-dessus : "
#define CLEAN_EN                                                                                                      \
    "in the {}-head model head {} puts {} on A and head {} puts {} on B, on average, and their weight on A moves by " \
    "at most {} when the values swap (the single heads: {} to {}): each of these two heads reads one place. "
#define CLEAN_FR                                                                                                      \
    "dans le modèle à {} têtes, la tête {} place {} sur A et la tête {} place {} sur B, en moyenne, et leur poids sur A " \
    "varie d'au plus {} quand les valeurs sont échangées (les têtes uniques : de {} à {}) : chacune de ces deux "    \
    "têtes lit un seul endroit. "
#define UNCLEAN_EN                                                                                                    \
    "no pair of heads of the {}-head model splits the work cleanly (one head with more than {} on A, another with "  \
    "more than {} on B, both moving less than half as much as the single heads when the values swap): the table, "   \
    "not a story, says where they look. "
#define UNCLEAN_FR                                                                                                    \
    "aucune paire de têtes du modèle à {} têtes ne se partage nettement le travail (une tête avec plus de {} sur A, " \
    "une autre avec plus de {} sur B, les deux variant de moins de la moitié de ce que varient les têtes uniques "   \
    "quand les valeurs sont échangées) : c'est le tableau, et non un récit, qui dit où elles regardent. "
#define SINGLE_EN                                                                                                     \
    "A single head that splits its weight between A and B can only tell (a at A, b at B) from (b at A, a at B) if "  \
    "the weights themselves depend on the values, which the last column measures. "
#define SINGLE_FR                                                                                                     \
    "Une tête unique qui partage son poids entre A et B ne peut distinguer (a en A, b en B) de (b en A, a en B) que " \
    "si les poids eux-mêmes dépendent des valeurs, ce que mesure la dernière colonne. "
#define ALL_EN "Every {}-head run passed {} test accuracy by step {}; "
#define ALL_FR "Chaque entraînement à {} têtes a atteint une exactitude en test de {} au plus tard au pas {} ; "
#define NOT_ALL_EN "Not every {}-head run reached {} test accuracy; "
#define NOT_ALL_FR "Les entraînements à {} têtes n'ont pas tous atteint une exactitude en test de {} ; "
#define EXTENDED_EN "the extended {}-head run passed it at step {}."
#define EXTENDED_FR "l'entraînement prolongé à {} tête l'a atteinte au pas {}."
#define NEVER_EN "the extended {}-head run never did."
#define NEVER_FR "l'entraînement prolongé à {} tête ne l'a jamais atteinte."

constexpr llm::i18n::Entry kEntries[] = {
    // --- title
    {"Lesson 2 — Multi-head attention", "Leçon 2 — Attention multi-têtes"},
    {"H attentions side by side, each on its own D = C / H columns, then mixed by W_o.",
     "H attentions côte à côte, chacune sur ses propres D = C / H colonnes, puis mélangées par W_o."},

    // --- 1. Multi-head attention, shape by shape
    {"{}. Multi-head attention, shape by shape (C = {}, H = {}, B = {}, T = {})",
     "{}. L'attention multi-têtes, forme par forme (C = {}, H = {}, B = {}, T = {})"},
    {"The layer holds one [{}C, C] matrix for the three projections (torch's in_proj_weight) and one [C, C] output "
     "projection. The steps below are what MultiHeadAttention computes. The readable build (make READABLE={}) runs "
     "exactly these steps in MultiHeadAttention::run (src/nn/attention.cpp); the default build fuses the middle ones "
     "(split, attention, merge) into attention_weights and attention_mix, which give the same bits "
     "(tests/test_modules.cpp checks it, and so does the last line of this section):",
     "La couche contient une matrice [{}C, C] pour les trois projections (l'in_proj_weight de torch) et une "
     "projection de sortie [C, C]. Les étapes ci-dessous sont ce que calcule MultiHeadAttention. La version lisible "
     "(make READABLE={}) exécute exactement ces étapes dans MultiHeadAttention::run (src/nn/attention.cpp) ; la "
     "version par défaut fond celles du milieu (découpage, attention, réunion) en attention_weights et "
     "attention_mix, qui donnent les mêmes bits (tests/test_modules.cpp le vérifie, tout comme la dernière ligne de "
     "cette section) :"},
    {"B sentences of T tokens, C = {} numbers each", "B phrases de T jetons, C = {} nombres chacun"},
    {"in_proj_weight", "in_proj_weight"},
    {"[{}C, C]: W_q, W_k, W_v stacked", "[{}C, C] : W_q, W_k et W_v empilées"},
    {"qkv = x W^T + b", "qkv = x W^T + b"},
    {"all three projections in one product", "les trois projections en un seul produit"},
    {"q, k, v", "q, k, v"},
    {"qkv cut in three along the last dim", "qkv coupé en trois le long de la dernière dimension"},
    {"q viewed as [B, T, H, D]", "q vu en [B, T, H, D]"},
    {"D = C / H = {}: head h owns columns h*{} .. h*{}+{}",
     "D = C / H = {} : la tête h possède les colonnes h*{} .. h*{}+{}"},
    {"split_heads(q)", "split_heads(q)"},
    {"transpose({}, {}): the heads become a batch dim", "transpose({}, {}) : les têtes deviennent une dimension de lot"},
    {"Q_h K_h^T / sqrt({}), for every (sentence, head)", "Q_h K_h^T / sqrt({}), pour chaque (phrase, tête)"},
    {"softmax over the keys: B*H = {} separate T x T matrices",
     "softmax sur les clés : B*H = {} matrices T x T distinctes"},
    {"per-head output", "sortie de chaque tête"},
    {"weights V_h", "poids V_h"},
    {"back to [B, T, H, D]", "retour à [B, T, H, D]"},
    {"merge_heads", "merge_heads"},
    {"the H heads side by side again: C = H * D", "les H têtes de nouveau côte à côte : C = H * D"},
    {"out = merged W_o^T + b", "out = merged W_o^T + b"},
    {"W_o mixes the heads", "W_o mélange les têtes"},
    {"split_heads(q)[b, h, t, d] == q[b, t, h*64 + d]:  max difference %s",
     "split_heads(q)[b, h, t, d] == q[b, t, h*64 + d] :  écart max %s"},
    {"these steps vs mha.forward(x):  max |out difference| %s, max |weights difference| %s",
     "ces étapes contre mha.forward(x) :  max |écart des sorties| %s, max |écart des poids| %s"},
    {"Splitting heads moves no number into another head's product: it is a reshape and a transpose. Each head "
     "attends with its own {} columns of Q, K and V.",
     "Découper en têtes ne fait passer aucun nombre dans le produit d'une autre tête : c'est un reshape suivi d'une "
     "transposition. Chaque tête calcule son attention avec ses propres {} colonnes de Q, K et V."},

    // --- 2. Eight heads on one sentence
    {"{}. Eight heads on one sentence (untrained)", "{}. Huit têtes sur une phrase (non entraînées)"},
    {"one sentence, random N({}, {}) embeddings", "une phrase, des plongements aléatoires N({}, {})"},
    {"one T x T matrix per head", "une matrice T x T par tête"},
    {"head", "tête"},
    {"mean |w - mean of heads|", "moyenne |w - moyenne des têtes|"},
    {"key most read by \"cat\"", "clé la plus lue par \"cat\""},
    {"head {}", "tête {}"},
    {"mean of the {} heads", "moyenne des {} têtes"},
    {"The heads disagree, and only because their random projections differ: nothing was learned, so there is no "
     "pattern to interpret. The mean of the heads is flatter than any one head. Section {} looks at heads after "
     "training.",
     "Les têtes ne concordent pas, et uniquement parce que leurs projections aléatoires diffèrent : rien n'a été appris, il "
     "n'y a donc aucun motif à interpréter. La moyenne des têtes est plus plate que n'importe quelle tête prise "
     "seule. La section {} examine des têtes après entraînement."},
    {"Attention weights of {} untrained heads (C = {}, D = {})",
     "Poids d'attention de {} têtes non entraînées (C = {}, D = {})"},
    {"each head's weights on one sentence, and their mean (untrained)",
     "les poids de chaque tête sur une phrase, et leur moyenne (non entraînées)"},

    // --- 3. One head vs H: an experiment
    {"{}. One head vs {}: an experiment", "{}. Une tête contre {} : une expérience"},
    {"The two-slot copy task (lessons/fixtures/experiments.hpp): {} random values in [{}, {}), two positions flagged "
     "A and B (different in every example), and a query token \"?\" at the end. At \"?\" the model must output the "
     "value at A (slot A) and the value at B (slot B): one query has to read two places. Model: token + flag "
     "embeddings + sinusoidal PE -> one MultiHeadAttention (C = {}) -> its output at \"?\" -> a linear layer to {} x "
     "{} logits. Loss: the mean of the two cross-entropies. AdamW, lr {}, batch {}, {} steps; {} training and {} "
     "test sequences; seeds {}, {}, {}.",
     "La tâche de copie à deux cases (lessons/fixtures/experiments.hpp) : {} valeurs aléatoires dans [{}, {}), deux "
     "positions marquées A et B (différentes dans chaque exemple), et un jeton de requête \"?\" à la fin. À la position \"?\", "
     "le modèle doit produire la valeur en A (case A) et la valeur en B (case B) : une seule requête doit lire deux "
     "endroits. Modèle : plongements du jeton et du marqueur + encodage positionnel (PE) sinusoïdal -> une "
     "MultiHeadAttention (C = {}) -> sa sortie en \"?\" -> une couche linéaire vers {} x {} logits. Perte : la "
     "moyenne des deux entropies croisées. AdamW, taux d'apprentissage {}, lot de {}, {} pas ; {} séquences "
     "d'entraînement et {} de test ; graines {}, {}, {}."},
    // "  example:  tokens  " and "            flags   " : the values below each other, the two words too
    {"example:  tokens", "exemple : jetons    "},
    {"flags", "marqueurs"},
    {"->  slot A = %d, slot B = %d", "->  case A = %d, case B = %d"},
    {"tokens, flags", "jetons, marqueurs"},
    {"ids, shown for N = {} sequences", "les identifiants, montrés pour N = {} séquences"},
    {"logits_a, logits_b", "logits_a, logits_b"},
    {"{} scores per sequence, each", "{} scores par séquence, pour chacun des deux"},
    {"[N, H, T, T] with H = {}", "[N, H, T, T] avec H = {}"},
    {"parameters: 1 head %s, %d heads %s (the projections are C x C either way)",
     "paramètres : 1 tête %s, %d têtes %s (les projections sont C x C dans les deux cas)"},
    {"train: both slots", "entraînement : deux cases"},
    {"test: slot A", "test : case A"},
    {"test: slot B", "test : case B"},
    {"test: both slots", "test : deux cases"},
    {"first step >= {}", "premier pas >= {}"},
    {"{} head, seed {}", "{} tête, graine {}"},
    {"{} heads, seed {}", "{} têtes, graine {}"},
    {"never", "jamais"},
    {"(accuracy: fraction of sequences right; chance is 1/8 per slot, 1/64 for both;\n"
     "   first step >= 0.99: the first evaluation, every 25 steps, with test accuracy >= 0.99)",
     "(exactitude : fraction des séquences justes ; le hasard donne 1/8 par case, 1/64 pour les deux ;\n"
     "   premier pas >= 0.99 : la première évaluation, tous les 25 pas, avec une exactitude en test >= 0.99)"},
    {"chance ({}/{})", "hasard ({}/{})"},
    {"Two-slot copy: test accuracy (both slots right), C = {}",
     "Copie à deux cases : exactitude en test (les deux cases justes), C = {}"},
    {"learning curves: {} head vs {} heads, {} seeds each",
     "courbes d'apprentissage : {} tête contre {} têtes, {} graines chacune"},
    {"Two-slot copy: training loss (mean of the last {} steps)",
     "Copie à deux cases : perte d'entraînement (moyenne des {} derniers pas)"},
    {"cross-entropy (log)", "entropie croisée (log)"},
    {"training loss: {} head vs {} heads, {} seeds each",
     "perte d'entraînement : {} tête contre {} têtes, {} graines chacune"},

    // --- 4. Is one head unable, or only slower?
    {"{}. Is one head unable, or only slower?", "{}. Une tête en est-elle incapable, ou seulement plus lente ?"},
    {"A weighted average of value vectors is all one head can return, yet nothing proves a single head cannot do "
     "this task (its weights on A and B can depend on the values themselves). So we keep training the weakest "
     "{}-head run, with the same optimizer state and the same data, for {} more steps:",
     "Une moyenne pondérée de vecteurs valeurs est tout ce qu'une tête peut renvoyer ; pourtant rien ne prouve "
     "qu'une tête unique soit incapable de cette tâche (ses poids sur A et B peuvent dépendre des valeurs "
     "elles-mêmes). Nous poursuivons donc le plus faible des entraînements à {} tête, avec le même état de "
     "l'optimiseur et les mêmes données, pendant {} pas de plus :"},
    {"steps", "pas"},

    // --- 5. Where the trained heads look
    {"{}. Where the trained heads look", "{}. Où regardent les têtes entraînées"},
    {"weight on A", "poids sur A"},
    {"weight on B", "poids sur B"},
    {"elsewhere", "ailleurs"},
    {"|change of w_A| on swap", "|variation de w_A| à l'échange"},
    {"{} head, seed {} ({} steps)", "{} tête, graine {} ({} pas)"},
    {"{} heads, seed {} ({} steps)", "{} têtes, graine {} ({} pas)"},
    {"(|change of w_A| on swap: mean over the test sequences whose two values differ)",
     "(|variation de w_A| à l'échange : moyenne sur les séquences de test dont les deux valeurs diffèrent)"},
    {MEASURED_EN CLEAN_EN SINGLE_EN ALL_EN EXTENDED_EN, MEASURED_FR CLEAN_FR SINGLE_FR ALL_FR EXTENDED_FR},
    {MEASURED_EN CLEAN_EN SINGLE_EN ALL_EN NEVER_EN, MEASURED_FR CLEAN_FR SINGLE_FR ALL_FR NEVER_FR},
    {MEASURED_EN CLEAN_EN SINGLE_EN NOT_ALL_EN EXTENDED_EN, MEASURED_FR CLEAN_FR SINGLE_FR NOT_ALL_FR EXTENDED_FR},
    {MEASURED_EN CLEAN_EN SINGLE_EN NOT_ALL_EN NEVER_EN, MEASURED_FR CLEAN_FR SINGLE_FR NOT_ALL_FR NEVER_FR},
    {MEASURED_EN UNCLEAN_EN SINGLE_EN ALL_EN EXTENDED_EN, MEASURED_FR UNCLEAN_FR SINGLE_FR ALL_FR EXTENDED_FR},
    {MEASURED_EN UNCLEAN_EN SINGLE_EN ALL_EN NEVER_EN, MEASURED_FR UNCLEAN_FR SINGLE_FR ALL_FR NEVER_FR},
    {MEASURED_EN UNCLEAN_EN SINGLE_EN NOT_ALL_EN EXTENDED_EN,
     MEASURED_FR UNCLEAN_FR SINGLE_FR NOT_ALL_FR EXTENDED_FR},
    {MEASURED_EN UNCLEAN_EN SINGLE_EN NOT_ALL_EN NEVER_EN, MEASURED_FR UNCLEAN_FR SINGLE_FR NOT_ALL_FR NEVER_FR},
    {"on A", "sur A"},
    {"on B", "sur B"},
    {"Where the query \"?\" looks: mean weight over {} test sequences",
     "Où regarde la requête \"?\" : poids moyen sur {} séquences de test"},
    {"mean attention weight", "poids d'attention moyen"},
    {"{} head, seed {}, {} steps", "{} tête, graine {}, {} pas"},
    {"{} heads (seed {}): head {}", "{} têtes (graine {}) : tête {}"},
    {"where each trained head looks from the query position",
     "où regarde chaque tête entraînée depuis la position de la requête"},

    // --- 6. Complexity
    {"{}. Complexity: what the number of heads changes (C = {}, T = {})",
     "{}. Complexité : ce que change le nombre de têtes (C = {}, T = {})"},
    {"H", "H"},
    {"D = C/H", "D = C/H"},
    {"parameters (counted)", "paramètres (comptés)"},
    {"projection flops", "flops des projections"},
    {"attention flops", "flops de l'attention"},
    {"weights per sequence (fp32)", "poids par séquence (fp32)"},
    {"The parameters are {} C^{} + {} C whatever H: the heads cut the same C x C projections into H slices of D "
     "columns, they add none. The flops do not change either: H heads of size D do H * {} T^{} D = {} T^{} C per "
     "product. What grows with H is the memory of the attention weights, one T x T matrix per head, and the number "
     "of (smaller) matrix products.",
     "Les paramètres valent {} C^{} + {} C quel que soit H : les têtes découpent les mêmes projections C x C en H "
     "tranches de D colonnes, elles n'en ajoutent aucun. Les flops ne changent pas non plus : H têtes de taille D "
     "font H * {} T^{} D = {} T^{} C par produit. Ce qui croît avec H, c'est la mémoire des poids d'attention, une "
     "matrice T x T par tête, et le nombre de produits matriciels (plus petits)."},

    // --- self-checks and errors (stderr, only when they happen)
    {"section {}: split_heads only moves numbers", "section {} : split_heads ne fait que déplacer des nombres"},
    {"section {}: the written-out steps equal mha.forward bit for bit",
     "section {} : les étapes écrites en clair égalent mha.forward bit à bit"},
    {"section {}: the two models have the same number of parameters",
     "section {} : les deux modèles ont le même nombre de paramètres"},
    {"section {}: the parameters are {} C^{} + {} C for every H",
     "section {} : les paramètres valent {} C^{} + {} C pour tout H"},
    {"--heads must divide d_model = {}: {}, {}, {} or {}", "--heads doit diviser d_model = {} : {}, {}, {} ou {}"},

    // --- Your turn (lessons/fixtures/exercises.cpp): the expected lines are what the program prints
    {"Do two heads suffice for a task that reads two places? Will each of them read one place?",
     "Deux têtes suffisent-elles pour une tâche qui lit deux endroits ? Chacune lira-t-elle un seul endroit ?"},
    {"in the {}-head model head {} puts {} on A and head {} puts {} on B",
     "dans le modèle à {} têtes, la tête {} place {} sur A et la tête {} place {} sur B"},
    {"and every {}-head run passes {} test accuracy by step {}.",
     "et chaque entraînement à {} têtes atteint une exactitude en test de {} au plus tard au pas {}."},
    {"Eight heads of size {}, same parameters: faster than four, slower, or no clean split at all?",
     "Huit têtes de taille {}, mêmes paramètres : plus rapide qu'avec quatre, plus lent, ou aucun partage net du "
     "travail ?"},
    {"Every {}-head run passed {} test accuracy by step {}",
     "Chaque entraînement à {} têtes a atteint une exactitude en test de {} au plus tard au pas {}"},
    {"faster, yet no pair of heads splits the work cleanly (section {} says so): learning the task does not need "
     "one head per place.",
     "plus rapide, et pourtant aucune paire de têtes ne se partage nettement le travail (la section {} le dit) : "
     "apprendre la tâche ne demande pas une tête par endroit."},
    {"After only {} steps, will the {}-head runs have reached {} test accuracy?",
     "Après seulement {} pas, les entraînements à {} têtes auront-ils atteint une exactitude en test de {} ?"},
    {"Not every {}-head run reached {} test accuracy",
     "Les entraînements à {} têtes n'ont pas tous atteint une exactitude en test de {}"},
    {"(section {}'s table: {}, {} and {}): {} heads learn faster, not instantly.",
     "(tableau de la section {} : {}, {} et {}) : {} têtes apprennent plus vite, pas instantanément."},
    {"With seeds {}, {}, {}, is the gap between {} and {} heads a property of the task or of seeds {}, {}, {}?",
     "Avec les graines {}, {}, {}, l'écart entre {} et {} têtes est-il une propriété de la tâche ou des graines {}, "
     "{}, {} ?"},
    {"Every {}-head run passed {} test accuracy by step {}; the extended {}-head run passed it at step {}.",
     "Chaque entraînement à {} têtes a atteint une exactitude en test de {} au plus tard au pas {} ; l'entraînement "
     "prolongé à {} tête l'a atteinte au pas {}."},
    {"the single heads again stay below {} at step {} (section {}'s table).",
     "les têtes uniques restent de nouveau sous {} au pas {} (tableau de la section {})."},

    // --- --help
    {"Lesson {}: multi-head attention, and one head against several.",
     "Leçon {} : attention multi-têtes, et une tête contre plusieurs."},
    {"heads of the multi-head model of sections {}-{}: {}, {}, {} or {}",
     "têtes du modèle multi-têtes des sections {}-{} : {}, {}, {} ou {}"},
    {"training steps of every run of section {}", "nombre de pas de chaque entraînement de la section {}"},
    {"the three training runs of each model use seeds N, N + {}, N + {}",
     "les trois entraînements de chaque modèle utilisent les graines N, N + {}, N + {}"},
    {"--heads needs an integer in [{}, {}], got {}", "--heads attend un entier dans [{}, {}], reçu {}"},
    {"--heads needs a value", "--heads attend une valeur"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

#undef MEASURED_EN
#undef MEASURED_FR
#undef CLEAN_EN
#undef CLEAN_FR
#undef UNCLEAN_EN
#undef UNCLEAN_FR
#undef SINGLE_EN
#undef SINGLE_FR
#undef ALL_EN
#undef ALL_FR
#undef NOT_ALL_EN
#undef NOT_ALL_FR
#undef EXTENDED_EN
#undef EXTENDED_FR
#undef NEVER_EN
#undef NEVER_FR
}  // namespace
