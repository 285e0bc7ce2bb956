"""``crmselect negotiate``: what each bid that is not winning must concede on price to tie the winner (after the
reveal), and for every bid the contract and SLA levers ranked by what conceding each adds to its score (levers
are shown before the reveal too, with prices left out of the totals and no NPV)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from crmselect.cli.common import add_dir, add_unseal, price_access_of, project_of
from crmselect.cli.labels import marker_text
from crmselect.cli.terminal import text_table
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from crmselect.evaluation import Evaluation


def args_negotiate(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)


def cmd_negotiate(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate

    project = project_of(args)
    access = price_access_of(args, project, "negotiate")
    if access.marker:
        print(marker_text(access) + "\n")
    evaluation = evaluate(project, reveal_prices=access.visible)
    if not access.visible:
        print(_("{name}: price concessions are sealed until prices are revealed "
                "(`crmselect --member ID reveal-prices DIR --why TEXT`, after the lock).").format(
            name=project.selection.name) + "\n")
    else:
        _print_concessions(project.selection.name, evaluation)
    print(_("{name}: the contract and SLA levers worth most to each bid's score").format(
        name=project.selection.name) + "\n")
    print(evaluation.levers(show_prices=access.visible))
    return 0


def _print_concessions(name: str, evaluation: Evaluation) -> None:
    import pandas as pd

    card = evaluation.scorecard
    winner = card.winner
    concessions = evaluation.concessions()
    method = evaluation.price_method
    print(_("{name}: what each bid must concede on price to tie {winner} (price method {method}; "
            "one unit more and it wins)").format(name=name,
                                                 winner=card.labels[card.bid_ids.index(winner)] if winner else "-",
                                                 method=method) + "\n")
    if not concessions:
        print(_("No other eligible bid: nothing to negotiate against.") + "\n")
        return
    money = "{:,.0f}".format
    rows = {}
    for item in concessions:
        rows[item.label] = {
            _("NPV now"): money(item.npv),
            _("NPV to tie"): money(item.target_npv) if item.target_npv is not None else _("no price ties"),
            _("reduction"): money(item.reduction) if item.reduction is not None else "",
            _("as a subscription discount"): (f"{item.subscription_discount_pct:.1f} %"
                                              if item.subscription_discount_pct is not None else ""),
        }
    print(text_table(pd.DataFrame.from_dict(rows, orient="index")))
    print("\n" + evaluation.tco.payment_convention())
    if method == "kept_apart":
        print(_("Price is kept apart from the score: the target is the value-for-money frontier, the NPV at which "
                "no other bid scores at least as high for no more money."))
    print()


__all__ = ["args_negotiate", "cmd_negotiate"]
