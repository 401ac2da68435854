"""Forms as Discord modals, and the values of a modal submit."""

from __future__ import annotations

from typing import Any

import discord

from bot.adapters.discord.components import button_id
from bot.adapters.discord.text import (
    MODAL_DESCRIPTION,
    MODAL_FIELDS,
    MODAL_LABEL,
    MODAL_TITLE,
    OPTION_TEXT,
    OPTIONS,
    PLACEHOLDER,
    TEXT_INPUT,
    clip,
    plain,
    size,
)
from core.model import Form


def build_modal(form: Form, values: dict[str, str] | None = None) -> discord.ui.Modal:
    """A form as a modal; its custom_id carries the action id and value back on submit."""
    if len(form.fields) > MODAL_FIELDS:
        raise ValueError(
            f"A Discord form holds at most {MODAL_FIELDS} fields; {form.action_id} has {len(form.fields)}."
        )
    modal = discord.ui.Modal(
        title=clip(plain(form.title), MODAL_TITLE) or "Form",
        custom_id=button_id(form.action_id, form.value),
        timeout=15 * 60,  # what Discord allows for answering an interaction
    )
    values = values or {}
    for spec in form.fields:
        initial = values.get(spec.id, spec.initial)
        component: discord.ui.Item[Any]
        if spec.kind == "select":
            component = discord.ui.Select(
                custom_id=spec.id,
                required=spec.required,
                min_values=1 if spec.required else 0,
                max_values=1,
                placeholder=clip(plain(spec.placeholder), PLACEHOLDER) or None,
                options=[
                    discord.SelectOption(
                        label=clip(plain(o.label), OPTION_TEXT) or "…",
                        value=o.value[:OPTION_TEXT],
                        default=o.value == initial,
                    )
                    for o in spec.options[:OPTIONS]
                ],
            )
        else:
            component = discord.ui.TextInput(
                custom_id=spec.id,
                style=discord.TextStyle.paragraph if spec.kind == "multiline" else discord.TextStyle.short,
                required=spec.required,
                placeholder=clip(plain(spec.placeholder), OPTION_TEXT) or None,
                default=initial[:TEXT_INPUT] or None,
                max_length=min(spec.max_length, TEXT_INPUT),
            )
        label = plain(spec.label)
        modal.add_item(
            discord.ui.Label(
                text=clip(label, MODAL_LABEL),
                description=clip(label, MODAL_DESCRIPTION) if size(label) > MODAL_LABEL else None,
                component=component,
            )
        )
    return modal


def modal_values(data: dict[str, Any]) -> dict[str, Any]:
    """The values of a modal submit payload, by field id (text inputs and select menus).

    Values are passed on as sent, so one that is not text (a number, a list) reaches the
    dispatcher, which refuses the whole form; parts of the payload of the wrong shape are skipped."""
    values: dict[str, Any] = {}

    def walk(components: Any) -> None:
        for component in components if isinstance(components, list) else []:
            if not isinstance(component, dict):
                continue
            if "components" in component:  # an action row
                walk(component["components"])
            elif "component" in component:  # a label
                walk([component["component"]])
            elif isinstance(component.get("custom_id"), str):
                if "values" in component:
                    chosen = component["values"]
                    values[component["custom_id"]] = (
                        (chosen[0] if chosen else "") if isinstance(chosen, list) else chosen
                    )
                else:
                    value = component.get("value")
                    values[component["custom_id"]] = "" if value is None else value

    walk(data.get("components", []))
    return values
