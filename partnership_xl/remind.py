"""Reminders to lead officers (policy §8: officers keep their partnerships' entries up to date).

``partnership-xl remind REGISTER [--out-dir DIR] [--send] [--resend]``: one message per lead officer
with something to do, listing their partnerships, each finding in plain words with its cell, the
officer's own column heading and what to do, and the next review date.

- :func:`build_reminders` groups the check's findings by lead officer (never re-judges them) and
  finds each officer's address: the ``lead_officer_email`` column, else ``[officers]`` in the settings.
- :func:`write_drafts` writes each message as an ``.eml`` file (RFC 5322, UTF-8) that Outlook
  opens as a draft ready to send.
- :func:`send_reminders` sends them through ``smtp_host`` (STARTTLS unless ``smtp_starttls`` is
  false), each once: a sent-log beside the drafts records what went to whom on which day, and a
  rerun the same day sends nothing twice unless ``resend``. A failure stops nothing silently:
  the outcome lists exactly what was sent, what was refused and what was not attempted.
"""

from __future__ import annotations

import csv
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

import pandas as pd

from .config import Settings
from .findings import CATALOGUE, NOT_FOR_OFFICERS, TO_DO, sort_key
from .model import CheckResult
from .reports.cells import is_blank, text_of

SENT_LOG = "partnership-xl reminders sent.csv"
SENT_FIELDS = ["sent_on", "officer", "address", "subject", "partnerships", "findings", "message_id"]
PASSWORD_VARIABLE = "PXL_SMTP_PASSWORD"
_SAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass
class Item:
    """One finding as an officer reads it."""

    code: str
    cell: str
    column: str
    finding: str
    message: str
    to_do: str
    policy: str


@dataclass
class Partnership:
    """One of an officer's partnerships, with what to fix and when it is next reviewed."""

    ref: str
    name: str
    next_review: date | None
    items: list[Item] = field(default_factory=list)


@dataclass
class Reminder:
    """The message to one lead officer (``address`` None when no address is known)."""

    officer: str
    address: str | None
    partnerships: list[Partnership]
    message: EmailMessage

    @property
    def findings(self) -> int:
        return sum(len(p.items) for p in self.partnerships)


@dataclass
class Outcome:
    """What a send did: sent, skipped (already sent today), refused, not attempted, and the failure."""

    sent: list[Reminder] = field(default_factory=list)
    already: list[Reminder] = field(default_factory=list)
    refused: list[tuple[Reminder, str]] = field(default_factory=list)
    not_attempted: list[Reminder] = field(default_factory=list)
    failure: str | None = None


def next_review(result: CheckResult) -> pd.Series:
    """Each partnership's next review date, as the check worked it out (Next review due, else Last reviewed + the interval)."""
    return pd.to_datetime(result.scores["review_due"]).reindex(result.scores.index)


def build_reminders(result: CheckResult, sender: str | None = None) -> tuple[list[Reminder], list[str]]:
    """One reminder per lead officer with findings to act on; and the partnerships with no lead officer (their refs).

    Findings come from the check; each officer's partnerships are listed in register order.
    """
    settings = result.settings
    due = next_review(result)
    emails = result.table["lead_officer_email"] if "lead_officer_email" in result.table else None
    officers = {k.casefold(): v for k, v in settings.officers.items()}
    by_row: dict[int, list] = {}
    for f in sorted(result.findings, key=sort_key):
        if f.code not in NOT_FOR_OFFICERS and f.row in result.scores.index:
            by_row.setdefault(f.row, []).append(f)
    grouped: dict[str, dict] = {}
    orphans: list[str] = []
    for row, found in by_row.items():
        context = result.finding_context(found[0])
        officer = text_of(context["lead_officer"]).strip()
        ref = text_of(context["ref"]) or f"row {row}"
        if not officer:
            orphans.append(ref)
            continue
        entry = grouped.setdefault(officer.casefold(), {"officer": officer, "address": None, "partnerships": []})
        address = text_of(emails.get(row)).strip() if emails is not None else ""
        if not entry["address"] and "@" in address:
            entry["address"] = address
        when = due.get(row)
        items = [_item(result, f) for f in found]
        entry["partnerships"].append(Partnership(ref, text_of(context["name"]), None if is_blank(when) else when.date(), items))
    reminders = []
    for key, entry in grouped.items():
        address = entry["address"] or officers.get(key)
        message = compose(entry["officer"], address, entry["partnerships"], result, sender or settings.smtp_from)
        reminders.append(Reminder(entry["officer"], address, entry["partnerships"], message))
    return reminders, orphans


def _item(result: CheckResult, f) -> Item:
    rule = CATALOGUE[f.code]
    return Item(f.code, f.cell, result.column_heading(f) or f.field, rule.finding, f.message, TO_DO.get(f.code, ""), rule.policy)


def compose(officer: str, address: str | None, partnerships: list[Partnership], result: CheckResult, sender: str | None) -> EmailMessage:
    """The reminder as an RFC 5322 message: plain UTF-8 text, one section per partnership."""
    s: Settings = result.settings
    n = sum(len(p.items) for p in partnerships)
    msg = EmailMessage()
    msg["Subject"] = f"Partnership Register: {n} thing{'s' if n != 1 else ''} to update on your partnership{'s' if len(partnerships) != 1 else ''}"
    msg["From"] = sender or "Partnership Register <partnership-register@invalid>"
    if address:
        msg["To"] = formataddr((officer, address))
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid("partnership-xl")
    msg["X-Unsent"] = "1"  # Outlook opens the .eml as a draft, ready to send
    lines = [
        f"Dear {officer},",
        "",
        f"The Partnership Register was checked against the Partnership Policy on {result.as_of:%d %B %Y}. "
        f"Please update {'these entries' if n != 1 else 'this entry'} in the register ({result.register.path.name}, sheet {result.register.sheet}):",
    ]
    for p in partnerships:
        lines += ["", f"{p.ref} {p.name}".strip(), "-" * min(72, len(f"{p.ref} {p.name}".strip()))]
        for it in p.items:
            where = f"{it.column}, cell {it.cell}" if it.column else f"cell {it.cell}"
            lines.append(f"* {where}: {it.message}" + (f" What to do: {it.to_do}" if it.to_do else ""))
            lines.append(f"  [{it.code}, policy {it.policy}]")
        lines.append(f"  Next review due: {p.next_review:%d/%m/%Y}" if p.next_review else "  Next review due: not recorded (add the last review date).")
    lines += [
        "",
        f"Policy §8 asks the officers who represent the council to keep the register up to date. Reviews are due every {s.review_interval_months} months.",
        "If something here is wrong, reply to this message.",
        "",
        f"Community Partnerships, {s.council_name}",
    ]
    msg.set_content("\n".join(lines) + "\n", charset="utf-8")
    return msg


def draft_name(reminder: Reminder, as_of: date) -> str:
    """The .eml file name: the officer's name, made safe for Windows, and the check date."""
    name = _SAFE_NAME.sub(" ", reminder.officer).strip(" .") or "officer"
    return f"{name} - reminder {as_of.isoformat()}.eml"


def write_drafts(reminders: list[Reminder], folder: Path, as_of: date) -> list[Path]:
    """Write each reminder as an .eml draft in ``folder`` (created if needed); returns the files."""
    from .outputs import write_atomically

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in reminders:
        path = folder / draft_name(r, as_of)
        data = r.message.as_bytes()
        write_atomically(path, lambda tmp, data=data: tmp.write_bytes(data))
        paths.append(path)
    return paths


def sent_today(log: Path, today: date) -> set[str]:
    """Addresses the sent-log records as sent on ``today`` (lower case)."""
    if not log.is_file():
        return set()
    with log.open(encoding="utf-8", newline="") as f:
        return {row["address"].casefold() for row in csv.DictReader(f) if row.get("sent_on") == today.isoformat() and row.get("address")}


def _record(log: Path, reminder: Reminder, today: date) -> None:
    new = not log.is_file()
    with log.open("a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SENT_FIELDS)
        if new:
            writer.writeheader()
        writer.writerow({"sent_on": today.isoformat(), "officer": reminder.officer, "address": reminder.address, "subject": reminder.message["Subject"],
                         "partnerships": "; ".join(p.ref for p in reminder.partnerships), "findings": reminder.findings,
                         "message_id": reminder.message["Message-ID"]})  # fmt: skip


def send_reminders(reminders: list[Reminder], settings: Settings, log: Path, *, password: str | None, today: date | None = None,
                   resend: bool = False, context: ssl.SSLContext | None = None, timeout: float = 30) -> Outcome:
    """Send the reminders that have an address through ``smtp_host``, each once a day unless ``resend``.

    Each message sent is recorded in ``log`` as soon as the server accepts it. A recipient the
    server refuses is listed and the others still go; a lost connection stops the run and the
    rest are listed as not attempted. ``context`` is the TLS context for STARTTLS (the system's
    trusted certificates unless given).
    """
    today = today or date.today()
    done = set() if resend else sent_today(log, today)
    outcome = Outcome()
    queue = []
    for r in reminders:
        if r.address is None:
            continue
        (outcome.already if r.address.casefold() in done else queue).append(r)
    if not queue:
        return outcome
    server = None
    try:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        server.ehlo()
        if settings.smtp_starttls:
            server.starttls(context=context or ssl.create_default_context())
            server.ehlo()
        if settings.smtp_user:
            server.login(settings.smtp_user, password or "")
    except (OSError, smtplib.SMTPException) as exc:
        outcome.not_attempted = queue
        outcome.failure = f"could not connect to the mail server {settings.smtp_host}:{settings.smtp_port} ({_why(exc)})"
        _close(server)
        return outcome
    for i, r in enumerate(queue):
        try:
            refused = server.send_message(r.message, from_addr=_address(r.message["From"]), to_addrs=[r.address])
        except smtplib.SMTPRecipientsRefused as exc:
            outcome.refused.append((r, _why(exc)))
            continue
        except (OSError, smtplib.SMTPException) as exc:
            outcome.not_attempted = queue[i:]
            outcome.failure = f"the mail server stopped while sending to {r.officer} ({_why(exc)})"
            _close(server)
            return outcome
        if refused:
            outcome.refused.append((r, _why(refused)))
            continue
        _record(log, r, today)
        outcome.sent.append(r)
    _close(server)
    if outcome.refused and outcome.failure is None:
        who = ", ".join(f"{r.officer} <{r.address}>" for r, _ in outcome.refused)
        outcome.failure = f"the mail server refused {who}"
    return outcome


def _address(header: str) -> str:
    from email.utils import parseaddr

    return parseaddr(header)[1] or header


def _why(exc: object) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        exc = exc.recipients
    if isinstance(exc, dict):
        code, text = next(iter(exc.values()))
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
    return str(exc) or exc.__class__.__name__


def _close(server) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def stamp() -> str:
    """Now, for the summary's "sent at" line."""
    return datetime.now().strftime("%d/%m/%Y %H:%M")
