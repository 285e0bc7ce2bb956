"""Offers as YAML, in the layout of the example vendor files.

:func:`offer_data` keeps what an offer states (required fields and every value that differs from
the model's default) in the model's field order; :func:`offer_item` writes one ``offers:`` item
with nested blocks, leaf mappings and lists in flow style (``- {below_pct: 99.9, credit_pct: 10}``)
and the offer's own ``answers:`` block as :func:`crmselect.excel.yaml_writeback.answers_block`
writes it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from crmselect.excel.yaml_writeback import answers_block
from crmselect.model.bids import Offer


class _IndentedLists(yaml.SafeDumper):
    """Lists indented under their key, as the example files have them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _FlowMap(dict):  # type: ignore[type-arg]
    """A mapping written on one line: ``{sev1: 0.5, sev2: 4}``."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list written on one line: ``[iso27001, mlps3]``."""


_IndentedLists.add_representer(
    _FlowMap, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))
_IndentedLists.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))
#: (section, field) written in flow style, and whether it is a list of mappings (one flow mapping per item)
FLOW = {("sla", "credits"): True, ("implementation", "phases"): True, ("sla", "response_hours"): False,
        ("sla", "certifications"): False, ("contract", "escrow_triggers"): False, ("contract", "domestic_stack"): False,
        ("pricing", "paid_in_advance"): False}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # before str: the model's enums are StrEnums
        return value.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, BaseModel):
        return model_data(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def model_data(model: BaseModel, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of ``model`` that are required or differ from their default, as plain YAML values."""
    out: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        if name in skip:
            continue
        value = getattr(model, name)
        if not info.is_required():
            default = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
            if default is not PydanticUndefined and value == default:
                continue
        out[name] = _plain(value)
    return out


def _flow(data: dict[str, Any]) -> None:
    """The leaf mappings and lists of ``data``'s sections (``sla.credits`` ...) marked for flow style."""
    for (section, name), per_item in FLOW.items():
        block = data.get(section)
        value = block.get(name) if isinstance(block, dict) else None
        if per_item and isinstance(value, list):
            data[section][name] = [_FlowMap(item) for item in value]
        elif isinstance(value, dict):
            data[section][name] = _FlowMap(value)
        elif isinstance(value, list):
            data[section][name] = _FlowList(value)


def offer_data(offer: Offer) -> dict[str, Any]:
    """The offer as the vendor file holds it, without its ``answers:`` (see :func:`offer_item`)."""
    return model_data(offer, skip=("answers",))


def offer_item(offer: Offer, dash: int = 2, sections: Mapping[str, str] | None = None) -> str:
    """One item of the ``offers:`` list, its ``-`` at column ``dash``, with the offer's answers block."""
    data = offer_data(offer)
    parties = [party for party in data.get("partners", {}).values() if isinstance(party, dict)]
    for holder in (data, *parties):  # a partner's own SLA and contract are written as the offer's are
        _flow(holder)
    for party in parties:
        if isinstance(party.get("references_checked"), list):
            party["references_checked"] = _FlowList(party["references_checked"])
    body = yaml.dump({"offers": [data]}, Dumper=_IndentedLists, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=2**31 - 1)
    lines = str(body).splitlines(keepends=True)[1:]  # without "offers:"
    shift = dash - 2
    text = "".join(" " * shift + line if shift >= 0 else line[-shift:] for line in lines)
    if offer.answers:
        column = dash + 2
        text += "".join(" " * column + line if line.strip() else line
                        for line in answers_block(offer.answers, sections).splitlines(keepends=True))
    return text


def offers_block(offers: tuple[Offer, ...], sections: Mapping[str, str] | None = None) -> str:
    """The whole ``offers:`` block of a new vendor file, a blank line between offers."""
    if not offers:
        return "offers: []\n"
    return "offers:\n" + "\n".join(offer_item(o, 2, sections) for o in offers)


__all__ = ["model_data", "offer_data", "offer_item", "offers_block"]
