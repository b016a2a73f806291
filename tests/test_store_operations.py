"""The store's operations one by one (issue 25): opening and its schema version, invoices and
accounts changed only through dunlib's operations, letters moved, the outbox, the journal,
the rules' digest, backups, and what each refuses. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from dunlib import (
    AUTOMATIC,
    Authority,
    DispatchMode,
    DunningRules,
    DunningStage,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Money,
    StageKind,
    approve_letter,
    reject_letter,
    send_letter,
)
from dunlib.core.errors import MissingExtraError
from dunlib.dunning import hold_account, lift_account_hold
from dunlib.store import (
    SCHEMA_VERSION,
    ConflictError,
    SchemaVersionError,
    Store,
    StoreError,
    daily,
    digest,
    rows,
    schema,
)
from stores import ACCOUNTANT, MINIMUMS, REVIEWER, RULES, START, dump, pay, portfolio

D = dt.date
DISPUTE = Hold(kind=HoldKind.DISPUTE, on=START, reason="Klärung")


@pytest.fixture
def store(store_url: str) -> Any:
    """A store of the test portfolio, nothing run yet."""
    with Store.create(store_url, rules=RULES, minimums=MINIMUMS, tenant="Muster GmbH") as made:
        made.add_invoices(portfolio(12, customers=3))
        yield made


def test_a_store_opens_at_its_version_and_refuses_a_newer_one_or_none(
    store: Store, store_url: str
) -> None:
    """Opened again, a store keeps its settings; a database without a store or with a newer
    schema version is refused with SchemaVersionError naming both versions."""
    with Store.open(store_url) as again:
        assert again.rules == RULES
        assert again.minimums == MINIMUMS
        assert again.tenant == "Muster GmbH"
        assert again.next_day is None
    with store.engine.begin() as connection:
        connection.execute(
            schema.meta.update()
            .where(schema.meta.c.key == "schema_version")
            .values(value=str(SCHEMA_VERSION + 1))
        )
    with pytest.raises(SchemaVersionError, match=rf"schema version {SCHEMA_VERSION + 1}") as info:
        Store.open(store_url)
    assert (info.value.found, info.value.supported) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    with store.engine.begin() as connection:
        connection.execute(schema.meta.delete().where(schema.meta.c.key == "schema_version"))
    with pytest.raises(SchemaVersionError, match="no dunlib store"):
        Store.open(store_url)
    with pytest.raises(InvalidValueError, match="a database without a store"):
        Store.create(store_url, rules=RULES)


def test_every_earlier_schema_version_is_upgraded_step_by_step(tmp_path: Any) -> None:
    """A store of each earlier schema version (made by the steps up to it, with its data)
    opens: the steps after it run, the version recorded is the newest, the data is kept."""
    for version in range(1, SCHEMA_VERSION):
        url = f"sqlite:///{tmp_path / f'v{version}.db'}"
        made = Store.create(url, rules=RULES)
        made.add_invoices(portfolio(4, customers=2))
        kept = dump(made)
        with made.engine.begin() as connection:  # back to the tables of ``version``
            if version < 2:
                connection.exec_driver_sql("DROP INDEX dunlib_outbox_pending")
            connection.execute(
                schema.meta.update()
                .where(schema.meta.c.key == "schema_version")
                .values(value=str(version))
            )
        made.close()
        with Store.open(url) as opened:
            assert dump(opened) == kept
            indexes = sa.inspect(opened.engine).get_indexes("dunlib_outbox")
            assert "dunlib_outbox_pending" in {index["name"] for index in indexes}


def test_an_empty_database_is_no_store(tmp_path: Any) -> None:
    """Opening a database without the store's tables is refused, in memory too."""
    with pytest.raises(SchemaVersionError, match="no dunlib store"):
        Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaVersionError, match="no dunlib store"):
        Store.open("sqlite:///:memory:")


def test_a_database_whose_driver_is_missing_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A PostgreSQL URL without psycopg installed is a MissingExtraError naming the extra."""

    def missing(url: str) -> Any:
        raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")

    monkeypatch.setattr(sa, "create_engine", missing)
    with pytest.raises(MissingExtraError, match=r"dunlib\[postgresql\]"):
        Store.open("postgresql://localhost/dunlib")


def test_creating_refuses_what_is_not_rules_minimums_a_tenant_or_a_url(store_url: str) -> None:
    """Typed errors naming the argument."""
    with pytest.raises(InvalidTypeError, match=r"Store\.create\.rules"):
        Store.create(store_url, rules="rules")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"Store\.create\.minimums\[0\]"):
        Store.create(store_url, rules=RULES, minimums=["5.00"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match=r"Store\.create\.tenant"):
        Store.create(store_url, rules=RULES, tenant=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"Store\.url"):
        Store.open(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"Store\.url"):
        Store.open("nosuchdb://x")


def test_invoices_go_in_once_and_change_only_through_dunlib(store: Store) -> None:
    """Adding the same invoices again adds nothing; another content under a stored id is
    refused; a change must carry the invoice on (its history kept) and return an Invoice."""
    invoices = portfolio(12, customers=3)
    assert store.add_invoices(invoices) == 0
    first = invoices[0]
    with pytest.raises(InvalidValueError, match="stored with another content"):
        store.add_invoices([pay_copy(first)])
    fresh = attrs.evolve(first, id="RE-NEW", number="RE-NEW")
    with pytest.raises(InvalidValueError, match=r"invoices\[1\]: got 'RE-NEW'"):
        store.add_invoices([fresh, pay_copy(fresh)])  # one id, two contents, in one call
    with pytest.raises(InvalidTypeError, match=r"add_invoices\.invoices\[0\]"):
        store.add_invoices(["RE-1"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="a stored invoice's id"):
        store.invoice("nope")
    with pytest.raises(InvalidValueError, match="a stored invoice's id"):
        store.change("nope", lambda invoice: invoice)
    with pytest.raises(InvalidTypeError, match=r"Store\.change\.change"):
        store.change(first.id, lambda invoice: "paid")  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidValueError, match="its history kept"):
        store.change(first.id, lambda invoice: invoices[1])
    pay(store, first.id, Money("1.00", "EUR"), first.due_date)
    assert store.invoice(first.id).payments
    assert [i.id for i in store.invoices(customer=first.customer.id)] == sorted(
        i.id for i in invoices + portfolio(12, customers=3)[-2:] if i.customer == first.customer
    )


def pay_copy(invoice: Any) -> Any:
    """``invoice`` with a payment, built outside the store."""
    from dunlib import Payment, record_payment

    return record_payment(
        invoice,
        Payment(on=invoice.due_date, amount=Money("1.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice


def test_a_change_that_keeps_losing_its_race_is_a_conflict(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row that moves under every attempt ends in ConflictError naming the row and the
    attempts (a StoreError); the store is left as it was."""
    first = next(store.invoices())
    calls = []

    def moving(invoice: Any) -> Any:
        calls.append(1)
        with store.engine.begin() as connection:  # someone else writes the row meanwhile
            connection.execute(
                schema.invoices.update()
                .where(schema.invoices.c.id == invoice.id)
                .values(version=schema.invoices.c.version + 1)
            )
        return pay_copy(invoice)

    with pytest.raises(ConflictError, match=rf"invoice {first.id}: changed") as info:
        store.change(first.id, moving)
    assert isinstance(info.value, StoreError)
    assert len(calls) == rows.ATTEMPTS == info.value.attempts
    assert not store.invoice(first.id).payments


def test_a_run_whose_customer_keeps_moving_is_a_conflict(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daily run retries a customer whose rows moved, and gives up with ConflictError
    after ATTEMPTS tries."""

    def lost(*_: Any) -> None:
        raise rows.Lost

    monkeypatch.setattr(daily, "write_outcome", lost)
    with pytest.raises(ConflictError, match="customer C-"):
        store.run_day(D(2026, 6, 1))


def test_accounts_change_through_dunlib_and_wake_their_invoices(store: Store) -> None:
    """A customer-level hold placed through the store puts the customer's invoices to sleep
    until it is lifted; a change that does not carry the account on is refused, and a
    change racing another is a conflict."""
    customer = next(store.invoices()).customer.id
    assert store.account(customer).history == ()
    held = store.change_account(
        customer,
        lambda account: hold_account(account, DISPUTE, actor=ACCOUNTANT, authority=Authority()),
    )
    assert held.history
    assert all(store.wake_days()[i.id] is None for i in store.invoices(customer=customer))
    store.change_account(
        customer,
        lambda account: lift_account_hold(
            account, HoldKind.DISPUTE, on=START, actor=ACCOUNTANT, authority=Authority()
        ),
    )
    assert all(store.wake_days()[i.id] for i in store.invoices(customer=customer))
    with pytest.raises(InvalidTypeError, match=r"change_account\.change"):
        store.change_account(customer, lambda account: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidValueError, match="carried on"):
        store.change_account(customer, lambda account: store.account("C-OTHER"))


def test_a_new_account_racing_another_is_read_afresh(store: Store) -> None:
    """Two first changes of one customer's account: the second reads the first's and
    applies on top; an account that keeps moving is a conflict."""
    customer = next(store.invoices()).customer.id

    calls: list[int] = []

    def racing(account: Any) -> Any:
        calls.append(len(account.history))
        if len(calls) == 1:  # someone else places the hold first; this change read before
            store.change_account(customer, placed)
            return placed(account)
        return lift_account_hold(
            account, HoldKind.DISPUTE, on=START, actor=ACCOUNTANT, authority=Authority()
        )

    def placed(account: Any) -> Any:
        return hold_account(account, DISPUTE, actor=ACCOUNTANT, authority=Authority())

    assert len(store.change_account(customer, racing).history) == 2

    def moving(account: Any) -> Any:
        with store.engine.begin() as connection:
            connection.execute(
                schema.accounts.update().values(version=schema.accounts.c.version + 1)
            )
        return placed(account)

    with pytest.raises(ConflictError, match=rf"account {customer}"):
        store.change_account(customer, moving)


def test_letters_move_through_their_life_and_the_outbox_is_marked_sent(store: Store) -> None:
    """A notice that needs approval is prepared by the run, approved and rejected through
    the store; a sent letter is in the outbox until marked sent; unknown keys and moves
    that return no letter are refused."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=1, dispatch=DispatchMode.AFTER_APPROVAL),
        )
    )
    store.set_rules(rules)
    summary = store.run_day(D(2026, 6, 20))
    assert summary.prepared > 0
    assert summary.letters == 0
    key, letter = store.letters()[0]
    assert all(store.wake_days()[i.id] is None for i in letter.invoices)
    approved = store.move_letter(
        key,
        lambda letter, _: approve_letter(
            letter, actor=REVIEWER, on=D(2026, 6, 21), authority=Authority()
        ),
    )
    assert approved.state.name == "APPROVED"
    sent = store.move_letter(
        key,
        lambda letter, invoices: send_letter(
            letter, invoices, actor=ACCOUNTANT, on=D(2026, 6, 21), authority=Authority()
        ),
    )
    assert sent.state.name == "SENT"
    other, _ = store.letters(customer=letter.invoices[0].customer.id)[0]
    other = other if other != key else store.letters()[1][0]
    rejected = store.move_letter(
        other,
        lambda letter, _: reject_letter(
            letter, actor=REVIEWER, on=D(2026, 6, 21), authority=Authority()
        ),
    )
    assert rejected.state.name == "REJECTED"
    with pytest.raises(InvalidValueError, match="a prepared letter's key"):
        store.move_letter("nope", lambda letter, _: letter)
    with pytest.raises(InvalidTypeError, match=r"move_letter\.move"):
        store.move_letter(other, lambda letter, _: "sent")  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidValueError, match="an outbox letter"):
        store.mark_sent("nope")
    store.run_day(D(2026, 6, 22))
    outbox = store.outbox(day=D(2026, 6, 21))
    assert [pair[0] for pair in outbox[0].pairs] == [i.number for i in letter.invoices]
    assert not outbox[0].sent
    assert store.outbox(pending=True)[0] == outbox[0]
    store.mark_sent(outbox[0].key)
    assert store.outbox(day=D(2026, 6, 21))[0].sent
    assert outbox[0] not in store.outbox(pending=True)
    document = json.loads(outbox[0].document)
    assert document["language"] == "de"
    assert "Muster GmbH" in document["pdf_text"]
    store.run_day(D(2026, 6, 23), clock=lambda: "2026-06-23T05:00:00+00:00")
    journal = store.runs()
    assert [run.day for run in journal] == [D(2026, 6, 20), D(2026, 6, 22), D(2026, 6, 23)]
    assert (journal[1].started, journal[1].finished) == ("", "")  # dunlib reads no clock
    assert journal[-1].started == journal[-1].finished == "2026-06-23T05:00:00+00:00"
    assert journal[-1].counts is not None
    assert store.next_day == D(2026, 6, 24)


def test_a_change_of_rules_wakes_every_invoice_afresh(store: Store) -> None:
    """The same rules change nothing; other rules (another digest) recompute every
    receivable invoice's wake-up day in one go."""
    assert store.set_rules(RULES) == 0
    before = store.wake_days()
    later = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=60),))
    assert digest(later) != digest(RULES)
    assert store.set_rules(later) == len(before)
    after = store.wake_days()
    assert all((after[k] or D.max) > (before[k] or D.min) for k in before if before[k])
    assert store.rules == later
    with pytest.raises(InvalidTypeError, match=r"set_rules\.rules"):
        store.set_rules("rules")  # type: ignore[arg-type]


def test_an_export_restores_to_the_same_store_byte_for_byte(
    store: Store, store_url: str, tmp_path: Any
) -> None:
    """Exported to JSON lines (one consistent read) and restored into an empty database,
    the store exports the same lines again; the run journal goes on where it was."""
    store.run_day(D(2026, 5, 20))
    text = io.StringIO()
    count = store.export(text)
    lines = text.getvalue().splitlines()
    assert count == len(lines) - 1
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    with Store.restore(target, lines) as restored:
        assert dump(restored) == dump(store)
        restored.run_day(D(2026, 5, 21))
        assert len(restored.runs()) == 2
    with pytest.raises(InvalidValueError, match="a database without a store"):
        Store.restore(target, lines)
    with pytest.raises(InvalidValueError, match="a header"):
        Store.restore(f"sqlite:///{tmp_path / 'x.db'}", ["{}"])
    with pytest.raises(SchemaVersionError):
        Store.restore(f"sqlite:///{tmp_path / 'y.db'}", ['{"dunlib_store": 99}'])
    with pytest.raises(InvalidValueError, match=r"restore\.lines\[1\]"):
        Store.restore(f"sqlite:///{tmp_path / 'z.db'}", [lines[0], '{"table": "nope"}'])
    if store_url.startswith("postgresql"):  # and the other way: into PostgreSQL
        other = store_url.replace("?", "_r?", 1)
        engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
        name = store_url.split("?")[0].rsplit("/", 1)[1]
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}_r")
        engine.dispose()
        with Store.restore(other, lines) as restored:
            restored.run_day(D(2026, 5, 21))
            assert len(restored.runs()) == 2


def test_a_letter_whose_invoice_was_paid_meanwhile_is_superseded(store: Store) -> None:
    """A letter waiting for approval whose invoice is paid meanwhile is superseded by the
    next run, and a letter for the invoice as it is now prepared; the progress callback
    counts customers."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=1, dispatch=DispatchMode.AFTER_APPROVAL),
        )
    )
    store.set_rules(rules)
    store.run_day(D(2026, 6, 20))
    _, letter = max(store.letters(), key=lambda kept: kept[1].letter.open_amount.amount)
    invoice = letter.invoices[0]  # a customer well above the minimum, after 1.00 paid too
    pay(store, invoice.id, Money("1.00", "EUR"), D(2026, 6, 21))
    seen: list[tuple[int, int]] = []
    summary = store.run_day(D(2026, 6, 21), progress=lambda done, total: seen.append((done, total)))
    assert summary.superseded == 1
    assert summary.prepared == 1  # a letter anew for the invoice as it is now
    assert seen[-1] == (summary.customers, summary.customers)
    states = {key: found.state.name for key, found in store.letters()}
    assert "SUPERSEDED" in states.values()


def test_a_store_without_minimums_and_an_invoice_already_paid(store_url: str) -> None:
    """A store without customer minimums sends whatever the engine decides; a paid invoice
    added to it never wakes."""
    with Store.create(store_url, rules=RULES) as bare:
        invoices = portfolio(6, customers=2)
        bare.add_invoices([pay_copy_all(invoices[0]), *invoices[1:]])
        assert bare.wake_days()[invoices[0].id] is None
        assert bare.run_day(D(2026, 6, 20)).letters > 0


def pay_copy_all(invoice: Any) -> Any:
    """``invoice`` paid in full on its due date, built outside the store."""
    from dunlib import Payment, record_payment

    return record_payment(
        invoice,
        Payment(on=invoice.due_date, amount=invoice.total_due),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice


def test_an_outbox_letter_is_never_written_twice(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter whose outbox key is already taken (another run wrote it) makes the
    customer's transaction roll back: after every attempt, a ConflictError, nothing written."""
    real = rows.outbox_row

    def taken(*args: Any) -> Any:
        row = real(*args)
        with store.engine.begin() as connection:
            connection.execute(schema.outbox.delete())
            connection.execute(schema.outbox.insert().values(**row))
        return row

    monkeypatch.setattr(daily, "outbox_row", taken)
    before = list(store.invoices())
    with pytest.raises(ConflictError):
        store.run_day(D(2026, 6, 20))
    assert list(store.invoices()) == before


def test_a_letter_moved_under_a_move_is_read_afresh(store: Store) -> None:
    """A letter whose row moves while a move is made is read again and the move applied to
    what is there now; a letter that keeps moving is a conflict."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=1, dispatch=DispatchMode.AFTER_APPROVAL),
        )
    )
    store.set_rules(rules)
    store.run_day(D(2026, 6, 20))
    key, _ = store.letters()[0]
    calls: list[str] = []

    def approve(letter: Any, _: Any) -> Any:
        calls.append(letter.state.name)
        if len(calls) == 1:
            _bump_letters(store)
        return approve_letter(letter, actor=REVIEWER, on=D(2026, 6, 21), authority=Authority())

    assert store.move_letter(key, approve).state.name == "APPROVED"
    assert calls == ["PREPARED", "PREPARED"]

    def moving(letter: Any, _: Any) -> Any:
        _bump_letters(store)
        return letter

    with pytest.raises(ConflictError, match=rf"letter {key}"):
        store.move_letter(key, moving)


def _bump_letters(store: Store) -> None:
    """Someone else writes every letter row meanwhile."""
    with store.engine.begin() as connection:
        connection.execute(schema.letters.update().values(version=schema.letters.c.version + 1))


def test_an_invoice_that_is_not_receivable_never_wakes() -> None:
    """A paid invoice has no wake-up day, whatever the day asked from."""
    paid = pay_copy_all(portfolio(1, customers=1)[0])
    assert rows.wake_day(paid, RULES, None, None) is None
    assert rows.wake_day(paid, RULES, D(2026, 6, 1), None) is None
