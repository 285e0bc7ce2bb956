"""What every subcommand shares: the selection folder argument, the acting member, refused old spellings."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from crmselect.errors import CrmSelectError, InputError, Issue
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.loaders import load_project
from crmselect.files.workspace import SELECTION_FILE, resolve_selection
from crmselect.model.project import Project
from crmselect.model.settings import LOCALES
from crmselect.record.envelopes import PriceAccess
from crmselect.record.signing import Signer
from crmselect.show.i18n import N_, _

DIR_HELP = N_("the selection folder (default: the current directory, when it is a selection)")


def add_dir(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", nargs="?", default=None, help=_(DIR_HELP))


def selection_language(args: argparse.Namespace) -> str | None:
    """The ``locale`` of the selection the command works on, read before anything else so that even the
    selection's load errors are in its language; ``None`` when there is no selection (yet) or no valid locale.
    """
    from crmselect.files.yaml_lines import read_yaml

    words = args.dir if isinstance(getattr(args, "dir", None), list) else [getattr(args, "dir", None)]
    try:
        root = resolve_selection(words[0] if words else None)
        document = read_yaml(root / SELECTION_FILE, SELECTION_FILE, [])
    except (CrmSelectError, OSError):
        return None
    locale = document.data.get("locale") if document is not None and isinstance(document.data, dict) else None
    return locale if locale in LOCALES else None


def selection_dir(args: argparse.Namespace) -> Path:
    return resolve_selection(args.dir)


def project_of(args: argparse.Namespace) -> Project:
    """The project of the folder named on the command line, or of the current directory when it is a selection.

    While the technical inputs differ from the committee's seal, every command says so first (stderr).
    """
    from crmselect.cli.labels import seal_warning_text
    from crmselect.record.envelopes import seal_state

    project = load_project(selection_dir(args))
    warning = seal_warning_text(seal_state(project))
    if warning:
        print(warning + "\n", file=sys.stderr)
    return project


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LOCALES, default=None,
                        help=_("the language of the output: en or zh-CN (default: the selection's locale in "
                               "selection.yaml; English for a command without a selection, such as init)"))


def asked_language(argv: Sequence[str] | None) -> str | None:
    """``--lang`` alone, before the parser is built, so that ``--help`` speaks it too."""
    early = argparse.ArgumentParser(add_help=False)
    add_lang(early)
    try:
        known, _rest = early.parse_known_args(argv)
    except SystemExit:  # a --lang argparse refuses: the real parser says so, in English
        return None
    return known.lang  # type: ignore[no-any-return]


def language_of(args: argparse.Namespace) -> str:
    """The command's language: ``--lang``, else the selection's locale, else English (``init`` has no selection)."""
    if args.lang is not None:
        return str(args.lang)
    if args.command != "init":
        found = selection_language(args)
        if found is not None:
            return found
    return "en"


class OldSpellingError(InputError):
    """A command was spelled the way it was before the one command-line convention."""


def refuse(old: str, new: str) -> OldSpellingError:
    return OldSpellingError([Issue(_("command line"), old, _("is the old spelling; write `{new}`").format(new=new),
                                   code="old_spelling", allowed=new, received=old)])


def acting_member(args: argparse.Namespace, project: Project, command: str) -> str:
    """The committee member named by the global ``--member`` option; an error says how to name one."""
    members = project.committee.member_ids
    member = getattr(args, "member", None)
    if member is not None:
        member = unicodedata.normalize("NFC", member)  # as the committee file's ids are
    if member is None:
        raise InputError([Issue(_("command line"), "--member", _(
            "{command} is recorded in the decision log with who did it: name yourself before the command, e.g. "
            "`crmselect --member {member} {command} ...`").format(command=command,
                                                                  member=members[0] if members else "ID"),
            code="no_member",
            allowed=", ".join(members) or _("a member of {file} (it has none yet)").format(file=COMMITTEE_FILE),
            received=_("nothing"))])
    if member not in members:
        raise InputError([Issue(COMMITTEE_FILE, "members", _("has no member {member!r}").format(member=member),
                                code="unknown_member", allowed=", ".join(members) or _("no members yet"),
                                received=member)])
    return str(member)


def acting_signer(args: argparse.Namespace, project: Project, member: str) -> Signer | None:
    """The acting member's key, when the committee signs its decisions (it has public keys); else None."""
    from crmselect.record.signing import key_dir_from, member_signer

    key_dir = key_dir_from(getattr(args, "key_dir", None))
    if key_dir is None and any(m.public_key for m in project.committee.members):
        raise InputError([Issue(_("command line"), "--key-dir", _(
            "the committee signs its decisions: name the folder holding your key (crmselect --member ID --key-dir "
            "KEYDIR ..., or CRMSELECT_KEY_DIR)"), code="no_key_dir", allowed=_("a folder with your key file"),
            received=_("nothing"))])
    return member_signer(project, member, key_dir)


def add_parents(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--parents", action="store_true", help=_("create missing folders on the way to --out"))


def checked_out(text: str, *, suffix: str | None, parents: bool) -> Path:
    """``--out`` as the user named it: the right ending, and a folder that exists (or ``--parents``)."""
    out = Path(text)
    if suffix is not None and out.suffix.lower() != suffix:
        raise InputError([Issue(_("command line"), "--out", _("{out} must end in {suffix}").format(
            out=out, suffix=suffix), code="bad_out", allowed=_("a file name ending in {suffix}").format(suffix=suffix),
            received=out.suffix or _("no ending"))])
    parent = out.parent
    if not parent.exists():
        if not parents:
            raise InputError([Issue(_("command line"), "--out", _(
                "{out}: the folder {parent} does not exist (create it, or add --parents)").format(
                out=out, parent=parent), code="missing_folder", allowed=_("an existing folder"),
                received=str(parent))])
        parent.mkdir(parents=True)
    return out


def refuse_existing(paths: list[Path], force: bool) -> None:
    """All or nothing: before writing several files, refuse if any exists (unless ``force``)."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise InputError([Issue(str(p), "", _("already exists; nothing was written (use --force to replace)"),
                                code="exists", allowed=_("a new file"), received=_("an existing file"))
                          for p in existing])


def add_unseal(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--unseal", action="store_true",
                     help=_("show price figures before the reveal; logged with --member and --why, and marked"))
    cmd.add_argument("--unseal-why", dest="unseal_why", default=None, metavar="TEXT",
                     help=_("why the seal is opened (required with --unseal; kept in the decision log)"))


def price_access_of(args: argparse.Namespace, project: Project, output: str) -> PriceAccess:
    """What the command may show of prices: revealed, sealed, or opened with a logged reason (--unseal)."""
    from crmselect.record.envelopes import price_access, unseal_prices

    if not getattr(args, "unseal", False):
        return price_access(project)
    if not (args.unseal_why or "").strip():
        raise InputError([Issue(_("command line"), "--unseal-why", _(
            "opening the price seal before the reveal needs a reason, kept in the decision log"), code="no_reason",
            allowed=_("a sentence"), received=_("nothing"))])
    member = acting_member(args, project, output)
    return unseal_prices(project, member, args.unseal_why, output, acting_signer(args, project, member))


__all__ = [
    "DIR_HELP",
    "OldSpellingError",
    "acting_member",
    "acting_signer",
    "add_dir",
    "add_lang",
    "add_parents",
    "add_unseal",
    "asked_language",
    "checked_out",
    "language_of",
    "price_access_of",
    "project_of",
    "refuse",
    "refuse_existing",
    "selection_dir",
    "selection_language",
]
