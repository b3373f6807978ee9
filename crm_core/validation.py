"""Input checks shared by every service: refuse bad input with a typed, readable error
before anything is written."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from crm_core.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

MAX_NAME = 200
MAX_PERSON = 120
MAX_TEXT = 4000
MAX_AMOUNT = Decimal("999999999999.99")
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ().\-/]+$")


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value)


def clean_name(value: str | None, *, field: str = "name", max_len: int = MAX_NAME) -> str:
    if value is None or not str(value).strip():
        raise ValidationError(f"{field} is empty", field=field)
    value = " ".join(str(value).split())
    if len(value) > max_len:
        raise ValidationError(f"{field} is longer than {max_len} characters", field=field)
    if _has_control(value):
        raise ValidationError(f"{field} contains control characters", field=field)
    return value


def clean_text(
    value: str | None, *, field: str = "text", max_len: int = MAX_TEXT, allow_empty: bool = True
) -> str:
    value = (value or "").strip()
    if not value and not allow_empty:
        raise ValidationError(f"{field} is empty", field=field)
    if len(value) > max_len:
        raise ValidationError(f"{field} is longer than {max_len} characters", field=field)
    if _has_control(value):
        raise ValidationError(f"{field} contains control characters", field=field)
    return value


def clean_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise ValidationError(f"{value!r} is not a valid email address", field="email")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = " ".join(value.split())
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS_RE.match(value) or not 7 <= len(digits) <= 15:
        raise ValidationError(f"{value!r} is not a valid phone number", field="phone")
    return value


def clean_amount(value: object, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"{field} {value!r} is not a number", field=field) from exc
    if not amount.is_finite():
        raise ValidationError(f"{field} must be a finite number", field=field)
    if amount < 0:
        raise ValidationError(f"{field} cannot be negative", field=field)
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{field} {amount} is too large", field=field)
    return amount.quantize(Decimal("0.01"))


def clean_probability(value: object) -> Decimal:
    try:
        probability = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            f"probability {value!r} is not a number", field="probability"
        ) from exc
    if not probability.is_finite() or not Decimal(0) <= probability <= Decimal(1):
        raise ValidationError("probability must be between 0 and 1", field="probability")
    return probability


def clean_choice(value: str | None, choices: type[E], *, field: str) -> E:
    try:
        return choices(str(value).strip().lower())
    except ValueError as exc:
        allowed = ", ".join(c.value for c in choices)
        raise ValidationError(
            f"unknown {field} {value!r}: use one of {allowed}", field=field
        ) from exc


def require_aware(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{field} needs a time zone", field=field)
    return value
