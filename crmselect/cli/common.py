"""What every subcommand shares: the selection folder argument, the acting member, refused old spellings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crmselect.errors import InputError, Issue
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.loaders import load_project
from crmselect.files.workspace import resolve_selection
from crmselect.model.project import Project
from crmselect.record.envelopes import PriceAccess
from crmselect.record.signing import Signer

DIR_HELP = "the selection folder (default: the current directory, when it is a selection)"


def add_dir(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", nargs="?", default=None, help=DIR_HELP)


def selection_dir(args: argparse.Namespace) -> Path:
    return resolve_selection(args.dir)


def project_of(args: argparse.Namespace) -> Project:
    """The project of the folder named on the command line, or of the current directory when it is a selection.

    While the technical inputs differ from the committee's seal, every command says so first (stderr).
    """
    from crmselect.record.envelopes import seal_state

    project = load_project(selection_dir(args))
    warning = seal_state(project).warning()
    if warning:
        print(warning + "\n", file=sys.stderr)
    return project


class OldSpellingError(InputError):
    """A command was spelled the way it was before the one command-line convention."""


def refuse(old: str, new: str) -> OldSpellingError:
    return OldSpellingError([Issue("command line", old, f"is the old spelling; write `{new}`",
                                   code="old_spelling", allowed=new, received=old)])


def acting_member(args: argparse.Namespace, project: Project, command: str) -> str:
    """The committee member named by the global ``--member`` option; an error says how to name one."""
    members = project.committee.member_ids
    member = getattr(args, "member", None)
    if member is None:
        raise InputError([Issue("command line", "--member", f"{command} is recorded in the decision log with who "
                                f"did it: name yourself before the command, e.g. `crmselect --member "
                                f"{members[0] if members else 'ID'} {command} ...`", code="no_member",
                                allowed=", ".join(members) or f"a member of {COMMITTEE_FILE} (it has none yet)",
                                received="nothing")])
    if member not in members:
        raise InputError([Issue(COMMITTEE_FILE, "members", f"has no member {member!r}", code="unknown_member",
                                allowed=", ".join(members) or "no members yet", received=member)])
    return str(member)


def acting_signer(args: argparse.Namespace, project: Project, member: str) -> Signer | None:
    """The acting member's key, when the committee signs its decisions (it has public keys); else None."""
    from crmselect.record.signing import key_dir_from, member_signer

    key_dir = key_dir_from(getattr(args, "key_dir", None))
    if key_dir is None and any(m.public_key for m in project.committee.members):
        raise InputError([Issue("command line", "--key-dir", "the committee signs its decisions: name the folder "
                                "holding your key (crmselect --member ID --key-dir KEYDIR ..., or CRMSELECT_KEY_DIR)",
                                code="no_key_dir", allowed="a folder with your key file", received="nothing")])
    return member_signer(project, member, key_dir)


def add_parents(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--parents", action="store_true", help="create missing folders on the way to --out")


def checked_out(text: str, *, suffix: str | None, parents: bool) -> Path:
    """``--out`` as the user named it: the right ending, and a folder that exists (or ``--parents``)."""
    out = Path(text)
    if suffix is not None and out.suffix.lower() != suffix:
        raise InputError([Issue("command line", "--out", f"{out} must end in {suffix}", code="bad_out",
                                allowed=f"a file name ending in {suffix}", received=out.suffix or "no ending")])
    parent = out.parent
    if not parent.exists():
        if not parents:
            raise InputError([Issue("command line", "--out", f"{out}: the folder {parent} does not exist (create "
                                    "it, or add --parents)", code="missing_folder", allowed="an existing folder",
                                    received=str(parent))])
        parent.mkdir(parents=True)
    return out


def refuse_existing(paths: list[Path], force: bool) -> None:
    """All or nothing: before writing several files, refuse if any exists (unless ``force``)."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise InputError([Issue(str(p), "", "already exists; nothing was written (use --force to replace)",
                                code="exists", allowed="a new file", received="an existing file") for p in existing])


def add_unseal(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--unseal", action="store_true",
                     help="show price figures before the reveal; logged with --member and --why, and marked")
    cmd.add_argument("--unseal-why", dest="unseal_why", default=None, metavar="TEXT",
                     help="why the seal is opened (required with --unseal; kept in the decision log)")


def price_access_of(args: argparse.Namespace, project: Project, output: str) -> PriceAccess:
    """What the command may show of prices: revealed, sealed, or opened with a logged reason (--unseal)."""
    from crmselect.record.envelopes import price_access, unseal_prices

    if not getattr(args, "unseal", False):
        return price_access(project)
    if not (args.unseal_why or "").strip():
        raise InputError([Issue("command line", "--unseal-why", "opening the price seal before the reveal needs a "
                                "reason, kept in the decision log", code="no_reason", allowed="a sentence",
                                received="nothing")])
    member = acting_member(args, project, output)
    return unseal_prices(project, member, args.unseal_why, output, acting_signer(args, project, member))


__all__ = [
    "DIR_HELP",
    "OldSpellingError",
    "acting_member",
    "acting_signer",
    "add_dir",
    "add_parents",
    "add_unseal",
    "checked_out",
    "price_access_of",
    "project_of",
    "refuse",
    "refuse_existing",
    "selection_dir",
]
