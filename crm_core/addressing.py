"""Forms of address around a person's name: "Mr. Goh", "Frau Schröder", "Khun Somchai",
"Tanaka-san".

A rep writes a person the way they address them, and the parser keeps the name as written
(the contract's "a person's name as written"); the record holds the name alone, so the
contact saved as "Ms. Anna Kowalska" is found again as "Anna Kowalska", "Ms. Kowalska" or
"Kowalska-san". One home for the words, shared by the parser (which also reads a form of
address as the mark of a person, not a company) and the contact services.
"""

from __future__ import annotations

import re

# Before a name. Words that are also names or companies' words ("Don Pedro", "Pan Asia", "Pak
# Choi Farms") are forms of address only before a capitalised word, which the callers check.
PREFIXES = (
    "mr mrs ms miss mx dr dra doctor prof professor herr frau dona don sr sra señor señora senhor "
    "senhora eng engr ing pan pani madame madam mme monsieur m sig signor signora khun pak ibu "
    "alhaji alhaja hajia mallam auntie aunty"
).split()
# After a name, joined by a hyphen or a space: Japanese "-san", "-sama", "-sensei".
SUFFIXES = ("san", "sama", "sensei")

LEADING = re.compile(
    r"^(?:" + "|".join(map(re.escape, PREFIXES)) + r"|sig\.ra)\.?\s+(?=\S)", re.IGNORECASE
)
TRAILING = re.compile(r"(?<=\w)(?:-|\s)(?:" + "|".join(SUFFIXES) + r")$", re.IGNORECASE)


def without_address(name: str) -> str:
    """The name alone: "Mr. Goh" -> "Goh", "Tanaka-san" -> "Tanaka"; the name itself when it
    is nothing but a form of address."""
    bare = TRAILING.sub("", LEADING.sub("", name.strip())).strip()
    return bare or name.strip()


def is_addressed(name: str) -> bool:
    """Whether the name carries a form of address ("Ms. Tran", "Ishida-san")."""
    return without_address(name) != name.strip()
