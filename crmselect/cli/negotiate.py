"""``crmselect negotiate``: what each bid that is not winning must concede on price to tie the winner."""

from __future__ import annotations

import argparse

from crmselect.cli.common import add_dir, add_unseal, price_access_of, project_of
from crmselect.cli.labels import marker_text
from crmselect.cli.terminal import text_table
from crmselect.show.i18n import _


def args_negotiate(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)


def cmd_negotiate(args: argparse.Namespace) -> int:
    import pandas as pd

    from crmselect.evaluation import evaluate

    project = project_of(args)
    access = price_access_of(args, project, "negotiate")
    if not access.visible:
        print(_("{name}: price concessions are sealed until prices are revealed "
                "(`crmselect --member ID reveal-prices DIR --why TEXT`, after the lock).").format(
            name=project.selection.name))
        return 0
    if access.marker:
        print(marker_text(access) + "\n")
    evaluation = evaluate(project, reveal_prices=True)
    card = evaluation.scorecard
    winner = card.winner
    concessions = evaluation.concessions()
    method = evaluation.price_method
    print(_("{name}: what each bid must concede on price to tie {winner} (price method {method}; "
            "one unit more and it wins)").format(name=project.selection.name,
                                                 winner=card.labels[card.bid_ids.index(winner)] if winner else "-",
                                                 method=method) + "\n")
    if not concessions:
        print(_("No other eligible bid: nothing to negotiate against."))
        return 0
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
    return 0


__all__ = ["args_negotiate", "cmd_negotiate"]
