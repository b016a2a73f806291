"""Reading bank statements: the sample files of tests/data/bank (made up, no real data) read
with exact expectations, the round trip of meaning through camt.053, hostile files refused
with a typed error, the values' checks, and junk refused with DunlibErrors only."""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dunlib.bank as bank
from builders import call_with_junk
from dunlib import AUTOMATIC, Authority, DunlibError, InvalidValueError, Money, match_payments
from dunlib.bank import (
    GENERIC_SOLL_HABEN,
    SPARKASSE_CAMT,
    VERSIONS,
    BankStatement,
    CreditDebit,
    CsvMapping,
    GapKind,
    ImportLog,
    Sign,
    StatementBalance,
    StatementEntry,
    StatementError,
    StatementFormat,
    book_returns,
    creditor_reference_valid,
    entry_keys,
    import_statements,
    read_camt053,
    read_camt054,
    read_csv,
    read_mt940,
    statement_gaps,
)
from dunlib.bank._common import creditor_reference_in, joined, reason_in
from test_public_api import JUNK

DATA = Path(__file__).parent / "data" / "bank"
DAY = dt.date(2026, 4, 1)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def entry(amount: str | Money = "10.00", **changes: Any) -> StatementEntry:
    money = amount if isinstance(amount, Money) else eur(amount)
    fields: dict[str, Any] = {
        "booking_date": DAY,
        "value_date": DAY,
        "amount": money,
        "credit_debit": CreditDebit.DEBIT if money.is_negative else CreditDebit.CREDIT,
    }
    return StatementEntry(**{**fields, **changes})


def statement(*entries: StatementEntry, **changes: Any) -> BankStatement:
    fields: dict[str, Any] = {
        "format": StatementFormat.CAMT053,
        "account": "DE02100500000054540402",
        "statement_id": "S-1",
        "currency": "EUR",
        "entries": entries,
    }
    return BankStatement(**{**fields, **changes})


# -- the samples ----------------------------------------------------------------------------


def test_camt053_sample_reads_every_kind_of_entry() -> None:
    """The camt.053 sample: balances, an RF reference, joined remittance lines, a batch
    itemised, a returned direct debit with reason and fee, a USD transfer credited in EUR,
    a fee debited; only the incoming money becomes transactions."""
    (read,) = read_camt053(sample("camt053_v08.xml"))
    assert (read.format, read.statement_id, read.sequence) == (
        StatementFormat.CAMT053,
        "STMT-2026-04-03",
        64,
    )
    assert read.account == "DE02100500000054540402"
    assert read.opening == StatementBalance(amount=eur("1000.00"), on=dt.date(2026, 3, 31))
    assert read.closing == StatementBalance(amount=eur("1938.50"), on=dt.date(2026, 4, 3))
    assert read.balance_problem is None
    rf, text, batch, returned, foreign, fee = read.entries
    assert rf.creditor_reference == "RF18539007547034"
    assert rf.counterparty_iban == "DE89370400440532013000"
    assert (rf.booking_date, rf.value_date) == (DAY, dt.date(2026, 3, 31))
    assert text.remittance == (
        "Zahlung zu Rechnung RE-2026-0001 vom 02.03.2026, Auftrag A-2026-17, Lieferung vom "
        "27.02.2026, Kundennummer K-100123, wir danken fuer die gute Zusammenarbeit Danke"
    )
    assert text.end_to_end_id == ""
    assert [p.amount for p in batch.parts] == [eur("100.00"), eur("200.00")]
    assert [p.bank_reference for p in batch.parts] == ["2026040200003-A", "2026040200003/2"]
    assert returned.returned
    assert returned.return_reason == "MD06"
    assert returned.return_fee == eur("3.00")
    assert returned.amount == eur("-53.00")
    assert returned.counterparty_name == "Erika Beispiel"
    assert foreign.amount == eur("92.50")
    assert foreign.original_amount == Money("100.00", "USD")
    assert foreign.value_date == dt.date(2026, 4, 2)
    assert fee.amount == eur("-20.00")
    assert not fee.parts
    assert [t.amount for t in read.transactions()] == [
        eur("500.00"), eur("119.00"), eur("100.00"), eur("200.00"), eur("92.50"),
    ]  # fmt: skip
    assert read.transactions()[0].text == "RF18539007547034"


def test_camt054_sample_splits_the_batch_and_leaves_pending_out() -> None:
    """The camt.054 sample (version 02): a batch itemised by TxAmt, a return recognised by
    its German proprietary code with the reason in the text and the fee as Chrgs/Amt; the
    pending entry is left out."""
    (read,) = read_camt054(sample("camt054_v02.xml"))
    assert (read.opening, read.closing, read.sequence) == (None, None, 12)
    batch, returned = read.entries
    assert [p.remittance for p in batch.parts] == ["RE-2026-0008", "RE-2026-0009"]
    assert [p.bank_reference for p in batch.parts] == ["N-0402-1/1", "N-0402-1/2"]
    assert (returned.return_reason, returned.return_fee) == ("AC04", eur("3.00"))
    assert returned.value_date == returned.booking_date
    assert [t.payer for t in read.transactions()] == ["Gamma Service GmbH", "Delta Druck e.K."]


def test_mt940_sample_reads_multi_line_details_and_two_statements() -> None:
    """The MT940 sample: two statements; structured :86: over several lines (SVWZ, EREF,
    ?31, ?32, OAMT), a return with reason and fee, an RF reference in the text, an
    unstructured :86: and a reversal of a credit."""
    first, second = read_mt940(sample("mt940_multiline.sta"))
    assert (first.statement_id, first.sequence, second.sequence) == ("STARTUMSE/00042/001", 42, 43)
    assert first.balance_problem is None
    assert second.balance_problem is None
    credit, returned, rf = first.entries
    assert credit.remittance == "Rechnung RE-2026-0001 vielen Dank fuer die gute Zusammenarbeit"
    assert (credit.booking_date, credit.value_date) == (DAY, dt.date(2026, 3, 31))
    assert credit.end_to_end_id == "E2E-2026-0001"
    assert (credit.counterparty_name, credit.counterparty_iban) == (
        "Muster Maschinenbau GmbH", "DE89370400440532013000",
    )  # fmt: skip
    assert (returned.returned, returned.return_reason, returned.return_fee) == (
        True, "AM04", eur("3.00"),
    )  # fmt: skip
    assert rf.creditor_reference == "RF18539007547034"
    assert rf.end_to_end_id == ""
    paid, reversed_ = second.entries
    assert paid.remittance == "Zahlung Rechnung RE-2026-0011 Fa. Müller Dank und Gruß"
    assert reversed_.reversal
    assert reversed_.amount == eur("-80.00")
    assert [t.id for t in second.transactions()] == ["BR-0406-1"]
    assert statement_gaps([first, second]) == ()


def test_sparkasse_csv_sample_in_booking_order() -> None:
    """The Sparkasse CSV-CAMT sample (cp1252, newest first) reads in booking order, with the
    return's reason and its fee column."""
    read = read_csv(sample("sparkasse_camt.csv"), mapping=SPARKASSE_CAMT)
    assert read.account == "DE02100500000054540402"
    assert [e.amount for e in read.entries] == [eur("250.00"), eur("1200.00"), eur("-1203.50")]
    assert read.entries[1].counterparty_name == "Jörg Weiß"
    assert read.entries[1].value_date == dt.date(2026, 4, 1)
    returned = read.entries[2]
    assert (returned.return_reason, returned.return_fee) == ("MS02", eur("3.50"))
    assert (
        read.statement_id
        == read_csv(sample("sparkasse_camt.csv"), mapping=SPARKASSE_CAMT).statement_id
    )


def test_generic_csv_sample_with_debit_and_credit_columns() -> None:
    """The generic sample: separate Soll and Haben columns, a byte order mark, spaced IBANs
    and a quoted text with the delimiter in it."""
    read = read_csv(sample("generic_soll_haben.csv"), mapping=GENERIC_SOLL_HABEN)
    assert [e.amount for e in read.entries] == [eur("1000.00"), eur("-85.20"), eur("40.00")]
    assert read.entries[0].counterparty_iban == "DE89370400440532013000"
    assert read.entries[2].remittance == "Rg. 2026-0016; Teilzahlung"
    assert read.account == ""
    assert read.opening is None


def test_matching_the_samples_never_takes_a_return_as_money() -> None:
    """The transactions of every sample hold no debit and no return."""
    statements = [
        *read_camt053(sample("camt053_v08.xml")),
        *read_camt054(sample("camt054_v02.xml")),
        *read_mt940(sample("mt940_multiline.sta")),
        read_csv(sample("sparkasse_camt.csv"), mapping=SPARKASSE_CAMT),
    ]
    for one in statements:
        lines = one.transactions()
        assert all(line.amount.is_positive for line in lines)
        assert match_payments(lines, []).matches == ()


# -- the round trip of meaning --------------------------------------------------------------

_TEXT = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCÄÖÜß0123456789 .,-/+:?()'"), min_size=1,
    max_size=400,
).map(str.strip).filter(bool)  # fmt: skip
_ID = st.text(st.sampled_from("ABCDEFGHIJ0123456789-"), min_size=1, max_size=35)


@st.composite
def _rf(draw: st.DrawFn) -> str:
    body = draw(
        st.text(st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1, max_size=21)
    )
    digits = int("".join(str(int(c, 36)) for c in body + "RF00"))
    return f"RF{98 - digits % 97:02d}{body}"


_ENTRY = st.fixed_dictionaries(
    {
        "cents": st.integers(min_value=0, max_value=10**12),
        "credit": st.booleans(),
        "booked": st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
        "value": st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
        "text": _TEXT,
        "name": _TEXT,
        "end_to_end": _ID,
        "reference": st.one_of(st.just(""), _rf()),
    }
)


def camt053(entries: list[dict[str, Any]], version: str) -> bytes:
    """A camt.053 of ``version`` written with xml.etree from generated entries; the
    remittance text cut into 140-character lines, the way SEPA carries it."""
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version[-2:]}"

    def sub(parent: ET.Element, tag: str, text: str = "", **attrib: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrib)
        element.text = text or None
        return element

    document = ET.Element(f"{{{ns}}}Document")
    stmt = sub(sub(document, "BkToCstmrStmt"), "Stmt")
    sub(stmt, "Id", "ROUND-TRIP")
    account = sub(stmt, "Acct")
    sub(sub(account, "Id"), "IBAN", "DE02100500000054540402")
    sub(account, "Ccy", "EUR")
    for index, one in enumerate(entries):
        ntry = sub(stmt, "Ntry")
        sub(ntry, "Amt", str(Decimal(one["cents"]).scaleb(-2)), Ccy="EUR")
        sub(ntry, "CdtDbtInd", "CRDT" if one["credit"] else "DBIT")
        sub(sub(ntry, "BookgDt"), "Dt", one["booked"].isoformat())
        sub(sub(ntry, "ValDt"), "Dt", one["value"].isoformat())
        sub(ntry, "AcctSvcrRef", f"REF-{index}")
        details = sub(sub(ntry, "NtryDtls"), "TxDtls")
        sub(sub(details, "Refs"), "EndToEndId", one["end_to_end"])
        side = "Dbtr" if one["credit"] else "Cdtr"
        party = sub(sub(details, "RltdPties"), side)
        sub(sub(party, "Pty") if version == "001.08" else party, "Nm", one["name"])
        remittance = sub(details, "RmtInf")
        for start in range(0, len(one["text"]), 140):
            sub(remittance, "Ustrd", one["text"][start : start + 140])
        if one["reference"]:
            sub(sub(sub(remittance, "Strd"), "CdtrRefInf"), "Ref", one["reference"])
    written: bytes = ET.tostring(document, encoding="utf-8", xml_declaration=True)
    return written


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(_ENTRY, max_size=6), version=st.sampled_from(VERSIONS))
def test_law_camt053_written_from_entries_reads_back_every_amount_date_and_reference(
    entries: list[dict[str, Any]], version: str
) -> None:
    """Law: a camt.053 written with the standard library from any entries reads back with
    every amount (exact, signed), both days, the counterparty, the end-to-end id, the bank
    reference, the RF reference and the whole remittance text equal to what was written."""
    (read,) = read_camt053(camt053(entries, version))
    assert len(read.entries) == len(entries)
    for index, (one, got) in enumerate(zip(entries, read.entries, strict=True)):
        amount = Decimal(one["cents"]).scaleb(-2)
        assert got.amount == eur(str(amount if one["credit"] else -amount))
        assert (got.booking_date, got.value_date) == (one["booked"], one["value"])
        assert (got.counterparty_name, got.end_to_end_id) == (one["name"], one["end_to_end"])
        assert got.bank_reference == f"REF-{index}"
        assert got.creditor_reference == one["reference"]
        assert got.remittance == one["text"]


# -- hostile and broken files ---------------------------------------------------------------

_CAMT = sample("camt053_v08.xml")
_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<Stmt><Id>&lol3;</Id></Stmt></Document>"""
_EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<Stmt><Id>&x;</Id></Stmt></Document>"""
_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE d SYSTEM "http://example.invalid/camt.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>"""


@pytest.mark.parametrize("data", [_BOMB, _EXTERNAL, _NETWORK], ids=["bomb", "external", "dtd"])
def test_entities_and_document_types_are_refused(data: bytes) -> None:
    """A billion-laughs bomb, an external entity and an external DTD are refused unexpanded."""
    with pytest.raises(StatementError, match="document type"):
        read_camt053(data)


@pytest.mark.parametrize("cut", [100, len(_CAMT) // 2, len(_CAMT) - 20])
def test_truncated_camt_is_refused_with_its_line(cut: int) -> None:
    """A camt.053 cut short is refused naming the line and column where it broke off."""
    with pytest.raises(StatementError, match=r"line \d+, column \d+"):
        read_camt053(_CAMT[:cut])


def test_truncated_mt940_is_refused() -> None:
    """An MT940 cut before its closing balance is refused: the balance is missing."""
    data = sample("mt940_multiline.sta")
    with pytest.raises(StatementError, match=":62F:"):
        read_mt940(data[: data.index(b":62F:")])


def test_a_file_over_the_limit_is_refused_unread() -> None:
    """Every reader refuses a file larger than max_bytes before parsing it."""
    big = b" " * 2_000_001
    for call in (
        lambda: read_camt053(big, max_bytes=2_000_000),
        lambda: read_camt054(big, max_bytes=2_000_000),
        lambda: read_mt940(big, max_bytes=2_000_000),
        lambda: read_csv(big, mapping=SPARKASSE_CAMT, max_bytes=2_000_000),
    ):
        with pytest.raises(StatementError, match="at most 2000000 bytes"):
            call()


def _camt(body: str, version: str = "08", kind: str = "053") -> bytes:
    group = "BkToCstmrStmt" if kind == "053" else "BkToCstmrDbtCdtNtfctn"
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.{kind}.001.{version}"
    return f'<Document xmlns="{ns}"><{group}>{body}</{group}></Document>'.encode()


_ACCT = "<Id>S</Id><Acct><Id><IBAN>DE02100500000054540402</IBAN></Id><Ccy>EUR</Ccy></Acct>"


def _ntry(inner: str = "", amount: str = "1.00", cd: str = "CRDT", day: str = "2026-04-01") -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{cd}</CdtDbtInd>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt>{inner}</Ntry>"
    )


def test_an_empty_statement_is_valid() -> None:
    """A statement without entries reads as one with no entries; its balances agree."""
    bal = (
        '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt>'
        "<CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>"
    )
    (read,) = read_camt053(_camt(f"<Stmt>{_ACCT}{bal}</Stmt>"))
    assert read.entries == ()
    assert read.opening is not None
    assert read.opening.amount == eur("-5.00")
    assert read.balance_problem is None


def test_a_closing_balance_that_does_not_add_up_is_reported() -> None:
    """balance_problem is the closing balance less the opening balance and the entries."""
    data = sample("camt053_v08.xml").replace(b"1938.50", b"1938.60")
    (read,) = read_camt053(data)
    assert read.balance_problem == eur("0.10")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"<Document/>", "Document"),
        (_camt("", kind="054"), "namespace of camt.053"),
        (_camt("<GrpHdr/>"), "at least one Stmt"),
        (_camt("<Stmt><Acct/></Stmt>"), "Id"),
        (_camt("<Stmt><Id>S</Id></Stmt>"), "Acct/Ccy"),
        (_camt(f"<Stmt>{_ACCT}<ElctrncSeqNb>x</ElctrncSeqNb></Stmt>"), "ElctrncSeqNb"),
        (_camt("<Stmt><Id>S</Id><Acct><Id><IBAN>12</IBAN></Id></Acct></Stmt>"), "IBAN"),
        (_camt(f"<Stmt>{_ACCT}{_ntry(amount='1,00')}</Stmt>"), "entry 1, Amt"),
        (_camt(f"<Stmt>{_ACCT}{_ntry(amount='1.001')}</Stmt>"), "2 decimal places"),
        (_camt(f"<Stmt>{_ACCT}{_ntry(cd='C')}</Stmt>"), "CRDT or DBIT"),
        (_camt(f"<Stmt>{_ACCT}{_ntry(day='2026-02-30')}</Stmt>"), "BookgDt"),
        (_camt(f"<Stmt>{_ACCT}{_ntry(day='1.4.2026')}</Stmt>"), "YYYY-MM-DD"),
        (
            _camt(f"<Stmt>{_ACCT}{_ntry('<NtryDtls><TxDtls/><TxDtls/></NtryDtls>')}</Stmt>"),
            "item 1, AmtDtls/TxAmt/Amt",
        ),
        (
            _camt(
                f"<Stmt>{_ACCT}"
                + _ntry(
                    '<NtryDtls><TxDtls><Amt Ccy="EUR">1.00</Amt></TxDtls>'
                    '<TxDtls><Amt Ccy="EUR">1.00</Amt></TxDtls></NtryDtls>'
                )
                + "</Stmt>"
            ),
            "adding up",
        ),
        (
            _camt(
                f"<Stmt>{_ACCT}"
                + _ntry(
                    '<NtryDtls><TxDtls><Chrgs><Amt Ccy="USD">1.00</Amt></Chrgs>'
                    "<RtrInf/></TxDtls></NtryDtls>",
                    cd="DBIT",
                )
                + "</Stmt>"
            ),
            "a charge in EUR",
        ),
        (
            _camt(f"<Stmt>{_ACCT}{_ntry('<AcctSvcrRef>R</AcctSvcrRef>') * 2}</Stmt>"),
            "unique",
        ),
    ],
)
def test_bad_camt_values_are_refused_naming_their_place(data: bytes, match: str) -> None:
    """Each broken element is refused with a StatementError naming where it is."""
    with pytest.raises(StatementError, match=match):
        read_camt053(data)


def test_camt_details_read_without_their_optional_parts() -> None:
    """Currency from the balances, the account by Othr/Id, the sequence by LglSeqNb, a
    batch without references, a non-RF structured reference and AddtlRmtInf in the text."""
    bal = (
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">3.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>"
    )
    parts = (
        '<NtryDtls><TxDtls><Amt Ccy="EUR">1.00</Amt><RmtInf><Strd><CdtrRefInf><Ref>RF00X</Ref>'
        "</CdtrRefInf><AddtlRmtInf>more</AddtlRmtInf></Strd><Strd><AddtlRmtInf>too</AddtlRmtInf>"
        "</Strd></RmtInf></TxDtls>"
        '<TxDtls><Amt Ccy="EUR">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls></NtryDtls>'
    )
    body = (
        "<Stmt><Id>S</Id><LglSeqNb>7</LglSeqNb><Acct><Id><Othr><Id>123</Id></Othr></Id></Acct>"
        f"{bal}{_ntry(parts, amount='3.00')}</Stmt>"
    )
    (read,) = read_camt053(_camt(body, version="04"))
    assert (read.currency, read.account, read.sequence) == ("EUR", "123", 7)
    assert [p.bank_reference for p in read.entries[0].parts] == ["", ""]
    assert read.entries[0].parts[0].remittance == "RF00X more too"


def test_camt_currency_from_the_entries_and_a_reversal() -> None:
    """No Acct/Ccy nor balances: the currency is the entries'; RvslInd marks a reversal."""
    body = f"<Stmt><Id>S</Id>{_ntry('<RvslInd>true</RvslInd>', cd='DBIT')}</Stmt>"
    (read,) = read_camt053(_camt(body))
    assert read.currency == "EUR"
    assert read.entries[0].reversal
    assert read.transactions() == ()


def test_camt_text_return_without_details_and_nested_entry() -> None:
    """A return coded by its sub-family without details has no reason; an Ntry that is no
    child of the statement is still read."""
    code = "<BkTxCd><Domn><Fmly><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>"
    body = f"<Stmt>{_ACCT}<X>{_ntry(code, cd='DBIT')}</X></Stmt>"
    (read,) = read_camt053(_camt(body))
    assert read.entries[0].returned
    assert read.entries[0].return_reason == ""
    detail = "<NtryDtls><TxDtls><RtrInf><Rsn><Prtry>X1</Prtry></Rsn></RtrInf></TxDtls></NtryDtls>"
    (read,) = read_camt053(_camt(f"<Stmt>{_ACCT}{_ntry(detail, cd='DBIT')}</Stmt>"))
    assert read.entries[0].return_reason == "X1"
    assert read.entries[0].return_fee is None


# -- MT940 and CSV refusals -----------------------------------------------------------------


_MT = (
    ":20:X\r\n:25:DE02100500000054540402\r\n:28C:5\r\n:60F:C260331EUR1,00\r\n"
    "{body}:62F:C260331EUR1,00\r\n"
)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\xff", "text in utf-8"),
        (b"nothing", ":20:"),
        (b":20:X\r\n:60F:C269931EUR1,00\r\n", "well-formed MT940"),
        (b":20:X\r\n:62F:C260331EUR1,00\r\n", ":60F:"),
        (_MT.format(body=":61:2603310331C1,001NTRF//R\r\n").encode(), "2 decimal places"),
        (
            _MT.format(body=":61:2603310331D1,00NTRF//R\r\n:86:109?20OAMT+x\r\n").encode(),
            "OAMT",
        ),
        (_MT.format(body=":61:2603310331C1,00NTRF//R\r\n:86:166?31DE1\r\n").encode(), r"\?31"),
    ],
)
def test_bad_mt940_is_refused_naming_its_place(data: bytes, match: str) -> None:
    """Undecodable bytes, no statement, a bad date, a missing balance, an amount with too
    many decimals, a bad OAMT and a bad IBAN are each refused with a StatementError."""
    with pytest.raises(StatementError, match=match):
        read_mt940(data, encoding="utf-8")


def test_mt940_return_without_fee_and_a_reversed_debit() -> None:
    """A return whose OAMT is its whole amount has no fee; RD is a reversal brought back."""
    body = (
        ":61:2603310331D1,00NTRF//R1\r\n:86:109?20OAMT+1,00?21SVWZ+x\r\n"
        ":61:2603310331RD1,00NTRF//R2\r\n:86:x\r\n"
        ":61:2603310331D1,00NTRF//R3\r\n:86:109?20SVWZ+AC04\r\n"
    )
    (read,) = read_mt940(_MT.format(body=body).encode())
    first, second, third = read.entries
    assert (third.return_reason, third.return_fee) == ("AC04", None)
    assert first.returned
    assert first.return_fee is None
    assert first.return_reason == ""
    assert second.reversal
    assert second.credit_debit is CreditDebit.CREDIT


def test_mt940_encoding_is_checked() -> None:
    """The encoding must be a known codec's name."""
    with pytest.raises(InvalidValueError, match="encoding"):
        read_mt940(b"", encoding="no-such-codec")
    with pytest.raises(InvalidValueError, match="encoding"):
        read_mt940(b"", encoding=1)  # type: ignore[arg-type]


_INDICATOR = CsvMapping(
    booking_date="Tag",
    date_format="%Y-%m-%d",
    sign=Sign.INDICATOR,
    amount="Betrag",
    indicator="SH",
    decimal=".",
    delimiter=",",
    encoding="latin-1",
    skip_lines=1,
    kind="Art",
    return_fee="Gebuehr",
    currency="W",
)


def test_csv_with_an_indicator_column() -> None:
    """A third dialect: a preamble line, ISO days, decimal point, S/H indicator, latin-1."""
    data = (
        "Umsaetze Konto 1\nTag,Betrag,SH,Art,Gebuehr,W\n"
        '2026-04-01,"1,234.50",H,Gutschrift,,\n2026-04-02,10.00,s,Retoure,,USD\n\n'
        "2026-04-03,3.00,S,RUECKLASTSCHRIFT,,\n"
    ).encode("latin-1")
    with pytest.raises(StatementError, match="in EUR"):
        read_csv(data, mapping=_INDICATOR)
    read = read_csv(data.replace(b"USD", b""), mapping=_INDICATOR)
    assert [e.amount for e in read.entries] == [eur("1234.50"), eur("-10.00"), eur("-3.00")]
    assert read.entries[1].returned
    assert read.entries[1].return_fee is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "a heading row"),
        ("x\nTag,Betrag\n", "a column headed 'SH'"),
        ("x\nTag,Betrag,SH,Art,Gebuehr,W\n2026-13-01,1.00,H,,,\n", "a day as"),
        ("x\nTag,Betrag,SH,Art,Gebuehr,W\n2026-04-01,1x,H,,,\n", "decimal mark"),
        ("x\nTag,Betrag,SH,Art,Gebuehr,W\n2026-04-01,,H,,,\n", "an amount"),
        ("x\nTag,Betrag,SH,Art,Gebuehr,W\n2026-04-01,1.00,?,,,\n", "one of S, D"),
        (
            'x\nTag,Betrag,SH,Art,Gebuehr,W\n2026-04-01,1.00,H,"' + "a" * 200_000 + '",,\n',
            "CSV row",
        ),
    ],
)
def test_bad_csv_is_refused_naming_its_line(text: str, match: str) -> None:
    """Each broken row is refused with a StatementError naming its line and column."""
    with pytest.raises(StatementError, match=match):
        read_csv(text.encode(), mapping=_INDICATOR)


def test_csv_separate_columns_need_exactly_one_amount() -> None:
    """A Soll/Haben row with both columns, or neither, filled is refused."""
    head = (
        "Buchungsdatum;Wertstellung;Buchungstext;Empfänger/Auftraggeber;IBAN;"
        "Verwendungszweck;Soll;Haben;Währung\n"
    )
    for row in ("01.04.2026;01.04.2026;;;;;1,00;1,00;EUR", "01.04.2026;01.04.2026;;;;;;;EUR"):
        with pytest.raises(StatementError, match="exactly one"):
            read_csv((head + row).encode(), mapping=GENERIC_SOLL_HABEN)
    with pytest.raises(StatementError, match="text in utf-8-sig"):
        read_csv(b"\xff", mapping=GENERIC_SOLL_HABEN)


def test_csv_mapping_is_checked() -> None:
    """A mapping with a bad choice, a format without %, empty marks or a missing column for
    its sign is refused; so is a non-mapping."""
    for changes in (
        {"decimal": ";"},
        {"date_format": "dd.mm"},
        {"debit_marks": ("",)},
        {"amount": ""},
        {"default_currency": "XAU"},
    ):
        with pytest.raises(InvalidValueError):
            attrs.evolve(_INDICATOR, **changes)
    with pytest.raises(InvalidValueError, match="CsvMapping"):
        read_csv(b"", mapping="x")  # type: ignore[arg-type]


# -- the values -----------------------------------------------------------------------------


def test_creditor_reference_check() -> None:
    """ISO 11649: RF, check digits, 1 to 21 characters; mod 97 is 1."""
    assert creditor_reference_valid("RF18539007547034")
    assert not creditor_reference_valid("RF19539007547034")
    assert not creditor_reference_valid("RF18")
    with pytest.raises(InvalidValueError):
        creditor_reference_valid(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"creditor_reference": "RF00X"},
        {"counterparty_iban": "de89"},
        {"credit_debit": CreditDebit.DEBIT},
        {"returned": True, "return_fee": Money("1.00", "USD")},
        {"returned": True, "return_fee": eur("-1.00")},
        {"return_fee": eur("1.00")},
        {"return_reason": "AM04"},
        {"parts": ("x",)},
        {"parts": (entry(parts=(entry(),)),)},
        {"parts": (entry(amount=Money("10.00", "USD")),)},
        {"parts": (entry("5.00"),)},
    ],
)
def test_entry_refuses_values_that_do_not_fit(changes: dict[str, Any]) -> None:
    """An entry whose parts, sign, return facts, IBAN or reference do not fit is refused."""
    with pytest.raises(InvalidValueError):
        entry(**changes)


def test_only_incoming_money_becomes_a_transaction() -> None:
    """A debit, a return or a reversal is never a BankTransaction."""
    for one in (entry("-1.00"), entry(returned=True), entry(reversal=True), entry("0.00")):
        with pytest.raises(InvalidValueError, match="never matched"):
            one.transaction()
    line = entry(creditor_reference="RF18539007547034", remittance="RE-1").transaction()
    assert line.text == "RF18539007547034 RE-1"


@pytest.mark.parametrize(
    "changes",
    [
        {"opening": "x"},
        {"sequence": -1},
        {"currency": "XAU"},
        {"closing": StatementBalance(amount=Money("1.00", "USD"), on=DAY)},
        {"entries": (entry(amount=Money("1.00", "USD")),)},
        {"entries": (entry(bank_reference="R"), entry(parts=(entry(bank_reference="R"),)))},
    ],
)
def test_statement_refuses_values_that_do_not_fit(changes: dict[str, Any]) -> None:
    """A statement with balances or entries in another currency, a repeated bank reference,
    a bad sequence number or balance is refused."""
    with pytest.raises(InvalidValueError):
        statement(**changes)


def test_statement_gaps() -> None:
    """Sequence numbers that skip are a gap, that go back an overlap; an opening balance
    that is not the last closing balance is reported with the difference."""
    balance = StatementBalance(amount=eur("10.00"), on=DAY)
    one = statement(sequence=1, closing=balance)
    three = statement(statement_id="S-3", sequence=3, opening=balance)
    again = statement(
        statement_id="S-3b", sequence=3, opening=StatementBalance(amount=eur("12.00"), on=DAY)
    )
    gaps = statement_gaps([one, three, again, statement()])
    assert [(g.kind, g.missing, g.difference) for g in gaps] == [
        (GapKind.GAP, 1, None),
        (GapKind.OVERLAP, 0, None),
    ]
    assert statement_gaps([one, again])[-1].difference == eur("2.00")
    with pytest.raises(InvalidValueError, match="account"):
        statement_gaps([one, statement(account="X")])
    assert statement(entries=(entry(),), opening=balance).balance_problem is None


def test_remittance_lines_are_joined() -> None:
    """A full 140-character line runs on into the next; a shorter one is joined by a space."""
    assert joined(["a" * 140, "b", "c "]) == "a" * 140 + "b c"
    assert joined([]) == ""


def test_the_first_creditor_reference_valid_in_a_text_is_taken() -> None:
    """A reference whose check digits are wrong is passed over."""
    assert creditor_reference_in("RF19539007547034 rf18539007547034") == "RF18539007547034"


def test_the_first_return_reason_in_a_text_is_taken() -> None:
    """Words shaped like a code that are none (SEPA, XY12) are passed over."""
    assert reason_in("SEPA XY12 Rueckgabe md06") == "MD06"


# -- junk -----------------------------------------------------------------------------------

BANK_CALLS: dict[str, tuple[Any, tuple[Any, ...], dict[str, Any]]] = {
    "read_camt053": (read_camt053, (_CAMT,), {"max_bytes": 10**6}),
    "read_camt054": (read_camt054, (sample("camt054_v02.xml"),), {"max_bytes": 10**6}),
    "read_mt940": (
        read_mt940,
        (sample("mt940_multiline.sta"),),
        {"encoding": "latin-1", "max_bytes": 10**6},
    ),
    "read_csv": (
        read_csv,
        (sample("sparkasse_camt.csv"),),
        {"mapping": SPARKASSE_CAMT, "max_bytes": 10**6},
    ),
    "statement_gaps": (statement_gaps, ([statement(), statement()],), {}),
    "creditor_reference_valid": (creditor_reference_valid, ("RF18539007547034",), {}),
    "BankStatement": (BankStatement, (), attrs.asdict(statement(entry()), recurse=False)),
    "StatementEntry": (StatementEntry, (), attrs.asdict(entry(), recurse=False)),
    "StatementBalance": (StatementBalance, (), {"amount": eur("1.00"), "on": DAY}),
    "CsvMapping": (CsvMapping, (), attrs.asdict(GENERIC_SOLL_HABEN, recurse=False)),
    "import_statements": (
        import_statements,
        (ImportLog(account=statement().account), [statement(entry())]),
        {},
    ),
    "entry_keys": (entry_keys, (statement(entry()),), {}),
    "book_returns": (
        book_returns,
        ([entry()], []),
        {"on": DAY, "actor": AUTOMATIC, "authority": Authority()},
    ),
    "ImportLog": (ImportLog, (), {"account": "DE89370400440532013000", "keys": {"ref:1"}}),
}


def test_every_public_function_of_the_bank_has_a_valid_call() -> None:
    """The junk law below covers every public function of dunlib.bank, and each call works."""
    functions = {n for n in bank.__all__ if inspect.isfunction(getattr(bank, n))}
    assert functions <= set(BANK_CALLS)
    for function, args, kwargs in BANK_CALLS.values():
        function(*args, **kwargs)


@given(data=st.data())
def test_law_junk_in_any_argument_raises_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: a public function or value of dunlib.bank given junk in any one argument either
    succeeds or raises a DunlibError, never another exception."""
    name = data.draw(st.sampled_from(sorted(BANK_CALLS)), label="function")
    function, args, kwargs = BANK_CALLS[name]
    call_with_junk(data, function, args, kwargs, JUNK)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300) | st.sampled_from([_CAMT[:n] for n in range(0, 4000, 97)]))
def test_law_any_bytes_give_statements_or_a_dunlib_error(data: bytes) -> None:
    """Law: any bytes given to any reader give statements or a DunlibError, never another
    exception (the readers' parsers' own errors are turned into StatementErrors)."""
    for call in (
        lambda: read_camt053(data),
        lambda: read_camt054(data),
        lambda: read_mt940(data),
        lambda: read_csv(data, mapping=SPARKASSE_CAMT),
    ):
        with contextlib.suppress(DunlibError):
            call()
