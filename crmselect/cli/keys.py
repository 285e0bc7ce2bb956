"""``crmselect keys new``: a member's signing key, written where the user says, never in a guessed place."""

from __future__ import annotations

import argparse

from crmselect.cli.common import DIR_HELP, selection_dir
from crmselect.errors import InputError, Issue
from crmselect.record.signing import KEY_DIR_VARIABLE, key_dir_from
from crmselect.show.i18n import _


def args_keys(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("action", choices=("new",), help=_("new: make a member's key pair"))
    cmd.add_argument("dir", nargs="?", default=None, help=_(DIR_HELP))
    cmd.add_argument("--member", dest="key_member", required=True, metavar="ID", help=_("the committee member"))
    cmd.add_argument("--key-dir", dest="sub_key_dir", default=None, metavar="KEYDIR",
                     help=_("the folder for the private key (default: {variable}); keep it outside the "
                            "selection and out of shared drives").format(variable=KEY_DIR_VARIABLE))
    cmd.add_argument("--force", action="store_true", help=_("replace a key file of the same name in KEYDIR"))


def cmd_keys(args: argparse.Namespace) -> int:
    from crmselect.record.keys import new_key

    key_dir = key_dir_from(args.sub_key_dir or getattr(args, "key_dir", None))
    if key_dir is None:
        raise InputError([Issue(_("command line"), "--key-dir", _(
            "names no folder for the private key: pass --key-dir KEYDIR or set {variable}").format(
            variable=KEY_DIR_VARIABLE), code="no_key_dir", allowed=_("a folder you keep private"),
            received=_("nothing"))])
    made = new_key(selection_dir(args), args.key_member, key_dir, force=args.force)
    print(_("wrote {key_file} (private: keep it to yourself) and {member}'s public key into "
            "vendors/committee.yaml; decision log entry {entry} records it").format(
        key_file=made.key_file, member=made.member, entry=made.entry.seq))
    print(_("from now on {member} records with: crmselect --member {member} --key-dir {key_dir} ...").format(
        member=made.member, key_dir=key_dir))
    return 0
