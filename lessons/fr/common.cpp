// French catalogue: what several lessons print (the report layer, the flags,
// the "Your turn" section, the pages and the words of figures that every
// lesson draws). Keys as src/viz/i18n.hpp explains; a key lives in one
// catalogue only (tests/test_i18n.cpp), so a word shared by two lessons is
// translated here, once. Terminology: README, "En français".
#include "viz/i18n.hpp"

namespace {

constexpr llm::i18n::Entry kEntries[] = {
    // --- the report layer and the pages (src/viz/report.cpp, src/viz/page.cpp)
    {"Figures written to %s/:", "Figures écrites dans %s/ :"},
    {"Figures written to", "Figures écrites dans"},
    {"{} KiB", "{} Kio"},
    {"Computed by", "Calculé par"},
    {"in", "dans"},
    {"line", "ligne"},
    {"open it with an image viewer: browsers do not show this format",
     "ouvrez-la avec une visionneuse d'images : les navigateurs n'affichent pas ce format"},
    {"the same as a PPM image (no text)", "la même en image PPM (sans texte)"},
    {"the same as a PPM image (panels in the same places, no text)",
     "la même en image PPM (panneaux aux mêmes places, sans texte)"},

    // --- the course's front page and the link back to it (src/viz/page.cpp): every lesson writes them
    {"All lessons", "Toutes les leçons"},
    {"Build an LLM from scratch — Part I", "Construire un LLM de zéro — Partie I"},
    {"Build an LLM from scratch — Part I: attention and the transformer core",
     "Construire un LLM de zéro — Partie I : l'attention et le cœur du transformer"},
    {"Five lessons; each page is what the lesson printed, with its figures under the step that drew them. A lesson "
     "not yet run has no page: run it (make lessonN).",
     "Cinq leçons ; chaque page reprend ce que la leçon a affiché, avec ses figures sous l'étape qui les a tracées. "
     "Une leçon pas encore lancée n'a pas de page : lancez-la (make lessonN)."},
    {"Lesson", "Leçon"},
    {"the first figure of the lesson", "la première figure de la leçon"},
    {"not run yet", "pas encore lancée"},
    {"Self-attention", "Auto-attention"},
    {"One sentence through attention, step by step; causal and padding masks; why the scores are divided by "
     "sqrt(d_k), measured.",
     "Une phrase à travers l'attention, pas à pas ; masque causal et masque de remplissage ; pourquoi les scores "
     "sont divisés par sqrt(d_k), mesures à l'appui."},
    {"Multi-head attention", "Attention multi-têtes"},
    {"The split into heads and the merge, shape by shape; what each head looks at; one head against four on a copy "
     "task.",
     "Le découpage en têtes et leur réunion, forme par forme ; ce que regarde chaque tête ; une tête contre quatre "
     "sur une tâche de copie."},
    {"Positional encoding", "Encodage positionnel"},
    {"The sinusoid table; PE(pos + k) as a rotation of PE(pos); attention without and with positions; a learned "
     "table.",
     "La table sinusoïdale ; PE(pos + k) comme rotation de PE(pos) ; l'attention sans et avec positions ; une table "
     "apprise."},
    {"The transformer encoder", "L'encodeur transformer"},
    {"LayerNorm, feed-forward, residuals; a block's shapes and parameters; an encoder trained on a word-order task.",
     "LayerNorm, feed-forward, connexions résiduelles ; les formes et les paramètres d'un bloc ; un encodeur entraîné "
     "sur une tâche d'ordre des mots."},
    {"The complete mini LLM", "Le mini LLM complet"},
    {"A sentiment classifier trained, evaluated against a bag of words, saved, reloaded and used from the command "
     "line.",
     "Un classifieur de sentiment entraîné, évalué face à un sac de mots, sauvegardé, rechargé et utilisé en ligne "
     "de commande."},

    // --- flags and --help (lessons/fixtures/lesson_cli.cpp)
    {"usage: build/%s [flags]", "usage : build/%s [options]"},
    {"flags:", "options :"},
    {"(default %s)", "(par défaut %s)"},
    {"integer in [{}, {}]", "entier dans [{}, {}]"},
    {"where the figures go", "où vont les figures"},
    {"the language of everything the lesson prints and draws: en or fr",
     "la langue de tout ce que la leçon affiche et dessine : en ou fr"},
    {"print no time measurement (the lessons print none: accepted for symmetry with lesson {})",
     "n'afficher aucune mesure de temps (les leçons n'en affichent pas : accepté par symétrie avec la leçon {})"},
    {"this text", "ce texte"},
    {"; X: %s", " ; X : %s"},
    {"%s: self-check failed: %s", "%s : auto-vérification échouée : %s"},
    {"--seed needs a value", "--seed attend une valeur"},
    {"--out needs a folder name, got {}", "--out attend un nom de dossier, reçu {}"},
    {"--steps needs an integer in [{}, {}], got {}", "--steps attend un entier dans [{}, {}], reçu {}"},   // lessons 2 and 4
    {"--steps needs a value", "--steps attend une valeur"},
    {"Exit status: {} success; {} a self-check failed (named on stderr); {} a command-line mistake.",
     "Code de sortie : {} succès ; {} une auto-vérification a échoué (nommée sur stderr) ; {} une erreur dans la "
     "ligne de commande."},
    {"unknown flag {}", "option inconnue {}"},
    {"%s: %s (see --help)", "%s : %s (voir --help)"},
    {"--seed needs an integer in [{}, {}], got {}", "--seed attend un entier dans [{}, {}], reçu {}"},

    // --- "Your turn" (lessons/fixtures/lesson_cli.cpp)
    {"Your turn", "À vous de jouer"},
    {"Each exercise is one command. Answer its question BEFORE running it, then find the line it prints "
     "(tests/test_lessons_run.cpp runs every one of these commands and checks that line).",
     "Chaque exercice est une commande. Répondez à sa question AVANT de la lancer, puis retrouvez la ligne "
     "qu'elle affiche (tests/test_lessons_run.cpp lance chacune de ces commandes et vérifie cette ligne)."},
    {"Question:", "Question :"},
    {"It prints:", "Elle affiche :"},

    // --- words of tables and figures that several lessons use
    {"x", "x"},                                  // a tensor's name, as in the code
    {"pad", "pad"},                              // a tensor's name, as in the code
    {"scores", "scores"},
    {"weights", "poids"},
    {"key", "clé"},
    {"query", "requête"},
    {"attention weight", "poids d'attention"},
    {"largest weight", "poids le plus grand"},
    {"model", "modèle"},
    {"training step", "pas d'entraînement"},
    {"test accuracy", "exactitude en test"},
    {"component", "composant"},
    {"embedding", "plongement"},
    {"classifier", "classifieur"},
    {"total", "total"},
    {"bag of words", "sac de mots"},
    {"layer {}, head {}", "couche {}, tête {}"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

}  // namespace
