"""Stakeholder views: the ranking under each member's or role's own goal weights, side by side.

Each ``selection.stakeholder_views`` entry states goal weights (points, like ``goals.yaml``; a
goal a view does not mention keeps the committee's points).  The scorecard is re-ranked under
each view with :meth:`Scorecard.with_goal_weights` (no re-scoring), and the comparison says where
the views disagree on the winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from crmselect.scoring.engine import Scorecard, rank_labels
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.model.project import Project

FloatArray = NDArray[np.float64]
COMMITTEE = "committee"
COMMITTEE_NAME = "Committee"  # the committee's own view, as its name is kept (shown in the current language)


@dataclass(frozen=True, eq=False)
class ViewComparison:
    """Rankings under the committee's weights (first) and each stakeholder view.

    ``weights`` is views x goals (rows sum to 1); ``totals`` and ``ranks`` are views x bids
    (ranks NaN for knocked-out bids); ``winners`` holds each view's sole winner or None on a tie.
    """

    view_ids: tuple[str, ...]
    view_names: tuple[str, ...]
    holders: tuple[str, ...]
    goal_ids: tuple[str, ...]
    bid_ids: tuple[str, ...]
    labels: tuple[str, ...]
    weights: FloatArray
    totals: FloatArray
    ranks: FloatArray
    winners: tuple[str | None, ...]
    holder_names: tuple[str, ...] = ()  # each holder as shown: a member's name (``holders`` keeps the ids)

    def holder_name(self, view: int) -> str:
        """Who holds view number ``view``, as a reader sees it (the member's name; "" for the committee's)."""
        return self.holder_names[view] if len(self.holder_names) == len(self.holders) else self.holders[view]

    @property
    def agree(self) -> bool:
        """True when every view picks the same sole winner."""
        return len(set(self.winners)) == 1 and self.winners[0] is not None

    def _label(self, bid: str | None) -> str:
        return _("a tie") if bid is None else self.labels[self.bid_ids.index(bid)]

    def disagreements(self) -> list[str]:
        """One sentence per view whose winner differs from the committee's."""
        base = self.winners[0]
        out = []
        for v in range(1, len(self.view_ids)):
            if self.winners[v] != base:
                text = (_("{view} ({holder}) would pick {bid}; the committee's weights pick {base}")
                        if self.holders[v] else _("{view} would pick {bid}; the committee's weights pick {base}"))
                out.append(text.format(view=self.view_names[v], holder=self.holder_name(v),
                                       bid=self._label(self.winners[v]), base=self._label(base)))
        return out

    def summary(self) -> str:
        if self.agree:
            return _("All {count} views pick {bid}.").format(count=len(self.view_ids), bid=self._label(self.winners[0]))
        sentences = [_("{sentence}.").format(sentence=sentence) for sentence in self.disagreements()]
        return " ".join(sentences) or _("The views tie for the winner.")

    def frame(self) -> pd.DataFrame:
        """Bids x views: the rank of each bid under each view ("2=" for a shared rank, "out" when knocked out)."""
        import pandas as pd

        data = {name: list(rank_labels(self.ranks[v])) for v, name in enumerate(self.view_names)}
        return pd.DataFrame(data, index=pd.Index(list(self.labels), name="bid"))

    def weights_frame(self) -> pd.DataFrame:
        """Views x goals: the normalised goal weights of each view."""
        import pandas as pd

        return pd.DataFrame(self.weights.copy(), index=pd.Index(list(self.view_names), name="view"),
                            columns=list(self.goal_ids))

    def totals_frame(self) -> pd.DataFrame:
        """Bids x views: the total score of each bid under each view."""
        import pandas as pd

        return pd.DataFrame(self.totals.T.copy(), index=pd.Index(list(self.labels), name="bid"),
                            columns=list(self.view_names))

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        struck = [label for b, label in enumerate(self.labels) if np.isnan(self.ranks[0, b])]
        words = {"bid": N_("bid"), "out": N_("out"), COMMITTEE_NAME: N_("Committee")}

        def shown(key: object) -> object:
            return _(words[key]) if isinstance(key, str) and key in words else key

        frame = self.frame().map(shown).rename(columns=shown)
        frame.index.name = shown(frame.index.name)
        return to_html(frame, caption=_("Ranking under each stakeholder view"), struck_rows=struck,
                       notes=[self.summary()])


def compare_views(project: Project, scorecard: Scorecard) -> ViewComparison:
    """Rank the bids under the committee's weights and under each of ``selection.stakeholder_views``.

    ``scorecard`` (usually ``evaluate(project).scorecard``) gives the goal scores and knock-outs reused here.
    """
    card = scorecard
    selection = project.selection
    points = {goal.id: goal.weight for goal in selection.goals}
    vectors = [card.goal_weights]
    ids, names, holders = [COMMITTEE], [COMMITTEE_NAME], [""]
    members = {member.id: member.name for member in project.committee.members}
    for view in selection.stakeholder_views:
        merged = {**points, **dict(view.weights)}
        vectors.append(np.array([merged[g] for g in card.goal_ids], dtype=float))
        ids.append(view.id)
        names.append(view.name)
        holders.append(view.holder)
    cards = [card] + [card.with_goal_weights(vector) for vector in vectors[1:]]
    return ViewComparison(
        view_ids=tuple(ids), view_names=tuple(names), holders=tuple(holders), goal_ids=card.goal_ids,
        bid_ids=card.bid_ids, labels=card.labels,
        weights=np.vstack([c.goal_weights for c in cards]),
        totals=np.vstack([c.totals for c in cards]),
        ranks=np.vstack([c.ranks for c in cards]),
        winners=tuple(c.winner for c in cards),
        holder_names=tuple(members.get(holder, holder) for holder in holders),
    )
