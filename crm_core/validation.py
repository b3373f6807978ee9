"""Input checks shared by every service: refuse bad input with a typed, readable error
before anything is written."""

from __future__ import annotations

import os
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from crm_core.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

MAX_NAME = 200
MAX_PERSON = 120
MAX_TEXT = 4000
MAX_AMOUNT = Decimal("999999999999.99")
# Numbers typed without a country code are read as this region's (ISO 3166 code).
DEFAULT_PHONE_REGION = "US"


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
    """A well-formed address (email-validator's syntax rules, no network look-up), with its
    domain in lower case; None for nothing."""
    if value is None or not value.strip():
        return None
    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValidationError(
            f"{value.strip()!r} is not a valid email address", field="email"
        ) from exc


def clean_phone(value: str | None, *, region: str | None = None) -> str | None:
    """A number that can exist (the right length for its country, by `phonenumbers`), kept
    as written: test and fictional ranges ("555") are possible though not assigned, and the
    team sees the number the way it was typed."""
    if value is None or not value.strip():
        return None
    value = " ".join(value.split())
    region = region or os.environ.get("CRMBOT_PHONE_REGION") or DEFAULT_PHONE_REGION
    try:
        number = phonenumbers.parse(value, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(f"{value!r} is not a valid phone number", field="phone") from exc
    if not phonenumbers.is_possible_number(number):
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
