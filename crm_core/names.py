"""Comparable keys for company names, so "ACME Corp., Inc." and "acme" meet.

Legal-form suffixes carry no identity; dropping them is what lets a rep type the short name.
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_SUFFIXES = frozenset(
    """inc incorporated corp corporation co company ltd limited llc llp plc gmbh ag sa sas sarl
    bv nv oy ab as spa srl pty kk group holdings""".split()
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def name_key(name: str) -> str:
    """Lower-case, accent-free, punctuation-free, legal suffixes removed from the end."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    words = [w for w in _NON_WORD.sub(" ", text).split() if w]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)
