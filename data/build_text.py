"""Text data sets: wordnet_glosses and word_corpus (see build.py)."""
import bz2
import random
import re
import subprocess
from pathlib import Path

from build_common import fresh_dir, write_csv, write_csv_gz

WORDNET = Path("/usr/share/wordnet")
FORTUNES = Path("/usr/share/games/fortunes")

# WordNet marks its slurs and vulgar senses in the gloss ("offensive term for",
# "obscene", ...); those, and sexual anatomy or acts, are dropped from every
# WordNet and fortune row: a workshop corpus should not surface them.
BLOCK = re.compile(
    r"offensive (?:term|name|word|way)|disparag|derogat|obscen|vulgar|\bslur|\bslang\b|"
    r"\bsex|genital|penis|vagin|vulva|testic|prostitut|whore|\bfuck|\bshit|\bcunt|\bnigg|"
    r"\bfag|\brape|\braping|masturbat|porn|copulat|intercourse|orgasm|\bnude\b|\bnaked\b|"
    r"erotic|molest|incest|\bpimp|\bslut",
    re.IGNORECASE)
# Fortunes are jokes: a wider net for swearing, stereotypes, drugs and innuendo
# (words that are fine in a dictionary gloss, like "virgin" or "Jews", are not
# fine as a punchline).
FORTUNE_BLOCK = re.compile(
    r"\bdamn|\bbitch|\bbastard|\bass\b|asshole|\bgay\b|\bjews?\b|\bnazi|hitler|suicid|"
    r"\bdrunk|\bboobs?\b|\bbreasts?\b|\bkill (?:yourself|you)\b|\bnegro|\bvirgin\b|\bmidget|"
    r"sensual|seduc|\blust|\bhooker|stripper|white trash|\btits?\b|\bdick\b|\bcock\b|\bpussy|"
    r"\bbra\b|kinky|horny|\bretard|\bhomo\b|queer|\bdyke|\bkike|\bspic\b|\bchink|\bjap\b|"
    r"\bwop\b|\bgook|cripple|\bbimbo|nipple|\blsd\b|cocaine|heroin\b|marijuana|hashish|"
    r"\bharlot|adulter",
    re.IGNORECASE)

# WordNet lexicographer files (lexnames(5WN)): number -> short category name.
LEXNAMES = {5: "animal", 6: "artifact", 8: "body", 12: "feeling", 13: "food",
            15: "location", 18: "person", 20: "plant"}


def read_wordnet(pos_files=("noun",)):
    """Yield (offset, lexfile number, first lemma, gloss) from WordNet data.* files."""
    for pos in pos_files:
        with open(WORDNET / f"data.{pos}", encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):  # licence header lines
                    continue
                head, _, gloss = line.partition(" | ")
                parts = head.split()
                yield parts[0], int(parts[1]), parts[4].replace("_", " "), gloss.strip()


def strip_examples(gloss):
    """'definition; "example one"; "example two"' -> 'definition'."""
    return re.split(r';?\s*"', gloss, maxsplit=1)[0].strip(" ;")


def build_wordnet_glosses():
    """8 well-separated noun categories x 100 glosses, seeded sample."""
    out = fresh_dir("wordnet_glosses")
    pools = {cat: [] for cat in LEXNAMES.values()}
    for offset, lexnum, lemma, gloss in read_wordnet(("noun",)):
        if lexnum not in LEXNAMES:
            continue
        text = strip_examples(gloss)
        # lemma can carry the offensive word itself; the gloss usually says so.
        if len(text.split()) < 4 or BLOCK.search(text) or BLOCK.search(lemma):
            continue
        pools[LEXNAMES[lexnum]].append(
            {"text": text, "category": LEXNAMES[lexnum], "lemma": lemma, "synset_offset": offset})
    rng = random.Random(0)
    rows = []
    for cat in sorted(pools):
        rows += sorted(rng.sample(pools[cat], 100), key=lambda r: r["synset_offset"])
    write_csv(out / "items.csv", rows, ["text", "category", "lemma", "synset_offset"])
    return {
        "modality": "text", "table": "wordnet_glosses/items.csv", "item_column": "text",
        "label_columns": ["category", "lemma"], "n_items": len(rows),
        "description": ("800 short dictionary definitions (WordNet noun glosses), 100 from each of "
                        "8 categories such as animal, food and artifact: a small labelled set for "
                        "comparing sentence embeddings and clustering."),
        "source": ("Debian package wordnet-base (WordNet 3.0 data.noun, Princeton University); "
                   "category = lexicographer file (lexnames), example sentences stripped"),
        "licence": "WordNet 3.0 licence (permissive, notice required)",
    }


# ---------------------------------------------------------------- word corpus

def wordnet_rows():
    """Every WordNet gloss (all parts of speech), examples kept: they are real usage."""
    for _, _, _, gloss in read_wordnet(("noun", "verb", "adj", "adv")):
        if not BLOCK.search(gloss):
            yield {"text": gloss.strip(" ;"), "source": "wordnet"}


# KJV books kept. The whole Bible (790k words) would push items.csv.gz over the
# 5 MB per-file limit; these narrative and wisdom books (~300k words) fit.
KJV_BOOKS = ("Ge", "Exo", "Ruth", "Est", "Psa", "Prv", "Jonah",
             "Mat", "Mark", "Luke", "John", "Acts")


def kjv_rows():
    """KJV verses: `bible -f` (no pretty-printing) prints one 'Ge1:1 text' line per verse."""
    txt = subprocess.run(["bible", "-f", "Gen1:1-Rev22:21"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=True).stdout
    for line in txt.splitlines():
        ref, _, verse = line.partition(" ")
        book = re.match(r"\d?[A-Za-z]+", ref).group(0)
        if book in KJV_BOOKS and verse.strip():
            yield {"text": verse.strip(), "source": "kjv"}


# Categories of the (non-offensive) Debian `fortunes` package left out as a
# whole: stereotypes, politics and drug jokes are not workshop material, and
# ascii-art / translate-me are not prose.
FORTUNE_SKIP = {"ascii-art", "drugs", "ethnic", "men-women", "politics", "love",
                "translate-me", "disclaimer", "medicine", "law"}


def fortune_rows():
    # only the files that the `fortunes` and `fortunes-min` packages install (never fortunes-off)
    listed = subprocess.run(["dpkg-query", "-L", "fortunes", "fortunes-min"],
                            capture_output=True, text=True, check=True).stdout.split()
    files = sorted({Path(f) for f in listed if f.startswith(str(FORTUNES) + "/")
                    and "." not in Path(f).name and Path(f).name not in FORTUNE_SKIP})
    for p in files:
        for cookie in p.read_text(encoding="utf-8", errors="replace").split("\n%\n"):
            text = " ".join(cookie.replace("%", " ").split())
            letters = sum(c.isalpha() or c.isspace() for c in text)
            if len(text) < 20 or len(text) > 1000 or letters < 0.85 * len(text):
                continue  # too short, too long, or code / ascii art
            # "The Great Movie Posters" quote exploitation-film taglines: drop them all
            if (BLOCK.search(text) or FORTUNE_BLOCK.search(text)
                    or text.startswith("The Great Movie Posters")):
                continue
            yield {"text": text, "source": "fortunes"}


SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


def enwiki_rows():
    """gensim's bundled 106-article enwiki sample, markup stripped, one sentence per row."""
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki
    from gensim.test.utils import datapath
    path = datapath("enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
    with bz2.BZ2File(path) as f:
        for _title, text, _pid in extract_pages(f, filter_namespaces=("0",)):
            if text.lower().startswith("#redirect"):
                continue
            for line in filter_wiki(text).splitlines():
                line = line.replace("'''", "").replace("''", "").strip()
                # headings, lists, tables and leftovers of templates are not prose
                if not line or line[0] in "=*#|{}!:;<" or len(line.split()) < 6:
                    continue
                if "|" in line or line.startswith(("File:", "Image:")):
                    continue  # leftovers of image galleries and captions
                for sent in SENT_SPLIT.split(line):
                    sent = " ".join(sent.split())
                    if len(sent.split()) >= 4:
                        yield {"text": sent, "source": "enwiki"}


def build_word_corpus():
    """~3M tokens of raw text for training word vectors (Word2Vec / FastText)."""
    out = fresh_dir("word_corpus")
    rows = list(wordnet_rows()) + list(kjv_rows()) + list(fortune_rows()) + list(enwiki_rows())
    # zopfli writes a standard gzip file ~5% smaller than zlib: that many more words fit in 5 MB
    write_csv_gz(out / "items.csv.gz", rows, ["text", "source"])
    return {
        "modality": "text", "table": "word_corpus/items.csv.gz", "item_column": "text",
        "label_columns": ["source"], "n_items": len(rows),
        "description": ("About 2.4 million words of raw English text, one gloss, verse, fortune "
                        "or sentence per row, for training your own word vectors (Word2Vec, "
                        "FastText)."),
        "source": ("WordNet 3.0 glosses (Debian wordnet-base), 12 books of the King James Bible "
                   "(Debian bible-kjv / bible-kjv-text, dumped with `bible -f`), curated "
                   "fortune cookies (Debian fortunes), English Wikipedia sample bundled in "
                   "gensim's test data"),
        "licence": ("WordNet 3.0 licence; KJV public domain; fortunes: BSD-style (fortune-mod); "
                    "Wikipedia text CC-BY-SA-3.0"),
    }


def evaluate_word_corpus(epochs=10):
    """Train the notebook's Word2Vec on the corpus; print WordSim-353 Spearman and time."""
    import csv
    import gzip
    import time

    from gensim.models import Word2Vec
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    from build_common import DATA
    with gzip.open(DATA / "word_corpus/items.csv.gz", "rt", encoding="utf-8") as f:
        sentences = [simple_preprocess(r["text"]) for r in csv.DictReader(f)]
    start = time.time()
    model = Word2Vec(sentences, sg=1, vector_size=100, window=5, min_count=5,
                     epochs=epochs, workers=2, seed=0)
    seconds = time.time() - start
    _, spearman, oov = model.wv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    print(f"{sum(map(len, sentences))} tokens, {epochs} epochs, {seconds:.0f} s: "
          f"WordSim-353 Spearman {spearman[0]:.3f} (OOV {oov:.1f}%)")
    return spearman[0], seconds


# ------------------------------------------------------------ every gloss, labelled

# lexnames(5WN): lexicographer file number -> name; the category of every synset.
ALL_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl").split()
POS_NAMES = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb"}


def build_wordnet_all():
    """Every WordNet 3.0 synset gloss (all parts of speech) with its category: ~117k rows."""
    out = fresh_dir("wordnet_all")
    rows = []
    for pos in ("noun", "verb", "adj", "adv"):
        for offset, lexnum, lemma, gloss in read_wordnet((pos,)):
            text = strip_examples(gloss)
            lemma = re.sub(r"\((?:a|p|ip)\)$", "", lemma)  # adjective position markers
            if not text or BLOCK.search(text) or BLOCK.search(lemma):
                continue
            rows.append({"text": text, "category": ALL_LEXNAMES[lexnum], "pos": POS_NAMES[pos],
                         "lemma": lemma, "synset_offset": offset})
    write_csv_gz(out / "items.csv.gz", rows, ["text", "category", "pos", "lemma", "synset_offset"])
    return {
        "modality": "text", "table": "wordnet_all/items.csv.gz", "item_column": "text",
        "label_columns": ["category", "pos", "lemma"], "n_items": len(rows),
        "description": ("Every WordNet definition (about 117,000 noun, verb, adjective and "
                        "adverb glosses), each labelled with its lexicographer category such as "
                        "noun.food or verb.motion: a real corpus big enough for similarity "
                        "search at scale (approximate indexes, a vector database)."),
        "source": ("Debian package wordnet-base (WordNet 3.0 data.noun/verb/adj/adv, Princeton "
                   "University); category = lexicographer file (lexnames), example sentences "
                   "stripped"),
        "licence": "WordNet 3.0 licence (permissive, notice required)",
    }
