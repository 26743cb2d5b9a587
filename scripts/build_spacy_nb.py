"""Build the Norwegian Bokmål spaCy pipeline used by the NLU pipeline.

spaCy ships tokenisation rules for "nb", and spacy-lookups-data ships two lemma
resources: a small lookup table (about 1.6k forms) and the Norsk Ordbank word
forms (CC BY 4.0, about 565k forms split by part of speech) that spaCy only
uses in rule mode, which needs a POS tagger nobody ships for "nb". This script
merges both into one lookup table, so that a blank pipeline lemmatises without
a tagger, and writes the pipeline to disk for Rasa's SpacyNLP component.

Trimming keeps the table small: forms that equal their lemma are dropped (the
lookup falls back to the form itself), as are multi-word and hyphenated
entries, which the tokenizer never produces as one token, and spaCy's
Norwegian stop words ("for" would otherwise become the verb "fore").
spaCy's lookup lemmatizer is case-sensitive, so each form is stored in lower
case and capitalised (sentence-initial "Barnevernet").

Usage: python scripts/build_spacy_nb.py OUTPUT_DIR
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import spacy
import spacy_lookups_data
from spacy.lang.nb.stop_words import STOP_WORDS
from spacy.lookups import Lookups

# When one form belongs to several parts of speech, the first listed wins.
# Verbs first: practitioners ask what to do ("kontakter", "melder").
POS_PRIORITY = ("verb", "noun", "adj", "adv")


def _data_file(name: str) -> Path:
    return Path(spacy_lookups_data.__file__).parent / "data" / name


def build_lemma_table() -> dict[str, str]:
    with gzip.open(_data_file("nb_lemma_exc.json.gz"), "rt", encoding="utf8") as f:
        exceptions: dict[str, dict[str, list[str]]] = json.load(f)
    with gzip.open(_data_file("nb_lemma_lookup.json.gz"), "rt", encoding="utf8") as f:
        stock: dict[str, str] = json.load(f)

    table: dict[str, str] = {}
    for pos in reversed(POS_PRIORITY):  # later (higher priority) overwrite
        for form, lemmas in exceptions.get(pos, {}).items():
            if not lemmas or " " in form or "-" in form:
                continue
            form_lc, lemma = form.lower(), lemmas[0].lower()
            if form_lc != lemma:
                table[form_lc] = lemma
    for form, lemma in stock.items():
        form_lc = form.lower()
        if form_lc != lemma.lower() and form_lc not in table:
            table[form_lc] = lemma.lower()
    table = {form: lemma for form, lemma in table.items() if form not in STOP_WORDS}
    table.update({form.capitalize(): lemma for form, lemma in list(table.items())})
    return table


def main(out_dir: str) -> None:
    table = build_lemma_table()
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)

    nlp = spacy.blank("nb")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize(lookups=lookups)
    nlp.meta["name"] = "veiviser_nb"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "Blank Norwegian Bokmål pipeline with a lookup lemmatizer built from "
        "spacy-lookups-data (Norsk Ordbank forms, CC BY 4.0)."
    )
    Path(out_dir).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    print(f"Wrote {out_dir}: {len(table)} lemma forms")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
