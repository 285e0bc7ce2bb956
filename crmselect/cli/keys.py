"""``crmselect keys new``: a member's signing key, written where the user says, never in a guessed place."""

from __future__ import annotations

import argparse

from crmselect.cli.common import DIR_HELP, selection_dir
from crmselect.errors import InputError, Issue
from crmselect.record.signing import KEY_DIR_VARIABLE, key_dir_from


def args_keys(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("action", choices=("new",), help="new: make a member's key pair")
    cmd.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    cmd.add_argument("--member", dest="key_member", required=True, metavar="ID", help="the committee member")
    cmd.add_argument("--key-dir", dest="sub_key_dir", default=None, metavar="KEYDIR",
                     help=f"the folder for the private key (default: {KEY_DIR_VARIABLE}); keep it outside the "
                          "selection and out of shared drives")
    cmd.add_argument("--force", action="store_true", help="replace a key file of the same name in KEYDIR")


def cmd_keys(args: argparse.Namespace) -> int:
    from crmselect.record.keys import new_key

    key_dir = key_dir_from(args.sub_key_dir or getattr(args, "key_dir", None))
    if key_dir is None:
        raise InputError([Issue("command line", "--key-dir", f"names no folder for the private key: pass --key-dir "
                                f"KEYDIR or set {KEY_DIR_VARIABLE}", code="no_key_dir",
                                allowed="a folder you keep private", received="nothing")])
    made = new_key(selection_dir(args), args.key_member, key_dir, force=args.force)
    print(f"wrote {made.key_file} (private: keep it to yourself) and {made.member}'s public key into "
          f"vendors/committee.yaml; decision log entry {made.entry.seq} records it")
    print(f"from now on {made.member} records with: crmselect --member {made.member} --key-dir {key_dir} ...")
    return 0
