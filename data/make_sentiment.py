#!/usr/bin/env python3
"""Generates the sentiment data set of lesson 5 (python3, standard library only).

What it writes (next to this script):
  sentiment_train.tsv   training split
  sentiment_test.tsv    test split, built from combinations never seen in training
  workshop10.tsv        the workshop's 10 toy sentences, a smoke set
Each line is  text<TAB>label<TAB>part  with label negative / neutral / positive
and part naming the phenomenon the sentence exercises:

  plain        one opinion word:             "the acting was great."
  intensifier  an adverb before it:          "the plot was really terrible."
  negation     a negator flips the polarity: "the film was not good." -> negative,
               "the ending was never boring." -> positive, "i did not like the
               plot." -> negative. "not bad" is positive and "not good" negative,
               so the label is the XOR of the negator and the word: a
               bag-of-words linear model cannot represent it.
  contrast     two clauses of opposite polarity; the LAST clause decides:
               "good acting but terrible dialogue." -> negative,
               "although the plot was dull, the acting was superb." -> positive.
               Every contrast sentence comes with its twin that swaps the two
               opinion words ("terrible acting but good dialogue." -> positive):
               same bag of words, opposite label, both in the same split.
  neutral      factual statements without any opinion word ("the film is two
               hours long.", "the movie was released in march."), some of
               them negated ("the film was not filmed in paris.") so that "not"
               alone does not mean negative.
Rule for neutral: a sentence is neutral if and only if it has no opinion word.
Lukewarm words ("okay", "average") are not used at all, so no label is a
judgement call.

How train and test are kept disjoint. Every sentence records the combinations
it is made of: (opinion word, aspect noun), (adverb, opinion word),
(negation template, opinion word), (verb, aspect noun), and for neutral
sentences (template, slot filler). A seeded random 15% of each kind of
combination is held out. A sentence containing a held-out combination goes to
test, any other to train. So every test sentence has at least one combination
that appears nowhere in train, and no test text is a train text. Every single
word of test still occurs in train (checked below), so the test set has no
unknown words.

Determinism: one random.Random(SEED); every choice is made from a fixed,
ordered list; sets are only used for membership tests. Running it twice gives
byte-identical files.

Rerun from the repository root:
    python3 data/make_sentiment.py
It prints the counts per split, part and label, and checks its own output.
"""

import os
import random
import re
import sys

SEED = 20240501
HOLDOUT_FRACTION = 0.15
MAX_TOKENS = 20

# Sentences per (split, part). Polar parts are split evenly between negative
# and positive; neutral is all neutral.
QUOTA = {
    "train": {"plain": 640, "intensifier": 520, "negation": 880, "contrast": 720, "neutral": 840},
    "test": {"plain": 150, "intensifier": 130, "negation": 220, "contrast": 180, "neutral": 200},
}
PARTS = ["plain", "intensifier", "negation", "contrast", "neutral"]

# ---------------------------------------------------------------------------
# Words

POS_ADJ = ["good", "great", "excellent", "superb", "wonderful", "brilliant", "fantastic",
           "amazing", "delightful", "enjoyable", "beautiful", "charming", "clever",
           "impressive", "gripping", "lovely"]
NEG_ADJ = ["bad", "terrible", "awful", "boring", "dull", "poor", "weak", "horrible",
           "dreadful", "tedious", "bland", "clumsy", "disappointing", "forgettable",
           "lazy", "painful"]
# Extreme adjectives take "really/truly/absolutely/utterly", not "very".
EXTREME = {"excellent", "superb", "wonderful", "brilliant", "fantastic", "amazing",
           "terrible", "awful", "horrible", "dreadful"}
ADVERBS = [  # (adverb, which adjectives it goes with)
    ("really", "any"), ("truly", "any"), ("very", "gradable"), ("extremely", "gradable"),
    ("incredibly", "gradable"), ("so", "gradable"), ("absolutely", "extreme"),
    ("utterly", "extreme"),
]
VERB_ADVERBS = ["really", "truly", "absolutely"]

# Aspect nouns: singular countable (take "a"), singular mass, plural.
COUNTABLE = ["plot", "story", "ending", "soundtrack", "script", "finale", "premise",
             "villain", "cast", "film", "movie"]
MASS = ["acting", "music", "dialogue", "pacing", "direction", "humor", "editing",
        "cinematography"]
PLURAL = ["characters", "effects", "visuals", "performances", "jokes", "songs"]
ASPECTS = COUNTABLE + MASS + PLURAL
NP_ASPECTS = MASS + PLURAL  # read well without an article: "great acting."

POS_VERB_PAST = ["loved", "liked", "enjoyed", "adored", "admired"]
NEG_VERB_PAST = ["hated", "disliked", "loathed"]
POS_VERB_PRES = ["love", "like", "enjoy", "adore"]
NEG_VERB_PRES = ["hate", "dislike"]
NEGATED_VERBS = ["like", "love", "enjoy", "admire"]  # "i did not like ..." -> negative

FILMS = ["film", "movie"]
PLACES = ["paris", "london", "rome", "tokyo", "berlin", "madrid", "canada", "mexico",
          "texas", "ireland", "india", "egypt"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SEASONS = ["winter", "spring", "summer", "autumn"]
RELATIVES = ["sister", "brother", "friends", "parents", "family", "cousin", "son", "daughter"]
LANGUAGES = ["english", "french", "spanish", "german", "italian", "japanese", "korean"]
SOURCES = ["novel", "play", "comic", "poem", "legend"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve"]
HOURS = ["two", "three", "four"]
MINUTES = ["seventy", "eighty", "ninety", "one hundred"]


def polarity(word):
    if word in POS_ADJ or word in POS_VERB_PAST or word in POS_VERB_PRES:
        return "positive"
    if word in NEG_ADJ or word in NEG_VERB_PAST or word in NEG_VERB_PRES:
        return "negative"
    raise ValueError(word)


def flip(label):
    return {"positive": "negative", "negative": "positive"}[label]


def adjectives(label):
    return POS_ADJ if label == "positive" else NEG_ADJ


def copula(aspect, tense):
    plural = aspect in PLURAL
    return {
        "was": "were" if plural else "was",
        "is": "are" if plural else "is",
        "wasn't": "weren't" if plural else "wasn't",
        "isn't": "aren't" if plural else "isn't",
    }[tense]


def det(rng, aspect):
    return rng.choice(["the", "this"]) if aspect in FILMS else "the"


def article(word):
    return "an" if word[0] in "aeiou" else "a"


def adverb_fits(adverb_kind, adj):
    if adverb_kind == "any":
        return True
    return (adj in EXTREME) == (adverb_kind == "extreme")


# ---------------------------------------------------------------------------
# Sentence makers. Each takes the rng and the wanted label and returns
# (text, keys): keys are the combinations the sentence is made of.

def aa(adj, aspect):
    return ("adj-aspect", adj, aspect)


def make_plain(rng, label):
    kind = rng.choice(["was", "is", "found", "felt", "np", "what", "verb_past", "verb_pres",
                       "recommend"])
    if kind == "recommend" and label == "negative":
        kind = "verb_past"
    if kind in ("verb_past", "verb_pres"):
        verbs = {("verb_past", "positive"): POS_VERB_PAST, ("verb_past", "negative"): NEG_VERB_PAST,
                 ("verb_pres", "positive"): POS_VERB_PRES, ("verb_pres", "negative"): NEG_VERB_PRES}
        verb = rng.choice(verbs[(kind, label)])
        aspect = rng.choice(FILMS) if kind == "verb_pres" else rng.choice(ASPECTS)
        text = f"i {verb} {det(rng, aspect)} {aspect}."
        return text, [("verb-aspect", verb, aspect)]
    if kind == "recommend":
        aspect = rng.choice(FILMS)
        return f"i would recommend {det(rng, aspect)} {aspect}.", [("verb-aspect", "recommend", aspect)]
    adj = rng.choice(adjectives(label))
    if kind == "np":
        aspect = rng.choice(NP_ASPECTS)
        return f"{adj} {aspect}.", [aa(adj, aspect)]
    if kind == "what":
        aspect = rng.choice(COUNTABLE)
        return f"what {article(adj)} {adj} {aspect}!", [aa(adj, aspect)]
    aspect = rng.choice(ASPECTS)
    d = det(rng, aspect)
    if kind == "found":
        return f"i found {d} {aspect} {adj}.", [aa(adj, aspect)]
    if kind == "felt":
        return f"{d} {aspect} felt {adj}.", [aa(adj, aspect)]
    return f"{d} {aspect} {copula(aspect, kind)} {adj}.", [aa(adj, aspect)]


def make_intensifier(rng, label):
    kind = rng.choice(["was", "is", "found", "felt", "np", "verb"])
    if kind == "verb":
        verb = rng.choice(POS_VERB_PAST if label == "positive" else NEG_VERB_PAST)
        adverb = rng.choice(VERB_ADVERBS)
        aspect = rng.choice(ASPECTS)
        text = f"i {adverb} {verb} {det(rng, aspect)} {aspect}."
        return text, [("verb-aspect", verb, aspect), ("adverb-word", adverb, verb)]
    adj = rng.choice(adjectives(label))
    choices = [a for a, k in ADVERBS if adverb_fits(k, adj) and not (kind == "np" and a == "so")]
    adverb = rng.choice(choices)
    keys = [("adverb-word", adverb, adj)]
    if kind == "np":
        aspect = rng.choice(NP_ASPECTS)
        return f"{adverb} {adj} {aspect}.", keys + [aa(adj, aspect)]
    aspect = rng.choice(ASPECTS)
    d = det(rng, aspect)
    if kind == "found":
        text = f"i found {d} {aspect} {adverb} {adj}."
    elif kind == "felt":
        text = f"{d} {aspect} felt {adverb} {adj}."
    else:
        text = f"{d} {aspect} {copula(aspect, kind)} {adverb} {adj}."
    return text, keys + [aa(adj, aspect)]


# Negation templates that flip an adjective: name -> format.
NEG_ADJ_TEMPLATES = [
    ("was_not", "{d} {a} {was} not {j}."),
    ("was_never", "{d} {a} {was} never {j}."),
    ("wasnt", "{d} {a} {wasnt} {j}."),
    ("is_not", "{d} {a} {is_} not {j}."),
    ("isnt", "{d} {a} {isnt} {j}."),
    ("not_at_all", "{d} {a} {was} not {j} at all."),
    ("nothing_about", "nothing about {d} {a} was {j}."),
    ("never_call", "i would never call {d} {a} {j}."),
    ("did_not_find", "i did not find {d} {a} {j}."),
]
# Negated positive verbs: always negative.
NEG_VERB_TEMPLATES = [
    ("did_not_verb", "i did not {v} {d} {a}."),
    ("didnt_verb", "i didn't {v} {d} {a}."),
    ("would_not_verb", "i would not {v} {d} {a}."),  # {v} is always "recommend"
]


def make_negation(rng, label):
    templates = NEG_ADJ_TEMPLATES + (NEG_VERB_TEMPLATES if label == "negative" else [])
    name, fmt = rng.choice(templates)
    aspect = rng.choice(ASPECTS)
    d = det(rng, aspect)
    if name.endswith("_verb"):
        verb = "recommend" if name == "would_not_verb" else rng.choice(NEGATED_VERBS)
        text = fmt.format(v=verb, d=d, a=aspect)
        return text, [("negation-word", name, verb), ("verb-aspect", verb, aspect)]
    adj = rng.choice(adjectives(flip(label)))
    text = fmt.format(d=d, a=aspect, j=adj, was=copula(aspect, "was"), is_=copula(aspect, "is"),
                      wasnt=copula(aspect, "wasn't"), isnt=copula(aspect, "isn't"))
    return text, [("negation-word", name, adj), aa(adj, aspect)]


CONTRAST_TEMPLATES = [
    ("but", "the {a1} {was1} {j1} but the {a2} {was2} {j2}."),
    ("comma_but", "the {a1} {was1} {j1}, but the {a2} {was2} {j2}."),
    ("np_but", "{j1} {a1} but {j2} {a2}."),
    ("although", "although the {a1} {was1} {j1}, the {a2} {was2} {j2}."),
    ("even_though", "even though the {a1} {was1} {j1}, the {a2} {was2} {j2}."),
    ("despite", "despite the {j1} {a1}, the {a2} {was2} {j2}."),
    ("yet", "the {a1} {was1} {j1}, yet the {a2} {was2} {j2}."),
    ("verbs", "i {j1} the {a1} but {j2} the {a2}."),
]


def make_contrast_pair(rng):
    """Returns [(text, label), (twin_text, twin_label)] and the keys of both."""
    name, fmt = rng.choice(CONTRAST_TEMPLATES)
    pool = NP_ASPECTS if name == "np_but" else ASPECTS
    a1 = rng.choice(pool)
    a2 = rng.choice([a for a in pool if a != a1])
    if name == "verbs":
        w1, w2 = rng.choice(POS_VERB_PAST), rng.choice(NEG_VERB_PAST)
        kind = "verb-aspect"
    else:
        w1, w2 = rng.choice(POS_ADJ), rng.choice(NEG_ADJ)
        kind = "adj-aspect"
    if rng.random() < 0.5:
        w1, w2 = w2, w1
    out = []
    for j1, j2 in ((w1, w2), (w2, w1)):
        text = fmt.format(a1=a1, a2=a2, j1=j1, j2=j2,
                          was1=copula(a1, "was"), was2=copula(a2, "was"))
        out.append((text, polarity(j2)))
    if kind == "verb-aspect":
        keys = [(kind, w1, a1), (kind, w2, a2), (kind, w2, a1), (kind, w1, a2)]
    else:
        keys = [aa(w1, a1), aa(w2, a2), aa(w2, a1), aa(w1, a2)]
    return out, keys


# Neutral templates: name -> (format, slots). Slot lists are drawn independently.
NEUTRAL_TEMPLATES = [
    ("hours", "the {f} is {h} hours long.", {"f": FILMS, "h": HOURS}),
    ("minutes", "the {f} runs for {m} minutes.", {"f": FILMS, "m": MINUTES}),
    ("released", "the {f} was released in {mo}.", {"f": FILMS, "mo": MONTHS}),
    ("released_place", "the {f} was released in {p} in {mo}.", {"f": FILMS, "p": PLACES, "mo": MONTHS}),
    ("filmed", "the {f} was filmed in {p} in {mo}.", {"f": FILMS, "p": PLACES, "mo": MONTHS}),
    ("set", "the story is set in {p}.", {"p": PLACES}),
    ("takes_place", "the story takes place in {p} during the {s}.", {"p": PLACES, "s": SEASONS}),
    ("watched", "i watched the {f} on {d} with my {r}.", {"f": FILMS, "d": DAYS, "r": RELATIVES}),
    ("saw", "my {r} and i saw the {f} on {d}.", {"r": RELATIVES, "f": FILMS, "d": DAYS}),
    ("language", "the {f} is in {l}, with {l2} subtitles.", {"f": FILMS, "l": LANGUAGES, "l2": LANGUAGES}),
    ("based", "the {f} is based on a {src} from {p}.", {"f": FILMS, "src": SOURCES, "p": PLACES}),
    ("characters", "the {f} has {n} main characters.", {"f": FILMS, "n": NUMBERS}),
    ("recorded", "the {mu} was recorded in {p} in {mo}.", {"mu": ["music", "soundtrack"], "p": PLACES, "mo": MONTHS}),
    ("songs", "the songs were recorded in {p}, in {s}.", {"p": PLACES, "s": SEASONS}),
    ("director", "the director was born in {p}.", {"p": PLACES}),
    ("starts", "the {f} starts at {n} o'clock on {d}.", {"f": FILMS, "n": NUMBERS, "d": DAYS}),
    ("tickets", "the tickets cost {n} dollars each.", {"n": NUMBERS}),
    ("not_released", "the {f} was not released in {mo}.", {"f": FILMS, "mo": MONTHS}),
    ("not_filmed", "the {f} was not filmed in {p}.", {"f": FILMS, "p": PLACES}),
    ("not_watched", "i did not watch the {f} on {d}.", {"f": FILMS, "d": DAYS}),
    ("not_in", "the {f} is not in {l}.", {"f": FILMS, "l": LANGUAGES}),
]


def make_neutral(rng):
    name, fmt, slots = rng.choice(NEUTRAL_TEMPLATES)
    values = {}
    for slot in sorted(slots):
        choices = [v for v in slots[slot] if not (slot == "l2" and v == values.get("l"))]
        values[slot] = rng.choice(choices)
    keys = [("neutral-slot", name, slot, values[slot]) for slot in sorted(values) if slot != "f"]
    return fmt.format(**values), keys


# ---------------------------------------------------------------------------
# Held-out combinations

def all_keys():
    """Every combination that can occur, in a fixed order."""
    keys = []
    for adj in POS_ADJ + NEG_ADJ:
        for aspect in ASPECTS:
            keys.append(aa(adj, aspect))
    for verb in POS_VERB_PAST + NEG_VERB_PAST + POS_VERB_PRES + NEG_VERB_PRES + ["recommend", "admire"]:
        for aspect in ASPECTS:
            keys.append(("verb-aspect", verb, aspect))
    for adverb, kind in ADVERBS:
        for adj in POS_ADJ + NEG_ADJ:
            if adverb_fits(kind, adj):
                keys.append(("adverb-word", adverb, adj))
    for adverb in VERB_ADVERBS:
        for verb in POS_VERB_PAST + NEG_VERB_PAST:
            keys.append(("adverb-word", adverb, verb))
    for name, _ in NEG_ADJ_TEMPLATES:
        for adj in POS_ADJ + NEG_ADJ:
            keys.append(("negation-word", name, adj))
    for name, _ in NEG_VERB_TEMPLATES:
        for verb in NEGATED_VERBS + ["recommend"]:
            keys.append(("negation-word", name, verb))
    # A neutral filler can only be held out if another template also uses it;
    # otherwise its word would be missing from train.
    templates_using = {}
    for name, _, slots in NEUTRAL_TEMPLATES:
        for slot in sorted(slots):
            for value in slots[slot]:
                templates_using.setdefault(value, []).append(name)
    for name, _, slots in NEUTRAL_TEMPLATES:
        for slot in sorted(slots):
            if slot == "f":
                continue
            for value in slots[slot]:
                if len(set(templates_using[value])) >= 2:
                    keys.append(("neutral-slot", name, slot, value))
    return keys


def choose_held_out(rng):
    """A HOLDOUT_FRACTION sample of each kind of combination (at least one each)."""
    keys = all_keys()
    groups = {}
    for key in keys:  # group by kind (and template for neutral), keeping order
        group = key[:2] if key[0] in ("neutral-slot", "negation-word") else key[:1]
        groups.setdefault(group, []).append(key)
    held = set()
    neutral_values_held = set()
    for group in sorted(groups):
        members = groups[group]
        k = max(1, round(HOLDOUT_FRACTION * len(members)))
        for key in rng.sample(members, k):
            if key[0] == "neutral-slot":
                # hold a filler out of one template only, so that it stays in train
                if key[3] in neutral_values_held:
                    continue
                neutral_values_held.add(key[3])
            held.add(key)
    return held


# ---------------------------------------------------------------------------
# Generation

TOKEN_RE = re.compile(r"[!-/:-@\[-`{-~]|[^\s!-/:-@\[-`{-~]+")


def tokens(text):
    """The C++ tokenizer's rule: ASCII punctuation is a token of its own."""
    return TOKEN_RE.findall(text.lower())


def generate():
    rng = random.Random(SEED)
    held = choose_held_out(rng)
    rows = {"train": [], "test": []}
    seen = set()
    for part in PARTS:
        # wanted[(split, label)] -> how many still to make
        wanted = {}
        for split in ("train", "test"):
            n = QUOTA[split][part]
            if part == "neutral":
                wanted[(split, "neutral")] = n
            else:
                wanted[(split, "negative")] = n // 2
                wanted[(split, "positive")] = n - n // 2
        attempts = 0
        while any(v > 0 for v in wanted.values()):
            attempts += 1
            if attempts > 2_000_000:
                sys.exit(f"make_sentiment: cannot fill the quota of part '{part}': {wanted}")
            if part == "contrast":
                made, keys = make_contrast_pair(rng)
            else:
                label = "neutral" if part == "neutral" else rng.choice(["negative", "positive"])
                maker = {"plain": make_plain, "intensifier": make_intensifier,
                         "negation": make_negation, "neutral": make_neutral}[part]
                if part == "neutral":
                    text, keys = maker(rng)
                else:
                    text, keys = maker(rng, label)
                made = [(text, label)]
            split = "test" if any(k in held for k in keys) else "train"
            if any(text in seen for text, _ in made):
                continue
            if any(wanted[(split, label)] <= 0 for _, label in made):
                continue
            for text, label in made:
                seen.add(text)
                wanted[(split, label)] -= 1
                rows[split].append((text, label, part))
    return rows


WORKSHOP10 = [
    ("i love this movie.", "positive"),
    ("this film is great.", "positive"),
    ("the acting was brilliant.", "positive"),
    ("i really enjoyed the story.", "positive"),
    ("what a wonderful ending!", "positive"),
    ("i hate this movie.", "negative"),
    ("this film is terrible.", "negative"),
    ("the acting was awful.", "negative"),
    ("i really disliked the story.", "negative"),
    ("what a boring ending!", "negative"),
]


def check(rows):
    """The promises of the module docstring, checked on the output."""
    train_texts = set(t for t, _, _ in rows["train"])
    train_words = set(w for t, _, _ in rows["train"] for w in tokens(t))
    for text, _, _ in rows["test"]:
        assert text not in train_texts, f"test sentence in train: {text}"
        for w in tokens(text):
            assert w in train_words, f"test word '{w}' never in train: {text}"
    for text, _ in WORKSHOP10:
        for w in tokens(text):
            assert w in train_words, f"workshop word '{w}' never in train: {text}"
    for split in rows:
        for text, label, part in rows[split]:
            assert 1 <= len(tokens(text)) <= MAX_TOKENS, f"too long: {text}"
            assert "\t" not in text and "\n" not in text
            assert label in ("negative", "neutral", "positive") and part in PARTS
    return len(train_words)


def write_tsv(path, rows):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for text, label, part in rows:
            f.write(f"{text}\t{label}\t{part}\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = generate()
    vocab_size = check(rows)
    write_tsv(os.path.join(here, "sentiment_train.tsv"), rows["train"])
    write_tsv(os.path.join(here, "sentiment_test.tsv"), rows["test"])
    write_tsv(os.path.join(here, "workshop10.tsv"), [(t, l, "plain") for t, l in WORKSHOP10])

    labels = ["negative", "neutral", "positive"]
    print(f"{'split':6} {'part':12} {'negative':>8} {'neutral':>8} {'positive':>8} {'total':>6}")
    for split in ("train", "test"):
        for part in PARTS + ["all"]:
            sel = [r for r in rows[split] if part in ("all", r[2])]
            counts = [sum(1 for r in sel if r[1] == lab) for lab in labels]
            print(f"{split:6} {part:12} {counts[0]:8} {counts[1]:8} {counts[2]:8} {len(sel):6}")
    longest = max(len(tokens(t)) for s in rows for t, _, _ in rows[s])
    print(f"words in the train vocabulary: {vocab_size}; longest sentence: {longest} tokens")
    print("workshop10: 10 sentences (5 positive, 5 negative)")


if __name__ == "__main__":
    main()
