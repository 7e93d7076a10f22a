"""Forms shared by every app: our base form (plain messages, fields that only
apply to one choice) and the rendering (error summary, labels, hints, errors
and character counts made accessible)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Our own words for what Django says by default (issue 12). Keyed by error code;
# ``required`` depends on what the field asks for.
_REQUIRED_TEXT = _("Please fill this in.")
_REQUIRED_CHOICE = _("Please choose one of the options.")
_REQUIRED_CHOICES = _("Please choose at least one.")
_REQUIRED_DATE = _("Please give a date.")
_REQUIRED_TIME = _("Please give a time.")
_REQUIRED_TICK = _("Please tick this box to go on.")
_INVALID_CHOICE = _(
    "This option is not available any more. Please choose one of the options shown."
)
PLAIN_MESSAGES: dict[type[forms.Field], dict[str, Any]] = {
    forms.DateField: {"invalid": _("Please give a date as year-month-day, such as 2026-03-27.")},
    forms.TimeField: {"invalid": _("Please give a time as hours:minutes, such as 18:30.")},
    forms.IntegerField: {
        "invalid": _("Please give a whole number, such as 90."),
        "min_value": _("Please give %(limit_value)s or more."),
        "max_value": _("Please give %(limit_value)s or less."),
    },
    forms.EmailField: {"invalid": _("Please give an e-mail address, such as name@example.org.")},
    forms.ChoiceField: {"invalid_choice": _INVALID_CHOICE},
    forms.ModelChoiceField: {"invalid_choice": _INVALID_CHOICE},
    forms.ModelMultipleChoiceField: {
        "invalid_choice": _INVALID_CHOICE,
        "invalid_list": _INVALID_CHOICE,
        "invalid_pk_value": _INVALID_CHOICE,
    },
    forms.MultipleChoiceField: {"invalid_choice": _INVALID_CHOICE, "invalid_list": _INVALID_CHOICE},
}


def _required_message(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return _REQUIRED_CHOICES
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _REQUIRED_CHOICE
    if isinstance(field, forms.DateField):
        return _REQUIRED_DATE
    if isinstance(field, forms.TimeField):
        return _REQUIRED_TIME
    if isinstance(field, forms.BooleanField):
        return _REQUIRED_TICK
    return _REQUIRED_TEXT


def too_many_characters(over: int) -> str:
    """The words for a text ``over`` characters too long, as the character count says them."""
    return ngettext(
        "You have %(count)s character too many. Shorten the text and save again: "
        "nothing was saved, and nothing was cut.",
        "You have %(count)s characters too many. Shorten the text and save again: "
        "nothing was saved, and nothing was cut.",
        over,
    ) % {"count": formats.number_format(over, force_grouping=True)}


class CharacterLimit(MaxLengthValidator):
    """A length limit counted in characters (code points), said in our words."""

    def __call__(self, value: Any) -> None:
        over = len(value) - int(self.limit_value)
        if over > 0:
            raise ValidationError(too_many_characters(over), code="max_length")


def _defaults(field: forms.Field) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        found.update(getattr(cls, "default_error_messages", {}))
    return found


def speak_plainly(field: forms.Field) -> None:
    """Replace Django's default messages of ``field`` with ours; messages a
    form chose for a field are kept. Safe to call more than once."""
    defaults = _defaults(field)
    ours: dict[str, Any] = {"required": _required_message(field)}
    for cls in reversed(type(field).__mro__):
        ours.update(PLAIN_MESSAGES.get(cls, {}))
    for code, message in ours.items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message
    field.validators = [
        CharacterLimit(v.limit_value) if type(v) is MaxLengthValidator else v
        for v in field.validators
    ]


class Form(forms.Form):
    """The base of every form in Holdspace: our messages instead of Django's,
    and fields that only apply to one choice (``applies_when``).

    ``applies_when`` maps a field to the radio field and the value it belongs
    to: ``{"answered_on": ("direction", "outgoing")}``. The field is shown
    under that option, and its value is ignored when another is chosen.
    """

    applies_when: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            speak_plainly(field)

    def full_clean(self) -> None:
        # Fields added after __init__ (a grid of checkboxes) speak plainly too.
        for field in self.fields.values():
            speak_plainly(field)
        super().full_clean()

    def get_context(self) -> dict[str, Any]:
        # Problems of hidden fields join the form's own, without Django's
        # "(Hidden field version)" in front.
        context = super().get_context()
        errors = self.non_field_errors().copy()
        for field in context["hidden_fields"]:
            errors.extend(field.errors)
        context["errors"] = errors
        return context

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, (choice, value) in self.applies_when.items():
            if name not in self.fields or choice not in cleaned:
                continue
            if str(cleaned[choice]) != str(value):
                cleaned[name] = self.fields[name].clean(None)
                self.errors.pop(name, None)
        return cleaned


class BoundField(forms.BoundField):
    """Each field as our templates need it: radio and checkbox inputs in
    error point to the message, a text with a limit to its character count."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.use_fieldset and self.errors and self.auto_id:
            attrs.setdefault("aria-describedby", f"{self.auto_id}_error")
        if self.char_limit and self.auto_id:
            attrs["data-hs-limit"] = str(self.char_limit)
            described = str(attrs.get("aria-describedby") or self.aria_describedby or "")
            attrs["aria-describedby"] = f"{described} {self.auto_id}_count".strip()
        return attrs

    @property
    def char_limit(self) -> int | None:
        """The most characters this text takes, if it gets a character count."""
        widget = self.field.widget
        if isinstance(widget, forms.PasswordInput | forms.HiddenInput):
            return None
        if not isinstance(widget, forms.Textarea | forms.TextInput):
            return None
        limit = getattr(self.field, "max_length", None)
        return int(limit) if limit else None

    def char_count(self) -> str:
        """What the count says now: nothing until the text nears its limit (75 %)."""
        limit = self.char_limit
        if not limit:
            return ""
        count = len(str(self.value() or ""))
        if count < limit * COUNT_FROM:
            return ""
        return count_message(limit - count)

    def count_words(self) -> dict[str, str]:
        """The count's sentences for the script, with ``{n}`` for the number."""
        return {
            "left_one": _left(1) % {"count": "{n}"},
            "left_other": _left(2) % {"count": "{n}"},
            "over_one": _over(1) % {"count": "{n}"},
            "over_other": _over(2) % {"count": "{n}"},
        }

    @property
    def reveals(self) -> list[tuple[forms.BoundField | Any, list[forms.BoundField], str]]:
        """For a radio field others depend on: each option, the fields shown under it."""
        form = self.form
        mine = {
            name: str(value)
            for name, (choice, value) in getattr(form, "applies_when", {}).items()
            if choice == self.name and name in form.fields
        }
        if not mine or not isinstance(self.field.widget, forms.RadioSelect):
            return []
        return [
            (
                radio,
                [form[name] for name, value in mine.items() if value == str(radio.data["value"])],
                f"{radio.id_for_label}_conditional",
            )
            for radio in self.subwidgets
        ]

    @property
    def is_revealed(self) -> bool:
        """Shown under an option of another field rather than in its own place."""
        choice = getattr(self.form, "applies_when", {}).get(self.name, (None,))[0]
        if choice not in self.form.fields:
            return False
        bound = self.form[choice]
        return isinstance(bound, BoundField) and bool(bound.reveals)


COUNT_FROM = 0.75


def _left(count: int) -> str:
    return ngettext(
        "You have %(count)s character left", "You have %(count)s characters left", count
    )


def _over(count: int) -> str:
    return ngettext(
        "You have %(count)s character too many", "You have %(count)s characters too many", count
    )


def count_message(left: int) -> str:
    """``left`` characters to go (negative: too many), in the count's words."""
    if left >= 0:
        return _left(left) % {"count": formats.number_format(left, force_grouping=True)}
    return _over(-left) % {"count": formats.number_format(-left, force_grouping=True)}


class FormRenderer(DjangoTemplates):
    """Renders every form with our templates (error summary, field groups).

    Fields are rendered without ``maxlength``: browsers count it in UTF-16
    units (an emoji counts twice) and silently cut what is pasted beyond it.
    The form counts characters and refuses an over-long text with a message,
    keeping the text in the field (S43).
    """

    form_template_name = "web/forms/form.html"
    bound_field_class = BoundField
    field_template_name = "web/forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and "maxlength" in widget.get("attrs", {}):
            attrs = {k: v for k, v in widget["attrs"].items() if k != "maxlength"}
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return str(super().render(template_name, context, request))
