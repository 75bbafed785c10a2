// French catalogue of lesson 5 (lessons/5_mini_llm.cpp, src/app/cli.cpp, src/app/train.cpp and the data
// loader's messages, src/io/dataset.cpp). Keys as src/viz/i18n.hpp explains. The data stay English: the
// sentences, their words, the class and part names (negative, contrast, ...) and --predict's lines.
#include "viz/i18n.hpp"

namespace {

constexpr llm::i18n::Entry kEntries[] = {
    // --- title
    {"Lesson 5 — The complete mini LLM", "Leçon 5 — Le mini LLM complet"},
    {"A sentiment classifier trained, evaluated against a baseline, saved and reused.",
     "Un classifieur de sentiment entraîné, évalué face à une référence, sauvegardé et réutilisé."},

    // --- 1. The data
    {"{}. The data", "{}. Les données"},
    {"%s without header, text then label (then part)", "%s sans en-tête, texte puis étiquette (puis partie)"},
    {"%s without header, label then text", "%s sans en-tête, étiquette puis texte"},
    {"%s with header (%s)", "%s avec en-tête (%s)"},
    {"aclImdb folder (neg/, pos/) one review per file, the folder is the label",
     "dossier aclImdb (neg/, pos/), une critique par fichier, le dossier donne l'étiquette"},
    {", %s examples, %s labels: %s", ", %s exemples, %s étiquettes : %s"},
    {"; %s '#' comment lines", " ; %s lignes de commentaire '#'"},
    {"; %s <br /> tags read as spaces", " ; %s balises <br /> lues comme des espaces"},
    {"max_len %zu (%s)", "max_len %zu (%s)"},
    {"from the data: the longest training sentence has %zu tokens (rounded up to a multiple of 8, at most 256)",
     "d'après les données : la plus longue phrase d'entraînement compte %zu jetons (arrondi au multiple de 8 "
     "supérieur, au plus 256)"},
    {"validation: %zu of %zu training sentences held out whole (%zu phrases of them left out of training); "
     "training keeps the epoch with the best validation accuracy",
     "validation : %zu phrases d'entraînement sur %zu mises de côté entières (%zu de leurs fragments retirés de "
     "l'entraînement) ; l'entraînement garde l'époque de meilleure exactitude de validation"},
    {"Two files: the model learns from %s and is judged on %s. Test sentences that also appear in the training "
     "file: %zu of %s.",
     "Deux fichiers : le modèle apprend sur %s et il est jugé sur %s. Phrases de test qui figurent aussi dans le "
     "fichier d'entraînement : %zu sur %s."},
    {"The shipped test split also holds out word combinations, such as \"never\" + \"gripping\", that training "
     "never shows (data/README.md).",
     "Le jeu de test fourni contient aussi des combinaisons de mots, comme \"never\" + \"gripping\", que "
     "l'entraînement ne montre jamais (data/README.md)."},
    {"split", "jeu"},
    {"sentences", "phrases"},
    {"train", "entraînement"},
    {"test", "test"},
    {"Each sentence belongs to a \"part\", the phenomenon it tests. Two of them defeat a model that only counts "
     "words: in negation the label is the XOR of \"negated\" and the word's polarity; in contrast every sentence "
     "has a twin with the same words and the opposite label.",
     "Chaque phrase appartient à une \"part\" (partie) : le phénomène qu'elle teste. Deux d'entre elles mettent en "
     "échec un modèle qui ne fait que compter les mots : dans \"negation\", l'étiquette est le XOR de \"negated\" "
     "et de la polarité du mot ; dans \"contrast\", chaque phrase a une jumelle faite des mêmes mots, avec "
     "l'étiquette opposée."},
    {"part", "partie"},
    {"Examples (training split):\n%s", "Exemples (jeu d'entraînement) :\n%s"},
    {"tokens", "jetons"},
    {"value", "valeur"},
    {"vocabulary (training split, with <pad> and <unk>)", "vocabulaire (jeu d'entraînement, avec <pad> et <unk>)"},
    {"longest sentence, in tokens", "phrase la plus longue, en jetons"},
    {"sentences (train + test) cut to max_len = {}", "phrases (entraînement + test) tronquées à max_len = {}"},
    {"--unlabelled texts cut to max_len = {}", "textes de --unlabelled tronqués à max_len = {}"},
    {"vocabulary (training split and --unlabelled text, with <pad> and <unk>)",
     "vocabulaire (jeu d'entraînement et texte de --unlabelled, avec <pad> et <unk>)"},
    {"test tokens unknown to the vocabulary (<unk>)", "jetons de test absents du vocabulaire (<unk>)"},
    {"{} of {}", "{} sur {}"},
    {"longest: \"%s\"", "plus longue : \"%s\""},
    {"tokens:  %s", "jetons :      %s"},

    // --- 2. The model
    {"{}. The model", "{}. Le modèle"},
    {"MiniLLM (src/nn/model.hpp): token embedding * sqrt(C) + sinusoidal positions, dropout, {} encoder blocks "
     "(post-LN, as in the paper), the mean of the REAL tokens' vectors (padding is masked out of attention and of "
     "the mean), then a linear layer to {} logits.",
     "MiniLLM (src/nn/model.hpp) : plongement des jetons * sqrt(C) + positions sinusoïdales, dropout, {} blocs "
     "d'encodeur (post-LN, comme dans l'article), la moyenne des vecteurs des VRAIS jetons (le remplissage est "
     "masqué dans l'attention et dans la moyenne), puis une couche linéaire vers {} logits."},
    {"MiniLLM (src/nn/model.hpp): token embedding * sqrt(C) + sinusoidal positions, dropout, {} encoder blocks "
     "(pre-LN), the mean of the REAL tokens' vectors (padding is masked out of attention and of the mean), then a "
     "linear layer to {} logits.",
     "MiniLLM (src/nn/model.hpp) : plongement des jetons * sqrt(C) + positions sinusoïdales, dropout, {} blocs "
     "d'encodeur (pre-LN), la moyenne des vecteurs des VRAIS jetons (le remplissage est masqué dans l'attention et "
     "dans la moyenne), puis une couche linéaire vers {} logits."},
    {"config", "configuration"},
    {"vocab_size V", "vocab_size V"},
    {"d_model C", "d_model C"},
    {"num_heads H (head size C/H)", "num_heads H (taille de tête C/H)"},
    {"d_ff F", "d_ff F"},
    {"num_layers", "num_layers"},
    {"num_classes K", "num_classes K"},
    {"max_len", "max_len"},
    {"dropout", "dropout"},
    {"activation, norm", "activation, normalisation"},
    {"Word and position are ADDED into one vector, so their sizes matter. Measured, the mean length of each part "
     "of the vectors that enter the first block:",
     "Le mot et la position sont ADDITIONNÉS en un seul vecteur : leurs tailles comptent donc. Voici, mesurée, la "
     "norme moyenne de chaque composante des vecteurs qui entrent dans le premier bloc :"},
    {"part of the input", "composante de l'entrée"},
    {"mean length", "norme moyenne"},
    {"word, embedding N({}, {}) * sqrt(C)   (the workshop, torch's nn.Embedding)",
     "mot, plongement N({}, {}) * sqrt(C)   (l'atelier, nn.Embedding de torch)"},
    {"word, embedding N({}, {}/C) * sqrt(C)   (this model)", "mot, plongement N({}, {}/C) * sqrt(C)   (ce modèle)"},
    {"word, embedding N({}, {}^{}) * sqrt(C)   (this model)", "mot, plongement N({}, {}^{}) * sqrt(C)   (ce modèle)"},
    {"position, sinusoidal PE", "position, PE sinusoïdal"},
    {"With the workshop's initialisation the position is {}% of the word's length, here {}%. Contrast (\"good X "
     "but bad Y\") is all about word order; rerun with --embed-std {} to measure what the workshop's choice costs.",
     "Rapportée à la norme du mot, la position fait {}\u00a0% avec l'initialisation de l'atelier, et {}\u00a0% avec celle "
     "de ce modèle. La partie "
     "\"contrast\" (\"good X but bad Y\") repose entièrement sur l'ordre des mots ; relancez avec --embed-std {} "
     "pour mesurer ce que coûte le choix de l'atelier."},
    {"%s attention", "%s attention"},
    {"%s feed-forward", "%s feed-forward"},
    {"%s norms", "%s normalisations"},
    {"parameters", "paramètres"},
    {"One forward pass on {} training sentences (padded to the longest, T = {}):",
     "Une passe avant sur {} phrases d'entraînement (complétées jusqu'à la plus longue, T = {}) :"},
    {"ids", "ids"},
    {"[B, T] token ids", "[B, T] identifiants des jetons"},
    {"[B, T] {} = padding, never attended to", "[B, T] {} = remplissage, jamais regardé par l'attention"},
    {"attention, per layer", "attention, par couche"},
    {"[B, H, T, T]", "[B, H, T, T]"},
    {"logits", "logits"},
    {"[B, K] one score per class", "[B, K] un score par classe"},

    // --- 3. Training the transformer (and the epoch table of src/app/train.cpp)
    {"{}. Training the transformer", "{}. Entraîner le transformer"},
    {"{} epochs of {} mini-batches of {} shuffled sentences (seed {}): {} AdamW steps (weight decay {}). The "
     "learning rate climbs linearly to {} over the first {} steps, then follows a cosine down to {}; the global "
     "gradient norm is clipped at {}. Dropout {} is on while training only.",
     "{} époques de {} mini-lots de {} phrases mélangées (graine {}) : {} pas d'AdamW (décroissance des poids {}). "
     "Le taux d'apprentissage monte linéairement jusqu'à {} pendant les {} premiers pas, puis descend en cosinus "
     "jusqu'à {} ; la norme globale du gradient est écrêtée à {}. Le dropout {} n'est actif que pendant "
     "l'entraînement."},
    {"Columns: \"batch loss\" is the mean loss of the epoch's batches, dropout ON, while the weights moved. "
     "\"train\" and \"test\" are measured after the epoch on the whole split with dropout OFF (the workshop "
     "measured accuracy with dropout on). A NaN or infinite loss stops training and puts back the weights of the "
     "last good epoch.",
     "Colonnes : la perte des \"lots\" est la perte moyenne des lots de l'époque, dropout ACTIF, pendant que les "
     "poids bougeaient. \"entraîn.\" et \"test\" sont mesurés après l'époque sur tout le jeu, dropout INACTIF "
     "(l'atelier mesurait l'exactitude avec le dropout actif). Une perte NaN ou infinie arrête l'entraînement et "
     "restaure les poids de la dernière bonne époque."},
    {"batches", "lots"},
    {"train (eval)", "entraîn. (éval)"},
    {"test (eval)", "test (éval)"},
    {"epoch", "époque"},
    {"loss", "perte"},
    {"acc", "exac."},
    {"lr", "lr"},
    {"time", "durée"},
    {"tokens/s", "jetons/s"},
    {"valid acc", "exac. val"},
    {"%d/%d [%s%s] %d/%d loss %.4f acc %s lr %.2e", "%d/%d [%s%s] %d/%d perte %.4f exac. %s lr %.2e"},
    {"%s tok/s", "%s jetons/s"},
    {"the loss is %s", "la perte vaut %s"},
    {"the gradient norm is %s", "la norme du gradient vaut %s"},
    {"at epoch %d, step %d/%d (lr %.2e)", "à l'époque %d, pas %d/%d (lr %.2e)"},
    {"the evaluation loss is not finite after epoch %d", "la perte d'évaluation n'est pas finie après l'époque %d"},
    {"%s; the %s is back to its parameters before training",
     "%s ; le %s est revenu à ses paramètres d'avant l'entraînement"},
    {"%s; the %s is back to its parameters after epoch %d", "%s ; le %s est revenu à ses paramètres de l'époque %d"},
    {"training stopped: %s", "entraînement arrêté : %s"},
    {"early stopping: back to the parameters of epoch %d, the best validation accuracy (%s)",
     "arrêt précoce : retour aux paramètres de l'époque %d, celle de la meilleure exactitude de validation (%s)"},
    {"lesson5: training stopped: %s; %s; try a smaller --lr (it was %g)",
     "lesson5 : entraînement arrêté : %s ; %s ; essayez un --lr plus petit (il valait %g)"},
    {"no epoch completed, nothing saved", "aucune époque terminée, rien n'a été sauvegardé"},
    {"the weights of epoch %d are in %s", "les poids de l'époque %d sont dans %s"},

    // --- 4. The bag of words
    {"{}. A baseline without attention: a bag of words", "{}. Une référence sans attention : un sac de mots"},
    {"The same embedding size ({}), the mean of the word vectors, the same linear classifier: no attention, no "
     "positions, so it sees WHICH words occur, never their order. {} parameters. Trained the same way: same "
     "epochs, batches, seed, optimizer and schedule.",
     "La même taille de plongement ({}), la moyenne des vecteurs des mots, le même classifieur linéaire : ni "
     "attention ni positions, il voit donc QUELS mots apparaissent, jamais leur ordre. {} paramètres. Entraîné de "
     "la même façon : mêmes époques, mêmes lots, même graine, même optimiseur et même évolution du taux "
     "d'apprentissage."},
    {"lesson5: the bag of words diverged: %s", "lesson5 : le sac de mots a divergé : %s"},

    // --- 5. Evaluation
    {"{}. Evaluation on the test split", "{}. Évaluation sur le jeu de test"},
    {"Test accuracy, dropout off, on {} sentences (none of them in the training file): transformer {}%, bag of "
     "words {}%.",
     "Exactitude en test, dropout inactif, sur {} phrases (aucune dans le fichier d'entraînement) : transformer "
     "{}\u00a0%, sac de mots {}\u00a0%."},
    {"Test accuracy, dropout off, on {} sentences ({} of them in the training file): transformer {}%, bag of "
     "words {}%.",
     "Exactitude en test, dropout inactif, sur {} phrases (dont {} dans le fichier d'entraînement) : transformer "
     "{}\u00a0%, sac de mots {}\u00a0%."},
    {"For scale, measured on SST-{} ({} held-out full sentences; README, \"Lesson {} on real reviews\"), five seeds "
     "each: the default training on data of your own ({} epochs at lr {}, dropout {}, no pre-training) reaches {}% on "
     "average ({}% to {}%), the bag of words trained the same way {}%, and a CNN with random word vectors (Kim {}: "
     "{}% on the official SST-{} test sentences), trained and early-stopped on the same files "
     "(tests/realdata/cnn_baseline.py), {}% (three seeds). {} other settings measured the same way average {}% to "
     "{}%, none more than {} points above it: pre-training on the training text, dropout {} or {}, word dropout, one "
     "layer, one head, pre-LN, GELU, a wider model, max, attention or mean-and-max pooling, character n-grams added "
     "to the words, full sentences shown again each epoch, the phrases also read inside their sentence, bigger "
     "batches, more weight decay, a moving average of the weights, a larger initial embedding, less or no "
     "validation, a longer and gentler training. What moves it is the data: trained on half of the "
     "labelled sentences, the transformer loses about five points (pre-training on, two seeds).",
     "Pour situer, mesuré sur SST-{} ({} phrases complètes mises de côté ; README, « Lesson {} on real reviews »), "
     "cinq graines chacun : l'entraînement par défaut sur vos propres données ({} époques à un taux de {}, dropout "
     "{}, sans pré-entraînement) atteint {}\u00a0% en moyenne (de {}\u00a0% à {}\u00a0%), le sac de mots entraîné "
     "de la même façon {}\u00a0%, et un CNN à vecteurs de mots aléatoires (Kim {} : {}\u00a0% sur les phrases de "
     "test officielles de SST-{}), entraîné et arrêté tôt sur les mêmes fichiers (tests/realdata/cnn_baseline.py), "
     "{}\u00a0% (trois graines). {} autres réglages mesurés de la même façon donnent en moyenne de {}\u00a0% à "
     "{}\u00a0%, aucun plus de {} point au-dessus : pré-entraîner sur le texte d'entraînement, un dropout de {} ou "
     "{}, le dropout de mots, une seule couche, une seule tête, la LayerNorm avant (pre-LN), GELU, un modèle plus "
     "large, le maximum, une attention ou la moyenne et le maximum pour résumer la phrase, des n-grammes de "
     "caractères ajoutés aux mots, les phrases complètes montrées une fois de plus à chaque époque, les fragments lus "
     "aussi à l'intérieur de leur phrase, des lots plus grands, plus de weight decay, une moyenne glissante des "
     "poids, un plongement initial plus grand, moins ou pas de validation, un entraînement plus long et plus doux. Ce qui le fait bouger, ce sont les données : entraîné sur la moitié des phrases étiquetées, le "
     "transformer perd environ cinq points (avec pré-entraînement, deux graines)."},
    {"Confusion matrix of the transformer (rows: true class, columns: predicted)",
     "Matrice de confusion du transformer (lignes : vraie classe, colonnes : classe prédite)"},
    {"class", "classe"},
    {"precision", "précision"},
    {"recall", "rappel"},
    {"test sentences", "phrases de test"},
    {"Transformer on the test split: counts", "Transformer sur le jeu de test : effectifs"},
    {"predicted class", "classe prédite"},
    {"true class", "vraie classe"},
    {"confusion matrix of the transformer on the test split", "matrice de confusion du transformer sur le jeu de test"},
    {"transformer", "transformer"},
    {"difference", "écart"},
    {"The transformer wins on negation ({}% vs {}%) and on contrast ({}% vs {}%), the two parts where word order "
     "decides.",
     "Le transformer l'emporte sur \"negation\" ({}\u00a0% ; sac de mots : {}\u00a0%) et sur \"contrast\" ({}\u00a0% ; "
     "sac de mots : {}\u00a0%), les deux parties où l'ordre des mots décide."},
    {"In this run the transformer does NOT beat the bag of words on negation and contrast:",
     "Dans cette exécution, le transformer ne bat PAS le sac de mots sur \"negation\" ni sur \"contrast\" :"},
    {"In this run the transformer does NOT beat the bag of words on negation:",
     "Dans cette exécution, le transformer ne bat PAS le sac de mots sur \"negation\" :"},
    {"In this run the transformer does NOT beat the bag of words on contrast:",
     "Dans cette exécution, le transformer ne bat PAS le sac de mots sur \"contrast\" :"},
    {"word order is there to be learned, and this model did not learn it with these settings (try more --epochs, "
     "another --lr or --embed-std).",
     "l'ordre des mots est là, prêt à être appris, et ce modèle ne l'a pas appris avec ces réglages (essayez "
     "davantage d'époques avec --epochs, un autre --lr ou --embed-std)."},
    {"Why a bag of words must fail there: every contrast sentence has a twin in the same split with the same words "
     "and the opposite label, and identical bags get identical answers, so at most one of each pair is right (at "
     "most {}%; it scores {}%).",
     "Pourquoi un sac de mots doit y échouer : chaque phrase de \"contrast\" a une jumelle dans le même jeu, faite "
     "des mêmes mots, avec l'étiquette opposée, et des sacs identiques reçoivent des réponses identiques : au "
     "plus une phrase de chaque paire est juste (au plus {}\u00a0% ; il obtient {}\u00a0%)."},
    {"In negation the label is the XOR of \"negated\" and the opinion word's polarity, which a linear layer on a "
     "mean of word vectors cannot represent (it scores {}%, worse than a coin toss).",
     "Dans \"negation\", l'étiquette est le XOR de \"negated\" et de la polarité du mot d'opinion, ce qu'une couche "
     "linéaire sur une moyenne de vecteurs de mots ne peut pas représenter (il obtient {}\u00a0%, moins bien qu'un "
     "tirage à pile ou face)."},
    {"In negation the label is the XOR of \"negated\" and the opinion word's polarity, which a linear layer on a "
     "mean of word vectors cannot represent (it scores {}%).",
     "Dans \"negation\", l'étiquette est le XOR de \"negated\" et de la polarité du mot d'opinion, ce qu'une couche "
     "linéaire sur une moyenne de vecteurs de mots ne peut pas représenter (il obtient {}\u00a0%)."},
    {"Test accuracy per part", "Exactitude en test par partie"},
    {"accuracy (%)", "exactitude (%)"},
    {"test accuracy per part, transformer vs bag of words",
     "exactitude en test par partie, transformer contre sac de mots"},
    {"train, batches (dropout on)", "entraînement, lots (dropout actif)"},
    {"train (dropout off)", "entraînement (dropout inactif)"},
    {"Transformer: cross-entropy per epoch", "Transformer : entropie croisée par époque"},
    {"loss (log scale)", "perte (échelle log)"},
    {"loss per epoch, transformer", "perte par époque, transformer"},
    {"transformer, train", "transformer, entraînement"},
    {"transformer, test", "transformer, test"},
    {"bag of words, test", "sac de mots, test"},
    {"Accuracy per epoch (dropout off)", "Exactitude par époque (dropout inactif)"},
    {"accuracy per epoch, transformer and bag of words", "exactitude par époque, transformer et sac de mots"},
    {"No test sentence is misclassified. That says the model learned the generator's templates, including the "
     "combinations held out of training; it does not say it understands English reviews (section {} tries a few "
     "of our own).",
     "Aucune phrase de test n'est mal classée. Cela indique que le modèle a appris les gabarits du générateur, y "
     "compris les combinaisons écartées de l'entraînement ; cela n'indique pas qu'il comprend des critiques en "
     "anglais (la section {} en essaie quelques-unes de notre cru)."},
    {"No test sentence is misclassified.", "Aucune phrase de test n'est mal classée."},
    {"The first misclassified test sentences ({} in all):", "Les premières phrases de test mal classées ({} en tout) :"},
    {"true", "vraie"},
    {"predicted", "prédite"},
    {"confidence", "confiance"},

    // --- 6. Predictions
    {"{}. Predictions on sentences of our own", "{}. Prédictions sur des phrases de notre cru"},
    {"The probabilities are the softmax of the logits, dropout off. A word the training split never showed "
     "becomes <unk>: the lines under the table show what the model actually reads.",
     "Les probabilités sont la softmax des logits, dropout inactif. Un mot que le jeu d'entraînement n'a jamais "
     "montré devient <unk> : les lignes sous le tableau montrent ce que le modèle lit réellement."},
    {"sentence", "phrase"},
    {"prediction", "prédiction"},
    {"\"%s\" reads as: %s", "\"%s\" se lit : %s"},
    {"[mostly unknown: %zu of %zu tokens]", "[surtout inconnue : %zu jetons sur %zu]"},
    {"Class probabilities for our sentences (each bar sums to {})",
     "Probabilités des classes pour nos phrases (chaque barre a pour somme {})"},
    {"probability", "probabilité"},
    {"class probabilities of the sentences of section {}, stacked",
     "probabilités des classes des phrases de la section {}, empilées"},
    {"A confident answer is not a correct one: the model has only ever seen this generator's sentences, and for "
     "words it does not know it still answers.",
     "Une réponse assurée n'est pas une réponse juste : le modèle n'a jamais vu que les phrases de ce générateur "
     "et, pour des mots qu'il ne connaît pas, il répond quand même."},

    // --- 7. Attention
    {"{}. Where the trained model looks", "{}. Où regarde le modèle entraîné"},
    {"The {} sentences below go through the model as one padded batch [{}, {}], as in training. Total attention "
     "weight that any query, head or layer puts on a <pad> key: {} (the mask gives blocked keys exactly zero). The "
     "figures crop each sentence to its real tokens: every layer and head, row = the token that looks (query), "
     "column = the token looked at (key).",
     "Les {} phrases ci-dessous traversent le modèle en un seul lot complété [{}, {}], comme à l'entraînement. "
     "Poids d'attention total que requêtes, têtes et couches placent sur une clé <pad> : {} (le masque donne "
     "exactement zéro aux clés bloquées). Les figures recadrent chaque phrase sur ses vrais jetons : chaque couche "
     "et chaque tête, ligne = le jeton qui regarde (requête), colonne = le jeton regardé (clé)."},
    {"\"good acting but a terrible plot.\": attention, every layer and head",
     "\"good acting but a terrible plot.\" : attention, chaque couche et chaque tête"},
    {"\"terrible acting but a good plot.\": attention, every layer and head",
     "\"terrible acting but a good plot.\" : attention, chaque couche et chaque tête"},
    {"\"the acting was not good.\": attention, every layer and head",
     "\"the acting was not good.\" : attention, chaque couche et chaque tête"},
    {"\"not bad at all.\": attention, every layer and head",
     "\"not bad at all.\" : attention, chaque couche et chaque tête"},
    {"attention of \"good acting but a terrible plot.\"", "attention de \"good acting but a terrible plot.\""},
    {"attention of \"terrible acting but a good plot.\"", "attention de \"terrible acting but a good plot.\""},
    {"attention of \"the acting was not good.\"", "attention de \"the acting was not good.\""},
    {"attention of \"not bad at all.\"", "attention de \"not bad at all.\""},
    {"key (looked at)", "clé (regardée)"},
    {"query (looking)", "requête (qui regarde)"},
    {"weight", "poids"},
    {"last layer: most attended keys", "dernière couche : clés les plus regardées"},
    {"{}/T", "{}/T"},
    {"The table averages the last layer's weights over heads and queries. Read these with care: attention weights "
     "say where each layer copies information from, not why the model decides; after two layers every token "
     "vector already mixes the whole sentence.",
     "Le tableau fait la moyenne des poids de la dernière couche sur les têtes et les requêtes. À lire avec prudence : les "
     "poids d'attention disent d'où chaque couche copie de l'information, pas pourquoi le modèle décide ; après "
     "deux couches, chaque vecteur de jeton mélange déjà toute la phrase."},

    // --- 8. Save, reload, reuse
    {"{}. Save, reload, reuse", "{}. Sauvegarder, recharger, réutiliser"},
    {"Saved to %s with safetensors (written to a temporary file, then renamed: a crash leaves the old file or the "
     "new one, never half of one). Its metadata:",
     "Sauvegardé dans %s au format safetensors (écrit dans un fichier temporaire, puis renommé : un plantage "
     "laisse l'ancien fichier ou le nouveau, jamais une moitié de fichier). Ses métadonnées :"},
    {"(%zu lines)", "(%zu lignes)"},
    {"and %zu tensors, named as in PyTorch: embedding.weight,\n  encoder.layers.0.self_attn.in_proj_weight, ..., "
     "classifier.bias",
     "et %zu tenseurs, nommés comme dans PyTorch : embedding.weight,\n  "
     "encoder.layers.0.self_attn.in_proj_weight, ..., classifier.bias"},
    {"Reloaded with checkpoint::load, which checks the format tag, every config field, the vocabulary, the classes "
     "and every tensor's name and shape. The reloaded model's logits on the {} test sentences: {} floats, {} of "
     "them differ from the original's in any bit — bit-identical.",
     "Rechargé avec checkpoint::load, qui vérifie l'identifiant de format, chaque champ de la configuration, le "
     "vocabulaire, les classes, ainsi que le nom et la forme de chaque tenseur. Les logits du modèle rechargé sur "
     "les {} phrases de test : {} flottants, dont {} diffèrent de ceux de l'original d'au moins un bit — "
     "identiques au bit près."},
    {"Reloaded with checkpoint::load, which checks the format tag, every config field, the vocabulary, the classes "
     "and every tensor's name and shape. The reloaded model's logits on the {} test sentences: {} floats, {} of "
     "them differ from the original's in any bit.",
     "Rechargé avec checkpoint::load, qui vérifie l'identifiant de format, chaque champ de la configuration, le "
     "vocabulaire, les classes, ainsi que le nom et la forme de chaque tenseur. Les logits du modèle rechargé sur "
     "les {} phrases de test : {} flottants, dont {} diffèrent de ceux de l'original d'au moins un bit."},
    {"the reloaded model's logits differ: the checkpoint is broken",
     "les logits du modèle rechargé diffèrent : le point de sauvegarde est cassé"},
    {"Use it without retraining (one line per sentence: the label, then every class's probability; nothing else "
     "on stdout, so it pipes):",
     "Pour l'utiliser sans réentraîner (une ligne par phrase : l'étiquette, puis la probabilité de chaque classe ; "
     "rien d'autre sur stdout, on peut donc l'enchaîner dans un tube) :"},

    // --- Your turn (lessons/fixtures/exercises.cpp); the expected lines are rows of section 5's table
    {"With the workshop's embedding, N({}, {}), next to which the positions are a whisper, what happens to "
     "contrast, the part that is all about word order?",
     "Avec le plongement de l'atelier, N({}, {}), à côté duquel les positions ne sont qu'un murmure, que devient "
     "\"contrast\", la partie qui repose entièrement sur l'ordre des mots ?"},
    {"contrast {} {}% {}% {}", "contrast {} {}% {}% {}"},
    {"(the contrast row of section {}: {}% with this model's N({}, {}/C)).",
     "(la ligne \"contrast\" de la section {} : {}\u00a0% avec le N({}, {}/C) de ce modèle)."},
    {"After {} epochs instead of {}, is the transformer already ahead of the bag of words on negation?",
     "Après {} époques au lieu de {}, le transformer devance-t-il déjà le sac de mots sur \"negation\" ?"},
    {"negation {} {}% {}% {}", "negation {} {}% {}% {}"},
    {"(section {}'s table): ahead, far from done.", "(tableau de la section {}) : devant, mais loin d'avoir fini."},
    {"Pre-LN blocks instead of post-LN: does this {}-layer model care?",
     "Des blocs pre-LN au lieu de post-LN : ce modèle à {} couches y est-il sensible ?"},
    {"total {} {}% {}% {}", "total {} {}% {}% {}"},
    {"(section {}'s table): not at this depth.", "(tableau de la section {}) : pas à cette profondeur."},

    // --- --help (src/app/cli.cpp): the flags and their values' names stay as they are
    {"usage: build/lesson5 [FLAGS]                         train, evaluate, save the mini LLM",
     "usage : build/lesson5 [OPTIONS]                       entraîner, évaluer, sauvegarder le mini LLM"},
    {"build/lesson5 --load FILE --predict TEXT...   classify with a saved model",
     " build/lesson5 --load FILE --predict TEXT...   classer avec un modèle sauvegardé"},
    {"data:", "données :"},
    {"model:", "modèle :"},
    {"training:", "entraînement :"},
    {"reuse:", "réutilisation :"},
    {"training data: TSV, CSV or folder (data/sentiment_train.tsv)",
     "données d'entraînement : TSV, CSV ou dossier (data/sentiment_train.tsv)"},
    {"test data, any of those formats (data/sentiment_test.tsv)",
     "données de test, dans l'un de ces formats (data/sentiment_test.tsv)"},
    {"names of numeric labels, e.g. {}=bad,{}=good ({},{}: negative,positive)",
     "noms des étiquettes numériques, p. ex. {}=bad,{}=good ({}=negative,{}=positive)"},
    {"stop at the first unusable data row (default: skip and count it)",
     "s'arrêter à la première ligne inutilisable (par défaut : l'ignorer et la compter)"},
    {"folder for the figures and model.safetensors (out/lesson5)",
     "dossier des figures et de model.safetensors (out/lesson5)"},
    {"width of every token vector, {}..1024 ({})", "largeur de chaque vecteur de jeton, {}..1024 ({})"},
    {"attention heads, must divide --d-model, {}..64 ({})", "têtes d'attention, doit diviser --d-model, {}..64 ({})"},
    {"hidden width of the feed-forward networks, {}..8192 ({})",
     "largeur cachée des réseaux feed-forward, {}..8192 ({})"},
    {"encoder blocks, {}..16 ({})", "blocs d'encodeur, {}..16 ({})"},
    {"longest input in tokens, {}..512, longer ones cut (from the data)",
     "entrée la plus longue en jetons, {}..512, tronquée au-delà (d'après les données)"},
    {"dropout probability while training, {} <= P < {} ({})",
     "probabilité de dropout pendant l'entraînement, {} <= P < {} ({})"},
    {"feed-forward activation: relu or gelu (relu)", "activation du feed-forward : relu ou gelu (relu)"},
    {"LayerNorm before each sub-layer (GPT-{}) instead of after (paper)",
     "LayerNorm avant chaque sous-couche (GPT-{}) au lieu d'après (article)"},
    {"embedding init std, {} < S <= {} ({}/sqrt(d-model); the workshop: {})",
     "écart-type initial du plongement, {} < S <= {} ({}/sqrt(d-model) ; l'atelier : {})"},
    {"passes over the training data, {}..1000 ({})", "passes sur les données d'entraînement, {}..1000 ({})"},
    {"sentences per optimizer step, {}..4096 ({})", "phrases par pas d'optimisation, {}..4096 ({})"},
    {"peak learning rate, {} < X <= {} ({})", "taux d'apprentissage maximal, {} < X <= {} ({})"},
    {"share of the steps warming the learning rate up, {} <= F < {} ({})",
     "part des pas d'échauffement (warmup) du taux d'apprentissage, {} <= F < {} ({})"},
    {"AdamW's decoupled weight decay, {} <= X <= {} ({})",
     "décroissance des poids découplée d'AdamW, {} <= X <= {} ({})"},
    {"largest global gradient norm, {} < X <= {} ({})", "norme globale maximale du gradient, {} < X <= {} ({})"},
    {"share of training held out, best epoch kept ({} from {} lines)",
     "part de l'entraînement mise de côté, meilleure époque gardée ({} dès {} lignes)"},
    {"a training token becomes <unk> with probability P, {} <= P < {} ({})",
     "un jeton d'entraînement devient <unk> avec la probabilité P, {} <= P < {} ({})"},
    {"seed of the initial weights, the shuffling and dropout ({})",
     "graine des poids initiaux, du mélange et du dropout ({})"},
    {"no seconds or tokens/s: same flags, byte-identical output",
     "ni secondes ni jetons/s : mêmes options, sortie identique à l'octet près"},
    {"a saved model: predict with it, no training (needs --predict)",
     "un modèle sauvegardé : prédire avec, sans entraînement (demande --predict)"},
    {"a sentence to classify (repeatable); {} reads stdin, one per line",
     "une phrase à classer (répétable) ; {} lit l'entrée standard, une par ligne"},
    {"language of the text and figures: en or fr (en); not of --predict",
     "langue du texte et des figures : en ou fr (en) ; pas celle de --predict"},
    {"this list (also -h)", "cette liste (aussi -h)"},
    {"(defaults in parentheses). A value may also follow {}: --epochs={}, --predict=TEXT\n(for a sentence that "
     "starts with --). Classes: the training file's labels, sorted.\n--predict: one output line per sentence; an "
     "empty sentence is an error; unknown\nwords become <unk> and a sentence longer than max_len is cut (a warning "
     "on stderr).\nThreads: LLM_THREADS=N. Exit status: {} success, {} a file or training failure,\n{} a "
     "command-line mistake.",
     "(valeurs par défaut entre parenthèses). Une valeur peut aussi suivre {} : --epochs={},\n--predict=TEXT (pour "
     "une phrase qui commence par --). Classes : les étiquettes du fichier\nd'entraînement, triées. --predict : une "
     "ligne de sortie par phrase ; une phrase vide est\nune erreur ; les mots inconnus deviennent <unk> et une "
     "phrase plus longue que max_len est\ntronquée (avertissement sur stderr). Threads : LLM_THREADS=N. Code de "
     "sortie : {} succès,\n{} un échec de fichier ou d'entraînement, {} une erreur dans la ligne de commande."},

    // --- command-line mistakes (src/app/cli.cpp): the flag and the value go in as they are
    {"lesson5: %s (see --help)", "lesson5 : %s (voir --help)"},
    {"lesson5: %s", "lesson5 : %s"},
    {"%s: '%s' is not a whole number", "%s : '%s' n'est pas un nombre entier"},
    {"%s %s is out of range: it must be between %lld and %lld",
     "%s %s est hors limites : la valeur doit être comprise entre %lld et %lld"},
    {"%s: '%s' is not a whole number >= 0", "%s : '%s' n'est pas un nombre entier >= 0"},
    {"%s %s is out of range: it must be below 2^64", "%s %s est hors limites : la valeur doit être inférieure à 2^64"},
    {"%s: '%s' is not a number", "%s : '%s' n'est pas un nombre"},
    {"%s %s is out of range: it must be %s %g and %s %g", "%s %s est hors limites : la valeur doit être %s %g et %s %g"},
    {"%s: the value is empty", "%s : la valeur est vide"},
    {"--activation: '%s' is not relu or gelu", "--activation : '%s' n'est ni relu ni gelu"},
    {"--predict: the sentence is empty", "--predict : la phrase est vide"},
    {"--predict: the sentence has %s", "--predict : la phrase contient %s"},
    {"--predict - can be given only once", "--predict - ne peut être donnée qu'une fois"},
    {"unexpected argument '%s' (flags start with --; a sentence goes after --predict)",
     "argument inattendu '%s' (les options commencent par -- ; une phrase se place après --predict)"},
    {"unknown flag '%s'%s", "option inconnue '%s'%s"},
    {"(did you mean %s?)", "(vouliez-vous dire %s ?)"},
    {"%s takes no value", "%s ne prend pas de valeur"},
    {"%s needs a value (%s)", "%s attend une valeur (%s)"},
    {"%s needs a value (%s), got the flag %s", "%s attend une valeur (%s), reçu l'option %s"},
    {"%s is given twice", "%s est donnée deux fois"},
    {"%s cannot be used with --load: a loaded model is used as it was saved",
     "%s ne peut pas servir avec --load : un modèle chargé s'utilise tel qu'il a été sauvegardé"},
    {"--load needs at least one --predict SENTENCE (or --predict - to read standard input)",
     "--load demande au moins un --predict PHRASE (ou --predict - pour lire l'entrée standard)"},
    {"--predict needs --load FILE (the lesson saves its model as out/lesson5/model.safetensors)",
     "--predict demande --load FILE (la leçon sauvegarde son modèle dans out/lesson5/model.safetensors)"},
    {"--d-model %d is not divisible by --heads %d (each head gets d-model / heads channels)",
     "--d-model %d n'est pas divisible par --heads %d (chaque tête reçoit d-model / heads canaux)"},
    // --labels (src/io/dataset.cpp, parse_label_names)
    {"--labels: %s", "--labels : %s"},
    {"{} is not RAW=NAME (e.g. {}=negative,{}=positive)",
     "{} n'est pas de la forme BRUT=NOM (p. ex. {}=negative,{}=positive)"},
    {"label name {} has a space or {}", "le nom d'étiquette {} contient une espace ou un {}"},
    {"{} is given twice", "{} est donné deux fois"},
    {"needs at least {} labels (e.g. {}=negative,{}=positive)",
     "il faut au moins {} étiquettes (p. ex. {}=negative,{}=positive)"},

    // --- data files (src/io/dataset.cpp through src/app/cli.cpp): places, reasons, problems
    {"line {}", "ligne {}"},
    {"standard input", "entrée standard"},
    {"%s, file %s: %s", "%s, fichier %s : %s"},
    {"skipped %s row (%s): %s; first: %s", "%s ligne ignorée (%s) : %s ; la première : %s"},
    {"skipped %s rows (%s): %s; first: %s", "%s lignes ignorées (%s) : %s ; la première : %s"},
    {"unterminated quote", "guillemet non refermé"},
    {"not valid UTF-{}", "UTF-{} non valide"},   // a skip reason, looked up with its number abstracted
    {"wrong number of columns", "mauvais nombre de colonnes"},
    {"empty sentence", "phrase vide"},
    {"empty label", "étiquette vide"},
    {"empty part", "partie vide"},
    {"unknown label", "étiquette inconnue"},
    {"unterminated quote: the field that opens on this line runs to the end of the file",
     "guillemet non refermé : le champ qui s'ouvre sur cette ligne court jusqu'à la fin du fichier"},
    {"bytes that are not valid UTF-8 at column %s (byte 0x%s)",
     "des octets qui ne sont pas de l'UTF-8 valide à la colonne %s (octet 0x%s)"},
    {"no tab: expected text<TAB>label or text<TAB>label<TAB>part",
     "pas de tabulation : attendu texte<TAB>étiquette ou texte<TAB>étiquette<TAB>partie"},
    {"no comma: expected text<TAB>label or text<TAB>label<TAB>part",
     "pas de virgule : attendu texte<TAB>étiquette ou texte<TAB>étiquette<TAB>partie"},
    {"%s columns: expected 2 (text<TAB>label) or 3 (text<TAB>label<TAB>part)",
     "%s colonnes : attendu 2 (texte<TAB>étiquette) ou 3 (texte<TAB>étiquette<TAB>partie)"},
    {"%s columns: expected %s", "%s colonnes : %s attendues"},
    {"empty label (allowed: %s)", "étiquette vide (permises : %s)"},
    {"empty part (third column)", "partie vide (troisième colonne)"},
    {"unknown label %s (allowed: %s)", "étiquette inconnue %s (permises : %s)"},
    {"no examples (only blank lines and comments)", "aucun exemple (seulement des lignes vides et des commentaires)"},
    {"no usable example: every row was skipped (first: %s)",
     "aucun exemple utilisable : toutes les lignes ont été ignorées (la première : %s)"},
    {"empty sentence (every line must hold one sentence)", "phrase vide (chaque ligne doit contenir une phrase)"},
    {"{}: every example has the label {}; a classifier needs at least {} classes",
     "{} : tous les exemples ont l'étiquette {} ; un classifieur a besoin d'au moins {} classes"},
    // files (src/io/files.cpp, src/io/table.cpp)
    {"cannot read {}: No such file or directory", "impossible de lire {} : fichier ou dossier introuvable"},
    {"cannot read {}: Permission denied", "impossible de lire {} : permission refusée"},
    {"cannot read {}: it is a directory", "impossible de lire {} : c'est un dossier"},
    {"cannot read {}: read error", "impossible de lire {} : erreur de lecture"},
    {"cannot read {}: it is a directory without pos/ and neg/ subfolders (the aclImdb layout)",
     "impossible de lire {} : c'est un dossier sans sous-dossiers pos/ et neg/ (la disposition d'aclImdb)"},
    {"cannot write {}: Permission denied", "impossible d'écrire {} : permission refusée"},
    {"cannot write {}: No space left on device", "impossible d'écrire {} : plus de place sur le périphérique"},
    {"cannot create directory {}: Permission denied", "impossible de créer le dossier {} : permission refusée"},
    // --load of a file that is not a MiniLLM checkpoint (src/io/safetensors.cpp, src/io/checkpoint.cpp)
    {"{}: file is {} bytes, too short for the {}-byte header length",
     "{} : le fichier fait {} octets, trop peu pour la longueur d'en-tête de {} octets"},
    {"{}: header length {} is beyond the file size {}",
     "{} : la longueur d'en-tête {} dépasse la taille du fichier ({})"},
    {"{}: header length {} exceeds the limit of {} bytes",
     "{} : la longueur d'en-tête {} dépasse la limite de {} octets"},
    {"{}: not a MiniLLM checkpoint (its metadata has no \"format\")",
     "{} : pas un point de sauvegarde MiniLLM (ses métadonnées n'ont pas de \"format\")"},
    {"{}: not a MiniLLM checkpoint (format {}, expected {})",
     "{} : pas un point de sauvegarde MiniLLM (format {}, attendu {})"},

    // --- --predict's warnings (src/app/cli.cpp, on stderr; the sentences' words stay as they are)
    {"lesson5: warning: sentence %zu has %zu tokens; the model reads only the first %zu",
     "lesson5 : avertissement : la phrase %zu compte %zu jetons ; le modèle ne lit que les %zu premiers"},
    {"lesson5: warning: sentence %zu has no word the model knows; its prediction means nothing",
     "lesson5 : avertissement : la phrase %zu ne contient aucun mot que le modèle connaît ; sa prédiction ne veut "
     "rien dire"},
    {"lesson5: warning: sentence %zu: words the model does not know (read as <unk>): %s",
     "lesson5 : avertissement : phrase %zu : mots que le modèle ne connaît pas (lus comme <unk>) : %s"},

    // --- masked-word pre-training (train::pretrain, section_pretraining, --pretrain)
    {"sentence vector: mean or max over the tokens (mean)",
     "vecteur de la phrase : moyenne ou maximum sur les jetons (mean)"},
    {"masked-word pre-training epochs, {}..1000 ({} with --unlabelled)",
     "époques de pré-entraînement à mots masqués, {}..1000 ({} avec --unlabelled)"},
    {"peak learning rate of the pre-training, {} < X <= {} ({})",
     "taux d'apprentissage maximal du pré-entraînement, {} < X <= {} ({})"},
    {"label smoothing: target {}-E on the label, E over all classes ({})",
     "lissage des étiquettes : cible {}-E sur l'étiquette, E réparti sur toutes les classes ({})"},
    {"evaluate and keep a moving average of the weights, {} <= D < {} ({})",
     "évaluer et garder une moyenne mobile des poids, {} <= D < {} ({})"},
    {"--pool: '%s' is not mean or max", "--pool : '%s' n'est ni mean ni max"},
    {"pre-training: %d epochs of masked words, then %d epochs on the labels at lr %s (data of your own of 1,000 "
     "lines or more, or --unlabelled; --pretrain, --epochs, --lr change them)",
     "pré-entraînement : %d époques à mots masqués, puis %d époques sur les étiquettes au taux d'apprentissage %s "
     "(vos propres données, de 1 000 lignes ou plus, ou --unlabelled ; --pretrain, --epochs, --lr les changent)"},
    {"training: %d epochs at lr %s, dropout %s (data of your own of 1,000 lines or more; --epochs, --lr, --dropout "
     "change them; --pretrain N adds masked-word pre-training first)",
     "entraînement : %d époques au taux d'apprentissage %s, dropout %s (vos propres données, de 1 000 lignes ou "
     "plus ; --epochs, --lr, --dropout les changent ; --pretrain N ajoute d'abord un pré-entraînement à mots "
     "masqués)"},
    // --unlabelled: text without labels for the pre-training (load_texts, src/io/dataset.cpp)
    {"unlabelled text to pre-train on too: one per line, or .txt files",
     "texte sans étiquette pour le pré-entraînement aussi : un par ligne, ou des fichiers .txt"},
    {"--unlabelled needs pre-training: it cannot be used with --pretrain 0",
     "--unlabelled demande un pré-entraînement : impossible avec --pretrain 0"},
    {"text, one per line, %s texts without labels", "texte, un par ligne, %s textes sans étiquette"},
    {"folder of .txt files, one text per file, %s texts without labels",
     "dossier de fichiers .txt, un texte par fichier, %s textes sans étiquette"},
    {"; %s blank lines", " ; %s lignes vides"},
    {"no text (only blank lines)", "aucun texte (seulement des lignes vides)"},
    {"cannot read {}: a folder without a .txt file", "impossible de lire {} : un dossier sans fichier .txt"},
    {"It reads the {} training sentences and the {} texts without labels of --unlabelled: {} texts per epoch.",
     "Il lit les {} phrases d'entraînement et les {} textes sans étiquette de --unlabelled : {} textes par "
     "époque."},
    {"First, pre-training (BERT in miniature): for {} epochs the encoder learns to guess hidden words of the "
     "training sentences from their context; the labels are not used. {}% of the tokens are picked; a picked token "
     "becomes <unk> ({}%), a random word ({}%) or stays ({}%). The output layer over the {} words is the embedding "
     "table itself (tied weights), so guessing a word means pointing at its vector. Peak learning rate {}. "
     "\"guessed\" is the share of masked words predicted exactly.",
     "D'abord, le pré-entraînement (BERT en miniature) : pendant {} époques, l'encodeur apprend à deviner des mots "
     "cachés des phrases d'entraînement à partir de leur contexte ; les étiquettes ne servent pas. {}\u00a0% des "
     "jetons sont tirés ; un jeton tiré devient <unk> ({}\u00a0%), un mot au hasard ({}\u00a0%) ou reste tel quel "
     "({}\u00a0%). La couche de sortie sur les {} mots est la table de plongements elle-même (poids liés) : deviner "
     "un mot, c'est désigner son vecteur. Taux d'apprentissage maximal {}. \"devinés\" est la part des mots "
     "masqués prédits exactement."},
    {"Measured on SST-{} ({} held-out full sentences; README, \"Lesson {} on real reviews\"), pre-training on the "
     "text of the training file alone, five seeds each, dropout {}: the transformer reaches {}% on average with it "
     "({}% to {}%), {}% without it ({}% to {}%), the bag of words {}%. One run moves by one to three points with its "
     "seed alone, so that is no gain: on data of your own, pre-training is on only with --unlabelled, and without it "
     "dropout {} gives {}% (section {} puts it next to the other settings measured).",
     "Mesuré sur SST-{} ({} phrases complètes mises de côté ; README, « Lesson {} on real reviews »), en "
     "pré-entraînant sur le seul texte du fichier d'entraînement, cinq graines chacun, dropout {} : le transformer atteint "
     "{}\u00a0% en moyenne avec ce pré-entraînement (de {}\u00a0% à {}\u00a0%), {}\u00a0% sans lui (de {}\u00a0% "
     "à {}\u00a0%), le sac de mots {}\u00a0%. Une exécution bouge d'un à trois points avec sa seule graine : ce "
     "n'est donc pas un gain ; sur vos propres données, le pré-entraînement n'est activé qu'avec --unlabelled, et "
     "sans lui un dropout de {} donne {}\u00a0% (la section {} le place à côté des autres réglages mesurés)."},
    {"What more text without labels gives: with half of the labels, pre-training on all the training text instead "
     "of the labelled half alone gave {}% instead of {}% (seed {}: {}% instead of {}%), a hint from two seeds only. "
     "The flag --unlabelled adds text of your own to the pre-training.",
     "Ce que donne davantage de texte sans étiquette : avec la moitié des étiquettes, pré-entraîner sur tout le "
     "texte d'entraînement plutôt que sur la seule moitié étiquetée a donné {}\u00a0% au lieu de {}\u00a0% "
     "(graine {} : {}\u00a0% au lieu de {}\u00a0%), un indice tiré de deux graines seulement. L'option "
     "--unlabelled ajoute votre propre texte au pré-entraînement."},
    {"Then the classifier learns the labels, starting from the pre-trained embedding and encoder:",
     "Ensuite, le classifieur apprend les étiquettes, en partant du plongement et de l'encodeur pré-entraînés :"},
    {"MLM loss", "perte MLM"},
    {"guessed", "devinés"},
    {"masked", "masqués"},
    {"pre-training: %s at epoch %d; the model is back to its parameters before pre-training",
     "pré-entraînement : %s à l'époque %d ; le modèle reprend ses paramètres d'avant le pré-entraînement"},
    {"lesson5: %s; try a smaller --pretrain-lr (it was %g)",
     "lesson5 : %s ; essayez un --pretrain-lr plus petit (il valait %g)"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

}  // namespace
