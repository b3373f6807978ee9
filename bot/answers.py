"""Reading short answers to the bot's own questions: yes, no, cancel, "2", "the second"."""

from __future__ import annotations

import re

YES = {
    "yes",
    "y",
    "yep",
    "yeah",
    "yup",
    "sure",
    "ok",
    "okay",
    "confirm",
    "correct",
    "right",
    "do it",
    "go ahead",
    "please do",
    "yes please",
    "affirmative",
    "absolutely",
    "👍",
    "ja",
    "si",
    "oui",
    "of course",
    "create it",
    "go",
    "yes do it",
}
NO = {
    "no",
    "n",
    "nope",
    "nah",
    "don't",
    "dont",
    "do not",
    "wrong",
    "not that",
    "no thanks",
    "negative",
    "👎",
    "nein",
    "non",
    "no way",
}
CANCEL = {
    "cancel",
    "stop",
    "never mind",
    "nevermind",
    "forget it",
    "abort",
    "quit",
    "exit",
    "cancel that",
    "forget that",
    "skip",
    "drop it",
}
UNDO = {
    "undo",
    "undo that",
    "undo last",
    "revert",
    "revert that",
    "take that back",
    "undo my last change",
    "oops undo",
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "last": -1,
}
HELP = {
    "help",
    "help me",
    "help please",
    "what can you do",
    "what can i say",
    "what do i say",
    "how does this work",
    "how do i use this",
    "?",
}
# "None of these" to a choice of known customers: the name typed is a new one.
NONE_OF_THESE = re.compile(
    r"^(?:none(?: of (?:these|them|those|the above))?|neither|not (?:any|one) of (?:these|them)"
    r"|(?:it'?s |it is |its )?(?:a )?new(?: one| customer| company| account)?)\b"
)
_STRIP = re.compile(r"[^\w\s'👍👎]+")


def normal(text: str) -> str:
    text = re.sub(r"<@[^>]+>", " ", text)
    return " ".join(_STRIP.sub(" ", text.lower()).split())


def is_yes(text: str) -> bool:
    return normal(text) in YES


def is_no(text: str) -> bool:
    return normal(text) in NO


def is_cancel(text: str) -> bool:
    return normal(text) in CANCEL


def is_undo(text: str) -> bool:
    return normal(text) in UNDO


def pick(text: str, count: int) -> int | None:
    """1-based choice from "2", "#2", "number 2", "the second one", "last"; None otherwise."""
    words = normal(text).replace("number", " ").replace("one", " ").replace("the", " ").split()
    if len(words) != 1:
        return None
    word = words[0].lstrip("#")
    n = int(word) if word.isdigit() else ORDINALS.get(word)
    if n == -1:
        n = count
    return n if n is not None and 1 <= n <= count else None


def is_help(text: str) -> bool:
    """A plea for help, which any question lets through (the question stays open)."""
    return normal(text).strip() in HELP or text.strip() == "?"


def is_none_of_these(text: str) -> bool:
    return bool(NONE_OF_THESE.match(normal(text)))


_FILLER = {"the", "one", "a", "an", "that", "this", "it", "please", "with", "for", "deal", "of"}
_MONEY = re.compile(r"[$€£]?\s?(\d[\d,]*(?:\.\d+)?)")


def pick_by_words(text: str, labels: list[str], amount: float | None = None) -> int | None:
    """A choice named by its content ("the 48k one", "renewal"): the one label that holds
    the amount and every other word said; None when none or several do (1-based)."""
    words = [w for w in normal(text).split() if w not in _FILLER and not w[:1].isdigit()]
    if not words and amount is None:
        return None
    matches = []
    for n, label in enumerate(labels, 1):
        label_words = normal(label).split()
        amounts = {float(m.replace(",", "")) for m in _MONEY.findall(label)}
        if amount is not None and float(amount) not in amounts:
            continue
        if all(any(lw.startswith(w) for lw in label_words) for w in words):
            matches.append(n)
    return matches[0] if len(matches) == 1 else None


MORE = {"more", "next", "show more", "more please", "next page", "the rest", "show the rest"}


def is_more(text: str) -> bool:
    """The next page of the list just shown."""
    return normal(text).strip() in MORE
