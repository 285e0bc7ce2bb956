"""The committee's widgets for JupyterLab and the Voila dashboard: weights, TCO, what-if, scenarios, plan."""

from crmselect.widgets.plan import PlanPanel
from crmselect.widgets.sensitivity import SensitivityPanel
from crmselect.widgets.tco import TcoExplorer
from crmselect.widgets.weights import ScenarioManager, WeightsPanel

__all__ = ["PlanPanel", "ScenarioManager", "SensitivityPanel", "TcoExplorer", "WeightsPanel"]
