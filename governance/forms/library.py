"""Form of the shared-document library (the coordination's upload and edit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.forms.meetings import _Styled
from governance.models import Body, SharedDocument
from governance.services.meetings import check_document


class SharedDocumentForm(_Styled, forms.ModelForm):
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        help_text=_("PDF, document bureautique ou image, 10 Mo au plus."),
    )

    class Meta:
        model = SharedDocument
        fields = ["title", "category", "description", "published_on", "visibility", "body"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = Body.objects.filter(archived_on__isnull=True).order_by("position", "name")
        body.required = False
        if not self.instance.pk:
            self.fields["file"].required = True
            self.fields["file"].error_messages["required"] = _("Choisissez le fichier à partager.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_document(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from error
        return upload
