"""The trained entity recogniser for the open-class names: customers and contacts.

Rules cannot enumerate names ("kowalski bau", "Ben n Jerry's", "May Department Stores"); a small
spaCy ``ner`` over our normalised tokens learns their shapes from the generated data (faker names
in many locales plus hard real-world shapes) and from the training voices. The gazetteer is
evidence, not the only source: a known customer's tokens carry the NORM "__customer__", and half of
the training names are marked so, as they will be once the engine sets the gazetteer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

LABELS = ("CUSTOMER", "CONTACT")
NER_WIDTH = 64
NER_EPOCHS = 8

NER_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 48,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": NER_WIDTH,
            "depth": 2,
            "embed_size": 4000,
            "window_size": 1,
            "maxout_pieces": 2,
            "subword_features": True,
        },
    }
}


def name_spans(row: dict) -> list[tuple[str, str]]:
    """(surface, label) of the names a labelled row mentions, its `also` parts included."""
    out: list[tuple[str, str]] = []
    parts = [row.get("entities") or {}] + [a.get("entities") or {} for a in row.get("also") or []]
    for ents in parts:
        for key, label in (("customer", "CUSTOMER"), ("into", "CUSTOMER"), ("contact", "CONTACT")):
            value = ents.get(key)
            if isinstance(value, str) and value.strip() and (value, label) not in out:
                out.append((value, label))
    return out


def char_entities(text: str, names: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Character offsets of each name in the text (first occurrence, case-insensitive)."""
    low = text.lower()
    found: list[tuple[int, int, str]] = []
    for surface, label in names:
        at = low.find(surface.lower())
        while at >= 0:
            end = at + len(surface)
            # whole words only: "Acme" in "Acmeville" is no mention
            ok_left = at == 0 or not low[at - 1].isalnum()
            ok_right = end >= len(low) or not low[end].isalnum()
            if ok_left and ok_right and not any(a < end and at < b for a, b, _ in found):
                found.append((at, end, label))
                break
            at = low.find(surface.lower(), at + 1)
    return sorted(found)


def train_ner(
    nlp: Any,
    docs: list[Any],
    rows: list[dict],
    seed: int,
    *,
    epochs: int = NER_EPOCHS,
    log: Callable[[str], None] = print,
) -> None:
    """Add and train the ``ner`` component on docs already run through merge/normalizer."""
    from spacy.training import Example
    from spacy.util import minibatch

    from intents.components import use_numpy_matmul

    ner = nlp.add_pipe("ner", config=NER_CONFIG, last=True)
    use_numpy_matmul(nlp)
    for label in LABELS:
        ner.add_label(label)
    examples = []
    for doc, row in zip(docs, rows, strict=True):
        spans: list[Any] = []
        for start, end, label in char_entities(doc.text, name_spans(row)):
            sp = doc.char_span(start, end, label=label, alignment_mode="expand")
            if sp is not None and not any(s.start < sp.end and sp.start < s.end for s in spans):
                spans.append(sp)
        ents = [(s.start_char, s.end_char, s.label_) for s in spans]
        examples.append(Example.from_dict(doc, {"entities": ents}))
    ner.initialize(lambda: examples[:1000], nlp=nlp)
    optimizer = nlp.create_optimizer()
    order = random.Random(seed + 5)
    for epoch in range(epochs):
        order.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=32):
            ner.update(batch, sgd=optimizer, losses=losses, drop=0.1)
        log(f"ner epoch {epoch + 1:2d}  loss {losses.get('ner', 0.0):.2f}")
