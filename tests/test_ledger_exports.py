"""The chart of accounts (SKR03/SKR04 by tax category), the DATEV Buchungsstapel of hand-built
journal entries (byte for byte a committed file, read back field by field) and the beancount
text (loaded by beancount with zero errors, balances equal to the postings' sums)."""

from __future__ import annotations

import datetime as dt
import inspect
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dunlib.ledger as ledger
from builders import call_with_junk
from dunlib import DunlibError, InvalidValueError, Money
from dunlib.core.records import TaxCategory
from dunlib.ledger import (
    CATEGORIZED,
    SKR03,
    SKR04,
    Chart,
    JournalEntry,
    MissingAccountError,
    Posting,
    Role,
    beancount_text,
    datev_buchungsstapel,
    read_buchungsstapel,
)
from dunlib.ledger.datev import COLUMNS
from test_public_api import JUNK

DATA = Path(__file__).parent / "data" / "ledger"
S, R = TaxCategory.STANDARD, TaxCategory.REDUCED
CREATED = dt.datetime(2026, 4, 1, 9, 30, 15, 123000)


def post(role: Role, category: TaxCategory | None, amount: str, code: str = "") -> Posting:
    """A posting on SKR03's account for ``role`` (in ``category``)."""
    return Posting(
        account=SKR03.account(role, category),
        role=role,
        amount=Money(amount, "EUR"),
        tax_code=code,
    )


def entry(
    on: dt.date, text: str, number: int, *postings: Posting, value_date: dt.date | None = None
) -> JournalEntry:
    return JournalEntry(
        on=on,
        document="RE-2026-001",
        text=text,
        entry=number,
        postings=postings,
        value_date=value_date,
    )


# The worked example of the issue: a 119.00 invoice at 19 %, paid with 2 % cash discount;
# then a second invoice at 7 % dunned with a fee and interest, partly paid, written off and
# partly recovered; and a kept overpayment.
SAMPLE = (
    entry(
        dt.date(2026, 3, 2),
        "Rechnung RE-2026-001",
        1,
        post(Role.RECEIVABLES, None, "119.00"),
        post(Role.REVENUE, S, "-100.00", "S19"),
        post(Role.OUTPUT_VAT, S, "-19.00", "S19"),
    ),
    entry(
        dt.date(2026, 3, 10),
        "Zahlung mit 2 % Skonto",
        2,
        post(Role.BANK, None, "116.62"),
        post(Role.DISCOUNTS_GRANTED, S, "2.00", "S19"),
        post(Role.OUTPUT_VAT, S, "0.38", "S19"),
        post(Role.RECEIVABLES, None, "-119.00"),
        value_date=dt.date(2026, 3, 9),
    ),
    attrs.evolve(
        entry(
            dt.date(2026, 4, 1),
            'Rechnung "Bücher" RE-2026-002',
            1,
            post(Role.RECEIVABLES, None, "107.00"),
            post(Role.REVENUE, R, "-100.00", "S7"),
            post(Role.OUTPUT_VAT, R, "-7.00", "S7"),
        ),
        document="RE-2026-002",
    ),
    attrs.evolve(
        entry(
            dt.date(2026, 5, 4),
            "Mahngebühr und Verzugszinsen",
            3,
            post(Role.RECEIVABLES, None, "6.25"),
            post(Role.FEE_INCOME, None, "-5.00"),
            post(Role.INTEREST_INCOME, None, "-1.25"),
        ),
        document="RE-2026-002",
    ),
    attrs.evolve(
        entry(
            dt.date(2026, 6, 30),
            "Forderungsverlust (§ 17 UStG)",
            5,
            post(Role.BAD_DEBTS, R, "50.00", "S7"),
            post(Role.OUTPUT_VAT, R, "3.50", "S7"),
            post(Role.RECEIVABLES, None, "-53.50"),
        ),
        document="RE-2026-002",
    ),
    attrs.evolve(
        entry(
            dt.date(2026, 9, 15),
            "Eingang auf abgeschriebene Forderung",
            6,
            post(Role.BANK, None, "21.40"),
            post(Role.RECOVERIES, R, "-20.00", "S7"),
            post(Role.OUTPUT_VAT, R, "-1.40", "S7"),
            value_date=dt.date(2026, 9, 15),
        ),
        document="RE-2026-002",
    ),
    attrs.evolve(
        entry(
            dt.date(2026, 10, 1),
            "Überzahlung als Guthaben",
            7,
            post(Role.BANK, None, "10.00"),
            post(Role.CUSTOMER_CREDIT, None, "-10.00"),
        ),
        document="RE-2026-003",
    ),
)


def sample_file() -> bytes:
    return datev_buchungsstapel(
        SAMPLE,
        chart=SKR03,
        consultant=29098,
        client=55003,
        fiscal_year_start=dt.date(2026, 1, 1),
        created=CREATED,
        label="Forderungen 2026",
        initials="WD",
    )


# -- the chart -------------------------------------------------------------------------------


def test_accounts_are_chosen_by_tax_category_not_by_rate() -> None:
    """Revenue, VAT, discounts, bad debts and recoveries by category; the others take none."""
    assert SKR03.account(Role.REVENUE, S) == "8400"
    assert SKR03.account(Role.REVENUE, R) == "8300"
    assert SKR03.account(Role.REVENUE, TaxCategory.INTRA_COMMUNITY) == "8125"
    assert SKR04.account(Role.REVENUE, TaxCategory.EXPORT) == "4120"
    assert SKR04.account(Role.OUTPUT_VAT, S) == "3806"
    assert SKR03.account(Role.DISCOUNTS_GRANTED, TaxCategory.EXEMPT) == "8730"
    assert SKR04.account(Role.BAD_DEBTS, R) == "6931"
    assert SKR03.account(Role.RECEIVABLES) == "1410"
    for chart in (SKR03, SKR04):
        for role in Role:
            categories = list(TaxCategory) if role in CATEGORIZED else [None]
            if role is Role.OUTPUT_VAT:
                categories = [S, R]
            for category in categories:
                assert chart.account(role, category).isdigit()


def test_a_missing_account_names_role_and_category() -> None:
    """A 0 % category has no output VAT account: the error says which role and category."""
    with pytest.raises(MissingAccountError) as caught:
        SKR03.account(Role.OUTPUT_VAT, TaxCategory.EXPORT)
    assert (caught.value.role, caught.value.category) == (Role.OUTPUT_VAT, TaxCategory.EXPORT)
    assert "OUTPUT_VAT in category EXPORT" in str(caught.value)
    assert isinstance(caught.value, DunlibError)
    with pytest.raises(MissingAccountError, match="BANK"):
        Chart(name="empty", accounts={}).account(Role.BANK)


def test_a_category_belongs_to_the_roles_that_have_one() -> None:
    with pytest.raises(InvalidValueError, match="REVENUE with a TaxCategory"):
        SKR03.account(Role.REVENUE)
    with pytest.raises(InvalidValueError, match="BANK without a category"):
        SKR03.account(Role.BANK, S)


def test_a_chart_is_data_the_caller_replaces() -> None:
    """A debtor account per customer; a chart built from mappings; junk refused."""
    debtor = SKR03.replaced(Role.RECEIVABLES, "10001")
    assert debtor.account(Role.RECEIVABLES) == "10001"
    assert SKR03.account(Role.RECEIVABLES) == "1410"
    own = Chart(name="own", accounts={Role.BANK: "1000", (Role.REVENUE, S): "4000"}, automatic={})
    assert (own.account(Role.BANK), own.account(Role.REVENUE, S)) == ("1000", "4000")
    assert SKR03.roles_of("2732") == tuple((Role.RECOVERIES, c) for c in TaxCategory)
    for accounts in ({Role.BANK: "12a"}, {"bank": "1200"}, [("x", "1")], {(Role.BANK,): "1"}):
        with pytest.raises(InvalidValueError):
            Chart(name="bad", accounts=accounts)
    for automatic in ({"8400": "0"}, {"8400": "x"}, {"84x": 19}, [("8400", 19)]):
        with pytest.raises(InvalidValueError):
            Chart(name="bad", accounts={}, automatic=automatic)


# -- DATEV -----------------------------------------------------------------------------------


def test_the_datev_file_of_the_sample_is_the_committed_file_byte_for_byte() -> None:
    """Header, the 125 column names and the rows, cp1252 with CR LF, exactly as committed
    (tests/data/ledger/EXTF_Buchungsstapel.csv, read by hand against DATEV's format)."""
    assert sample_file() == (DATA / "EXTF_Buchungsstapel.csv").read_bytes()


def test_the_datev_file_reads_back_field_by_field() -> None:
    """Every header field and every booking field as written; VAT folded into the gross
    row on automatic accounts, with BU key 2 where the account computes none."""
    stapel = read_buchungsstapel(sample_file())
    header = stapel.header
    assert (header.consultant, header.client, header.account_length) == (29098, 55003, 4)
    assert header.fiscal_year_start == dt.date(2026, 1, 1)
    assert (header.start, header.end) == (dt.date(2026, 3, 2), dt.date(2026, 10, 1))
    assert (header.label, header.initials, header.locked) == ("Forderungen 2026", "WD", False)
    assert (header.currency, header.skr, header.created) == ("EUR", "03", CREATED)
    assert stapel.columns == COLUMNS
    assert len(COLUMNS) == 125
    rows = [
        (b.amount, b.side, b.account, b.counter_account, b.tax_key, b.day, b.month, b.document)
        for b in stapel.bookings
    ]
    d = Decimal
    assert rows == [
        (d("119.00"), "S", "1410", "8400", "", 2, 3, "RE-2026-001"),
        (d("116.62"), "H", "1410", "1200", "", 10, 3, "RE-2026-001"),
        (d("2.38"), "H", "1410", "8736", "", 10, 3, "RE-2026-001"),
        (d("107.00"), "S", "1410", "8300", "", 1, 4, "RE-2026-002"),
        (d("5.00"), "S", "1410", "2742", "", 4, 5, "RE-2026-002"),
        (d("1.25"), "S", "1410", "2650", "", 4, 5, "RE-2026-002"),
        (d("53.50"), "H", "1410", "2401", "", 30, 6, "RE-2026-002"),
        (d("21.40"), "S", "1200", "2732", "2", 15, 9, "RE-2026-002"),
        (d("10.00"), "S", "1200", "1700", "", 1, 10, "RE-2026-003"),
    ]
    assert {b.currency for b in stapel.bookings} == {"EUR"}
    assert stapel.bookings[3].text == 'Rechnung "Bücher" RE-2026-002'


def test_the_datev_file_is_cp1252_with_crlf_and_decimal_commas() -> None:
    data = sample_file()
    assert "Bücher".encode("cp1252") in data
    assert data.count(b"\r\n") == 2 + 9
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.startswith(b'"EXTF";700;21;"Buchungsstapel";13;20260401093015123;;"RE";')


def test_datev_refuses_what_it_cannot_write() -> None:
    """Bad parameters, a foreign currency, a day outside the fiscal year or the period, a
    document DATEV's Belegfeld 1 refuses, an account too long, an automatic account without
    its VAT and a VAT DATEV would compute otherwise: each a typed error."""
    good: dict[str, Any] = {
        "chart": SKR03,
        "consultant": 29098,
        "client": 1,
        "fiscal_year_start": dt.date(2026, 1, 1),
        "created": CREATED,
    }
    bad_parameters: list[dict[str, Any]] = [
        {"consultant": 1000},
        {"client": 0},
        {"account_length": 9},
        {"label": "a;b"},
        {"initials": "abc"},
        {"start": dt.date(2026, 4, 1)},
        {"end": dt.date(2026, 3, 1)},
        {"chart": "SKR03"},
        {"fiscal_year_start": "2026-01-01"},
        {"created": dt.date(2026, 4, 1)},
        {"start": "2026-01-01"},
    ]
    for change in bad_parameters:
        with pytest.raises(InvalidValueError):
            datev_buchungsstapel(SAMPLE, **{**good, **change})
    usd = attrs.evolve(
        SAMPLE[6],
        postings=[
            attrs.evolve(p, amount=Money(p.amount.amount, "USD")) for p in SAMPLE[6].postings
        ],
    )
    debtor = attrs.evolve(
        SAMPLE[0],
        postings=[attrs.evolve(SAMPLE[0].postings[0], account="1234567"), *SAMPLE[0].postings[1:]],
    )
    revenue = attrs.evolve(
        SAMPLE[0],
        postings=[
            *SAMPLE[0].postings[:1],
            attrs.evolve(SAMPLE[0].postings[1], account="8400000"),
            *SAMPLE[0].postings[2:],
        ],
    )
    net = entry(
        dt.date(2026, 3, 2),
        "net",
        1,
        post(Role.RECEIVABLES, None, "100.00"),
        post(Role.REVENUE, S, "-100.00"),
    )
    off = entry(
        dt.date(2026, 3, 2),
        "off by a cent",
        1,
        post(Role.RECEIVABLES, None, "119.01"),
        post(Role.REVENUE, S, "-100.00"),
        post(Role.OUTPUT_VAT, S, "-19.01"),
    )
    for bad in (
        [usd],
        [attrs.evolve(SAMPLE[0], on=dt.date(2027, 1, 1))],
        [attrs.evolve(SAMPLE[0], document="RE 1")],
        [debtor],
        [revenue],
        [net],
        [off],
        ["not an entry"],
        None,
    ):
        with pytest.raises(InvalidValueError):
            datev_buchungsstapel(bad, **good)  # type: ignore[arg-type]


def test_datev_rows_without_a_single_partner_and_on_other_anchors() -> None:
    """An empty batch is a header and the column names; a VAT posting with no partner is a
    row of its own; two revenue lines of one category pair by tax code; a zero row is left
    out; an entry without receivables, bank or credit is booked against its first account;
    a 29 February fiscal year start ends the day before next 1 March."""
    empty = datev_buchungsstapel(
        [],
        chart=SKR04,
        consultant=1001,
        client=1,
        fiscal_year_start=dt.date(2024, 2, 29),
        created=CREATED,
    )
    assert len(read_buchungsstapel(empty).bookings) == 0
    assert b";20240229;4;20240229;20240229;" in empty
    own = Chart(
        name="own",
        accounts={
            Role.RECEIVABLES: "1400",
            (Role.REVENUE, S): "8000",
            (Role.OUTPUT_VAT, S): "1776",
            (Role.OUTPUT_VAT, R): "1771",
            (Role.BAD_DEBTS, S): "2400",
        },
    )
    two = JournalEntry(
        on=dt.date(2026, 2, 1),
        document="RE-7",
        text="zwei Zeilen",
        entry=1,
        postings=[
            Posting(account="1400", role=Role.RECEIVABLES, amount=Money("238.00", "EUR")),
            Posting(
                account="8000", role=Role.REVENUE, amount=Money("-100.00", "EUR"), tax_code="a"
            ),
            Posting(
                account="8000", role=Role.REVENUE, amount=Money("-100.00", "EUR"), tax_code="b"
            ),
            Posting(
                account="1776", role=Role.OUTPUT_VAT, amount=Money("-19.00", "EUR"), tax_code="a"
            ),
            Posting(
                account="1776", role=Role.OUTPUT_VAT, amount=Money("-19.00", "EUR"), tax_code="b"
            ),
            Posting(account="2400", role=Role.BAD_DEBTS, amount=Money("0.00", "EUR")),
        ],
    )
    lone = JournalEntry(
        on=dt.date(2026, 2, 2),
        document="RE-8",
        text="Steuer allein\r\nzweite Zeile " + "x" * 80,
        entry=2,
        postings=[
            Posting(account="8000", role=Role.REVENUE, amount=Money("5.00", "EUR")),
            Posting(account="1776", role=Role.OUTPUT_VAT, amount=Money("-4.00", "EUR")),
            Posting(account="1799", role=Role.OUTPUT_VAT, amount=Money("-1.00", "EUR")),
        ],
    )
    data = datev_buchungsstapel(
        [two, lone],
        chart=own,
        consultant=1001,
        client=1,
        fiscal_year_start=dt.date(2026, 1, 1),
        created=CREATED,
        locked=True,
    )
    stapel = read_buchungsstapel(data)
    assert stapel.header.locked
    assert stapel.header.skr == ""
    got = [(b.amount, b.side, b.account, b.counter_account, b.tax_key) for b in stapel.bookings]
    assert got == [
        (Decimal("119.00"), "S", "1400", "8000", "3"),
        (Decimal("119.00"), "S", "1400", "8000", "3"),
        (Decimal("4.00"), "S", "8000", "1776", ""),
        (Decimal("1.00"), "S", "8000", "1799", ""),
    ]
    assert stapel.bookings[2].text == ("Steuer allein zweite Zeile " + "x" * 80)[:60]


def test_read_refuses_what_is_not_a_buchungsstapel() -> None:
    good = sample_file()
    lines = good.split(b"\r\n")
    bad_files = [
        "text",
        good[:-2],
        lines[0] + b"\r\n",
        good.replace(b"700;21", b"510;21", 1),
        good.replace(b"20260401093015123", b"2026040109301x123", 1),
        good.replace(b";29098;", b";2909x;", 1),
        good.replace(b";20260101;", b";20261301;", 1),
        b"\r\n".join([lines[0], lines[1].replace(b"Konto", b"Kto", 1), *lines[2:]]),
        b"\r\n".join([*lines[:2], lines[2].replace(b"119,00", b"119.00"), *lines[3:]]),
        b"\r\n".join([*lines[:2], lines[2].replace(b'"S"', b'"X"'), *lines[3:]]),
        b"\r\n".join([*lines[:2], lines[2].replace(b";0203;", b";23;"), *lines[3:]]),
        b"\r\n".join([*lines[:2], lines[2] + b";", *lines[3:]]),
    ]
    for data in bad_files:
        with pytest.raises(InvalidValueError):
            read_buchungsstapel(data)  # type: ignore[arg-type]


# -- beancount -------------------------------------------------------------------------------

beancount_loader = pytest.importorskip("beancount.loader")


def balances(entries: list[JournalEntry]) -> dict[tuple[str, str], Decimal]:
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for journal_entry in entries:
        for posting in journal_entry.postings:
            key = (posting.account, posting.amount.currency)
            sums[key] += posting.amount.amount
    return dict(sums)


def loaded_balances(text: str) -> dict[tuple[str, str], Decimal]:
    loaded, errors, _options = beancount_loader.load_string(text)
    assert errors == []
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for directive in loaded:
        for posting in getattr(directive, "postings", None) or ():
            number = posting.account.rsplit(":", 1)[1]
            sums[(number, posting.units.currency)] += posting.units.number
    return dict(sums)


def test_the_beancount_text_of_the_sample_loads_and_balances() -> None:
    """Zero errors; every account's balance is the sum of its postings; metadata kept."""
    text = beancount_text(SAMPLE)
    assert loaded_balances(text) == balances(list(SAMPLE))
    assert "Income:Revenue:8400  -100.00 EUR" in text
    assert "  value-date: 2026-03-09\n" in text
    assert '2026-04-01 * "Rechnung \\"Bücher\\" RE-2026-002"' in text
    loaded, _errors, _ = beancount_loader.load_string(text)
    payment = next(d for d in loaded if getattr(d, "meta", {}).get("entry") == 2)
    assert payment.meta["document"] == "RE-2026-001"
    assert payment.meta["value-date"] == dt.date(2026, 3, 9)


def test_beancount_text_opens_on_a_given_day_and_refuses_junk() -> None:
    text = beancount_text(SAMPLE, opened=dt.date(2026, 1, 1))
    assert "2026-01-01 open Assets:Bank:1200" in text
    assert beancount_text([]) == ""
    with pytest.raises(InvalidValueError):
        beancount_text(SAMPLE, opened=dt.date(2026, 3, 3))
    with pytest.raises(InvalidValueError):
        beancount_text(["entry"])  # type: ignore[list-item]


ROLES = sorted(Role, key=lambda role: role.value)


@st.composite
def journal_entries(draw: st.DrawFn) -> JournalEntry:
    """A balanced journal entry on SKR03 or SKR04 accounts: 1-4 postings of any role and
    amount in one currency, and one more that balances them."""
    chart = draw(st.sampled_from([SKR03, SKR04]))
    currency = draw(st.sampled_from(["EUR", "USD", "JPY"]))
    unit = Decimal(1) if currency == "JPY" else Decimal("0.01")

    def posting(cents: int) -> Posting:
        role = draw(st.sampled_from(ROLES))
        category = draw(st.sampled_from([S, R])) if role in CATEGORIZED else None
        return Posting(
            account=chart.account(role, category),
            role=role,
            amount=Money(cents * unit, currency),
            tax_code=draw(st.sampled_from(["", "S19", 'a"b\\c'])),
        )

    amounts = draw(st.lists(st.integers(-(10**9), 10**9).filter(bool), min_size=1, max_size=4))
    postings = [posting(cents) for cents in amounts]
    postings.append(posting(-sum(amounts)))
    return JournalEntry(
        on=draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
        document=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        text=draw(st.text(max_size=40)),
        entry=draw(st.integers(0, 999)),
        postings=postings,
        value_date=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(journal_entries(), max_size=8))
def test_law_beancount_loads_every_ledger_and_its_balances_are_the_postings_sums(
    entries: list[JournalEntry],
) -> None:
    """For any journal entries: beancount loads their text with zero errors, and each
    account's balance in each currency is the sum of dunlib's postings on it."""
    text = beancount_text(entries)
    assert loaded_balances(text) == balances(entries)


# -- junk ------------------------------------------------------------------------------------

LEDGER_CALLS: dict[str, tuple[Any, tuple[Any, ...], dict[str, Any]]] = {
    "datev_buchungsstapel": (
        datev_buchungsstapel,
        (SAMPLE,),
        {
            "chart": SKR03,
            "consultant": 29098,
            "client": 55003,
            "fiscal_year_start": dt.date(2026, 1, 1),
            "created": CREATED,
            "start": dt.date(2026, 1, 1),
            "end": dt.date(2026, 12, 31),
            "account_length": 4,
            "label": "x",
            "initials": "WD",
            "locked": True,
        },
    ),
    "read_buchungsstapel": (read_buchungsstapel, (sample_file(),), {}),
    "beancount_text": (beancount_text, (SAMPLE,), {"opened": dt.date(2026, 1, 1)}),
    "Chart.account": (SKR03.account, (Role.REVENUE, S), {}),
    "Chart.replaced": (SKR03.replaced, (Role.BANK, "1000"), {"category": None}),
    "Chart.roles_of": (SKR03.roles_of, ("8400",), {}),
    "Chart": (Chart, (), {"name": "x", "accounts": {Role.BANK: "1"}, "automatic": {}, "skr": ""}),
}


def test_every_public_function_of_the_exports_has_a_valid_call() -> None:
    """The junk law below covers every public function of the exports, and each call works."""
    functions = {n for n in ledger.__all__ if inspect.isfunction(getattr(ledger, n))}
    assert functions <= set(LEDGER_CALLS) | {"journal_entries", "journal", "journal_of"}
    for function, args, kwargs in LEDGER_CALLS.values():
        function(*args, **kwargs)


@given(data=st.data())
def test_law_junk_in_any_argument_raises_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: a chart, export or reader given junk in any one argument either succeeds or
    raises a DunlibError, never another exception."""
    name = data.draw(st.sampled_from(sorted(LEDGER_CALLS)), label="function")
    function, args, kwargs = LEDGER_CALLS[name]
    call_with_junk(data, function, args, kwargs, JUNK)
