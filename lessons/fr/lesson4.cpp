// French catalogue of lesson 4 (lessons/4_transformer_encoder.cpp). Keys as src/viz/i18n.hpp explains.
//
// The measured paragraphs of sections 6 and 7 are translated sentence by
// sentence (the lesson assembles them), and the list of focused heads item by
// item ("layer {} head {}" then the column, e.g. "A -> A").
// A '%' in a French entry is never followed by " d", " s", " le", " p"...: the
// placeholder check would read a printf conversion there ("% d").
#include "viz/i18n.hpp"

namespace {

constexpr llm::i18n::Entry kEntries[] = {
    // --- title
    {"Lesson 4 — The transformer encoder", "Leçon 4 — L'encodeur transformer"},
    {"Goals: see what LayerNorm, the feed-forward network and residual connections each do, walk through one encoder "
     "block and a stack of them, count their parameters, and train an encoder on a task that a bag of words cannot "
     "solve. Every number below is measured by this program.",
     "Objectifs : voir ce que font la LayerNorm, le réseau feed-forward et les connexions résiduelles, parcourir un "
     "bloc d'encodeur puis une pile de blocs, compter leurs paramètres, et entraîner un encodeur sur une tâche "
     "qu'un sac de mots ne peut pas résoudre. Chaque nombre ci-dessous est mesuré par ce programme."},

    // --- 1. Layer normalization
    {"{}. Layer normalization: each token rescaled to mean {}, variance {}",
     "{}. Normalisation de couche : chaque jeton ramené à une moyenne {} et une variance {}"},
    {"{} tokens of {} features, drawn N(shift, scale^{})", "{} jetons de {} caractéristiques, tirés de N(shift, scale^{})"},
    {"LayerNorm(x)", "LayerNorm(x)"},
    {"same shape: LayerNorm never mixes tokens", "même forme : la LayerNorm ne mélange jamais les jetons"},
    {"token", "jeton"},
    {"mean before", "moyenne avant"},
    {"std before", "écart-type avant"},
    {"mean after", "moyenne après"},
    {"std after", "écart-type après"},
    {"tiny  (x0.01)", "minuscule (x0,01)"},
    {"unit  (x1)", "unité     (x1)"},
    {"large (x100)", "grand     (x100)"},
    {"shifted ({})", "décalé    ({})"},
    {"Whatever the scale or offset, each token comes out with mean {} and standard deviation {}, except the tiny "
     "one: its variance ({}) is comparable to eps = {} in sqrt(var + eps), so it is scaled to std sqrt(var / (var + "
     "eps)) = {} instead of {}. That is eps's job: never divide by (almost) zero. After this, gamma and beta "
     "(learned, {} parameters here) give each feature back the scale and offset the model wants.",
     "Quels que soient l'échelle ou le décalage, chaque jeton ressort avec une moyenne de {} et un écart-type de {}, "
     "sauf le minuscule : sa variance ({}) est comparable à eps = {} dans sqrt(var + eps), si bien qu'il est ramené "
     "à un écart-type sqrt(var / (var + eps)) = {} au lieu de {}. C'est le rôle d'eps : ne jamais diviser par "
     "(presque) zéro. Ensuite, gamma et beta (appris, {} paramètres ici) rendent à chaque caractéristique "
     "l'échelle et le décalage que le modèle veut."},

    // --- 2. The feed-forward network
    {"{}. The feed-forward network: the same MLP, applied to each token separately",
     "{}. Le réseau feed-forward : le même MLP, appliqué à chaque jeton séparément"},
    {"input tokens", "jetons d'entrée"},
    {"linear1(x)", "linear1(x)"},
    {"hidden layer, F = {}C", "couche cachée, F = {}C"},
    {"FFN(x)", "FFN(x)"},
    {"back to C", "retour à C"},
    {"|change| of FFN output", "|variation| de la sortie du FFN"},
    {"|change| of attention output", "|variation| de la sortie de l'attention"},
    {"token {} (changed)", "jeton {} (modifié)"},
    {"token {}", "jeton {}"},
    {"Changing token {} changes the FFN output of token {} only (exact zeros elsewhere): the FFN never looks at "
     "other tokens. The attention output changes for every token, because every query attends to token {}'s key "
     "and value. Attention moves information between tokens; the FFN transforms each token's vector. The FFN holds "
     "most of a block's parameters: {}*C*F + F + C = {} here, against {}*C*C + {}*C = {} for the attention.",
     "Modifier le jeton {} ne change la sortie du FFN que pour le jeton {} (des zéros exacts ailleurs) : le FFN ne "
     "regarde jamais les autres jetons. La sortie de l'attention change pour chaque jeton, car chaque requête porte "
     "son attention sur la clé et la valeur du jeton {}. L'attention déplace l'information entre les jetons ; le "
     "FFN transforme le vecteur de chaque jeton. Le FFN détient la plupart des paramètres d'un bloc : "
     "{}*C*F + F + C = {} ici, contre {}*C*C + {}*C = {} pour l'attention."},

    // --- 3. The encoder block, step by step
    {"{}. The encoder block: one forward pass, step by step", "{}. Le bloc d'encodeur : une passe avant, pas à pas"},
    {"B={} sequences of T={} tokens, C={}", "B={} séquences de T={} jetons, C={}"},
    {"attention weights", "poids d'attention"},
    {"[B, H, T, T]: H={} heads, each a T x T table", "[B, H, T, T] : H={} têtes, chacune une table T x T"},
    {"MHA(x)", "MHA(x)"},
    {"heads merged and projected back to C", "têtes fusionnées puis reprojetées sur C"},
    {"x + MHA(x)", "x + MHA(x)"},
    {"residual connection", "connexion résiduelle"},
    {"h = LN1(x + MHA(x))", "h = LN1(x + MHA(x))"},
    {"each token normalised", "chaque jeton normalisé"},
    {"ReLU(linear1(h))", "ReLU(linear1(h))"},
    {"FFN hidden layer, F = {}C = {}", "couche cachée du FFN, F = {}C = {}"},
    {"FFN(h) = linear2(...)", "FFN(h) = linear2(...)"},
    {"h + FFN(h)", "h + FFN(h)"},
    {"out = LN2(h + FFN(h))", "out = LN2(h + FFN(h))"},
    {"same shape as x: blocks can be stacked", "même forme que x : les blocs peuvent s'empiler"},
    {"These seven operations are the whole block: computed by hand they give EncoderBlock::forward's output, max "
     "|difference| = {}. The output has the input's shape, which is what lets us stack blocks.",
     "Ces sept opérations forment le bloc entier : calculées à la main, elles donnent la sortie "
     "d'EncoderBlock::forward, max |différence| = {}. La sortie a la forme de l'entrée, et c'est ce qui permet "
     "d'empiler les blocs."},

    // --- 4. A stack of N blocks and its parameter count
    {"{}. A stack of {} blocks: where the parameters are", "{}. Une pile de {} blocs : où sont les paramètres"},
    {"MiniLLM(V={}, C={}, H={}, F={}, {} layers, K={}, post-LN) built and counted from its named_parameters():",
     "MiniLLM(V={}, C={}, H={}, F={}, {} couches, K={}, post-LN) construit, puis compté à partir de ses "
     "named_parameters() :"},
    {"formula", "formule"},
    {"counted", "compté"},
    {"formula agrees", "conforme à la formule"},
    {"share", "part"},
    {"V*C", "V*C"},
    {"yes", "oui"},
    {"NO", "NON"},
    {"one layer: attention", "une couche : attention"},
    {"{}C^{} + {}C", "{}C^{} + {}C"},
    {"one layer: FFN", "une couche : FFN"},
    {"{}CF + F + C", "{}CF + F + C"},
    {"one layer: {} LayerNorms", "une couche : {} LayerNorm"},
    {"{}C", "{}C"},
    {"all {} layers", "les {} couches"},
    {"{} x ({} rows above)", "{} x ({} lignes ci-dessus)"},
    {"K*C + K", "K*C + K"},
    {"the workshop notebook's count (embedding + 6-layer encoder stack):  %s",
     "le décompte du notebook de l'atelier (plongement + pile d'encodeur à 6 couches) :  %s"},
    {"our count (the whole MiniLLM, with the classifier head):          %s",
     "notre décompte (tout le MiniLLM, avec la tête de classification) :                 %s"},
    {"The two differ by {} = K*C + K, the classifier head ({} x {} weights + {} biases), which the notebook's count "
     "leaves out; the positional table is in neither (it is computed, not learned).",
     "Les deux diffèrent de {} = K*C + K, la tête de classification ({} x {} poids + {} biais), que le décompte du "
     "notebook laisse de côté ; la table positionnelle n'est dans aucun des deux (elle est calculée, pas apprise)."},
    {"Attention: W_q, W_k, W_v, W_o (C x C each) and their biases. FFN: linear1 [F, C] + [F], linear2 [C, F] + [C]. "
     "LayerNorm: gamma and beta, C each. The positional encoding table [{}, {}] is computed, not learned: {} "
     "parameters. In each layer the FFN holds twice as many parameters as the attention ({}x); the embedding table "
     "alone is {}% of the model.",
     "Attention : W_q, W_k, W_v, W_o (C x C chacune) et leurs biais. FFN : linear1 [F, C] + [F], linear2 [C, F] + "
     "[C]. LayerNorm : gamma et beta, C chacun. La table d'encodage positionnel [{}, {}] est calculée, pas apprise : "
     "{} paramètre. Dans chaque couche, le FFN détient deux fois plus de paramètres que l'attention ({}x) ; dans "
     "le modèle, la table des plongements représente à elle seule {}\u00a0%."},
    {"For scale, published sizes (the papers' figures, not computed here):",
     "Pour donner un ordre de grandeur, des tailles publiées (les chiffres des articles, non calculés ici) :"},
    {"published parameters", "paramètres publiés"},
    {"x ours", "x le nôtre"},
    {"this lesson's large MiniLLM (counted)", "le grand MiniLLM de cette leçon (compté)"},
    {"Transformer base (Vaswani et al. {})", "Transformer base (Vaswani et al. {})"},
    {"BERT-base (Devlin et al. {})", "BERT-base (Devlin et al. {})"},
    {"GPT-{} small (Radford et al. {})", "GPT-{} small (Radford et al. {})"},
    {"BERT-large (Devlin et al. {})", "BERT-large (Devlin et al. {})"},
    {"GPT-{} XL (Radford et al. {})", "GPT-{} XL (Radford et al. {})"},
    {"GPT-{} (Brown et al. {})", "GPT-{} (Brown et al. {})"},
    {"{}M", "{} M"},
    {"{}M (the paper's table: {}M)", "{} M (tableau de l'article : {} M)"},
    {"{}B", "{} Md"},
    {"Transformer base is an encoder AND a decoder ({} layers each) with a {}-token vocabulary; the others are "
     "stacks of {} to {} layers of width {} to {} (the papers' figures). Same blocks, more and wider.",
     "Transformer base est un encodeur ET un décodeur ({} couches chacun) avec un vocabulaire de {} jetons ; les "
     "autres sont des piles de {} à {} couches de largeur {} à {} (les chiffres des articles). Les mêmes blocs, plus "
     "nombreux et plus larges."},
    {"Where the {} parameters are", "Où sont les {} paramètres"},
    {"parameters (millions)", "paramètres (millions)"},
    {"attention x6", "attention x6"},
    {"FFN x6", "FFN x6"},
    {"LayerNorms x6 ({})", "LayerNorm x6 ({})"},
    {"classifier ({})", "classifieur ({})"},
    {"parameter count of the workshop's large configuration, by component",
     "nombre de paramètres de la grande configuration de l'atelier, par composant"},

    // --- 5. Why residual connections, and where to put the LayerNorm
    {"{}. Why residual connections, and where to put the LayerNorm ({} layers)",
     "{}. Pourquoi des connexions résiduelles, et où placer la LayerNorm ({} couches)"},
    {"Same {} blocks (C={}, H={}, F={}), four wirings. Inputs x ~ N({}, {}) of shape [{}, {}, {}]; loss L = sum(out "
     "* r) / (B*T) for a fixed random r, so the gradient entering the top is the same for all four. h_0 is the "
     "stack's input, h_l the output of layer l. Means over {} random initialisations.",
     "Les mêmes {} blocs (C={}, H={}, F={}), quatre câblages. Entrées x ~ N({}, {}) de forme [{}, {}, {}] ; perte "
     "L = sum(out * r) / (B*T) pour un r aléatoire fixé, si bien que le gradient qui entre par le haut est le même "
     "pour les quatre. h_0 est l'entrée de la pile, h_l la sortie de la couche l. Moyennes sur {} initialisations "
     "aléatoires."},
    {"Check: our post-LN and pre-LN wirings equal the library's Encoder (max |diff| {} and {}).",
     "Vérification : nos câblages post-LN et pre-LN sont égaux à l'Encoder de la bibliothèque (max |diff| {} et {})."},
    {"wiring", "câblage"},
    {"|dL/dh_12|", "|dL/dh_12|"},
    {"|dL/dh_0|", "|dL/dh_0|"},
    {"|dL/dW| layer {}", "|dL/dW| couche {}"},
    {"cos at h_12", "cos en h_12"},
    {"post-LN (paper)", "post-LN (article)"},
    {"pre-LN (GPT-{})", "pre-LN (GPT-{})"},
    {"post-LN, no residual", "post-LN, sans résiduelle"},
    {"no residual, no LN", "sans résiduelle, sans LN"},
    {"(|dL/dW|: norm of the gradient of all a layer's parameters; cos: mean cosine similarity\n   between the tokens "
     "of a sequence)",
     "(|dL/dW| : norme du gradient de tous les paramètres d'une couche ; cos : similarité cosinus moyenne\n   entre "
     "les jetons d'une séquence)"},
    {"What we measure. With a residual connection (first two rows) the gradient keeps its size all the way down: "
     "the ratio |dL/dh_l| / |dL/dh_12| stays within [{}, {}] for post-LN and [{}, {}] for pre-LN. Why: a residual "
     "sublayer computes h + f(h), whose Jacobian is I + f'(h); the identity term gives the gradient a direct path "
     "down, whatever f does. Remove the residual AND the LayerNorm and the gradient is multiplied by {} per layer "
     "on average: at the input it is {} of its size at the top, nothing left to learn from.",
     "Ce que nous mesurons. Avec une connexion résiduelle (les deux premières lignes), le gradient garde sa taille "
     "jusqu'en bas : le rapport |dL/dh_l| / |dL/dh_12| reste dans [{} ; {}] en post-LN et dans [{} ; {}] en pre-LN. "
     "Pourquoi : une sous-couche résiduelle calcule h + f(h), dont la jacobienne est I + f'(h) ; le terme identité "
     "donne au gradient un chemin direct vers le bas, quoi que fasse f. Retirez la connexion résiduelle ET la "
     "LayerNorm, et le gradient est multiplié par {} par couche en moyenne : à l'entrée, il ne vaut plus que {} "
     "fois sa taille au sommet : il ne reste rien dont on puisse apprendre."},
    {"Remove only the residual, keeping the LayerNorms: the ratio stays within [{}, {}], but the last column shows "
     "what is lost: the tokens' vectors become identical (cosine {}; already {} after one layer). Attention outputs "
     "weighted averages of the tokens; without \"x +\" to carry each token's own vector forward, a few rounds of "
     "averaging leave one vector for the whole sequence. With residuals the tokens stay distinguishable (cosine {} "
     "post-LN, {} pre-LN, from {} at the input).",
     "Retirez seulement la connexion résiduelle, en gardant les LayerNorm : le rapport reste dans [{} ; {}], mais la "
     "dernière colonne montre ce qui est perdu : les vecteurs des jetons deviennent identiques (cosinus {} ; déjà {} "
     "après une couche). L'attention produit des moyennes pondérées des jetons ; sans \"x +\" pour transmettre "
     "à la couche suivante le vecteur de chaque jeton, quelques moyennages successifs ne laissent qu'un seul vecteur pour "
     "toute la séquence. Avec les connexions résiduelles, les jetons restent distinguables (cosinus {} en post-LN, "
     "{} en pre-LN, partant de {} à l'entrée)."},
    {"Post-LN vs pre-LN: at initialisation and {} layers both deliver the gradient to the bottom. Their parameter "
     "gradients differ: from layer {} to layer {} they go from {} to {} post-LN, and from {} to {} pre-LN. Pre-LN's "
     "known advantage (deep stacks train without a learning-rate warmup, Xiong et al. {}) is about training "
     "dynamics, which this measurement at initialisation does not test.",
     "Post-LN contre pre-LN : à l'initialisation et avec {} couches, les deux acheminent le gradient jusqu'en bas. "
     "Leurs gradients de paramètres diffèrent : de la couche {} à la couche {}, ils passent de {} à {} en post-LN, "
     "et de {} à {} en pre-LN. L'avantage connu du pre-LN (les piles profondes s'entraînent sans échauffement (warmup) du taux "
     "d'apprentissage, Xiong et al. {}) concerne la dynamique de l'entraînement, que cette mesure à "
     "l'initialisation ne teste pas."},
    {"post-LN + residual (paper, workshop)", "post-LN + résiduelle (article, atelier)"},
    {"pre-LN + residual (GPT-{})", "pre-LN + résiduelle (GPT-{})"},
    {"no residual, no LayerNorm", "sans résiduelle, sans LayerNorm"},
    {"Gradient reaching each depth of a {}-layer stack (at init)",
     "Gradient atteignant chaque profondeur d'une pile de {} couches (à l'initialisation)"},
    {"l  (h_0 = stack input, h_l = output of layer l)", "l  (h_0 = entrée de la pile, h_l = sortie de la couche l)"},
    {"|dL/dh_l|  (log scale)", "|dL/dh_l|  (échelle log)"},
    {"gradient norm per depth, {} wirings (log y)", "norme du gradient par profondeur, {} câblages (y en log)"},
    {"How alike the tokens of a sequence become (at init)",
     "À quel point les jetons d'une séquence finissent par se ressembler (à l'initialisation)"},
    {"mean cosine similarity between tokens", "similarité cosinus moyenne entre jetons"},
    {"mean pairwise token cosine per depth, {} wirings",
     "cosinus moyen entre paires de jetons par profondeur, {} câblages"},

    // --- 6. An application: a classification that needs word order
    {"{}. An application: a classification that needs word order",
     "{}. Une application : une classification qui a besoin de l'ordre des mots"},
    {"Each example: random letters (c..n) with A and B placed once each; label {} if A comes first. Lengths {} to "
     "{}, padded. A few of the test examples:",
     "Chaque exemple : des lettres aléatoires (c..n) où A et B sont placés une fois chacun ; étiquette {} si A vient "
     "en premier. Longueurs de {} à {}, complétées par remplissage (padding). Quelques-uns des exemples de test :"},
    {"%-26s label %d", "%-26s étiquette %d"},
    {"Encoder: MiniLLM(V={}, C={}, H={}, F={}, {} layers, K={}): embedding + sinusoidal PE + {} post-LN blocks + "
     "mean over real tokens + linear, {} parameters.",
     "Encodeur : MiniLLM(V={}, C={}, H={}, F={}, {} couches, K={}) : plongement + PE sinusoïdal + {} blocs post-LN + "
     "moyenne sur les jetons réels + couche linéaire, {} paramètres."},
    {"Encoder: MiniLLM(V={}, C={}, H={}, F={}, {} layers, K={}): embedding + sinusoidal PE + {} pre-LN blocks + "
     "mean over real tokens + linear, {} parameters.",
     "Encodeur : MiniLLM(V={}, C={}, H={}, F={}, {} couches, K={}) : plongement + PE sinusoïdal + {} blocs pre-LN + "
     "moyenne sur les jetons réels + couche linéaire, {} paramètres."},
    {"Encoder: MiniLLM(V={}, C={}, H={}, F={}, {} layers, K={}): embedding (NO positional encoding: --no-pe) + {} "
     "post-LN blocks + mean over real tokens + linear, {} parameters.",
     "Encodeur : MiniLLM(V={}, C={}, H={}, F={}, {} couches, K={}) : plongement (SANS encodage positionnel : "
     "--no-pe) + {} blocs post-LN + moyenne sur les jetons réels + couche linéaire, {} paramètres."},
    {"Encoder: MiniLLM(V={}, C={}, H={}, F={}, {} layers, K={}): embedding (NO positional encoding: --no-pe) + {} "
     "pre-LN blocks + mean over real tokens + linear, {} parameters.",
     "Encodeur : MiniLLM(V={}, C={}, H={}, F={}, {} couches, K={}) : plongement (SANS encodage positionnel : "
     "--no-pe) + {} blocs pre-LN + moyenne sur les jetons réels + couche linéaire, {} paramètres."},
    {"Bag of words: BagOfWords(V={}, C={}, K={}): the same embedding, mean and linear, no attention, no positions, "
     "{} parameters. Both: AdamW (lr {}, warmup {} steps then cosine), gradients clipped at norm {}, {} steps of {} "
     "fresh examples (the same batches for both), no dropout. Test: {} examples from another seed.",
     "Sac de mots : BagOfWords(V={}, C={}, K={}) : le même plongement, la même moyenne et la même couche linéaire, "
     "sans attention ni positions, {} paramètres. Pour les deux : AdamW (taux d'apprentissage {}, échauffement de {} pas puis cosinus), "
     "gradients écrêtés à la norme {}, {} pas de {} exemples neufs (les mêmes lots pour les deux), sans dropout. "
     "Test : {} exemples tirés d'une autre graine."},
    {"step", "pas"},
    {"encoder: train loss", "encodeur : perte d'entraînement"},
    {"bag of words: train loss", "sac de mots : perte d'entraînement"},
    // a printf format: its numbers are written the English way, and printed the French way
    {"(train loss: mean over the last 25 steps; ln 2 = 0.693 is a coin flip)",
     "(perte d'entraînement : moyenne sur les 25 derniers pas ; ln 2 = 0.693, c'est pile ou face)"},
    {"Final test accuracy: encoder {}%, bag of words {}%", "Exactitude finale en test : encodeur {}\u00a0%, sac de mots {}\u00a0%"},
    {"the test set has {}% label {}; {} of its {} sequences also occur among the {} distinct training sequences",
     "le jeu de test est à {}\u00a0% étiqueté {} ; {} de ses {} séquences figurent aussi parmi les {} séquences "
     "d'entraînement distinctes"},
    {"The bag of words stays at chance: the two labels give it the same multisets of tokens, so there is nothing to "
     "learn.",
     "Le sac de mots reste au niveau du hasard : les deux étiquettes lui donnent les mêmes multiensembles de jetons, "
     "il n'y a donc rien à apprendre."},
    {"The bag of words ends at {}%, away from chance: with the same multisets of tokens for both labels, this is "
     "luck of the test set or of training.",
     "Le sac de mots finit à {}\u00a0%, loin du hasard : avec les mêmes multiensembles de jetons pour les deux étiquettes, "
     "c'est un coup de chance du jeu de test ou de l'entraînement."},
    {"The encoder also sees positions, and learns the task. Section {} checks that positions are what it uses.",
     "L'encodeur voit aussi les positions, et apprend la tâche. La section {} vérifie que ce sont bien les positions "
     "qu'il utilise."},
    {"The encoder, WITHOUT positional encoding, still learns the task: something else tells it the order (look at "
     "section {}).",
     "L'encodeur, SANS encodage positionnel, apprend quand même la tâche : autre chose lui indique l'ordre (voyez la "
     "section {})."},
    {"The encoder does not learn the task in this setting ({}%): without positional encoding it sees a bag of tokens "
     "too.",
     "L'encodeur n'apprend pas la tâche dans ce réglage ({}\u00a0%) : sans encodage positionnel, il voit lui aussi un sac "
     "de jetons."},
    {"The encoder does not learn the task in this setting ({}%).",
     "L'encodeur n'apprend pas la tâche dans ce réglage ({}\u00a0%)."},
    {"encoder ({} blocks)", "encodeur ({} blocs)"},
    {"chance", "hasard"},
    {"Does A come before B? Test accuracy while training", "A vient-il avant B ? Exactitude en test pendant l'entraînement"},
    {"test accuracy ({} examples)", "exactitude en test ({} exemples)"},
    {"order task: test accuracy, encoder vs bag of words", "tâche d'ordre : exactitude en test, encodeur contre sac de mots"},
    {"encoder, mean of the last {} steps", "encodeur, moyenne des {} derniers pas"},
    {"bag of words, mean of the last {} steps", "sac de mots, moyenne des {} derniers pas"},
    {"chance: ln {} = {}", "hasard : ln {} = {}"},
    {"Does A come before B? Training loss (faint: each batch of {})",
     "A vient-il avant B ? Perte d'entraînement (en pâle : chaque lot de {})"},
    {"cross-entropy", "entropie croisée"},
    {"order task: training loss per step, smoothed, with chance",
     "tâche d'ordre : perte d'entraînement par pas, lissée, avec le hasard"},

    // --- 7. Inside the trained encoder
    {"{}. Inside the trained encoder: token vectors and attention, layer by layer",
     "{}. Dans l'encodeur entraîné : vecteurs des jetons et attention, couche par couche"},
    {"Hidden states recomputed step by step (logits equal MiniLLM::forward's: max |diff| {}). Ablation: the same "
     "trained weights with the positional encoding removed score {}% (with it: {}%). Without positions, attention "
     "and the mean are blind to order, so the model sees a bag.",
     "États cachés recalculés pas à pas (logits égaux à ceux de MiniLLM::forward : max |diff| {}). Ablation : les "
     "mêmes poids entraînés, une fois l'encodage positionnel retiré, obtiennent {}\u00a0% (avec lui : {}\u00a0%). Sans "
     "positions, l'attention et la moyenne sont aveugles à l'ordre, et le modèle voit donc un sac."},
    {"The sequence", "La séquence"},
    {"(test example {}, label {}, predicted {}), its token vectors after each layer, before and after training "
     "(layer {} = embedding * sqrt(C) + PE):",
     "(exemple de test {}, étiquette {}, prédiction {}), ses vecteurs de jetons après chaque couche, avant et après "
     "l'entraînement (couche {} = plongement * sqrt(C) + PE) :"},
    {"layer", "couche"},
    {"untrained: mean |token|", "non entraîné : |jeton| moyen"},
    {"mean cos(tokens)", "cos(jetons) moyen"},
    {"trained: mean |token|", "entraîné : |jeton| moyen"},
    {"Each post-LN block ends with a LayerNorm, so before training every token leaves a layer with norm sqrt(C) = {} "
     "exactly (gamma = {}, beta = {}); training moves gamma and beta, and the norms with them. The cosine column "
     "says how alike the tokens of this sequence are after each layer.",
     "Chaque bloc post-LN se termine par une LayerNorm : avant l'entraînement, chaque jeton sort donc d'une couche "
     "avec une norme de sqrt(C) = {} exactement (gamma = {}, beta = {}) ; l'entraînement modifie gamma et beta, et "
     "les normes avec eux. La colonne des cosinus indique à quel point les jetons de cette séquence se ressemblent "
     "après chaque couche."},
    {"These pre-LN blocks (--pre-ln) normalise the input of each sublayer, not their output: the vectors between "
     "layers are not normalised, and their norms are what the table measures. The cosine column says how alike the "
     "tokens of this sequence are after each layer.",
     "Ces blocs pre-LN (--pre-ln) normalisent l'entrée de chaque sous-couche, pas sa sortie : les vecteurs entre les "
     "couches ne sont pas normalisés, et ce sont leurs normes que mesure le tableau. La colonne des cosinus indique "
     "à quel point les jetons de cette séquence se ressemblent après chaque couche."},
    {"Trained encoder, order task: attention of each layer (row) and head",
     "Encodeur entraîné, tâche d'ordre : attention de chaque couche (ligne) et de chaque tête"},
    {"attention weights, layers x heads, test example {} (Trained)",
     "poids d'attention, couches x têtes, exemple de test {} (entraîné)"},
    {"Untrained encoder, order task: attention of each layer (row) and head",
     "Encodeur non entraîné, tâche d'ordre : attention de chaque couche (ligne) et de chaque tête"},
    {"attention weights, layers x heads, test example {} (Untrained)",
     "poids d'attention, couches x têtes, exemple de test {} (non entraîné)"},
    {"Over all {} test sequences, the mean attention weight from a query token to a key token, per layer and head "
     "(\"letters\" = the other tokens; uniform attention would give {}/length, {} on average):",
     "Sur l'ensemble des {} séquences de test, le poids d'attention moyen d'un jeton requête vers un jeton clé, par "
     "couche et par tête (\"lettres\" = les autres jetons ; une attention uniforme donnerait {}/longueur, soit {} en "
     "moyenne) :"},
    {"trained: layer, head", "entraîné : couche, tête"},
    {"untrained: layer, head", "non entraîné : couche, tête"},
    {"A -> B", "A -> B"},
    {"B -> A", "B -> A"},
    {"A -> A", "A -> A"},
    {"B -> B", "B -> B"},
    {"letters -> A", "lettres -> A"},
    {"letters -> B", "lettres -> B"},
    // the heads that focus: "Trained:" + " " + items + ". " + "Untrained:" + " " + items + "."
    {"Mean weights above {} (from that query, the head looks almost only at that key).",
     "Poids moyens au-dessus de {} (depuis cette requête, la tête ne regarde presque que cette clé)."},
    {"Trained:", "Après entraînement :"},
    {"Untrained:", "Avant entraînement :"},
    {"layer {} head {}", "couche {} tête {}"},
    {"none", "aucune"},
    {"Uneven weights alone are not a sign of learning: before training, the largest weight of layer {} on the "
     "example sequence is already {} (uniform would be {}), only because the random projections give random scores.",
     "Des poids inégaux ne sont pas à eux seuls un signe d'apprentissage : avant l'entraînement, le plus grand poids "
     "de la couche {} sur la séquence d'exemple vaut déjà {} (une attention uniforme donnerait {}), uniquement parce "
     "que les projections aléatoires donnent des scores aléatoires."},
    {"Its input, embedding * sqrt(C) + PE, is not normalised (norm {} here).",
     "Son entrée, plongement * sqrt(C) + PE, n'est pas normalisée (norme {} ici)."},
    {"Layer {} receives LayerNorm'ed vectors (norm {}) and its untrained mean entries stay between {} and {}, near "
     "{}/length.",
     "La couche {} reçoit des vecteurs passés par une LayerNorm (norme {}) et, avant entraînement, ses poids "
     "moyens restent entre {} et {}, près de {}/longueur."},
    {"Layer {}'s untrained mean entries stay between {} and {}, near {}/length.",
     "Avant entraînement, les poids moyens de la couche {} restent entre {} et {}, près de {}/longueur."},
    {"What training changed is where the weight goes; the largest increase in the tables is",
     "Ce que l'entraînement a changé, c'est l'endroit où va le poids ; la plus forte hausse des tableaux se trouve "
     "à la"},
    {"from {} to {}", "de {} à {}"},
    {"What the later layers compute from the vectors gathered this way is not visible in attention weights.",
     "Ce que les couches suivantes calculent à partir des vecteurs ainsi rassemblés n'est pas visible dans les poids "
     "d'attention."},

    // --- self-checks (named on stderr when one fails)
    {"section {}: LayerNorm gives each token mean {} and std {} (the tiny token aside)",
     "section {} : la LayerNorm donne à chaque jeton une moyenne {} et un écart-type {} (hors jeton minuscule)"},
    {"section {}: changing token {} changes the FFN output of token {} only",
     "section {} : modifier le jeton {} ne change la sortie du FFN que pour le jeton {}"},
    {"section {}: changing token {} changes every token's attention output",
     "section {} : modifier le jeton {} change la sortie de l'attention de chaque jeton"},
    {"section {}: the block computed by hand equals EncoderBlock::forward",
     "section {} : le bloc calculé à la main est égal à EncoderBlock::forward"},
    {"section {}: every counted parameter group equals its formula",
     "section {} : chaque groupe de paramètres compté est égal à sa formule"},
    {"section {}: our post-LN wiring equals the library's Encoder",
     "section {} : notre câblage post-LN est égal à l'Encoder de la bibliothèque"},
    {"section {}: our pre-LN wiring equals the library's Encoder",
     "section {} : notre câblage pre-LN est égal à l'Encoder de la bibliothèque"},
    {"section {}: the hidden states recomputed step by step give MiniLLM::forward's logits",
     "section {} : les états cachés recalculés pas à pas donnent les logits de MiniLLM::forward"},

    // --- Your turn (lessons/fixtures/exercises.cpp)
    {"Without positional encoding, can the encoder still tell whether A comes before B?",
     "Sans encodage positionnel, l'encodeur peut-il encore dire si A vient avant B ?"},
    {"Is one encoder block enough for the order task?", "Un seul bloc d'encodeur suffit-il pour la tâche d'ordre ?"},
    {"Final test accuracy: encoder {}%", "Exactitude finale en test : encodeur {}\u00a0%"},
    {"one block compares positions well enough here.", "un bloc compare assez bien les positions ici."},
    {"After {} steps instead of {}, how far is the encoder from {}%?",
     "Après {} pas au lieu de {}, à quelle distance de {}\u00a0% l'encodeur se trouve-t-il ?"},
    {"Pre-LN blocks instead of post-LN: does the trained model still have heads that look almost only at one key?",
     "Des blocs pre-LN au lieu de post-LN : le modèle entraîné a-t-il encore des têtes qui ne regardent presque "
     "qu'une seule clé ?"},
    {"Trained: layer {} head {} A -> A. Untrained: none.",
     "Après entraînement : couche {} tête {} A -> A. Avant entraînement : aucune."},
    {"(post-LN: layer {} head {} A -> A; layer {} head {} B -> A).",
     "(post-LN : couche {} tête {} A -> A ; couche {} tête {} B -> A)."},

    // --- flags (build/lesson4 --help)
    {"Lesson {}: the transformer encoder.", "Leçon {} : l'encodeur transformer."},
    {"training steps of the order task (sections {}-{})", "pas d'entraînement de la tâche d'ordre (sections {}-{})"},
    {"encoder blocks of the order task's model", "blocs d'encodeur du modèle de la tâche d'ordre"},
    {"pre-LN blocks for the order task's model (default: post-LN)",
     "blocs pre-LN pour le modèle de la tâche d'ordre (par défaut : post-LN)"},
    {"train the order task's encoder without positional encoding",
     "entraîner l'encodeur de la tâche d'ordre sans encodage positionnel"},
    {"the order task's models (seed N) and its training batches (seed {} + N)",
     "les modèles de la tâche d'ordre (graine N) et ses lots d'entraînement (graine {} + N)"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

}  // namespace
