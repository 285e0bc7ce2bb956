"""The committee's widgets for JupyterLab and the Voila dashboard: weights, TCO, sensitivity, scenarios."""

from crmselect.widgets.sensitivity import SensitivityPanel
from crmselect.widgets.tco import TcoExplorer
from crmselect.widgets.weights import ScenarioManager, WeightsPanel

__all__ = ["ScenarioManager", "SensitivityPanel", "TcoExplorer", "WeightsPanel"]
