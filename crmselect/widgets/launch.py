"""Which selection the dashboard shows, and who acts in it: named at launch, never guessed.

``voila notebooks/05_dashboard.ipynb`` is launched with ``CRMSELECT_SELECTION`` set to a selection
folder, or to a folder of selections; a URL may then pick one of those with ``?selection=NAME``,
but never a folder outside that root.  ``CRMSELECT_MEMBER`` names the committee member who records
scenarios; without it the dashboard shows the numbers and says why recording is off.

The dashboard's language is the selection's ``locale`` (``selection.yaml``), unless
``CRMSELECT_LANG`` was set at launch or the address asks another with ``?lang=zh-CN``; the page
says which language it speaks and where that came from (:func:`dashboard_header`), and names the
selection it shows: nothing is guessed silently.

Voila may keep a kernel *preheated* (``notebooks/voila.json``): it runs the notebook before anyone asks,
so the page shows at once.  The dashboard notebook then builds the page for the launch's own choice
(:func:`prepare_dashboard`), waits for the request, and keeps that page only when the request asks for the
same selection, member and language and no file of the selection (its decision log included) changed since;
otherwise it builds the page again for the request (:meth:`PreparedDashboard.for_request`).  A page is
never shown for a selection, language or log state other than the one asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from crmselect.errors import InputError, Issue
from crmselect.files.workspace import check_selection_folder, is_selection
from crmselect.model.project import DEPLOYMENT_WORDS, Bid, Project, bid_labels
from crmselect.record.signing import key_dir_from
from crmselect.show.i18n import LANGUAGES, N_, Translator, UnknownLanguageError, _, current, normalise, translator

if TYPE_CHECKING:
    from crmselect.record.signing import Signer

SELECTION_VARIABLE = "CRMSELECT_SELECTION"
MEMBER_VARIABLE = "CRMSELECT_MEMBER"
LANGUAGE_VARIABLE = "CRMSELECT_LANG"

LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}  # each language's own name, shown as written
TAB_TITLES = (N_("Overview"), N_("Weights"), N_("Scenarios"), N_("Money"), N_("Plan"), N_("What-if"))
INTRO = N_("Overview sums up the recommendation: the winner, how robust it is, the cost and the red flags. On "
           "Weights, move a goal's slider to see how the ranking changes; the other goals follow in proportion "
           "unless you lock one. Knocked-out vendors stay on the list, struck through, with the rule that removed "
           "them. Scenarios keeps named sets of weights side by side and writes each one to the decision log. Money "
           "explores total cost of ownership. Plan rolls the chosen bid out in phases, quick wins first: each phase's "
           "go-live with its risk, what phasing buys against doing everything at once, and the plan saved to "
           "phases.yaml. What-if shows how far one goal's weight can move before the winner changes.")
#: How a bid's deployment is said after the vendor's name when the vendor offers several (``Jadeport CRM (SaaS)``):
#: the model's own words (:data:`crmselect.model.project.DEPLOYMENT_WORDS`), so the dashboard and every other
#: surface name a bid alike.
DEPLOYMENT_NAMES = DEPLOYMENT_WORDS


@dataclass(frozen=True)
class DashboardChoice:
    folder: Path
    member: str | None
    key_dir: Path | None = None


def signer_for(project: Project, member: str | None, key_dir: str | Path | None) -> Signer | None:
    """The acting member's signer when the committee signs and a key folder was named; else None (the
    scenario manager then says why recording is off).  A named key that is missing or not the member's is an
    error: recording under someone else's name is never attempted."""
    from crmselect.record.signing import member_signer

    return member_signer(project, member, None if key_dir is None else Path(key_dir))


def _refuse(field: str, message: str, allowed: str, received: str) -> InputError:
    return InputError([Issue("dashboard launch", field, message, code="bad_launch", allowed=allowed,
                             received=received)])


def dashboard_selection(environ: Mapping[str, str]) -> DashboardChoice:
    """The selection (and acting member) of a dashboard launched with ``environ`` (Voila's kernel environment)."""
    root_text = environ.get(SELECTION_VARIABLE, "").strip()
    if not root_text:
        raise _refuse(SELECTION_VARIABLE, "is not set: launch the dashboard with the selection folder, e.g. "
                      f"`{SELECTION_VARIABLE}=my_selection voila notebooks/05_dashboard.ipynb`",
                      "a selection folder, or a folder of selections", "nothing")
    root = Path(root_text).expanduser()
    member = environ.get(MEMBER_VARIABLE, "").strip() or None
    key_dir = key_dir_from(None, environ)
    asked = parse_qs(environ.get("QUERY_STRING", "")).get("selection", [])
    if not asked:
        if is_selection(root):
            return DashboardChoice(root, member, key_dir)
        inside = sorted(p.name for p in root.iterdir() if is_selection(p)) if root.is_dir() else []
        if inside:
            raise _refuse("selection", f"{root} holds several selections: add ?selection=NAME to the address",
                          ", ".join(inside), "no ?selection= in the address")
        check_selection_folder(root)
    name = asked[-1]
    candidate = (root / name).resolve()
    base = root.resolve()
    if candidate == base or not candidate.is_relative_to(base) or "/" in name or "\\" in name or name in (".", ".."):
        raise _refuse("selection", f"may only name a selection inside {root}", "the name of a folder in it",
                      name)
    check_selection_folder(candidate)
    return DashboardChoice(candidate, member, key_dir)


@dataclass(frozen=True)
class DashboardLanguage:
    """The language a dashboard speaks and where it came from (``?lang=``, ``CRMSELECT_LANG`` or ``selection.yaml``)."""

    translator: Translator
    source: str  # "address", "environment" or "selection"

    @property
    def language(self) -> str:
        return self.translator.language


def dashboard_language(environ: Mapping[str, str], project: Project) -> DashboardLanguage:
    """``?lang=`` in the address, else ``CRMSELECT_LANG``, else the selection's ``locale``; an unknown language is
    refused with what is allowed."""
    asked = parse_qs(environ.get("QUERY_STRING", "")).get("lang", [])
    candidates = [("address", "lang", asked[-1])] if asked else []
    if environ.get(LANGUAGE_VARIABLE, "").strip():
        candidates.append(("environment", LANGUAGE_VARIABLE, environ[LANGUAGE_VARIABLE].strip()))
    if project.settings is not None:
        candidates.append(("selection", "locale", project.settings.locale))
    if not candidates:
        raise _refuse("locale", "names no language: the selection has no selection.yaml",
                      f"?lang= or {LANGUAGE_VARIABLE}: {', '.join(LANGUAGES)}", "nothing")
    source, field, value = candidates[0]
    try:
        return DashboardLanguage(translator(normalise(value)), source)
    except UnknownLanguageError:
        raise _refuse(field, "is not a language the dashboard speaks", ", ".join(LANGUAGES), value) from None


def dashboard_header(choice: DashboardChoice, project: Project, language: DashboardLanguage) -> str:
    """The line at the top of the dashboard: the selection shown and the language spoken, with where each came from,
    then what the tabs do."""
    import html

    sources = {"address": _("from ?lang= in the address"), "environment": _("from {variable}").format(
        variable=LANGUAGE_VARIABLE), "selection": _("the selection's locale in selection.yaml")}
    name = project.settings.name if project.settings is not None else choice.folder.name
    selection = _("Selection: {name} ({folder})").format(name=f"<b>{html.escape(str(name))}</b>",
                                                         folder=f"<code>{html.escape(str(choice.folder))}</code>")
    spoken = _("Language: {language} ({source})").format(
        language=html.escape(LANGUAGE_NAMES.get(language.language, language.language)),
        source=html.escape(sources[language.source]))
    return (f"<div class='crmselect-dashboard-header' style='font-family:sans-serif;font-size:13px;margin:4px 0'>"
            f"<div>{selection} · {spoken}</div><div style='color:#444;max-width:72em;margin-top:4px'>"
            f"{html.escape(_(INTRO))}</div></div>")


@dataclass(frozen=True)
class ShownProject(Project):
    """A project whose bids carry the names the committee reads (see :func:`display_project`)."""

    bid_names: tuple[tuple[str, str], ...] = ()  # (bid id, name shown); a bid not listed keeps its label

    @cached_property
    def bids(self) -> tuple[Bid, ...]:
        names = dict(self.bid_names)
        return tuple(dataclasses.replace(bid, label=names.get(bid.id, bid.label)) for bid in super().bids)


def display_project(project: Project) -> ShownProject:
    """``project`` with each bid named as the committee reads it, in the current language: a vendor with several
    offers gets its deployment in words (``Jadeport CRM (on-premise)``, ``Jadeport CRM（本地部署）``), never the
    deployment's id (``on_premise``).  The ids, the files and every number are unchanged; only the bids' labels
    (which every panel, chart, workbook and paper shows) differ."""
    names = list(bid_labels(project.vendors, current().language).items())
    fields = {f.name: getattr(project, f.name) for f in dataclasses.fields(Project)}
    return ShownProject(**fields, bid_names=tuple(names))


def tab_titles() -> list[str]:
    """The dashboard's tab titles in the current language."""
    return [_(title) for title in TAB_TITLES]


@dataclass
class Dashboard:
    """The dashboard's panels and the page that holds them (:func:`build_dashboard`)."""

    project: Project
    overview: Any
    weights: Any
    scenarios: Any
    money: Any
    what_if: Any
    tabs: Any
    widget: Any
    plan: Any = None

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def build_dashboard(choice: DashboardChoice, project: Project, language: DashboardLanguage) -> Dashboard:
    """The page: the header, the seal warning, then the tabs, Overview first, Plan after Money.  Each panel keeps the
    language's translator for its callbacks; the overview follows the weights panel's sliders and draws its chart
    only when its tab is shown; the Plan tab computes when first opened."""
    import ipywidgets as w

    from crmselect.evaluation import evaluate
    from crmselect.show.i18n import using
    from crmselect.widgets.overview import OverviewPanel
    from crmselect.widgets.plan import PlanPanel
    from crmselect.widgets.scenarios import ScenarioManager
    from crmselect.widgets.sensitivity import SensitivityPanel
    from crmselect.widgets.tco import TcoExplorer
    from crmselect.widgets.weights import WeightsPanel

    with using(language.translator):
        shown = display_project(project)  # bids named in words, in this language
        evaluation = evaluate(shown)  # checks, TCO and price feed the scorecard's computed criteria
        scorecard = evaluation.scorecard
        weights = WeightsPanel(scorecard, method=evaluation.weighting)
        overview = OverviewPanel(evaluation, weights=weights, paper_language=language.language)
        signer = signer_for(shown, choice.member, choice.key_dir)
        scenarios = ScenarioManager(weights, shown, member=choice.member,  # the selection's own log
                                    signer=signer)
        money = TcoExplorer(shown)
        plan = PlanPanel(evaluation, root=choice.folder, member=choice.member, signer=signer, lazy=True)
        what_if = SensitivityPanel(scorecard)
        tabs = w.Tab(children=[overview.widget, weights.widget, scenarios.widget, money.widget, plan.widget,
                               what_if.widget], titles=tab_titles())
        header = w.HTML(dashboard_header(choice, shown, language))
        banner = w.HTML(seal_banner(shown))  # empty unless the inputs left the seal

    def on_tab(change: Mapping[str, Any]) -> None:
        overview.visible = change["new"] == 0
        if overview.visible:
            overview.draw_chart()
        if change["new"] == TAB_TITLES.index("Plan"):
            plan.ensure_shown()  # computed when first opened: the first render stays fast

    tabs.observe(on_tab, names="selected_index")
    page = w.VBox([header, banner, tabs])
    page.add_class("crmselect-dashboard")
    return Dashboard(shown, overview, weights, scenarios, money, what_if, tabs, page, plan)


def selection_fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file of the selection (decision log included) with its modification time and size: a change to any
    of them, a new file or a removed one gives another fingerprint.  The lock file and caches do not count."""
    out = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".crmselect") or part == "__pycache__" for part in parts):
            continue  # the lock file and the parsed-model cache change without the selection changing
        try:
            stat = path.stat()
        except OSError:  # removed while walking: the next walk sees it gone
            continue
        if path.is_file():
            out.append((str(path.relative_to(folder)), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


@dataclass(frozen=True)
class PreparedDashboard:
    """A page built before its request (Voila's preheated kernel), with what it was built for.

    ``dashboard`` is None when nothing could be built before the request: the launch names a folder of
    selections (the address picks one), or building failed (the request then builds again and shows why).
    """

    dashboard: Dashboard | None = None
    choice: DashboardChoice | None = None
    language: tuple[str, str] | None = None  # (language, where it came from)
    fingerprint: tuple[tuple[str, int, int], ...] = ()

    def fits(self, choice: DashboardChoice, language: DashboardLanguage) -> bool:
        """Whether the prepared page is the one this request asks for, on the selection's files as they are now."""
        return (self.dashboard is not None and self.choice == choice
                and self.language == (language.language, language.source)
                and self.fingerprint == selection_fingerprint(choice.folder))

    def for_request(self, environ: Mapping[str, str]) -> Dashboard:
        """The page for the request whose environment is ``environ``: the prepared one when it fits, else a new one."""
        from crmselect.files.loaders import load_project

        choice = dashboard_selection(environ)
        if self.dashboard is not None and self.choice == choice:
            language = dashboard_language(environ, self.dashboard.project)
            if self.fits(choice, language):
                return self.dashboard
        project = load_project(choice.folder)
        return build_dashboard(choice, project, dashboard_language(environ, project))


def prepare_dashboard(environ: Mapping[str, str]) -> PreparedDashboard:
    """Build the page ahead of its request when the launch alone names the selection (a preheated kernel).

    In a kernel started for a request (no preheating), this is the request's own page.  Problems are not
    raised here: :meth:`PreparedDashboard.for_request` builds again after the request and shows them.
    """
    from crmselect.files.loaders import load_project

    try:
        choice = dashboard_selection(environ)
        before = selection_fingerprint(choice.folder)
        project = load_project(choice.folder)
        language = dashboard_language(environ, project)
        dashboard = build_dashboard(choice, project, language)
    except Exception:  # shown after the request, where the committee sees it
        return PreparedDashboard()
    return PreparedDashboard(dashboard, choice, (language.language, language.source), before)


def seal_banner(project: Project) -> str:
    """The drift warning as HTML for the top of a page, in the current language ("" while the inputs match the
    seal)."""
    import html

    from crmselect.record.envelopes import seal_state
    from crmselect.widgets.wording import seal_warning_lines

    warning = seal_warning_lines(seal_state(project))
    if not warning:
        return ""
    lines = "<br>".join(html.escape(line) for line in warning)
    return (f"<div class='crmselect-seal-warning' style='border:2px solid #b00;padding:6px;color:#b00'>"
            f"{lines}</div>")


__all__ = [
    "DEPLOYMENT_NAMES",
    "LANGUAGE_VARIABLE",
    "MEMBER_VARIABLE",
    "SELECTION_VARIABLE",
    "Dashboard",
    "DashboardChoice",
    "DashboardLanguage",
    "PreparedDashboard",
    "ShownProject",
    "build_dashboard",
    "dashboard_header",
    "dashboard_language",
    "dashboard_selection",
    "display_project",
    "prepare_dashboard",
    "seal_banner",
    "selection_fingerprint",
    "signer_for",
    "tab_titles",
]
