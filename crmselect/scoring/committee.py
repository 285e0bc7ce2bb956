"""Committee scores: aggregation per vendor and demo scenario, spread, disagreement, agreement.

Members score each vendor's scripted demo scenarios from 0 to 5.  Per vendor and scenario the
summary keeps the count, mean, median, trimmed mean, min, max, range and standard deviation; the
committee's chosen aggregate (``committee.aggregation``) becomes the value, unless a consensus
override replaces it (its reason is kept).  A range of at least ``disagreement_pct`` % of the
5-point scale is flagged as a disagreement listing who scored what; scores a member did not give
are listed, never silently dropped.  Agreement across members is Kendall's W over their vendor
rankings.  Kernels take ndarrays; :func:`summarise_committee` validates and assembles.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crmselect.errors import AnalysisError
from crmselect.model.goals import Aggregation, Committee
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
SCALE_MAX = 5.0
_EPS = 1e-9


# ---------------------------------------------------------------- kernels
def trimmed_mean(scores: FloatArray, trim_pct: float) -> float:
    """Mean after cutting ``floor(n * trim_pct / 100)`` scores from each end (as scipy's ``trim_mean``)."""
    ordered = np.sort(scores)
    cut = math.floor(ordered.size * trim_pct / 100.0)
    kept = ordered[cut : ordered.size - cut] if ordered.size - 2 * cut > 0 else ordered
    return float(kept.mean())


def aggregate_kernel(scores: FloatArray, method: str, trim_pct: float = 20.0) -> float:
    """One number from the members' scores (no NaN): ``mean``, ``median`` or ``trimmed_mean``."""
    if method == "median":
        return float(np.median(scores))
    if method == "trimmed_mean":
        return trimmed_mean(scores, trim_pct)
    return float(scores.mean())


def spread_kernel(scores: FloatArray, trim_pct: float = 20.0) -> dict[str, float]:
    """n, mean, median, trimmed mean, min, max, range and population standard deviation of the scores."""
    if scores.size == 0:
        nan = float("nan")
        return {"n": 0, "mean": nan, "median": nan, "trimmed_mean": nan, "min": nan, "max": nan, "range": nan,
                "std": nan}
    low, high = float(scores.min()), float(scores.max())
    return {
        "n": int(scores.size),
        "mean": float(scores.mean()),
        "median": float(np.median(scores)),
        "trimmed_mean": trimmed_mean(scores, trim_pct),
        "min": low,
        "max": high,
        "range": high - low,
        "std": 0.0 if high == low else float(scores.std()),  # exactly 0 for identical scores
    }


SPREAD_KEYS = ("n", "mean", "median", "trimmed_mean", "min", "max", "range", "std")


def spread_rows_kernel(scores: FloatArray, trim_pct: float = 20.0) -> dict[str, FloatArray]:
    """:func:`spread_kernel` for every row of a cells x members matrix with no NaN (same bits per row).

    Each statistic is a reduction along the rows' own (last, contiguous) axis, which numpy sums the
    same way as a 1-D array; ``n`` comes back as floats.
    """
    matrix = np.ascontiguousarray(scores, dtype=float)
    cells, n = matrix.shape
    if n == 0:
        nan = np.full(cells, np.nan)
        return {"n": np.zeros(cells), **{key: nan.copy() for key in SPREAD_KEYS[1:]}}
    low, high = matrix.min(axis=1), matrix.max(axis=1)
    ordered = np.sort(matrix, axis=1)
    cut = math.floor(n * trim_pct / 100.0)
    kept = ordered[:, cut : n - cut] if n - 2 * cut > 0 else ordered
    return {
        "n": np.full(cells, float(n)),
        "mean": matrix.mean(axis=1),
        "median": np.median(matrix, axis=1),
        "trimmed_mean": np.ascontiguousarray(kept).mean(axis=1),
        "min": low,
        "max": high,
        "range": high - low,
        "std": np.where(high == low, 0.0, matrix.std(axis=1)),
    }


def average_ranks(values: ArrayLike) -> FloatArray:
    """Ranks 1..n of ``values`` (ascending), tied values sharing the mean of their positions."""
    array = np.asarray(values, dtype=float)
    order = np.argsort(array, kind="mergesort")
    ranks = np.empty(array.size)
    sorted_values = array[order]
    start = 0
    while start < array.size:
        end = start
        while end + 1 < array.size and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def kendall_w(scores: ArrayLike) -> float:
    """Kendall's coefficient of concordance W of m judges ranking n objects (rows = judges).

    Each row is turned into ranks (ties get average ranks); with rank sums ``R_j``::

        W = 12 * sum_j (R_j - mean(R))**2 / (m**2 * (n**3 - n) - m * sum_i T_i)
        T_i = sum over groups of ties in row i of (t**3 - t)

    (Kendall, M.G. & Babington Smith, B. (1939) "The problem of m rankings", Annals of
    Mathematical Statistics 10, 275-287; tie correction as in Siegel, S. & Castellan, N.J. (1988)
    *Nonparametric Statistics for the Behavioral Sciences*, 2nd ed., section 9.4).  W is 1 for
    complete agreement and 0 for none; NaN when undefined (fewer than 2 judges or objects, or
    every judge ties everything).
    """
    matrix = np.asarray(scores, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 2 or not np.isfinite(matrix).all():
        return float("nan")
    m, n = matrix.shape
    ranks = np.vstack([average_ranks(row) for row in matrix])
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for row in matrix:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    return 12.0 * s / denominator if denominator > 0 else float("nan")


# ---------------------------------------------------------------- results
@dataclass(frozen=True)
class Disagreement:
    """A vendor and scenario whose scores spread over at least the disagreement threshold.

    ``vendor``, ``scenario`` and the members in ``scores`` are ids (the data); the ``*_name`` fields are what a
    reader sees (``member_names`` in the order of ``scores``), each falling back to the id when not given."""

    vendor: str
    scenario: str
    range: float
    scores: tuple[tuple[str, float], ...]
    vendor_name: str = field(default="", compare=False)
    scenario_name: str = field(default="", compare=False)
    member_names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def shown_scores(self) -> tuple[tuple[str, float], ...]:
        """(member name, score) per member who scored, as a reader sees them."""
        names = self.member_names if len(self.member_names) == len(self.scores) else [m for m, _s in self.scores]
        return tuple((name, score) for name, (_m, score) in zip(names, self.scores, strict=True))

    def __str__(self) -> str:
        who = ", ".join(f"{member} {score:g}" for member, score in self.shown_scores)
        return _("{vendor} / {scenario}: range {range} ({scores})").format(
            vendor=self.vendor_name or self.vendor, scenario=self.scenario_name or self.scenario,
            range=f"{self.range:g}", scores=who)


@dataclass(frozen=True)
class Settled:
    """A disagreement the committee settled: the value it agreed on, why, and who recorded it."""

    disagreement: Disagreement
    value: float
    reason: str
    by: str  # the member id who recorded it ("" when not said)
    by_name: str = field(default="", compare=False)  # that member's name, as shown

    def __str__(self) -> str:
        text = _("{disagreement}: agreed {value} ({reason}; by {by})") if self.by else _(
            "{disagreement}: agreed {value} ({reason})")
        return text.format(disagreement=self.disagreement, value=f"{self.value:g}", reason=self.reason,
                           by=self.by_name or self.by)


@dataclass(frozen=True)
class MissingScore:
    """A score a member did not give: ids, and the names a reader sees (the id when no name is given)."""

    member: str
    vendor: str
    scenario: str
    member_name: str = field(default="", compare=False)  # the names are how it is shown, not what it is
    vendor_name: str = field(default="", compare=False)
    scenario_name: str = field(default="", compare=False)

    def __str__(self) -> str:
        return _("{member} gave no score for {vendor} / {scenario}").format(
            member=self.member_name or self.member, vendor=self.vendor_name or self.vendor,
            scenario=self.scenario_name or self.scenario)


@dataclass(frozen=True, eq=False)
class CommitteeSummary:
    """Per vendor x scenario statistics, the values used, disagreements, missing scores and Kendall's W.

    ``scores`` is members x vendors x scenarios (NaN = not scored); ``values`` is vendors x
    scenarios on 0..5 (the aggregate, or the consensus override; NaN when nobody scored);
    ``spread`` is the members' standard deviation (0 where a consensus override settled it).
    """

    member_ids: tuple[str, ...]
    vendor_ids: tuple[str, ...]
    scenario_ids: tuple[str, ...]
    scenario_criteria: tuple[str, ...]
    aggregation: str
    trim_pct: float
    disagreement_pct: float
    scores: FloatArray
    values: FloatArray
    spread: FloatArray
    stats: tuple[dict[str, Any], ...]
    overrides: Mapping[tuple[str, str], tuple[float, str]]
    disagreements: tuple[Disagreement, ...]  # still to discuss: no consensus override settled them
    missing: tuple[MissingScore, ...]
    kendall_w: float
    w_members: tuple[str, ...]
    settled: tuple[Settled, ...] = ()
    # what a reader sees, in the order of the ids (empty: the ids are shown)
    vendor_names: tuple[str, ...] = ()
    member_names: tuple[str, ...] = ()
    scenario_names: tuple[str, ...] = ()

    def vendor_name(self, vendor: str) -> str:
        """A vendor's name as shown (its id when the summary was made without names)."""
        return _name_of(vendor, self.vendor_ids, self.vendor_names)

    def member_name(self, member: str) -> str:
        return _name_of(member, self.member_ids, self.member_names)

    def scenario_name(self, scenario: str) -> str:
        return _name_of(scenario, self.scenario_ids, self.scenario_names)

    @property
    def threshold(self) -> float:
        """The range (in score points) at which scores count as a disagreement."""
        return self.disagreement_pct / 100.0 * SCALE_MAX

    def criterion_value(self, vendor: str, criterion: str) -> tuple[float, float, float, tuple[str, ...]]:
        """(value 0..1, spread 0..1, level 0..5, notes) of a committee-score criterion for a vendor.

        The value is the mean over the criterion's scenarios of the aggregate (or consensus) divided
        by 5; a scenario nobody scored counts 0 and is noted.  ``level`` is the same mean on 0..5,
        NaN when a scenario is unscored (a must-have cannot be judged yet).  The spread combines
        the scenarios' standard deviations as independent: ``sqrt(sum sd**2) / k``.
        """
        v = self.vendor_ids.index(vendor)
        columns = [s for s, c in enumerate(self.scenario_criteria) if c == criterion]
        if not columns:
            return 0.0, 0.0, float("nan"), ("no demo scenario scores this criterion; counts 0",)
        notes: list[str] = []
        levels, spreads = [], []
        for s in columns:
            value = float(self.values[v, s])
            key = (vendor, self.scenario_ids[s])
            if key in self.overrides:
                notes.append(f"{self.scenario_ids[s]}: consensus {value:g} ({self.overrides[key][1]})")
            if math.isnan(value):
                notes.append(f"{self.scenario_ids[s]}: not scored, counts 0")
            levels.append(value)
            sd = float(self.spread[v, s])
            spreads.append(0.0 if math.isnan(sd) else sd)
        filled = [0.0 if math.isnan(x) else x for x in levels]
        level = float(np.mean(levels)) if not any(math.isnan(x) for x in levels) else float("nan")
        spread = math.sqrt(sum(x * x for x in spreads)) / len(columns)
        return float(np.mean(filled)) / SCALE_MAX, spread / SCALE_MAX, level, tuple(notes)

    def criterion_columns(
        self, criterion: str
    ) -> tuple[FloatArray, FloatArray, FloatArray, tuple[tuple[str, ...], ...]]:
        """:meth:`criterion_value` for every vendor at once (arrays in ``vendor_ids`` order, notes per vendor).

        The same floating-point steps as :meth:`criterion_value` (the mean over a vendor's scenarios
        is a row reduction, the spread a running sum over the scenarios), so the same bits.
        """
        n = len(self.vendor_ids)
        columns = [s for s, c in enumerate(self.scenario_criteria) if c == criterion]
        if not columns:
            note = ("no demo scenario scores this criterion; counts 0",)
            return np.zeros(n), np.zeros(n), np.full(n, np.nan), (note,) * n
        levels = np.ascontiguousarray(self.values[:, columns])
        unscored = np.isnan(levels)
        filled = np.where(unscored, 0.0, levels)
        spreads = np.where(np.isnan(self.spread[:, columns]), 0.0, self.spread[:, columns])
        total: Any = 0
        for k in range(len(columns)):
            total = total + spreads[:, k] * spreads[:, k]
        spread = np.sqrt(np.asarray(total, dtype=float)) / len(columns)
        notes: list[tuple[str, ...]] = []
        for v, vendor in enumerate(self.vendor_ids):
            row: list[str] = []
            for k, s in enumerate(columns):
                key = (vendor, self.scenario_ids[s])
                if key in self.overrides:
                    row.append(f"{self.scenario_ids[s]}: consensus {float(levels[v, k]):g} ({self.overrides[key][1]})")
                if unscored[v, k]:
                    row.append(f"{self.scenario_ids[s]}: not scored, counts 0")
            notes.append(tuple(row))
        level = np.mean(levels, axis=1)
        return np.mean(filled, axis=1) / SCALE_MAX, spread / SCALE_MAX, level, tuple(notes)

    def frame(self) -> pd.DataFrame:
        """One row per vendor and scenario: the statistics, the value used, override and disagreement."""
        import pandas as pd

        return pd.DataFrame([dict(row) for row in self.stats])

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        words = {"criterion": N_("criterion"), "n": N_("n"), "mean": N_("mean"), "median": N_("median"),
                 "trimmed_mean": N_("trimmed mean"), "min": N_("min"), "max": N_("max"), "range": N_("range"),
                 "std": N_("standard deviation"), "aggregate": N_("aggregate"), "override": N_("override"),
                 "override_reason": N_("override reason"), "value": N_("value used"),
                 "disagreement": N_("disagreement")}

        def shown(key: object) -> object:
            if isinstance(key, bool):
                return _("yes") if key else _("no")
            return _(words[key]) if isinstance(key, str) and key in words else key

        frame = self.frame().drop(columns=["scores"]).set_index(["vendor", "scenario"])
        for column in ("disagreement", "override"):
            if column in frame.columns and frame[column].dtype == bool:
                frame[column] = frame[column].map(shown)
        frame = frame.rename(columns=shown)
        frame.index = [f"{self.vendor_name(v)} / {self.scenario_name(s)}" for v, s in frame.index]
        w = _("undefined") if math.isnan(self.kendall_w) else f"{self.kendall_w:.3f}"
        notes = [_("Kendall's W over {count} members' vendor rankings: {w}").format(count=len(self.w_members), w=w)]
        notes += [_("Disagreement: {item}").format(item=d) for d in self.disagreements]
        notes += [_("Missing: {item}").format(item=m) for m in self.missing]
        aggregations = {"mean": N_("mean"), "median": N_("median"), "trimmed_mean": N_("trimmed mean")}
        aggregation = str(self.aggregation)
        caption = _("Committee scores ({aggregation})").format(
            aggregation=_(aggregations[aggregation]) if aggregation in aggregations else aggregation)
        return to_html(frame, caption=caption, default_format="number",
                       formats={str(shown("n")): "integer"}, notes=notes)


def _name_of(key: str, ids: Sequence[str], names: Sequence[str]) -> str:
    if len(names) == len(ids) and key in ids:
        return names[list(ids).index(key)]
    return key


def summarise_committee(committee: Committee, vendor_ids: Sequence[str],
                        vendor_names: Sequence[str] | None = None) -> CommitteeSummary:
    """Aggregate the committee's 0-5 scores for ``vendor_ids`` and report spread and agreement.

    ``vendor_names`` (in the order of ``vendor_ids``) are shown where the vendors are named; without them the ids
    are.  Members and scenarios are shown by the names the committee gives them."""
    members = committee.member_ids
    scenarios = committee.scenario_ids
    member_names = tuple(m.name for m in committee.members)
    scenario_names = tuple(s.name for s in committee.scenarios)
    shown_vendors = tuple(vendor_names) if vendor_names is not None else tuple(vendor_ids)
    if len(shown_vendors) != len(vendor_ids):
        raise AnalysisError(f"vendor_names must name each of the {len(vendor_ids)} vendors "
                         f"(received {len(shown_vendors)} names)")
    criteria = tuple(s.criterion for s in committee.scenarios)
    scores = np.full((len(members), len(vendor_ids), len(scenarios)), np.nan)
    missing: list[MissingScore] = []
    for i, member in enumerate(members):
        by_vendor = committee.scores.get(member, {})
        for v, vendor in enumerate(vendor_ids):
            by_scenario = by_vendor.get(vendor, {})
            given = [by_scenario.get(scenario) for scenario in scenarios]
            scores[i, v, :] = [math.nan if x is None else float(x) for x in given]
            missing += [MissingScore(member, vendor, scenario, member_names[i], shown_vendors[v], scenario_names[k])
                        for k, (scenario, x) in enumerate(zip(scenarios, given, strict=True)) if x is None]
    overrides = {(o.vendor, o.scenario): (float(o.value), o.reason) for o in committee.overrides}
    override_by = {(o.vendor, o.scenario): o.by for o in committee.overrides}
    settled: list[Settled] = []
    method = committee.aggregation.value if isinstance(committee.aggregation, Aggregation) else str(
        committee.aggregation
    )
    threshold = committee.disagreement_pct / 100.0 * SCALE_MAX
    values = np.full((len(vendor_ids), len(scenarios)), np.nan)
    spread = np.full((len(vendor_ids), len(scenarios)), np.nan)
    stats: list[dict[str, Any]] = []
    disagreements: list[Disagreement] = []
    shown: list[dict[float, str]] = [{} for _ in members]  # "member score" texts, made once per member and score

    def _labelled(i: int, score: float) -> str:
        text = shown[i].get(score)
        if text is None:
            text = f"{members[i]} {score:g}"
            if score != 0:  # 0.0 and -0.0 share a key but not a text
                shown[i][score] = text
        return text

    # Cells every member scored go through the row kernel at once; the others one by one.
    cells = np.ascontiguousarray(scores.transpose(1, 2, 0)).reshape(len(vendor_ids) * len(scenarios), len(members))
    complete = ~np.isnan(cells).any(axis=1)
    rows = spread_rows_kernel(cells[complete], committee.trim_pct)
    row_of = np.cumsum(complete) - 1
    columns = {key: array.tolist() for key, array in rows.items()}
    aggregate_key = method if method in ("median", "trimmed_mean") else "mean"
    complete_flags, rows_of, cell_scores = complete.tolist(), row_of.tolist(), cells.tolist()
    for v, vendor in enumerate(vendor_ids):
        for s, scenario in enumerate(scenarios):
            cell = v * len(scenarios) + s
            listed = cell_scores[cell]
            if complete_flags[cell]:
                r = rows_of[cell]
                row: dict[str, Any] = {key: columns[key][r] for key in SPREAD_KEYS}
                row["n"] = int(row["n"])
                aggregate = row[aggregate_key] if members else float("nan")
                who_index: Sequence[int] = range(len(members))
            else:
                column = cells[cell]
                given = ~np.isnan(column)
                row = spread_kernel(column[given], committee.trim_pct)
                aggregate = aggregate_kernel(column[given], method, committee.trim_pct) if given.any() else float("nan")
                who_index = np.flatnonzero(given).tolist()
            override = overrides.get((vendor, scenario))
            values[v, s] = override[0] if override else aggregate
            spread[v, s] = 0.0 if override else row["std"]
            flagged = bool(who_index and row["range"] >= threshold - _EPS)
            if flagged:
                who = tuple(zip(map(members.__getitem__, who_index), map(listed.__getitem__, who_index), strict=True))
                found = Disagreement(vendor, scenario, row["range"], who, shown_vendors[v], scenario_names[s],
                                     tuple(member_names[i] for i in who_index))
                if override:
                    by = override_by[(vendor, scenario)]
                    by_name = member_names[members.index(by)] if by in members else by
                    settled.append(Settled(found, override[0], override[1], by, by_name))
                else:
                    disagreements.append(found)
            stats.append({
                "vendor": vendor, "scenario": scenario, "criterion": criteria[s], **row,
                "aggregate": aggregate, "override": override[0] if override else float("nan"),
                "override_reason": override[1] if override else "", "value": values[v, s],
                "disagreement": flagged, "scores": ", ".join([_labelled(i, listed[i]) for i in who_index]),
            })
    # Kendall's W: each member ranks the vendors by their mean scenario score for that vendor.
    # Rows every scenario was scored in are averaged at once (a last-axis mean: the same bits as _nanmean).
    member_means = np.full((len(members), len(vendor_ids)), np.nan)
    full_rows = ~np.isnan(scores).any(axis=2)
    if scenarios:
        member_means[full_rows] = scores[full_rows].mean(axis=1)
    for i, v in zip(*np.nonzero(~full_rows), strict=True):
        member_means[i, v] = _nanmean(scores[i, v, :])
    complete = np.isfinite(member_means).all(axis=1) if len(vendor_ids) else np.zeros(len(members), bool)
    w_members = tuple(m for m, ok in zip(members, complete, strict=True) if ok)
    w = kendall_w(member_means[complete]) if complete.sum() >= 2 else float("nan")
    for array in (scores, values, spread):
        array.setflags(write=False)
    return CommitteeSummary(
        member_ids=members, vendor_ids=tuple(vendor_ids), scenario_ids=scenarios, scenario_criteria=criteria,
        aggregation=method, trim_pct=committee.trim_pct, disagreement_pct=committee.disagreement_pct,
        scores=scores, values=values, spread=spread, stats=tuple(stats), overrides=overrides,
        disagreements=tuple(disagreements), missing=tuple(missing), kendall_w=w, w_members=w_members,
        settled=tuple(settled), vendor_names=shown_vendors, member_names=member_names, scenario_names=scenario_names,
    )


def _nanmean(values: FloatArray) -> float:
    given = values[~np.isnan(values)]
    return float(given.mean()) if given.size else float("nan")
