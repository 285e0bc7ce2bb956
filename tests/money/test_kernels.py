"""TCO kernels on their own: ``tco_npv`` (what the tornado varies) is the NPV ``TcoResult`` reports."""

from __future__ import annotations

import pytest
from testdata import load_example

import crmselect.money.costs
import crmselect.money.kernels
from crmselect.money.costs import TcoResult, compare_tco, tco
from crmselect.money.kernels import TcoInputs, tco_npv
from tests import money_fixtures as mf


@pytest.mark.parametrize("bid", ["cloud-saas", "iron-onprem"])
@pytest.mark.parametrize("go_live_days", [None, 0.0, mf.THREE_MONTHS, 400.0])
def test_tco_npv_is_the_result_npv_to_the_last_bit(bid: str, go_live_days: float | None) -> None:
    result = tco(mf.project(), bid, go_live_days=go_live_days)
    assert tco_npv(result.inputs) == result.npv
    assert tco_npv(result.inputs) == TcoResult.from_inputs(result.inputs).npv


def test_tco_npv_for_the_default_inputs_and_the_shipped_example() -> None:
    assert tco_npv(TcoInputs()) == TcoResult.from_inputs(TcoInputs()).npv
    for result in compare_tco(load_example()).results:
        assert tco_npv(result.inputs) == result.npv


def test_every_kernel_is_importable_from_tco_too() -> None:
    for name in crmselect.money.kernels.__all__:
        assert getattr(crmselect.money.costs, name) is getattr(crmselect.money.kernels, name)
