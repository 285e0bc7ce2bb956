"""Selections made for tests from the shipped example: many vendors, and Chinese display names.

- :func:`many_vendors` writes ``count`` valid vendor files by copying the example's bids round-robin
  under new ids and names (prices shifted a little per copy so totals differ), and scores every new
  vendor in ``committee.yaml`` as the original was scored.
- :func:`chinese_names` gives goals, vendors and committee members Chinese display names (the ids
  stay ASCII), so a view that shows an id instead of a name is easy to see.

Both return the folder, which loads with :func:`crmselect.load_project`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from testdata import copy_example

#: Chinese display names of the example's goals, vendors and members (ids unchanged).
CHINESE_GOALS = {
    "forecast_accuracy": "提高销售预测准确率", "service_response": "缩短客户服务响应时间",
    "customer_memory": "销售离职后保留客户历史", "clean_data": "干净可信的客户数据",
    "mobile_field_sales": "为外勤销售配备移动CRM", "quote_to_order": "报价和订单连通ERP",
    "cost_and_risk": "控制总成本和合同风险",
}
CHINESE_VENDORS = {
    "brightquill": "明羽客户管理", "cirrolan": "云岚CRM", "ferrowell": "铁井企业CRM", "harbourline": "港线CRM",
    "jadeport": "玉港CRM",
}
CHINESE_MEMBERS = {
    "wang_fang": "王芳", "chen_jing": "陈静", "liu_yang": "刘洋", "zhao_lei": "赵磊", "sun_li": "孙丽",
    "zhou_jianguo": "周建国",
}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def many_vendors(dest: Path, count: int = 20) -> Path:
    """The example at ``dest`` with ``count`` vendors: the shipped five, then copies of them under new ids."""
    folder = copy_example(dest)
    vendors = folder / "vendors"
    originals = sorted(p for p in vendors.glob("*.yaml") if p.stem != "committee")
    committee = _read(vendors / "committee.yaml")
    for number in range(len(originals), count):
        source = originals[number % len(originals)]
        bid = _read(source)
        new_id = f"{bid['id']}{number:02d}"
        bid["id"] = new_id
        bid["name"] = f"{bid['name']} {number:02d}"
        for offer in bid["offers"]:
            offer["id"] = offer["id"].replace(source.stem, new_id, 1)
            pricing = offer.get("pricing", {})
            for key in ("subscription_per_user_month", "licence_per_user", "services_cost"):
                if isinstance(pricing.get(key), (int, float)):
                    pricing[key] = round(pricing[key] * (1 + 0.01 * number), 2)
        _write(vendors / f"{new_id}.yaml", bid)
        for scored in committee["scores"].values():
            if source.stem in scored:
                scored[new_id] = {k: max(0.0, v - 0.5 * (number % 2)) for k, v in scored[source.stem].items()}
    _write(vendors / "committee.yaml", committee)
    return folder


def chinese_names(dest: Path) -> Path:
    """The example at ``dest`` whose goals, vendors and committee members have Chinese display names."""
    folder = copy_example(dest)
    goals = _read(folder / "criteria" / "goals.yaml")
    for goal in goals["goals"]:
        goal["name"] = CHINESE_GOALS.get(goal["id"], goal["name"])
    _write(folder / "criteria" / "goals.yaml", goals)
    for path in (folder / "vendors").glob("*.yaml"):
        if path.stem == "committee":
            continue
        bid = _read(path)
        bid["name"] = CHINESE_VENDORS[bid["id"]]
        _write(path, bid)
    committee = _read(folder / "vendors" / "committee.yaml")
    for member in committee["members"]:
        member["name"] = CHINESE_MEMBERS[member["id"]]
    _write(folder / "vendors" / "committee.yaml", committee)
    return folder
