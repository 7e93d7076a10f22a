"""Form rendering shared by every app: labels, hints and errors made accessible."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest


class FormRenderer(DjangoTemplates):
    """Renders every form with our templates (error summary, field groups).

    Fields are rendered without ``maxlength``: browsers count it in UTF-16
    units (an emoji counts twice) and silently cut what is pasted beyond it.
    The form counts characters and refuses an over-long text with a message,
    keeping the text in the field (S43).
    """

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and "maxlength" in widget.get("attrs", {}):
            attrs = {k: v for k, v in widget["attrs"].items() if k != "maxlength"}
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return str(super().render(template_name, context, request))
