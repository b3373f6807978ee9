"""Cell values as other tools write them, turned into ours: dates in ISO, US and European
forms, amounts with currency signs and separators, percentages, stage and type names from
other CRMs, emails and phone numbers (checked by `email-validator` and `phonenumbers`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation

import phonenumbers

from crm_core import validation
from crm_core.errors import ValidationError
from crm_core.importing.headers import header_key


class CellError(ValueError):
    """A cell that cannot be read; the row goes to the error report with this reason."""


DATE_ORDERS = ("DMY", "MDY", "YMD")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})$")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "jan january janv januar enero",
            "feb february fev fevr februar febrero",
            "mar march mars marz marzo",
            "apr april avr avril abril",
            "may mai mayo",
            "jun june juin juni junio",
            "jul july juil juillet juli julio",
            "aug august aou aout agosto",
            "sep sept september septembre septiembre",
            "oct october okt oktober octubre",
            "nov november novembre noviembre",
            "dec december dez dezember diciembre",
        )
    )
    for m in names.split()
}
_WORDY = re.compile(r"^(\d{1,2})?\s*([a-z]+)\.?\s*(\d{1,2})?,?\s*(\d{4})$")


def parse_date(value: str, *, order: str | None = None) -> date:
    """ISO (2026-03-04), numeric with / . or - (03/04/2026), or with a month name
    ("4 Mar 2026", "March 4, 2026"). A numeric date whose day and month could swap is read
    in `order` (DMY, MDY, YMD); without one, slashes mean US (MDY), dots and dashes European
    (DMY). A day above 12 settles it whatever the order."""
    text = value.strip()
    if match := _ISO.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]), value)
    if match := _NUMERIC.match(text):
        a, sep, b, c = int(match[1]), match[2], int(match[3]), int(match[4])
        if len(match[1]) == 4:
            return _make(a, b, c, value)
        year = c + 2000 if c < 100 else c
        chosen = (order or ("MDY" if sep == "/" else "DMY")).upper()
        month, day = (a, b) if chosen == "MDY" else (b, a)
        if month > 12 >= day:
            month, day = day, month
        return _make(year, month, day, value)
    if match := _WORDY.match(text.lower().replace(",", " ").replace("  ", " ")):
        d1, word, d2, year_text = match.groups()
        found = _MONTHS.get(word[:4]) or _MONTHS.get(word[:3]) or _MONTHS.get(word)
        day_text = d1 or d2
        if found and day_text:
            return _make(int(year_text), found, int(day_text), value)
    raise CellError(f"{value!r} is not a date (e.g. 2026-03-04, 03/04/2026, 4 Mar 2026)")


def _make(year: int, month: int, day: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{value!r} is not a real date") from exc


_TIME = re.compile(
    r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(am|pm)?\s*(z|utc|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def parse_datetime(value: str, *, tz: tzinfo, order: str | None = None) -> datetime:
    """A date with an optional time ("2026-03-04T10:15:00Z", "03/04/2026 2:30 PM"); no offset
    means the team's time zone, no time means midnight there."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    except ValueError:
        pass
    date_part, _, time_part = text.replace("T", " ").partition(" ")
    day = parse_date(date_part, order=order)
    if not time_part.strip():
        return datetime.combine(day, time(0), tzinfo=tz)
    match = _TIME.match(time_part.strip())
    if not match:
        raise CellError(f"{value!r} has a time we cannot read")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise CellError(f"{value!r} has a time we cannot read")
        hour = hour % 12 + (12 if match[4].lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"{value!r} has a time we cannot read")
    zone: tzinfo = tz
    if match[5]:
        offset = match[5].lower()
        zone_text = "+00:00" if offset in ("z", "utc") else offset
        zone = datetime.fromisoformat(f"2000-01-01T00:00{zone_text}").tzinfo or tz
    return datetime.combine(day, time(hour, minute, second), tzinfo=zone)


_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "R$": "BRL", "CHF": "CHF"}
_CODE = re.compile(r"\b([A-Z]{3})\b")


def parse_amount(value: str) -> tuple[Decimal, str | None]:
    """An amount and the currency its cell names, if any: "$1,234.50", "1.234,50 €",
    "EUR 1 234,50", "1'234.50", "USD 12000". The last "," or "." followed by one or two
    digits is the decimal point; every other separator groups thousands."""
    text = value.strip().replace("\u00a0", " ").replace("\u202f", " ")
    currency = None
    for symbol, code in sorted(_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if symbol in text:
            currency = code
            text = text.replace(symbol, "")
            break
    if match := _CODE.search(text.upper()):
        currency = currency or match[1]
        text = _CODE.sub("", text.upper())
    text = text.replace(" ", "").replace("'", "")
    negative = text.startswith("(") and text.endswith(")") or text.startswith("-")
    text = text.strip("()-+")
    if not text or not re.fullmatch(r"[0-9.,]+", text):
        raise CellError(f"{value!r} is not an amount")
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and 1 <= len(text) - last - 1 <= 2:
        whole, fraction = text[:last], text[last + 1 :]
    elif last >= 0 and text.count(text[last]) == 1 and len(text) - last - 1 != 3:
        whole, fraction = text[:last], text[last + 1 :]
    else:
        whole, fraction = text, ""
    whole = whole.replace(",", "").replace(".", "")
    try:
        amount = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation as exc:
        raise CellError(f"{value!r} is not an amount") from exc
    return (-amount if negative else amount), currency


def parse_probability(value: str) -> Decimal:
    """ "40%", "40" or "0.4" -> 0.4."""
    text = value.strip().rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(f"{value!r} is not a probability") from exc
    if value.strip().endswith("%") or number > 1:
        number = number / 100
    if not Decimal(0) <= number <= Decimal(1):
        raise CellError(f"{value!r} is not between 0% and 100%")
    return number.quantize(Decimal("0.0001"))


def clean_email(value: str) -> str:
    """The core's check (email-validator), as a cell error for the import's report."""
    try:
        return validation.clean_email(value) or ""
    except ValidationError as exc:
        raise CellError(str(exc)) from exc


def clean_phone(value: str, *, region: str | None) -> str:
    """A number that can exist (right length for its country), kept as written: test and
    fictional ranges ("555") are possible though not assigned, and a re-export should show
    the number the way the team typed it. Duplicates compare `phone_key`s."""
    try:
        cleaned = validation.clean_phone(value, region=region) or ""
        number = phonenumbers.parse(cleaned, (region or validation.DEFAULT_PHONE_REGION).upper())
    except (ValidationError, phonenumbers.NumberParseException) as exc:
        raise CellError(f"not a possible phone number ({exc})") from exc
    if len(_PHONE_KEYS) > 100_000:
        _PHONE_KEYS.clear()
    _PHONE_KEYS[(cleaned, region)] = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164
    )
    return cleaned


def phone_key(value: str | None, *, region: str | None = None) -> str | None:
    """E.164 form, the key two ways of writing one number share; None when unreadable."""
    if not value:
        return None
    known = _PHONE_KEYS.get((value, region), _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    key = _phone_key(value, region)
    _PHONE_KEYS[(value, region)] = key
    return key


# Numbers this process has parsed: each is parsed once however often it is compared.
_PHONE_KEYS: dict[tuple[str, str | None], str | None] = {}
_UNKNOWN = object()


def _phone_key(value: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Other CRMs' values -> ours. Keys are header_key()s of the foreign value.
DEFAULT_VALUES: dict[str, dict[str, str]] = {
    "stage": {
        # HubSpot's default pipeline (internal ids and labels)
        "appointmentscheduled": "prospecting",
        "qualifiedtobuy": "qualification",
        "presentationscheduled": "proposal",
        "decisionmakerboughtin": "negotiation",
        "contractsent": "negotiation",
        "closedwon": "won",
        "closedlost": "lost",
        # Salesforce
        "prospecting": "prospecting",
        "qualification": "qualification",
        "needsanalysis": "qualification",
        "valueproposition": "proposal",
        "iddecisionmakers": "proposal",
        "perceptionanalysis": "proposal",
        "proposalpricequote": "proposal",
        "negotiationreview": "negotiation",
        # Pipedrive
        "leadin": "prospecting",
        "contactmade": "qualification",
        "demoscheduled": "qualification",
        "proposalmade": "proposal",
        "negotiationsstarted": "negotiation",
        # Zoho and others
        "engaging": "qualification",
        "identifydecisionmakers": "proposal",
        "new": "prospecting",
        "open": "prospecting",
        "won": "won",
        "lost": "lost",
        "closedwonwon": "won",
    },
    "lifecycle": {
        "subscriber": "prospect",
        "lead": "prospect",
        "marketingqualifiedlead": "prospect",
        "salesqualifiedlead": "prospect",
        "opportunity": "prospect",
        "prospect": "prospect",
        "evangelist": "customer",
        "customer": "customer",
        "customerdirect": "customer",
        "customerchannel": "customer",
        "formercustomer": "former",
        "churned": "former",
        "former": "former",
    },
    "status": {
        "new": "new",
        "open": "new",
        "opennotcontacted": "new",
        "notcontacted": "new",
        "attemptedtocontact": "contacted",
        "workingcontacted": "contacted",
        "contacted": "contacted",
        "inprogress": "contacted",
        "connected": "contacted",
        "qualified": "qualified",
        "openqualified": "qualified",
        "closedconverted": "converted",
        "converted": "converted",
        "unqualified": "disqualified",
        "closednotconverted": "disqualified",
        "junklead": "disqualified",
        "badtiming": "disqualified",
        "disqualified": "disqualified",
    },
    "kind": {
        "call": "call",
        "calls": "call",
        "phonecall": "call",
        "email": "email",
        "emails": "email",
        "meeting": "meeting",
        "meetings": "meeting",
        "demo": "demo",
        "note": "note",
        "notes": "note",
        "task": "note",
        "message": "message",
        "sms": "message",
        "linkedinmessage": "message",
        "whatsapp": "message",
        "lunch": "meeting",
        "deadline": "note",
    },
    "role": {
        "rep": "rep",
        "salesrep": "rep",
        "standarduser": "rep",
        "user": "rep",
        "manager": "manager",
        "salesmanager": "manager",
        "admin": "admin",
        "systemadministrator": "admin",
        "administrator": "admin",
        "superadmin": "admin",
    },
}


@dataclass
class ValueMap:
    """The default table extended by the mapping file's [values.FIELD] and --value."""

    tables: dict[str, dict[str, str]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_VALUES.items()}
    )

    def add(self, field_name: str, source: str, target: str) -> None:
        self.tables.setdefault(field_name, {})[header_key(source)] = target

    def map(self, field_name: str, value: str) -> str:
        """Our value for a foreign one; unknown values pass through, lower-cased, for the
        field's own check to accept or refuse."""
        table = self.tables.get(field_name, {})
        return table.get(header_key(value), value.strip().lower())
