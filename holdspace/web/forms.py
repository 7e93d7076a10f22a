"""Form rendering shared by every app: labels, hints and errors made accessible."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Renders every form with our templates (error summary, field groups)."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"
