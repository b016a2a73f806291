"""The DATEV "Buchungsstapel": journal entries as the CSV file DATEV imports (EXTF format).

The format is DATEV's own description (https://developer.datev.de/datev/platform/de/dtvf:
"Einstieg", "Formate > Header" and "Formate > Buchungsstapel"): header version 700, format
category 21 "Buchungsstapel", format version 13; a header record of 31 fields, the line of
125 column names of DATEV's sample file, then one line per booking. Windows-1252, fields
separated by ";", text fields in double quotes (a quote inside doubled), decimal comma,
CR LF after every line. An amount is always positive; its "S"/"H" flag (Soll/Haben) says
whether it debits or credits the field *Konto*, the other side going to *Gegenkonto*. The
Belegdatum is DDMM, its year that of the header's fiscal year; Belegfeld 1 is the document
(the invoice number, DATEV's key for open items); the Buchungstext at most 60 characters.

**How a journal entry becomes rows.** Each entry has an *anchor*: its receivables account
(else its bank account, else its customer credit account, else its first posting's). Every
other posting becomes one row between the anchor (Konto) and its own account (Gegenkonto).
Output VAT is not written as a row of its own where DATEV computes it: a VAT posting is
folded into the one posting of the same tax category it belongs to (revenue, a discount, a
bad debt, a recovery; the same ``tax_code`` where both have one), whose row then carries the
gross amount, and DATEV splits it again:

- on an *automatic account* (:attr:`~dunlib.ledger.accounts.Chart.automatic`, such as SKR 03
  8400) with no BU key, since the account computes the VAT itself;
- on any other account with the BU key of the VAT's category: "3" (Umsatzsteuer 19 %) for
  standard-rated, "2" (Umsatzsteuer 7 %) for reduced-rated.

DATEV computes the VAT from the gross amount, rounded half up to the cent; the export checks
it is the VAT of the entry (it is whenever the VAT was the net amount times the rate,
rounded) and refuses an entry where it is not, as it refuses a posting on an automatic
account without its VAT (DATEV would compute VAT on it). A VAT posting with no single
partner is written as a row on the VAT account itself.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

import attrs

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.records import TaxCategory
from dunlib.ledger.accounts import CATEGORIZED, Chart, Role
from dunlib.ledger.entries import JournalEntry, Posting

__all__ = [
    "COLUMNS",
    "DatevBooking",
    "DatevHeader",
    "DatevStapel",
    "datev_buchungsstapel",
    "read_buchungsstapel",
]

VERSION = 700
CATEGORY = 21
FORMAT_NAME = "Buchungsstapel"
FORMAT_VERSION = 13

COLUMNS: tuple[str, ...] = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    *(f"Beleginfo - {kind} {n}" for n in range(1, 9) for kind in ("Art", "Inhalt")),
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
    "Abw. Versteuerungsart",
    "Sachverhalt L+L",
    "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer",
    "BU 49 Funktionsergänzung",
    *(
        name
        for n in range(1, 21)
        for name in (f"Zusatzinformation - Art {n}", f"Zusatzinformation- Inhalt {n}")
    ),
    "Stück",
    "Gewicht",
    "Zahlweise",
    "Forderungsart",
    "Veranlagungsjahr",
    "Zugeordnete Fälligkeit",
    "Skontotyp",
    "Auftragsnummer",
    "Buchungstyp",
    "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)",
    "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)",
    "Herkunft-Kz",
    "Buchungs GUID",
    "KOST-Datum",
    "SEPA-Mandatsreferenz",
    "Skontosperre",
    "Gesellschaftername",
    "Beteiligtennummer",
    "Identifikationsnummer",
    "Zeichnernummer",
    "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt",
    "Kennzeichen SoBil-Buchung",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "Steuersatz",
    "Land",
    "Abrechnungsreferenz",
    "BVV-Position",
    "EU-Land u. UStID (Ursprung)",
    "EU-Steuersatz (Ursprung)",
    "Abw. Skontokonto",
)
"""The 125 column names of the booking records, as DATEV's sample file writes them."""

_TAX_KEYS: dict[TaxCategory, tuple[str, Decimal]] = {
    TaxCategory.STANDARD: ("3", Decimal(19)),  # Umsatzsteuer 19 %
    TaxCategory.REDUCED: ("2", Decimal(7)),  # Umsatzsteuer 7 %
}
_DOCUMENT = re.compile(r"[A-Za-z0-9_$&%*+\-/]{1,36}")
_LABEL = re.compile(r"[A-Za-z0-9_.\-/ ]{0,30}")
_INITIALS = re.compile(r"(?:[A-Z]{2})?")
_CENT = Decimal("0.01")
_ANCHORS = (Role.RECEIVABLES, Role.BANK, Role.CUSTOMER_CREDIT)
_ENCODING = "cp1252"


@attrs.frozen(kw_only=True)
class DatevHeader:
    """The header record of a Buchungsstapel as read back: who it is for (``consultant``,
    ``client``), the fiscal year it books into, the account length, the period it covers,
    its label and initials, whether DATEV locks it on import, its currency, the DATEV chart
    ("03", "04" or empty) and when it was made."""

    created: _dt.datetime
    consultant: int
    client: int
    fiscal_year_start: _dt.date
    account_length: int
    start: _dt.date
    end: _dt.date
    label: str
    initials: str
    locked: bool
    currency: str
    skr: str


@attrs.frozen(kw_only=True)
class DatevBooking:
    """One booking record as read back: ``amount`` (positive) debits ``account`` when
    ``side`` is "S" and credits it when "H", the other side going to ``counter_account``;
    ``tax_key`` is the BU-Schlüssel (empty for none), ``day`` and ``month`` the Belegdatum,
    ``document`` Belegfeld 1 and ``text`` the Buchungstext."""

    amount: Decimal
    side: str
    currency: str
    account: str
    counter_account: str
    tax_key: str
    day: int
    month: int
    document: str
    text: str


@attrs.frozen(kw_only=True)
class DatevStapel:
    """A Buchungsstapel as read back: its header, its column names and its bookings."""

    header: DatevHeader
    columns: tuple[str, ...]
    bookings: tuple[DatevBooking, ...]


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _check_account(number: str, length: int) -> str:
    if not (number.isascii() and number.isdigit() and len(number) <= length + 1):
        raise InvalidValueError(
            "Posting.account",
            number,
            f"a DATEV account of at most {length} digits ({length + 1} for a person's account)",
        )
    return number


def _check_document(document: str) -> str:
    if not _DOCUMENT.fullmatch(document):
        raise InvalidValueError(
            "JournalEntry.document",
            document,
            "at most 36 letters A-Z, digits and $ & % * + - / _ (DATEV's Belegfeld 1)",
        )
    return document


def _booking_text(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line[:60].encode(_ENCODING, "replace").decode(_ENCODING)


def _category_of_vat(chart: Chart, account: str) -> TaxCategory | None:
    categories = {cat for role, cat in chart.roles_of(account) if role is Role.OUTPUT_VAT}
    return categories.pop() if len(categories) == 1 else None


def _may_carry(chart: Chart, posting: Posting, category: TaxCategory) -> bool:
    return (
        posting.role in CATEGORIZED
        and posting.role is not Role.OUTPUT_VAT
        and (
            (posting.role, category) in chart.accounts
            and chart.accounts[(posting.role, category)] == posting.account
        )
    )


def _gross_vat(gross: Decimal, rate: Decimal) -> Decimal:
    return (gross * rate / (100 + rate)).quantize(_CENT, ROUND_HALF_UP)


def _anchor(entry: JournalEntry) -> str:
    """The account every row of ``entry`` is booked against (the field Konto)."""
    return next(
        (p.account for role in _ANCHORS for p in entry.postings if p.role is role),
        entry.postings[0].account,
    )


def _rows_of(entry: JournalEntry, chart: Chart, anchor: str) -> Iterator[tuple[str, Decimal, str]]:
    """(counter account, signed amount on it, BU key) for each row of ``entry``."""
    others = [p for p in entry.postings if p.account != anchor]
    folded: dict[int, tuple[Decimal, str]] = {}
    skipped: set[int] = set()
    for index, vat in enumerate(others):
        if vat.role is not Role.OUTPUT_VAT:
            continue
        category = _category_of_vat(chart, vat.account)
        if category is None or category not in _TAX_KEYS:
            continue
        partners = [i for i, p in enumerate(others) if _may_carry(chart, p, category)]
        if len(partners) > 1 and vat.tax_code:
            partners = [i for i in partners if others[i].tax_code == vat.tax_code]
        if len(partners) != 1 or partners[0] in folded:
            continue
        partner = others[partners[0]]
        gross = partner.amount.amount + vat.amount.amount
        rate = chart.automatic.get(partner.account)
        key, key_rate = _TAX_KEYS[category]
        if rate is None:
            rate = key_rate
        else:
            key = ""
        if _gross_vat(gross, rate) != vat.amount.amount:
            raise InvalidValueError(
                "JournalEntry.postings",
                entry,
                f"VAT that DATEV computes from the gross {gross} at {rate} % "
                f"({_gross_vat(gross, rate)}), not {vat.amount.amount}",
            )
        folded[partners[0]] = (gross, key)
        skipped.add(index)
    for index, posting in enumerate(others):
        if index in skipped:
            continue
        amount, key = folded.get(index, (posting.amount.amount, ""))
        if index not in folded and posting.account in chart.automatic:
            raise InvalidValueError(
                "JournalEntry.postings",
                entry,
                f"the VAT of the posting on the automatic account {posting.account}: "
                "DATEV computes VAT on it (book it on an account without automatic VAT)",
            )
        if amount:
            yield posting.account, amount, key


def _row(
    entry: JournalEntry, anchor: str, counter: str, amount: Decimal, key: str, currency: str
) -> str:
    fields = [""] * len(COLUMNS)
    fields[0] = _amount(abs(amount))
    fields[1] = _text("H" if amount > 0 else "S")
    fields[2] = _text(currency)
    fields[6] = anchor
    fields[7] = counter
    fields[8] = _text(key) if key else ""
    fields[9] = entry.on.strftime("%d%m")
    fields[10] = _text(entry.document)
    fields[13] = _text(_booking_text(entry.text))
    return ";".join(fields)


def _is_day(value: object) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


def _check_parameters(
    consultant: int, client: int, account_length: int, label: str, initials: str
) -> None:
    if type(consultant) is not int or not 1001 <= consultant <= 9_999_999:
        raise InvalidValueError(
            "datev_buchungsstapel.consultant", consultant, "a DATEV Beraternummer 1001-9999999"
        )
    if type(client) is not int or not 1 <= client <= 99_999:
        raise InvalidValueError(
            "datev_buchungsstapel.client", client, "a DATEV Mandantennummer 1-99999"
        )
    if type(account_length) is not int or not 4 <= account_length <= 8:
        raise InvalidValueError(
            "datev_buchungsstapel.account_length", account_length, "a Sachkontenlänge 4-8"
        )
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise InvalidValueError(
            "datev_buchungsstapel.label",
            label,
            "at most 30 letters A-Z, digits, spaces and . - / _",
        )
    if not isinstance(initials, str) or not _INITIALS.fullmatch(initials):
        raise InvalidValueError(
            "datev_buchungsstapel.initials", initials, "two capital letters A-Z, or none"
        )


def _fiscal_year_end(start: _dt.date) -> _dt.date:
    try:
        following = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        following = start.replace(year=start.year + 1, day=28) + _dt.timedelta(days=1)
    return following - _dt.timedelta(days=1)


def datev_buchungsstapel(
    entries: Iterable[JournalEntry],
    *,
    chart: Chart,
    consultant: int,
    client: int,
    fiscal_year_start: _dt.date,
    created: _dt.datetime,
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    account_length: int = 4,
    label: str = "dunlib",
    initials: str = "",
    locked: bool = False,
) -> bytes:
    """The DATEV Buchungsstapel (EXTF, format version 13) of ``entries``, booked on
    ``chart``, for the tax adviser ``consultant`` (Beraternummer) and the ``client``
    (Mandantennummer), in the fiscal year beginning ``fiscal_year_start``.

    ``created`` is the time the file is made (written to the header; dunlib reads no
    clock); ``start`` and ``end`` the period it covers (by default the first and last day
    booked); ``account_length`` the client's Sachkontenlänge; ``label`` and ``initials``
    the batch's Bezeichnung and Diktatkürzel; ``locked`` has DATEV lock (festschreiben) the
    batch on import. All entries must be in euros and within the fiscal year and the
    period; a document must be a valid Belegfeld 1. The module's docstring says how an
    entry becomes rows.
    """
    _check_parameters(consultant, client, account_length, label, initials)
    if not isinstance(chart, Chart):
        raise InvalidTypeError("datev_buchungsstapel.chart", chart, "a Chart, such as SKR03")
    if not _is_day(fiscal_year_start):
        raise InvalidTypeError(
            "datev_buchungsstapel.fiscal_year_start", fiscal_year_start, "a date"
        )
    if not isinstance(created, _dt.datetime):
        raise InvalidTypeError("datev_buchungsstapel.created", created, "a datetime")
    for name, day in (("start", start), ("end", end)):
        if day is not None and not _is_day(day):
            raise InvalidTypeError(f"datev_buchungsstapel.{name}", day, "a date or None")
    if not isinstance(entries, Iterable):
        raise InvalidTypeError(
            "datev_buchungsstapel.entries", entries, "an iterable of JournalEntry values"
        )
    year_end = _fiscal_year_end(fiscal_year_start)
    lines: list[str] = []
    days: list[_dt.date] = []
    for entry in entries:
        if not isinstance(entry, JournalEntry):
            raise InvalidTypeError("datev_buchungsstapel.entries", entry, "JournalEntry values")
        currency = entry.postings[0].amount.currency
        if currency != "EUR":
            raise InvalidValueError(
                "JournalEntry.postings", entry, "amounts in EUR (no exchange rate is known)"
            )
        if not fiscal_year_start <= entry.on <= year_end:
            raise InvalidValueError(
                "JournalEntry.on",
                entry.on,
                f"a day of the fiscal year {fiscal_year_start} to {year_end}",
            )
        _check_document(entry.document)
        anchor = _check_account(_anchor(entry), account_length)
        for counter, amount, key in _rows_of(entry, chart, anchor):
            _check_account(counter, account_length)
            lines.append(_row(entry, anchor, counter, amount, key, currency))
        days.append(entry.on)
    first = start if start is not None else min(days, default=fiscal_year_start)
    last = end if end is not None else max(days, default=fiscal_year_start)
    if first > last or any(not first <= day <= last for day in days):
        raise InvalidValueError(
            "datev_buchungsstapel.start",
            (start, end),
            "a period holding every entry's day, start before end",
        )
    header = ";".join(
        [
            _text("EXTF"),
            str(VERSION),
            str(CATEGORY),
            _text(FORMAT_NAME),
            str(FORMAT_VERSION),
            created.strftime("%Y%m%d%H%M%S") + f"{created.microsecond // 1000:03d}",
            "",
            _text("RE"),
            _text(""),
            _text(""),
            str(consultant),
            str(client),
            fiscal_year_start.strftime("%Y%m%d"),
            str(account_length),
            first.strftime("%Y%m%d"),
            last.strftime("%Y%m%d"),
            _text(label),
            _text(initials),
            "1",
            "0",
            "1" if locked else "0",
            _text("EUR"),
            "",
            _text(""),
            "",
            "",
            _text(chart.skr),
            "",
            "",
            _text(""),
            _text(""),
        ]
    )
    text = "\r\n".join([header, ";".join(COLUMNS), *lines]) + "\r\n"
    return text.encode(_ENCODING)


def _date(value: str, field: str) -> _dt.date:
    try:
        return _dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise InvalidValueError(
            f"read_buchungsstapel.header.{field}", value, "a date YYYYMMDD"
        ) from None


def _number(value: str, field: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise InvalidValueError(f"read_buchungsstapel.header.{field}", value, "a number of digits")
    return int(value)


def _header(fields: list[str]) -> DatevHeader:
    expected = ["EXTF", str(VERSION), str(CATEGORY), FORMAT_NAME, str(FORMAT_VERSION)]
    if len(fields) != 31 or fields[:5] != expected:
        raise InvalidValueError(
            "read_buchungsstapel.header",
            fields[:5],
            f"an EXTF Buchungsstapel header of 31 fields: {expected}",
        )
    stamp = fields[5]
    try:
        created = _dt.datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(
            microsecond=int(stamp[14:]) * 1000
        )
    except ValueError:
        raise InvalidValueError(
            "read_buchungsstapel.header.Erzeugt am", stamp, "YYYYMMDDHHMMSSFFF"
        ) from None
    return DatevHeader(
        created=created,
        consultant=_number(fields[10], "Beraternummer"),
        client=_number(fields[11], "Mandantennummer"),
        fiscal_year_start=_date(fields[12], "WJ-Beginn"),
        account_length=_number(fields[13], "Sachkontenlänge"),
        start=_date(fields[14], "Datum vom"),
        end=_date(fields[15], "Datum bis"),
        label=fields[16],
        initials=fields[17],
        locked=fields[20] == "1",
        currency=fields[21],
        skr=fields[26],
    )


def _booking(at: int, fields: list[str]) -> DatevBooking:
    """Booking record ``at`` (from 0), its problems named by its position and column."""
    where = f"read_buchungsstapel.bookings[{at}]"
    if len(fields) != len(COLUMNS):
        raise InvalidValueError(where, fields, f"{len(COLUMNS)} fields")
    amount, day = fields[0], fields[9]
    if not re.fullmatch(r"\d{1,10},\d{2}", amount):
        raise InvalidValueError(f"{where}.Umsatz", amount, "a positive amount with a decimal comma")
    if fields[1] not in ("S", "H"):
        raise InvalidValueError(f"{where}.Soll/Haben-Kennzeichen", fields[1], '"S" or "H"')
    if not re.fullmatch(r"\d{4}", day):
        raise InvalidValueError(f"{where}.Belegdatum", day, "DDMM")
    return DatevBooking(
        amount=Decimal(amount.replace(",", ".")),
        side=fields[1],
        currency=fields[2],
        account=fields[6],
        counter_account=fields[7],
        tax_key=fields[8],
        day=int(day[:2]),
        month=int(day[2:]),
        document=fields[10],
        text=fields[13],
    )


def read_buchungsstapel(data: bytes) -> DatevStapel:
    """Read a DATEV Buchungsstapel back, field by field: its header, its column names and
    its booking records (see :func:`datev_buchungsstapel`)."""
    if not isinstance(data, bytes):
        raise InvalidTypeError("read_buchungsstapel.data", data, "the bytes of a DATEV file")
    text = data.decode(_ENCODING, "replace")
    if not text.endswith("\r\n"):
        raise InvalidValueError("read_buchungsstapel.data", text[-20:], "lines ending in CR LF")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    records = list(reader)
    if len(records) < 2:
        raise InvalidValueError(
            "read_buchungsstapel.data", text[:80], "a header record and the column names"
        )
    header = _header(records[0])
    columns = tuple(records[1])
    if columns != COLUMNS:
        raise InvalidValueError(
            "read_buchungsstapel.columns", columns[:3], "the 125 columns of format version 13"
        )
    return DatevStapel(
        header=header,
        columns=columns,
        bookings=tuple(_booking(at, fields) for at, fields in enumerate(records[2:])),
    )
