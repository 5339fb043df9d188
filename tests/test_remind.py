"""Reminders: .eml drafts, and sending for real to an aiosmtpd server on 127.0.0.1 (ephemeral port)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from partnership_xl.cli import main
from partnership_xl.config import Settings, settings_from_dict
from partnership_xl.engine import check
from partnership_xl.fields import fields_by_name
from partnership_xl.remind import SENT_LOG, build_reminders, send_reminders, write_drafts
from tests.conftest import AS_OF, CLEAN, row, write_register

HEADERS = [*CLEAN, "Lead officer email"]
TODAY = dt.date(2026, 11, 25)


def rows() -> list[dict]:
    return [
        row(ref="P001"),  # clean: no reminder
        row(ref="P002", last_review=dt.date(2025, 1, 10)),  # PP501
        row(ref="P003", lead_officer="Tom Hale", risk_likelihood="high", **{"Lead officer email": "tom.column@example.org"}),  # DQ004
        row(ref="P004", lead_officer="Ann Other", direct_contribution=6000, budgeted="No", approved_by=None),  # PP602, address from [officers]
        row(ref="P005", lead_officer="Nobody Known", controls=None, status="Exiting", exit_strategy="Wind up",
            exit_decided_by="CMT", exit_reason="Outcomes achieved"),  # PP903, no address
        row(ref="P006", lead_officer=None, name='=HYPERLINK("http://evil","x")'),  # PP801: no lead officer
    ]


@pytest.fixture
def register(tmp_path) -> Path:
    return write_register(tmp_path / "register.xlsx", rows(), HEADERS)


def _settings(port: int = 25, **extra) -> Settings:
    return settings_from_dict({"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "partnerships@example.org", "smtp_starttls": False,
                               "officers": OFFICERS, **extra})  # fmt: skip


OFFICERS = {"Sarah Whitfield": "sarah@example.org", "tom hale": "tom@example.org", "Ann Other": "ann@example.org"}
HAS_EMAIL_FIELD = "lead_officer_email" in fields_by_name()


def _result(register: Path, settings: Settings):
    return check(register, settings, AS_OF)


def test_one_reminder_per_lead_officer_with_findings_cells_and_next_review(register):
    result = _result(register, _settings())
    reminders, orphans = build_reminders(result)
    by = {r.officer: r for r in reminders}
    assert set(by) == {"Sarah Whitfield", "Tom Hale", "Ann Other", "Nobody Known"}  # P001 is clean: nothing to send for it alone
    assert orphans == ["P006"]
    sarah = by["Sarah Whitfield"]
    assert sarah.address == "sarah@example.org" and [p.ref for p in sarah.partnerships] == ["P002"]
    assert by["Ann Other"].address == "ann@example.org"  # from [officers]
    assert by["Nobody Known"].address is None
    body = sarah.message.get_content()
    assert "Last reviewed, cell " in body and "PP501" in body and "Annual review overdue" in body
    assert "Next review due: 10/01/2026" in body  # last review + 12 months
    tom = by["Tom Hale"].message.get_content()
    assert "Risk likelihood (1-5), cell " in tom and "What to do: enter a number" in tom  # the officer's own heading


@pytest.mark.skipif(not HAS_EMAIL_FIELD, reason="the Lead officer email column is read once issue 11's field is merged")
def test_the_lead_officer_email_column_comes_before_the_settings(register):
    by = {r.officer: r for r in build_reminders(_result(register, _settings()))[0]}
    assert by["Tom Hale"].address == "tom.column@example.org"  # the column, not [officers]
    assert by["Sarah Whitfield"].address == "sarah@example.org"  # no address in the column: [officers], matched without case


def test_drafts_are_rfc5322_utf8_that_parse_back(register, tmp_path):
    result = _result(register, _settings())
    reminders, _ = build_reminders(result)
    paths = write_drafts(reminders, tmp_path / "out", AS_OF)
    assert sorted(p.name for p in paths) == sorted(f"{n} - reminder 2026-11-25.eml" for n in ("Sarah Whitfield", "Tom Hale", "Ann Other", "Nobody Known"))
    msg = email.message_from_bytes(paths[0].read_bytes(), policy=email.policy.default)
    assert msg["From"] == "partnerships@example.org" and msg["Date"] and msg["Message-ID"] and msg["X-Unsent"] == "1"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert "policy §" in msg.get_content()
    assert all(len(line) <= 998 for line in paths[0].read_bytes().split(b"\n"))  # RFC 5322 line limit


# --- sending, for real -----------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping what it received; refuses ``refuse`` and drops the connection on message ``drop_at``."""

    def __init__(self, refuse: set[str] = frozenset(), drop_at: int | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse, self.drop_at, self.seen = refuse, drop_at, 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.drop_at is not None and self.seen == self.drop_at:
            server.transport.close()  # the connection drops mid-batch
            return "421 closing"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    started = []

    def _start(handler, **kw) -> int:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kw)
        controller.start()
        started.append(controller)
        return port

    yield _start
    for c in started:
        c.stop()


def _recipients(inbox: Inbox) -> list[str]:
    return sorted(r for rcpts, _ in inbox.messages for r in rcpts)


def test_send_delivers_each_message_once_and_logs_it(register, tmp_path, smtp):
    inbox = Inbox()
    settings = _settings(smtp(inbox))
    reminders, _ = build_reminders(_result(register, settings))
    log = tmp_path / SENT_LOG
    outcome = send_reminders(reminders, settings, log, password=None, today=TODAY)
    assert outcome.failure is None
    assert sorted(r.address for r in outcome.sent) == _recipients(inbox) == ["ann@example.org", "sarah@example.org", "tom.column@example.org"]
    received = email.message_from_bytes(inbox.messages[0][1], policy=email.policy.default)
    assert received["Subject"].startswith("Partnership Register:")
    again = send_reminders(reminders, settings, log, password=None, today=TODAY)  # a rerun the same day
    assert not again.sent and len(again.already) == 3 and len(inbox.messages) == 3
    resent = send_reminders(reminders, settings, log, password=None, today=TODAY, resend=True)
    assert len(resent.sent) == 3 and len(inbox.messages) == 6
    tomorrow = send_reminders(reminders, settings, log, password=None, today=TODAY + dt.timedelta(days=1))
    assert len(tomorrow.sent) == 3


def test_a_refused_recipient_is_listed_and_the_others_still_go(register, tmp_path, smtp):
    inbox = Inbox(refuse={"tom.column@example.org"})
    settings = _settings(smtp(inbox))
    reminders, _ = build_reminders(_result(register, settings))
    outcome = send_reminders(reminders, settings, tmp_path / SENT_LOG, password=None, today=TODAY)
    assert [r.address for r, _ in outcome.refused] == ["tom.column@example.org"] and "550" in outcome.refused[0][1]
    assert sorted(r.address for r in outcome.sent) == _recipients(inbox) == ["ann@example.org", "sarah@example.org"]
    assert "refused Tom Hale <tom.column@example.org>" in outcome.failure
    retry = send_reminders(reminders, settings, tmp_path / SENT_LOG, password=None, today=TODAY)
    assert [r.address for r, _ in retry.refused] == ["tom.column@example.org"] and not retry.sent  # the two sent are not sent twice


def test_a_dropped_connection_stops_the_run_and_says_what_was_not_sent(register, tmp_path, smtp):
    inbox = Inbox(drop_at=2)
    settings = _settings(smtp(inbox))
    reminders, _ = build_reminders(_result(register, settings))
    outcome = send_reminders(reminders, settings, tmp_path / SENT_LOG, password=None, today=TODAY)
    assert len(outcome.sent) == 1 and len(outcome.not_attempted) == 2
    assert [r.address for r in outcome.sent] == _recipients(inbox)
    assert "stopped while sending" in outcome.failure
    log = (tmp_path / SENT_LOG).read_text(encoding="utf-8")
    assert outcome.sent[0].address in log and all(r.address not in log for r in outcome.not_attempted)


def test_cli_send_failure_is_one_sentence_and_exit_2(register, tmp_path, smtp, capsys):
    port = smtp(Inbox(drop_at=2))
    config = tmp_path / "pxl.toml"
    config.write_text(f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_from = "p@example.org"\nsmtp_starttls = false\n'
                      '[officers]\n"Ann Other" = "ann@example.org"\n"Sarah Whitfield" = "sarah@example.org"\n"Tom Hale" = "tom@example.org"\n', encoding="utf-8")  # fmt: skip
    code = main(["remind", str(register), "--config", str(config), "--as-of", "2026-11-25", "--send", "--out-dir", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("partnership-xl: Not every reminder was sent:") and "1 of 3 were sent" in err
    assert out.count("  sent to ") == 1 and out.count("NOT sent (the run stopped first)") == 2
    assert "No address for Nobody Known" in out and "No lead officer (PP801), so no reminder: P006" in out


def test_cli_drafts_by_default_and_no_server_needed(register, tmp_path, capsys):
    code = main(["remind", str(register), "--as-of", "2026-11-25", "--out-dir", str(tmp_path / "drafts")])
    out = capsys.readouterr().out
    assert code == 1  # the register has error findings, as for validate
    assert len(list((tmp_path / "drafts").glob("*.eml"))) == 4 and "Reminders written: 4 drafts" in out
    assert not (tmp_path / "drafts" / SENT_LOG).exists()


def test_send_needs_the_server_settings_and_the_password_from_the_environment(register, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PXL_SMTP_PASSWORD", raising=False)
    assert main(["remind", str(register), "--send", "--out-dir", str(tmp_path)]) == 2
    assert "needs smtp_host and smtp_from" in capsys.readouterr().err
    config = tmp_path / "pxl.toml"
    config.write_text('smtp_host = "127.0.0.1"\nsmtp_from = "p@example.org"\nsmtp_user = "partnerships"\n', encoding="utf-8")
    assert main(["remind", str(register), "--config", str(config), "--send", "--out-dir", str(tmp_path)]) == 2
    assert "PXL_SMTP_PASSWORD" in capsys.readouterr().err


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with cryptography (installed with the test dependencies' openssl)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))  # fmt: skip
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def test_starttls_and_login_with_the_password_from_the_environment(register, tmp_path, smtp):
    pytest.importorskip("cryptography")
    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        logins.append((auth_data.login, ok))
        return AuthResult(success=ok)

    inbox = Inbox()
    port = smtp(inbox, tls_context=server_tls, require_starttls=True, authenticator=authenticator)
    settings = _settings(port, smtp_starttls=True, smtp_user="partnerships")
    reminders, _ = build_reminders(_result(register, settings))
    client_tls = ssl.create_default_context(cafile=str(cert))
    outcome = send_reminders(reminders, settings, tmp_path / SENT_LOG, password="s3cret", today=TODAY, context=client_tls)
    assert outcome.failure is None and len(outcome.sent) == 3 == len(inbox.messages)
    assert logins == [(b"partnerships", True)]
    wrong = send_reminders(reminders, settings, tmp_path / "other.csv", password="nope", today=TODAY, context=client_tls)
    assert not wrong.sent and len(wrong.not_attempted) == 3 and "could not connect" in wrong.failure
    untrusted = send_reminders(reminders, settings, tmp_path / "third.csv", password="s3cret", today=TODAY)  # the system's CAs: refused
    assert not untrusted.sent and "could not connect" in untrusted.failure


def test_a_reminder_matches_the_golden_file(register):
    """Headers (but Date and Message-ID) and body against golden/reminder.eml; PXL_REGEN_GOLDEN=1 rewrites it."""
    import os

    golden = Path(__file__).parent / "reports" / "golden" / "reminder.eml"
    by = {r.officer: r for r in build_reminders(_result(register, _settings()))[0]}
    message = by["Sarah Whitfield"].message
    for header in ("Date", "Message-ID"):
        del message[header]
    got = message.as_bytes()
    if os.environ.get("PXL_REGEN_GOLDEN") == "1":
        golden.write_bytes(got)
    assert got == golden.read_bytes(), "the reminder differs from golden/reminder.eml: run with PXL_REGEN_GOLDEN=1 to accept the change"
