"""Each service write is all-or-nothing, even inside a caller's longer transaction.

The caller owns the transaction (`with Session() as s, s.begin():`); a write runs inside a
SAVEPOINT so that when it raises, everything it did is undone and the caller's earlier work
survives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")


def atomic(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = kwargs.get("session")
        if not isinstance(session, Session):
            raise TypeError(f"{func.__name__} needs session= as a keyword argument")
        with session.begin_nested():
            return func(*args, **kwargs)

    return wrapper
