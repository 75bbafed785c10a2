// French catalogue of lesson 3 (lessons/3_positional_encoding.cpp). Keys as src/viz/i18n.hpp explains.
#include "viz/i18n.hpp"

namespace {

constexpr llm::i18n::Entry kEntries[] = {
    // --- title
    {"Lesson 3 — Positional encoding", "Leçon 3 — Encodage positionnel"},
    {"Attention sees a set of words; PE adds where each word stands.",
     "L'attention voit un ensemble de mots ; le PE (encodage positionnel) ajoute la place de chaque mot."},

    // --- 1. The sinusoidal table
    {"{}. The sinusoidal table", "{}. La table sinusoïdale"},
    {"One row per position, one column per dimension; column pairs ({}i, {}i+{}) hold the sine and the cosine of "
     "the same angle pos * w_i. Nothing is learned: the table is a function of (pos, i) alone.",
     "Une ligne par position, une colonne par dimension ; chaque paire de colonnes ({}i, {}i+{}) contient le sinus "
     "et le cosinus d'un même angle pos * w_i. Rien n'est appris : la table est une fonction de (pos, i) seulement."},
    {"pe = sinusoidal_encoding", "pe = sinusoidal_encoding"},
    {"L = {} positions, C = {} dimensions", "L = {} positions, C = {} dimensions"},
    {"The first 5 positions, dimensions 0..5 and %d..%d:", "Les 5 premières positions, sur les dimensions 0..5 et %d..%d :"},
    {"Position {} is ({}, {}, {}, {}, ...): every sine {}, every cosine {}. The last pair turns so slowly that it "
     "has barely moved after {} positions.",
     "La position {} vaut ({}, {}, {}, {}, ...) : tous les sinus valent {} et tous les cosinus {}. La dernière "
     "paire tourne si lentement qu'elle a à peine bougé après {} positions."},
    {"Sinusoidal positional encoding ({} positions x {} dimensions)",
     "Encodage positionnel sinusoïdal ({} positions x {} dimensions)"},
    {"dimension", "dimension"},
    {"position", "position"},
    {"PE value", "valeur du PE"},
    {"the PE table: position x dimension, diverging colours",
     "la table du PE : position x dimension, palette de couleurs divergente"},
    {"dim {} (wavelength {})", "dim {} (longueur d'onde {})"},
    {"PE[pos, d] = sin(pos * w_i) for five sine dimensions (C = {}); dots: the integer positions",
     "PE[pos, d] = sin(pos * w_i) pour cinq dimensions sinus (C = {}) ; points : les positions entières"},
    {"five dimensions against the position: faster to slower waves, integer positions marked",
     "cinq dimensions en fonction de la position : des ondes les plus rapides aux plus lentes, avec les positions "
     "entières marquées"},

    // --- 2. Frequencies and wavelengths
    {"{}. Frequencies: from {} pi to {} x {} pi", "{}. Fréquences : de {} pi à {} x {} pi"},
    {"Pair i turns at w_i = {}^({}i/C) radians per position, so it repeats every {} pi / w_i positions. The "
     "wavelengths grow geometrically, by {}^({}/C) = {} per pair at C = {}:",
     "La paire i tourne de w_i = {}^({}i/C) radians par position ; elle se répète donc toutes les {} pi / w_i "
     "positions. Les longueurs d'onde croissent géométriquement, d'un facteur {}^({}/C) = {} par paire à C = {} :"},
    {"pair i", "paire i"},
    {"dims", "dims"},
    {"w_i (rad / position)", "w_i (rad / position)"},
    {"wavelength (positions)", "longueur d'onde (positions)"},
    {"(2 pi = %.3f; 10000 x 2 pi = %.1f; the last pair, i = %d, stops short of it)",
     "(2 pi = %.3f ; 10000 x 2 pi = %.1f ; la longueur d'onde de la dernière paire, i = %d, reste en deçà)"},

    // --- 3. Bounded, and different at every position
    {"{}. Bounded, and different at every position", "{}. Borné, et différent à chaque position"},
    {"pe", "pe"},
    {"positions {} .. {}", "positions {} .. {}"},
    {"max |PE| over all entries:                      %.6f",
     "max |PE| sur tous les coefficients :                %.6f"},
    {"|PE(pos)| for every pos, between:               %.6f and %.6f  (sqrt(C/2) = %.6f)",
     "|PE(pos)| pour chaque pos, entre :                  %.6f et %.6f  (sqrt(C/2) = %.6f)"},
    {"smallest |PE(p) - PE(q)|, p != q (%d pairs):  %.4f, at a gap |p - q| = %d",
     "min |PE(p) - PE(q)|, p != q (%d paires) :       %.4f, pour un écart |p - q| = %d"},
    {"|PE(p) - PE(p + 1)| over p = 0 .. %d:  between %.4f and %.4f;  formula sqrt(C - 2 sum_i cos(w_i)) = %.4f",
     "|PE(p) - PE(p + 1)| sur p = 0 .. %d :  entre %.4f et %.4f ;  formule sqrt(C - 2 sum_i cos(w_i)) = %.4f"},
    {"Every vector has the same length (each pair contributes sin^{} + cos^{} = {}), so PE never outgrows the "
     "embeddings it is added to. No two of the {} positions share a vector: the closest ones are neighbours, and "
     "all neighbours are the same distance apart (the distance depends only on the gap, see section {}).",
     "Tous les vecteurs ont la même norme (chaque paire apporte sin^{} + cos^{} = {}), si bien que le PE ne devient "
     "jamais plus grand que les plongements auxquels on l'ajoute. Aucune des {} positions ne partage son vecteur "
     "avec une autre : les plus proches sont voisines, et deux voisines sont toujours à la même distance (la "
     "distance ne dépend que de l'écart, voir la section {})."},

    // --- 4. Shifting by k positions is one fixed linear map
    {"{}. Shifting by k positions is one fixed linear map",
     "{}. Un décalage de k positions est une application linéaire fixe"},
    {"For each k, build M_k: a [C, C] block-diagonal matrix with one {} x {} rotation by k * w_i per pair "
     "(shift_matrix in this file). The same M_k must take PE(pos) to PE(pos + k) for every pos. Vaswani et al. "
     "chose sinusoids for this property: an offset of k positions is a linear function of the encoding, the kind "
     "of map a projection can learn.",
     "Pour chaque k, on construit M_k : une matrice [C, C] diagonale par blocs, avec une rotation {} x {} d'angle "
     "k * w_i par paire (shift_matrix dans ce fichier). La même M_k doit envoyer PE(pos) sur PE(pos + k) pour chaque "
     "pos. Vaswani et al. ont choisi des sinusoïdes pour cette propriété : un décalage de k positions est une "
     "fonction linéaire de l'encodage, le genre d'application qu'une projection peut apprendre."},
    {"M_5", "M_5"},
    {"{} blocks of {} x {} on the diagonal, {} elsewhere", "{} blocs de {} x {} sur la diagonale, {} ailleurs"},
    {"k", "k"},
    {"positions checked", "positions vérifiées"},
    {"max |PE(pos + k) - M_k PE(pos)|", "max |PE(pos + k) - M_k PE(pos)|"},
    {"Cosine similarity between PE(p) and PE(p + k), at C = %d:",
     "Similarité cosinus entre PE(p) et PE(p + k), à C = %d :"},
    {"p = {}", "p = {}"},
    {"({}/C) sum_i cos(k w_i)", "({}/C) sum_i cos(k w_i)"},
    {"The rows do not depend on p: PE(p) . PE(p + k) = sum_i cos(k w_i), whatever p. Similarity falls with "
     "distance (not monotonically forever: it is a sum of cosines), and the heatmap below is constant along each "
     "diagonal.",
     "Les lignes ne dépendent pas de p : PE(p) . PE(p + k) = sum_i cos(k w_i), quel que soit p. La similarité "
     "baisse avec la distance (mais pas de façon monotone indéfiniment : c'est une somme de cosinus), et la carte "
     "de chaleur ci-dessous est constante le long de chaque diagonale."},
    {"Cosine similarity between positions (C = {})", "Similarité cosinus entre positions (C = {})"},
    {"position q", "position q"},
    {"position p", "position p"},
    {"cos(PE(p), PE(q))", "cos(PE(p), PE(q))"},
    {"cosine similarity of every pair of positions", "similarité cosinus de chaque paire de positions"},

    // --- 5. Without positions, attention cannot see word order
    {"{}. Without positions, attention cannot see word order",
     "{}. Sans positions, l'attention ne voit pas l'ordre des mots"},
    {"sentence:  %s", "phrase :    \"%s\""},
    {"shuffled:  %s", "mélangée :  \"%s\""},
    {"x, x_shuffled", "x, x_shuffled"},
    {"embeddings only", "uniquement les plongements"},
    {"out = MHA(x)", "out = MHA(x)"},
    {"C = {}, {} heads, untrained", "C = {}, {} têtes, non entraînée"},
    {"word (new position <- old)", "mot (nouvelle position <- ancienne)"},
    {"max |out difference|, no PE", "max |écart de out|, sans PE"},
    {"with PE", "avec PE"},
    {"no PE: largest difference %s (float rounding);  with PE: smallest difference %s",
     "sans PE : plus grand écart %s (arrondi flottant) ;  avec PE : plus petit écart %s"},
    {"Without PE each word's output is the same wherever the word stands, up to float rounding (the sum over the "
     "keys is taken in another order): attention sums over the keys, and a sum does not care about order. "
     "MHA(shuffled x) = shuffled MHA(x): the layer is permutation-equivariant, it sees a bag of words. With PE "
     "added the same word at another position is a different vector, and the outputs change.",
     "Sans PE, la sortie de chaque mot est la même où que le mot se trouve, à l'arrondi flottant près (la somme "
     "sur les clés est faite dans un autre ordre) : l'attention fait une somme sur les clés, et une somme ne dépend "
     "pas de l'ordre. MHA(x mélangé) = MHA(x) mélangé : la couche est équivariante par permutation, elle voit un "
     "sac de mots. Une fois le PE ajouté, le même mot à une autre position est un vecteur différent, et les "
     "sorties changent."},

    // --- 6. A learned table, and sequences longer than the table
    {"{}. A learned table, and sequences longer than the table",
     "{}. Une table apprise, et des séquences plus longues que la table"},
    {"learned.weight", "learned.weight"},
    {"one trainable row per position, N({}, {}) at init",
     "une ligne entraînable par position, N({}, {}) à l'initialisation"},
    {"parameters:  learned table %zu (= max_len x C = %d x %d),  sinusoidal 0",
     "paramètres :  table apprise %zu (= max_len x C = %d x %d),  sinusoïdale 0"},
    {"A learned table is trained with the model (BERT and GPT-{} use one). At initialisation it is noise; what it "
     "becomes depends on the data it is trained on. It has a row for positions {} .. max_len - {} and no more:",
     "Une table apprise est entraînée avec le modèle (BERT et GPT-{} en utilisent une). À l'initialisation, ce "
     "n'est que du bruit ; ce qu'elle devient dépend des données sur lesquelles on l'entraîne. Elle a une ligne "
     "pour les positions {} .. max_len - {}, et pas une de plus :"},
    {"add_positions(x [1, %d, %d], learned [%d, %d]) throws:",
     "add_positions(x [1, %d, %d], learned [%d, %d]) lève une exception :"},
    {"std::invalid_argument: %s", "std::invalid_argument: %s"},     // the library's message, as it is thrown
    {"(nothing: unexpected)", "(rien : inattendu)"},
    {"the sinusoid has no such limit: add_positions(x, sinusoidal_encoding(%d, %d)) -> %s",
     "la sinusoïde n'a pas cette limite : add_positions(x, sinusoidal_encoding(%d, %d)) -> %s"},
    {"positions %d .. %d, never in a table of length %d:", "positions %d .. %d, jamais dans une table de longueur %d :"},
    {"max |PE|                                  %.6f", "max |PE|                                  %.6f"},
    {"max |PE(pos + %2d) - M_%-2d PE(pos)|         %s", "max |PE(pos + %2d) - M_%-2d PE(pos)|         %s"},
    {"The formula gives vectors for any position, bounded and with the same shift structure as the positions seen "
     "in training. That does not guarantee a model trained on short sequences handles long ones well (the rest of "
     "the model never saw those angles), only that the encoding itself is defined and well-behaved there.",
     "La formule donne des vecteurs pour n'importe quelle position, bornés et avec la même structure de décalage que "
     "les positions vues à l'entraînement. Cela ne garantit pas qu'un modèle entraîné sur des séquences courtes "
     "traite bien les longues (le reste du modèle n'a jamais vu ces angles), seulement que l'encodage lui-même y "
     "est défini et se comporte bien."},

    // --- self-checks (named on stderr when one fails)
    {"section {}: |PE| <= {}", "section {} : |PE| <= {}"},
    {"section {}: every |PE(pos)| = sqrt(C/{})", "section {} : chaque |PE(pos)| = sqrt(C/{})"},
    {"section {}: no two positions share a vector", "section {} : deux positions n'ont jamais le même vecteur"},
    {"section {}: every neighbour distance follows the formula",
     "section {} : chaque distance entre voisines suit la formule"},
    {"section {}: the similarity at distance k does not depend on p and follows the formula",
     "section {} : la similarité à la distance k ne dépend pas de p et suit la formule"},
    {"section {}: PE(pos + k) = M_k PE(pos) up to float rounding",
     "section {} : PE(pos + k) = M_k PE(pos) à l'arrondi flottant près"},
    {"section {}: without PE, attention is permutation-equivariant",
     "section {} : sans PE, l'attention est équivariante par permutation"},
    {"section {}: with PE, every word's output changes when it moves",
     "section {} : avec PE, la sortie de chaque mot change quand il se déplace"},
    {"section {}: a learned table refuses positions past its length",
     "section {} : une table apprise refuse les positions au-delà de sa longueur"},
    {"section {}: past the table, the sinusoid stays bounded and keeps its shift structure",
     "section {} : au-delà de la table, la sinusoïde reste bornée et garde sa structure de décalage"},

    // --- Your turn (lessons/fixtures/exercises.cpp)
    {"With C = {} instead of {}, do the wavelengths grow faster or slower from one pair to the next?",
     "Avec C = {} au lieu de {}, les longueurs d'onde croissent-elles plus vite ou plus lentement d'une paire à "
     "la suivante ?"},
    {"by {}^({}/C) = {} per pair at C = {}", "d'un facteur {}^({}/C) = {} par paire à C = {}"},
    {"({} at C = {}): the same range, {} pi to {} x {} pi, covered by {} pairs instead of {}.",
     "({} à C = {}) : la même plage, de {} pi à {} x {} pi, couverte par {} paires au lieu de {}."},
    {"Is PE(pos + {}) still exactly one rotation of PE(pos), and does its similarity still ignore p?",
     "PE(pos + {}) est-il toujours exactement une rotation de PE(pos), et sa similarité ignore-t-elle toujours p ?"},
    {"(the cosine table's row k = {}: the same at every p, and equal to the formula).",
     "(la ligne k = {} du tableau des cosinus : la même pour chaque p, et égale à la formule)."},
    {"With another random attention layer, is attention still blind to word order without PE?",
     "Avec une autre couche d'attention aléatoire, l'attention reste-t-elle aveugle à l'ordre des mots sans PE ?"},
    {"no PE: largest difference {} (float rounding); with PE: smallest difference {}",
     "sans PE : plus grand écart {} (arrondi flottant) ; avec PE : plus petit écart {}"},
    {"whatever the weights: equivariance is a property of attention, not of one layer.",
     "quels que soient les poids : l'équivariance est une propriété de l'attention, pas d'une couche en "
     "particulier."},

    // --- flags (build/lesson3 --help)
    {"Lesson {}: positional encoding.", "Leçon {} : encodage positionnel."},
    {"C of the PE table (sections {}-{} and {}), an even number",
     "C de la table du PE (sections {}-{} et {}), un nombre pair"},
    {"one more k in section {}'s tables (p + k must stay below {}), {} for none",
     "un k de plus dans les tableaux de la section {} (p + k doit rester inférieur à {}), {} pour aucun"},
    {"section {}'s attention layer and embeddings (seed N + {}), section {}'s learned table (N + {})",
     "la couche d'attention et les plongements de la section {} (graine N + {}), la table apprise de la section {} "
     "(N + {})"},
    {"--d-model must be even (sin, cos pairs)", "--d-model doit être pair (paires sin, cos)"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

}  // namespace
