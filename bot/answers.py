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
