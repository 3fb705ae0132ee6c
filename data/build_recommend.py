"""Recommendation data set: package_installs (see build.py and the README section).

Real items, simulated users. The items are 960 Debian 12 "bookworm" programs
(name, one-line synopsis, section, debtags) read from the local apt cache
(`apt-cache dumpavail`, after `apt-get update`). No real user-item log with a
licence that lets it ship offline was found (MovieLens forbids redistribution,
the recommender data packages checked on PyPI download at run time), so the users and their
installs are SIMULATED, by the process below, and the true taste vectors are
kept so a learner can measure how much of them a model recovers.

Generating process (all seeded with numpy.random.default_rng(0)):
1. Every item gets a true factor vector v (16-d, unit length) from two parts:
   a content part, a fixed random projection of the item's debtags and section
   (what a description can reveal), and a hidden part, the centroid of one of
   12 "crowds" the item is put in at random, independent of its content (tastes
   that cross topic lines and no description shows). v = norm(0.75 c + 0.65 h).
2. A Zipf popularity prior: log p = -0.7 log(rank), rank a random permutation.
3. Each user's true taste u (16-d) is the normalised sum of the factors of two
   anchor items (drawn by popularity) plus Gaussian noise.
4. Each user installs 8 + Geometric(1/12) packages (at most 60), one after
   another, without repeats: the next one is drawn from a softmax over unseen
   items of 8 u.v + 2 v_prev.v + log p (a session effect: the next install
   resembles the last one), which gives item2vec a sequence to learn from.
"""
import gzip
import re
import subprocess

import numpy as np

from build_common import DATA, csv_bytes, fresh_dir, write_csv

SECTIONS = ["games", "sound", "science", "graphics", "mail", "web", "editors", "math",
            "video", "tex", "vcs", "electronics", "hamradio", "database", "shells", "devel"]
PER_SECTION = 60
N_USERS = 2000
DIM = 16
N_CROWDS = 12
CONTENT_SHARE, HIDDEN_SHARE = 0.75, 0.65  # how much of an item's factor its content shows
TASTE, SESSION, ZIPF = 8.0, 2.0, 0.7  # weights of taste, last install, popularity in a choice
# debtags facets that describe what a program is for (implemented-in::, role:: and
# scope:: say little about why someone installs it)
CONTENT_FACETS = ("use", "works-with", "works-with-format", "field", "game", "interface",
                  "uitoolkit", "network", "admin", "devel", "suite", "sound", "x11", "web",
                  "protocol", "security", "hardware", "junior", "mail", "science")
SKIP_NAME = re.compile(r"^lib|-(dev|doc|data|common|dbg|dbgsym|l10n|i18n)$|^fonts?-|^python3?-")


def read_packages():
    """Unique packages of the apt cache as dicts of their control fields."""
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True,
                          check=True).stdout
    packages = {}
    for record in text.split("\n\n"):
        fields, key = {}, None
        for line in record.split("\n"):
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Package" in fields:
            packages.setdefault(fields["Package"], fields)
    return packages


def content_tags(fields):
    tags = [t.strip() for t in fields.get("Tag", "").split(",")]
    return sorted(t for t in tags if t.split("::")[0] in CONTENT_FACETS)


def pick_items(packages, rng):
    """PER_SECTION programs from each section, seeded, sorted by name."""
    chosen = []
    for section in SECTIONS:
        pool = sorted(name for name, f in packages.items()
                      if f.get("Section") == section and "role::program" in f.get("Tag", "")
                      and not SKIP_NAME.search(name) and len(f.get("Description", "")) >= 12
                      and len(content_tags(f)) >= 2)
        take = rng.choice(len(pool), size=min(PER_SECTION, len(pool)), replace=False)
        chosen += [pool[i] for i in sorted(take)]
    return sorted(chosen)


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def build_package_installs():
    out = fresh_dir("package_installs")
    rng = np.random.default_rng(0)
    packages = read_packages()
    names = pick_items(packages, rng)
    n = len(names)
    tags = [content_tags(packages[p]) + ["section::" + packages[p]["Section"]] for p in names]
    vocab = sorted({t for ts in tags for t in ts})
    multi_hot = np.zeros((n, len(vocab)))
    for i, ts in enumerate(tags):
        multi_hot[i, [vocab.index(t) for t in ts]] = 1.0
    section_weight = np.array([3.0 if t.startswith("section::") else 1.0 for t in vocab])
    content = unit((multi_hot * section_weight) @ rng.normal(size=(len(vocab), DIM)))
    crowd = rng.integers(N_CROWDS, size=n)
    hidden = unit(rng.normal(size=(N_CROWDS, DIM)))[crowd]
    factors = unit(CONTENT_SHARE * content + HIDDEN_SHARE * hidden)
    log_pop = -ZIPF * np.log(1 + rng.permutation(n))

    users, rows = [], []
    pop = np.exp(log_pop) / np.exp(log_pop).sum()
    for u in range(N_USERS):
        anchors = rng.choice(n, size=2, replace=False, p=pop)
        taste = unit(factors[anchors].sum(0) + rng.normal(scale=0.25, size=DIM))
        length = min(8 + rng.geometric(1 / 12), 60)
        seen = np.zeros(n, dtype=bool)
        prev = None
        base = TASTE * factors @ taste + log_pop
        for step in range(length):
            logits = base + (0 if prev is None else SESSION * factors @ factors[prev])
            logits = np.where(seen, -np.inf, logits)
            p = np.exp(logits - logits.max())
            item = int(rng.choice(n, p=p / p.sum()))
            seen[item] = True
            prev = item
            rows.append({"user": f"u{u:04d}", "item": names[item], "step": step})
        users.append({"user": f"u{u:04d}", **{f"taste_{d}": f"{taste[d]:.4f}" for d in range(DIM)}})

    items = [{"package": p, "text": packages[p]["Description"], "section": packages[p]["Section"],
              "tags": " ".join(t for t in tags[i] if not t.startswith("section::")),
              "crowd": int(crowd[i]), "popularity_prior": f"{np.exp(log_pop[i]):.4f}",
              **{f"factor_{d}": f"{factors[i, d]:.4f}" for d in range(DIM)}}
             for i, p in enumerate(names)]
    item_columns = ["package", "text", "section", "tags", "crowd", "popularity_prior"]
    write_csv(out / "items.csv", items, item_columns)
    write_csv(out / "item_factors.csv", items, ["package"] + [f"factor_{d}" for d in range(DIM)])
    gz = {"interactions.csv.gz": (rows, ["user", "item", "step"]),
          "users.csv.gz": (users, ["user"] + [f"taste_{d}" for d in range(DIM)])}
    for name, (table, columns) in gz.items():
        (out / name).write_bytes(gzip.compress(csv_bytes(table, columns), compresslevel=9,
                                               mtime=0))
    print(f"  {n} items, {N_USERS} users, {len(rows)} installs")
    return {
        "description": (f"{n} real Debian programs (name, synopsis, section, debtags) and "
                        f"{len(rows)} SIMULATED installs by {N_USERS} simulated users, in order, "
                        "with the true user tastes and item factors that generated them: for "
                        "recommendation (content-based, BPR, item2vec) on held-out data."),
        "item_column": "text",
        "label_columns": ["section", "package"],
        "licence": ("Simulated installs, tastes and factors: CC0-1.0; package names, synopses, "
                    "sections and debtags: Debian 12 archive metadata (freely redistributable, "
                    "as Debian's mirrors do)"),
        "modality": "text",
        "n_items": n,
        "source": ("Items: Debian 12 'bookworm' Packages metadata via `apt-cache dumpavail` "
                   "(Description, Section, Tag); users and installs simulated by "
                   "data/build_recommend.py (seeded)"),
        "table": "package_installs/items.csv",
    }
