"""The ``partnership-xl`` command: argument parsing and printing only.

Each command parses its options, calls one or two library functions and prints a one-screen
summary. Input that cannot be used is one plain sentence on stderr and exit code 2.

Exit codes: 0 no error findings; 1 error findings; 2 the input or the command cannot be used.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from .errors import PartnershipXLError

EPILOG = "Exit codes: 0 no error findings, 1 error findings, 2 the input or the command cannot be used."


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake told in one plain sentence (exit 2) instead of a usage block.

    Options are never abbreviated (``--as`` is not ``--as-of``): a mistyped option is refused
    with the option it looks like, rather than guessed.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        options = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
        self.exit(2, f"partnership-xl: {_usage_sentence(self.prog, message, options)}\n")


def _usage_sentence(prog: str, message: str, options: list[str] = ()) -> str:
    """argparse's complaint as one sentence an officer can act on."""
    help_ = f"run '{prog} --help' to see how to use it, then run again."
    if m := re.fullmatch(r"unrecognized arguments: (.*)", message):
        return f"'{prog}' does not take {m.group(1)}{_did_you_mean(m.group(1).split(), options)}: {help_}"
    if m := re.fullmatch(r"the following arguments are required: (.*)", message):
        return f"'{prog}' needs {m.group(1).replace('COMMAND', 'a command (validate, scrutiny, risks, template, rules or init)')}: {help_}"
    if m := re.fullmatch(r"argument COMMAND: invalid choice: (.*?) \(choose from .*\)", message):
        return f"{m.group(1)} is not a command; the commands are validate, scrutiny, risks, template, rules and init: {help_}"
    if m := re.fullmatch(r"argument ([^:]+): expected one argument", message):
        return f"{m.group(1).split('/')[-1]} needs a value after it: {help_}"
    return f"{message[:1].upper()}{message[1:]} ('{prog}'): {help_}"


def _did_you_mean(arguments: list[str], options: list[str]) -> str:
    """" (did you mean --as-of?)" for the first unknown option that looks like one of ``options``."""
    import difflib

    for argument in arguments:
        if argument.startswith("-"):
            typed = "--" + argument.lstrip("-").split("=")[0]
            close = [o for o in options if o.startswith(typed) and len(typed) >= 4] or difflib.get_close_matches(typed, options, n=1, cutoff=0.72)
            if close:
                return f" (did you mean {close[0]}?)"
    return ""


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--config", type=Path, metavar="FILE", help="settings file (default: partnership-xl.toml beside the register)")
    common.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date every date rule uses, as YYYY-MM-DD or DD/MM/YYYY (default: today)")
    common.add_argument("--quiet", action="store_true", help="print one line (for a scheduled task's log)")
    common.add_argument("--debug", action="store_true", help="show the full error behind a failure")

    p = _Parser(
        prog="partnership-xl",
        description="Check the council's Partnership Register against the Partnership Policy and write the results back into Excel.",
        epilog=EPILOG,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    v = sub.add_parser("validate", parents=[common], epilog=EPILOG, help="check the register and write the annotated copy",
                       description="Check every partnership against the policy. Writes '<register> - checked <as-of>.xlsx' beside the register "
                                   "(example: partnership-xl validate \"Partnership Register.xlsx\" --json findings.json).")
    v.add_argument("register", type=Path, metavar="REGISTER", help="the register workbook (.xlsx; .xlsm, .xls, .xlsb, .ods are read too)")
    v.add_argument("--out", type=Path, metavar="FILE", help="where to write the annotated copy")
    v.add_argument("--json", type=Path, metavar="FILE", help="also write the findings as JSON")
    v.add_argument("--no-workbook", action="store_true", help="do not write the annotated copy")
    v.add_argument("--sheet", metavar="NAME", help="the register's sheet (default: the sheet whose header matches best)")

    for name, text, desc in (
        ("scrutiny", "write the annual scrutiny workbook", "The annual report on the register for Scrutiny (policy §8). Example: partnership-xl scrutiny register.xlsx --out scrutiny.xlsx --previous last-year.xlsx"),
        ("risks", "write the quarterly risk and opportunity extract", "Partnership risks and opportunities for the Executive's quarterly update (policy §8). Example: partnership-xl risks register.xlsx --out risks.xlsx --previous last-quarter.xlsx"),
    ):
        r = sub.add_parser(name, parents=[common], epilog=EPILOG, help=text, description=desc)
        r.add_argument("register", type=Path, metavar="REGISTER", help="the register workbook")
        r.add_argument("--out", type=Path, metavar="FILE", required=True, help="the workbook to write")
        r.add_argument("--previous", type=Path, metavar="REGISTER", help="an earlier register to compare with")
        r.add_argument("--sheet", metavar="NAME", help="the register's sheet")

    rp = sub.add_parser("report", parents=[common], epilog=EPILOG, help="write the annual report to Scrutiny as a Word document",
                        description="The annual committee report on the register (policy §8), to edit and send. "
                                    "Example: partnership-xl report register.xlsx --out \"Scrutiny report.docx\" --previous last-year.xlsx")
    rp.add_argument("register", type=Path, metavar="REGISTER", help="the register workbook")
    rp.add_argument("--out", type=Path, metavar="FILE.docx", required=True, help="the Word document to write")
    rp.add_argument("--previous", type=Path, metavar="REGISTER", help="last year's register, for the changes since then")
    rp.add_argument("--sheet", metavar="NAME", help="the register's sheet")

    rm = sub.add_parser("remind", parents=[common], epilog=EPILOG, help="write (or send) each lead officer what to update",
                        description="One e-mail per lead officer listing their findings, cells and next review dates: .eml drafts that open "
                                    "in Outlook, or sent through smtp_host with --send (password from PXL_SMTP_PASSWORD). "
                                    "Example: partnership-xl remind register.xlsx --send")
    rm.add_argument("register", type=Path, metavar="REGISTER", help="the register workbook")
    rm.add_argument("--out-dir", type=Path, metavar="DIR", help="folder for the drafts and the sent-log (default: 'reminders <as-of>' beside the register)")
    rm.add_argument("--send", action="store_true", help="send the reminders through the settings' smtp_host")
    rm.add_argument("--resend", action="store_true", help="with --send, send again to officers already sent a reminder today")
    rm.add_argument("--sheet", metavar="NAME", help="the register's sheet")

    t = sub.add_parser("template", parents=[common], epilog=EPILOG, help="write a blank register with drop-down lists and guidance",
                       description="A blank register to start from. Example: partnership-xl template --out \"Partnership Register.xlsx\"")
    t.add_argument("--out", type=Path, metavar="FILE", required=True, help="the workbook to write")

    ru = sub.add_parser("rules", parents=[common], epilog=EPILOG, help="list the rule catalogue",
                        description="Every rule: code, severity, policy clause and finding; with a code or --verbose, what it means with "
                                    "an example that fires and one that passes. Example: partnership-xl rules PP501")
    ru.add_argument("code", nargs="?", metavar="CODE", help="one rule's code, e.g. PP501, to explain it")
    ru.add_argument("--verbose", action="store_true", help="explain every rule, with an example that fires and one that passes")

    i = sub.add_parser("init", parents=[common], epilog=EPILOG, help="write a commented partnership-xl.toml with every setting",
                       description="Write the settings file with every setting and its default; with --from, beside that register, with the "
                                   "[aliases] its headings look like and the [choices] words it could not read. "
                                   "Example: partnership-xl init --from \"Partnership Register.xlsx\"")
    i.add_argument("--out", type=Path, metavar="FILE", help="where to write it (default: ./partnership-xl.toml, or beside the register with --from)")
    i.add_argument("--from", dest="from_register", type=Path, metavar="REGISTER", help="a register to make the settings for")
    p.commands = dict(sub.choices)  # type: ignore[attr-defined]
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    for stream in (sys.stdout, sys.stderr):  # a Windows log file in cp1252 must not crash a print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = _parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # told against the command given, so its --help is the one suggested
            parser.commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # --help (0) or a usage mistake (2, one sentence already printed)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        _as_of(args)  # a bad --as-of is refused by every command, even those that use no dates
        _note_unused_options(args)
        return _COMMANDS[args.command](args)
    except PartnershipXLError as exc:
        _err(str(exc), args)
        return 2
    except BrokenPipeError:  # e.g. `partnership-xl rules | head`: the reader stopped listening
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _err("Stopped before finishing: nothing was changed; the register is untouched.", args)
        return 2
    except MemoryError:
        _err("The register is too large to check in this computer's memory: split it, or run on a machine with more memory.", args)
        return 2
    except Exception as exc:  # an unexpected failure still gets one sentence, never a traceback
        if getattr(args, "debug", False):
            raise
        _err(f"Something unexpected went wrong ({exc.__class__.__name__}: {str(exc)[:200]}); the register is untouched. Run again with --debug and send the output to the developers.", args)
        return 2


#: The options every command takes (SPEC §6) that some commands have no use for, and why.
_NO_EFFECT = {
    "rules": {"config": "the catalogue is the same whatever the settings", "as_of": "the catalogue is the same on every date"},
    "template": {"as_of": "the blank register holds no dates"},
    "init": {"config": "init writes a fresh settings file with every default", "as_of": "settings do not depend on a date"},
}


def _note_unused_options(args: argparse.Namespace) -> None:
    """Say on stderr, in one line each, that an option given to a command that ignores it had no effect."""
    for dest, why in _NO_EFFECT.get(args.command, {}).items():
        if getattr(args, dest, None) is not None:
            print(f"partnership-xl: note: --{dest.replace('_', '-')} has no effect on '{args.command}' ({why}), so it was ignored.", file=sys.stderr)


def _err(message: str, args: argparse.Namespace) -> None:
    if getattr(args, "debug", False) and sys.exc_info()[0] is not None:
        import traceback

        traceback.print_exc()
    print(f"partnership-xl: {message}", file=sys.stderr)


def _as_of(args: argparse.Namespace) -> date:
    """--as-of as a date: YYYY-MM-DD, or day first (25/11/2026, 25.11.2026) as every output prints dates."""
    from .api import as_of_date

    return as_of_date(args.as_of)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the register; write the annotated copy, JSON and a history line; print a summary."""
    from . import api
    from .progress import Progress

    progress = Progress(enabled=not args.quiet)
    with progress:
        done = api.validate(args.register, args.as_of, args.config, args.sheet, out=args.out, json=args.json,
                            workbook=not args.no_workbook, progress=progress)
    copy = done.workbook
    _print_validate(args, done.result, copy and copy.path, done.json, copy and copy.note, copy.losses if copy else [], done.history)
    return done.exit_code


def _print_validate(args, result, workbook, json_target, note, losses, history) -> None:
    s = result.summary()
    outputs = [str(p) for p in (workbook, json_target) if p is not None]
    notes = []
    if result.register.lock_owner:
        notes.append(f"Note: the register is open in Excel ({result.register.lock_owner}); it was read as last saved.")
    notes += [f"Not carried into the copy: {loss}" for loss in losses]
    if note:
        notes.append(note)
    if history is None:
        notes.append("Note: the run history was not updated (its file is open in Excel, or its folder is read-only or full).")
    if args.quiet:
        where = f" -> {'; '.join(outputs)}" if outputs else ""
        print(f"{result.register.path.name}: {s['partnerships']} partnerships, {s['error']} errors, {s['warning']} warnings, {s['info']} info "
              f"(Red {s['red']}, Amber {s['amber']}, Green {s['green']}){where}")
        for line in notes:
            print(line)
        return
    reg = result.register
    print(f"Partnership register: {reg.path.name}, sheet '{reg.sheet}' (header on row {reg.header_row}), as of {result.as_of:%d/%m/%Y}")
    skipped = f", {len(reg.skipped_rows)} note or total rows skipped" if reg.skipped_rows else ""
    print(f"Partnerships checked: {s['partnerships']}{skipped}")
    print(f"Findings: {s['error']} errors, {s['warning']} warnings, {s['info']} info")
    print(f"RAG: Red {s['red']}, Amber {s['amber']}, Green {s['green']}")
    red = result.scores[result.scores["rag"] == "Red"]
    if len(red):
        worst = red.assign(n=red["codes"].str.count(",") + 1).sort_values("n", ascending=False, kind="stable").head(5)
        print("Worst rows:")
        for row, r in worst.iterrows():
            name = str(r["name"]) if isinstance(r["name"], str) else ""
            name = name if len(name) <= 40 else name[:39].rstrip() + "…"
            print(f"  row {row}  {r['ref'] if isinstance(r['ref'], str) else '(no ref)'}  {name}: {r['codes']}")
    if result.not_checked:
        print(f"Not checked (column missing): {', '.join(sorted(result.not_checked))}")
    for line in notes:
        print(line)
    for p in outputs:
        print(f"Written: {p}")
    if history is not None:
        print(f"History: {history}")
    print("Exit code 1: there are error findings." if result.exit_code else "Exit code 0: no error findings.")


def _report(args: argparse.Namespace, kind: str) -> int:
    from . import api
    from .progress import Progress

    progress = Progress(enabled=not args.quiet)
    with progress:
        done = getattr(api, kind)(args.register, args.out, args.previous, args.as_of, args.config, args.sheet, progress=progress)
    s = done.result.summary()
    if args.quiet:
        print(f"{args.register.name}: {s['partnerships']} partnerships -> {done.path}")
    else:
        print(f"Partnership register: {args.register.name}, as of {done.result.as_of:%d/%m/%Y}: {s['partnerships']} partnerships, "
              f"{s['error']} errors, {s['warning']} warnings, {s['info']} info")
        if done.previous is not None:
            print(f"Compared with: {args.previous.name} ({len(done.previous.scores)} partnerships)")
        print(f"Written: {done.path}")
    return done.exit_code  # as for validate: 1 when the register has error findings


def cmd_scrutiny(args: argparse.Namespace) -> int:
    """Write the annual scrutiny workbook."""
    return _report(args, "scrutiny")


def cmd_risks(args: argparse.Namespace) -> int:
    """Write the quarterly risk and opportunity extract."""
    return _report(args, "risks")


def cmd_report(args: argparse.Namespace) -> int:
    """Write the annual committee report (Word)."""
    from . import api
    from .progress import Progress

    progress = Progress(enabled=not args.quiet)
    with progress:
        done = api.report(args.register, args.out, args.previous, args.as_of, args.config, args.sheet, progress=progress)
    print(f"{args.register.name}: {len(done.result.scores)} partnerships -> {done.path}" if args.quiet
          else f"Written: {done.path} (the annual report to Scrutiny; edit it in Word before it goes out)")
    return done.exit_code


def cmd_remind(args: argparse.Namespace) -> int:
    """Write each lead officer's reminder as an .eml draft; with --send, send them (each once a day)."""
    from . import api
    from .progress import Progress
    from .remind import SENT_LOG

    progress = Progress(enabled=not args.quiet)
    with progress:
        done = api.remind(args.register, args.out_dir, args.as_of, args.config, args.sheet, send=args.send, resend=args.resend, progress=progress)
    outcome = done.outcome
    _print_remind(args, done.reminders, done.orphans, done.drafts, done.folder, outcome)
    if outcome is not None and outcome.failure:
        sent = len(outcome.sent)
        _err(f"Not every reminder was sent: {outcome.failure}; {sent} of {sent + len(outcome.refused) + len(outcome.not_attempted)} were sent "
             f"(listed above, recorded in {SENT_LOG}); fix this and run again: the ones sent today are not sent twice.", args)
    return done.exit_code


def _print_remind(args, reminders, orphans, drafts, folder, outcome) -> None:
    def who(r) -> str:
        return f"{r.officer} <{r.address}>" if r.address else r.officer

    def what(r) -> str:
        return f"{r.findings} finding{'s' if r.findings != 1 else ''} on {', '.join(p.ref for p in r.partnerships)}"

    if outcome is None:
        print(f"Reminders written: {len(drafts)} drafts in {folder} (open each in Outlook and send it)")
        for r in reminders:
            print(f"  {who(r)}: {what(r)}" + ("" if r.address else " (no address yet)"))
    else:
        print(f"Sent: {len(outcome.sent)} of {sum(1 for r in reminders if r.address)} reminders with an address (drafts in {folder})")
        for r in outcome.sent:
            print(f"  sent to {who(r)}: {what(r)}")
        for r in outcome.already:
            print(f"  already sent today, not sent again (use --resend to send it again): {who(r)}")
        for r, why in outcome.refused:
            print(f"  NOT sent, refused by the server ({why}): {who(r)}: {what(r)}")
        for r in outcome.not_attempted:
            print(f"  NOT sent (the run stopped first): {who(r)}: {what(r)}")
    missing = [r for r in reminders if not r.address]
    if missing:
        print(f"No address for {', '.join(r.officer for r in missing)}: add them to [officers] in the settings, or a Lead officer email column"
              + (" (not sent)." if outcome is not None else "."))
    if orphans:
        print(f"No lead officer (PP801), so no reminder: {', '.join(orphans)}")


def cmd_template(args: argparse.Namespace) -> int:
    """Write the blank register template (never over an existing file)."""
    from . import api

    target = api.template(args.out, args.config)
    if args.quiet:
        print(f"template -> {target}")
    else:
        print(f"Written: {target} (a blank register with drop-down lists and a Guidance sheet)")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rule catalogue; with a code or --verbose, each rule's text with its examples."""
    from .findings import CATALOGUE

    codes = list(CATALOGUE)
    if args.code is not None:
        code = args.code.strip().upper()
        if code not in CATALOGUE:
            import difflib

            close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
            raise PartnershipXLError(f"{args.code} is not a rule code{f' (did you mean {close[0]}?)' if close else ''}: "
                                     "run 'partnership-xl rules' to see them all.")
        codes = [code]
    explain = args.verbose or args.code is not None
    if explain:
        from .rules import rule_doc
    for code in codes:
        rule = CATALOGUE[code]
        print(f"{rule.code}  {rule.severity.value:<7}  {rule.policy:<3}  {rule.finding}")
        if not args.quiet or explain:
            print(f"{'':7}fires when {rule.fires_when}")
        if explain:
            for line in rule_doc(code).splitlines():
                print(f"{'':7}{line}".rstrip())
            print()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a commented partnership-xl.toml (with --from, made for that register)."""
    from . import api

    target, proposal = api.init(args.out, args.from_register, args.as_of)
    if proposal is None:
        print(f"Written: {target} (every setting with its default; edit the values you want to change)")
        return 0
    print(f"Written: {target} (every setting with its default, and what {args.from_register.name} needs)")
    if not args.quiet:
        for heading, name, _ in proposal.aliases:
            print(f"  [aliases] '{heading}' read as {name}: delete the line if that is wrong")
        if "risk_scale" in proposal.settings:
            print(f"  risk_scale = {proposal.settings['risk_scale'][0]}")
        for name, word, could_mean, _ in proposal.choices:
            print(f"  [choices.{name}] '{word}' could mean {' or '.join(could_mean[:3])}: choose in the file (commented out until you do)")
        print("Check the file, then run 'partnership-xl validate' on the register: it uses the file.")
    return 0


_COMMANDS = {
    "validate": cmd_validate,
    "scrutiny": cmd_scrutiny,
    "risks": cmd_risks,
    "report": cmd_report,
    "remind": cmd_remind,
    "template": cmd_template,
    "rules": cmd_rules,
    "init": cmd_init,
}


def main_exit() -> None:
    """Console-script entry point: exit with main()'s code."""
    sys.exit(main())
