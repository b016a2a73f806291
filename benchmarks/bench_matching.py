"""Time match_payments on statements of n lines for n customers; prints medians and a ratio.

The baseline, measured in the same run, is the least any payer recognition must do: fold
each line's payer name and look it up in a dict of the customers' folded names. The
ratio says how many times that match_payments takes for the whole statement (references,
amounts, subset sums, ambiguity and reasons included).
"""

from __future__ import annotations

import functools
import random
import statistics
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from dunlib import BankTransaction, Customer, Invoice, Money, PaymentTerms, match_payments

SEED = 20260501
SIZES = (150, 600, 1000)
REPEAT = 5

SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
    "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
)  # fmt: skip
TRADES = (
    "Bau", "Holzbau", "Elektrotechnik", "Maschinenbau", "Logistik", "Medien", "Druck",
    "Sanitär", "Dachdeckerei", "Steuerberatung", "Immobilien", "Software", "Metallbau",
    "Gartenbau", "Reisen", "Automobile", "Bäckerei", "Feinkost", "Spedition", "Optik",
)  # fmt: skip
PLACES = ("", "", "", "Nord", "Süd", "Köln", "Berlin", "Hamburg", "München")
FORMS = ("GmbH", "GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "UG (haftungsbeschränkt)", "")
UNRELATED = (
    ("Finanzamt Köln-Mitte", "Erstattung USt 2026-03 StNr 215/5702/1180"),
    ("Stadtwerke Köln", "Abschlag Strom 2026-05"),
    ("Amazon Payments Europe", "Erstattung Bestellung 302-7741022"),
    ("Hans Fremd", "Kaution zurück"),
    ("Sparkasse", "Zinsgutschrift"),
)
SKONTO = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)


def _customers(count: int, rng: random.Random) -> list[Customer]:
    """``count`` customers with distinct names of surname, trade, sometimes a place, and a
    legal form (names alike but for the legal form or the place occur, as in real books)."""
    names: set[str] = set()
    while len(names) < count:
        words = [rng.choice(SURNAMES), rng.choice(TRADES), rng.choice(PLACES), rng.choice(FORMS)]
        names.add(" ".join(word for word in words if word))
    return [Customer(id=f"K-{n + 1:05d}", name=name) for n, name in enumerate(sorted(names))]


def _typo(name: str, rng: random.Random) -> str:
    """The name with two neighbouring letters swapped or one letter dropped."""
    letters = [i for i, c in enumerate(name[:-1]) if c.isalpha() and name[i + 1].isalpha()]
    i = rng.choice(letters)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def _payer(customer: Customer, rng: random.Random) -> str:
    """How a bank reports the customer: as named, in capitals, folded, without the legal
    form, with a typo, with a place added, or as the customer id."""
    name = customer.name
    return rng.choice(
        (
            name,
            name.upper(),
            name.upper().replace("Ü", "UE").replace("Ö", "OE").replace("Ä", "AE"),
            name.split(" (")[0].removesuffix(" GmbH").removesuffix(" AG"),
            _typo(name, rng),
            f"{name}, {rng.choice(PLACES[3:])}",
            customer.id,
        )
    )


def _spelling(number: str, rng: random.Random) -> str:
    _, year, seq = number.split("-")
    return rng.choice(
        (
            number,
            f"Rechnung Nr. {number}",
            f"re {year} {seq}",
            f"SVWZ+RE{year}{seq} EREF+NOTPROVIDED",
            f"Rg. {year}-{seq} vielen Dank",
        )
    )


def statement(size: int, seed: int = SEED) -> tuple[list[Invoice], list[BankTransaction]]:
    """``size`` customers with 1 to 5 invoices each, and ``size`` bank lines: about a third
    naming an invoice number, a third paying one invoice's amount by name, a tenth paying
    two invoices together, the rest part payments by name and unrelated lines."""
    rng = random.Random(seed)
    customers = _customers(size, rng)
    books: list[Invoice] = []
    for customer in customers:
        for _ in range(rng.randint(1, 5)):
            books.append(
                Invoice.sent(
                    number=f"RE-2026-{len(books) + 1:05d}",
                    customer=customer,
                    gross=Money(Decimal(rng.randint(1_000, 500_000)).scaleb(-2), "EUR"),
                    issue_date=date(2026, 4, 1) + timedelta(days=rng.randint(0, 29)),
                    terms=SKONTO if rng.random() < 0.2 else None,
                )
            )
    by_customer: dict[str, list[Invoice]] = {}
    for book in books:
        by_customer.setdefault(book.customer.id, []).append(book)
    lines = []
    for n in range(size):
        book = rng.choice(books)
        payer = _payer(book.customer, rng)
        kind = rng.random()
        amount, text = book.gross, ""
        if kind < 0.35:
            text = _spelling(book.number, rng)
        elif kind < 0.65:
            text = rng.choice(("", "Überweisung", "Zahlung", "Danke"))
        elif kind < 0.75:
            others = [o for o in by_customer[book.customer.id] if o is not book]
            amount = book.gross + (rng.choice(others).gross if others else Money(0, "EUR"))
            text = "Sammelüberweisung"
        elif kind < 0.85:
            amount = Money(Decimal(rng.randint(100, 99_999)).scaleb(-2), "EUR")
            text = "Anzahlung"
        else:
            payer, text = rng.choice(UNRELATED)
            amount = Money(Decimal(rng.randint(100, 99_999)).scaleb(-2), "EUR")
        lines.append(
            BankTransaction(
                on=date(2026, 5, 1) + timedelta(days=rng.randint(0, 27)),
                amount=amount,
                payer=payer,
                text=text,
                id=f"L{n:05d}",
            )
        )
    return books, lines


def _folded(name: str) -> str:
    return " ".join(sorted(name.casefold().replace(",", " ").replace(".", " ").split()))


def baseline(books: list[Invoice], lines: list[BankTransaction]) -> int:
    """Fold every payer name and look it up among the customers' folded names."""
    known = {_folded(book.customer.name): book.customer.id for book in books}
    return sum(1 for line in lines if _folded(line.payer) in known)


def median(function: Callable[[], object], repeat: int = REPEAT) -> float:
    return statistics.median(timeit.repeat(function, number=1, repeat=repeat))


if __name__ == "__main__":
    print(f"match_payments, n lines x n customers (1-5 invoices each), seed {SEED}:")
    for size in SIZES:
        books, lines = statement(size)
        took = median(functools.partial(match_payments, lines, books))
        base = median(functools.partial(baseline, books, lines))
        result = match_payments(lines, books)
        print(
            f"{size:>5} x {size:<5} ({len(books):>4} invoices): "
            f"{took * 1e3:7.1f} ms (median of {REPEAT}), baseline {base * 1e3:5.2f} ms, "
            f"ratio {took / base:5.0f}x; matched {len(result.matches)}, "
            f"unmatched {len(result.unmatched)}, ambiguous {len(result.ambiguous)}"
        )
