"""Is this record already there? Same email, same phone number (compared in E.164), same
company name once legal forms and accents are dropped ("Müller GmbH" = "Muller"), or a name
close enough by edit distance. The index grows as the import adds records, so duplicates
within one file are caught as well as those against the database."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from cleanco import basename
from rapidfuzz import fuzz, process

from crm_core.importing.values import phone_key
from crm_core.names import name_key

# Two company names this close (0..100, rapidfuzz ratio over company keys) are reported.
FUZZY_DUPLICATE = 92.0


def _digits(key: str) -> str:
    """ "Store 12" and "Store 13" are close by edit distance and still two shops."""
    return "".join(ch for ch in key if ch.isdigit())


@functools.lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """cleanco strips legal forms in many languages (S.A., GmbH, Kft., ...); name_key then
    folds accents, case and punctuation and strips the suffixes cleanco kept ("Corp.")."""
    return name_key(basename(name) or name) or name_key(name)


@dataclass(frozen=True)
class Match:
    id: int
    reason: str  # email | phone | name | fuzzy name
    score: float = 100.0


@dataclass
class DuplicateIndex:
    """Records by email, phone key and company key. Fuzzy lookups are blocked by the key's
    first three letters and its length: a ratio of 92 or more needs lengths within about
    15% of each other, so only those buckets are scored, not every record."""

    region: str | None = None
    by_email: dict[str, int] = field(default_factory=dict)
    by_phone: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    by_stem: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def add(
        self, record_id: int, *, name: str | None, email: str | None, phone: str | None
    ) -> None:
        if email:
            self.by_email.setdefault(email.lower(), record_id)
        key_phone = phone_key(phone, region=self.region)
        if key_phone:
            self.by_phone.setdefault(key_phone, record_id)
        if name:
            key = company_key(name)
            if key and key not in self.by_name:
                self.by_name[key] = record_id
                self.by_stem.setdefault((key[:3], len(key)), []).append(key)

    def find(
        self, *, name: str | None, email: str | None, phone: str | None, fuzzy: bool = True
    ) -> Match | None:
        if email and (found := self.by_email.get(email.lower())) is not None:
            return Match(found, "same email")
        key_phone = phone_key(phone, region=self.region)
        if key_phone and (found := self.by_phone.get(key_phone)) is not None:
            return Match(found, "same phone")
        if not name:
            return None
        key = company_key(name)
        if key and (found := self.by_name.get(key)) is not None:
            return Match(found, "same name")
        if fuzzy and key:
            stem, size, digits = key[:3], len(key), _digits(key)
            pool = [
                other
                for length in range(int(size * 0.85), int(size * 1.18) + 2)
                for other in self.by_stem.get((stem, length), ())
            ]
            for other, score, _ in process.extract(
                key, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_DUPLICATE, limit=5
            ):
                if _digits(other) == digits:
                    return Match(self.by_name[other], f"similar name ({other})", float(score))
        return None


def pairs(
    records: Iterable[tuple[int, str, str | None, str | None]],
    *,
    region: str | None = None,
    min_score: float = FUZZY_DUPLICATE,
) -> list[tuple[int, int, float, str]]:
    """Likely duplicate pairs among (id, name, email, phone) records: (first id, second id,
    score, reason), each pair once, best first."""
    found: dict[tuple[int, int], tuple[float, str]] = {}
    keys: dict[int, str] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for record_id, name, email, phone in records:
        key = company_key(name)
        keys[record_id] = key
        for label, value in (
            ("same email", email.lower() if email else None),
            ("same phone", phone_key(phone, region=region)),
            ("same name", key or None),
        ):
            if value:
                groups.setdefault((label, value), []).append(record_id)
    for (label, _), ids in groups.items():
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                pair = (min(first, second), max(first, second))
                found.setdefault(pair, (100.0, label))
    # Blocked as in DuplicateIndex: same first three letters, lengths within the band a
    # ratio of min_score allows; each bucket is scored against itself and the longer ones.
    buckets: dict[tuple[str, int], list[int]] = {}
    for record_id, key in keys.items():
        if key:
            buckets.setdefault((key[:3], len(key)), []).append(record_id)
    factor = 100.0 / max(min_score, 1.0) * 2 - 1  # longest length / shortest the score allows
    for (stem, size), ids in buckets.items():
        pool = [
            other
            for length in range(size, int(size * factor) + 2)
            for other in buckets.get((stem, length), ())
        ]
        if len(pool) < 2:
            continue
        matrix = process.cdist(
            [keys[i] for i in ids],
            [keys[i] for i in pool],
            scorer=fuzz.ratio,
            score_cutoff=min_score,
        )
        for a, row in enumerate(matrix):
            for b, score in enumerate(row):
                first, second = ids[a], pool[b]
                if (
                    score >= min_score
                    and first != second
                    and keys[first] != keys[second]
                    and _digits(keys[first]) == _digits(keys[second])
                ):
                    pair = (min(first, second), max(first, second))
                    found.setdefault(pair, (float(score), "similar name"))
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    return [(a, b, score, reason) for (a, b), (score, reason) in ranked if score >= min_score]
