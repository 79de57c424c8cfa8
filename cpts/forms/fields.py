"""Form fields shared by every app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"[\s\u00a0\u202f€%]")


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way: spaces as thousands separators, a comma for decimals,
    an optional € or % sign."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Saisissez un nombre (par exemple 1 234,56)."),
                "max_digits": _("Ce nombre est trop grand."),
                "max_whole_digits": _("Ce nombre est trop grand."),
                "max_decimal_places": _("Pas plus de %(max)s chiffres après la virgule."),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A text box: a number input would refuse the French comma in some browsers.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _SPACES.sub("", value).replace(",", ".")
        return super().to_python(value)
