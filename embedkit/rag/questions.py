"""A question set with known answers, built from the kit's WordNet glosses: "What is a ...?".

Each WordNet entry becomes one passage, ``"headword: definition"``. A question
asks what a word is ("What is a pisiform?"); the known answer is its WordNet
definition, and the passage that answers it is that entry. Without the passage
a small language model makes up something for rare words such as *pisiform*
or *timbrel*; with it, the definition is there to use. That is exactly what
retrieval is supposed to buy, so the set measures it. An answer counts as
right when it holds at least half of the definition's content words
(:func:`~embedkit.rag.evaluation.answer_is_correct`).

The question names the headword, which the passage contains, so retrieval is
easy here (also for a keyword method): the set measures the generator's use of
context more than the retriever's grasp of meaning.

>>> from embedkit.rag.questions import glossary_passages, definition_questions
>>> questions = definition_questions(n=5)
>>> len(questions), list(questions.columns)
(5, ['question', 'answer', 'word', 'passage', 'category'])
>>> passages = glossary_passages()
>>> all(passages[p].startswith(w + ":") for p, w in zip(questions.passage, questions.word))
True
"""

from __future__ import annotations

import pandas as pd

from embedkit.errors import InputError
from embedkit.validation import check_k

__all__ = ["glossary_passages", "definition_questions"]


def glossary_passages(glosses: pd.DataFrame | None = None) -> pd.Series:
    """Every WordNet entry as one passage, ``"headword: definition"``, in the data's row order.

    >>> glossary_passages().iloc[0]
    'peeper: an animal that makes short high-pitched sounds'
    """
    if glosses is None:
        from embedkit.examples import load_example

        glosses = load_example("wordnet_glosses")
    return glosses.lemma + ": " + glosses.text


def _eligible(glosses: pd.DataFrame) -> pd.Series:
    words = glosses.text.str.split().str.len()
    in_own_definition = [lemma.lower() in text.lower() for lemma, text in zip(glosses.lemma, glosses.text)]
    unique = ~glosses.lemma.duplicated(keep=False)
    # A single word, a definition of a useful length that does not give the word away.
    return (~glosses.lemma.str.contains(" ")) & words.between(4, 20) & ~pd.Series(in_own_definition,
                                                                                  index=glosses.index) & unique


def definition_questions(n: int = 50, random_state: int = 0, glosses: pd.DataFrame | None = None) -> pd.DataFrame:
    """``n`` questions "What is a <word>?", spread evenly over the WordNet categories.

    Columns: ``question``, ``answer`` (the definition), ``word``, ``passage`` (the answering
    passage's row in :func:`glossary_passages`), ``category``. Seeded: the same
    ``random_state`` gives the same questions.

    >>> definition_questions(n=3).question.tolist()
    ['What is a trumpeter?', 'What is a timbrel?', 'What is a pisiform?']
    """
    if glosses is None:
        from embedkit.examples import load_example

        glosses = load_example("wordnet_glosses")
    missing = {"lemma", "text", "category"} - set(getattr(glosses, "columns", []))
    if missing:
        raise InputError(f"glosses needs the columns lemma, text and category (as in "
                         f"load_example('wordnet_glosses')); missing {sorted(missing)}.")
    pool = glosses[_eligible(glosses)]
    n = check_k(n, 10**9, name="n")
    if n > len(pool):
        raise InputError(f"Only {len(pool)} entries are usable as questions; ask for n <= {len(pool)}.")
    # Round-robin over categories in a seeded order, so every category is represented.
    shuffled = pool.sample(frac=1.0, random_state=random_state)
    shuffled = shuffled.assign(turn=shuffled.groupby("category").cumcount()).sort_values(["turn", "category"],
                                                                                          kind="stable")
    chosen = shuffled.head(n)
    definition = chosen.text.str.replace(r"\s*\([^)]*\)\s*", " ", regex=True).str.strip()
    words = chosen.lemma
    asked = ["What is " + (w if w[0].isupper() else f"an {w}" if w[0] in "aeiou" else f"a {w}") + "?" for w in words]
    return pd.DataFrame({"question": asked, "answer": definition.values, "word": words.values,
                         "passage": chosen.index.values, "category": chosen.category.values}).reset_index(drop=True)
