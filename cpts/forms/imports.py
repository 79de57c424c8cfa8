"""The upload form every file import starts with: the file's extension and size are checked,
then the file is read (and its header checked) here, so that an unreadable file comes back as a
French error on the field. A subclass states its label, its help text and how it reads the file:

    class MemberImportForm(UploadedTableForm):
        file_label = _("Fichier des membres (.xlsx ou .csv)")
        file_help_text = _("…")

        def read(self, content: bytes, filename: str) -> tablib.Dataset:
            return read_member_file(content, filename)

A valid form's ``cleaned_data`` holds ``rows`` (what ``read`` returned), ``content`` (the
file's bytes, to keep until the import is confirmed) and ``filename`` (as uploaded)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from cpts.importing import MAX_BYTES, ImportFileError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


class UploadedFileForm(BootstrapErrorsMixin, forms.Form):
    """A form whose ``fichier`` is checked for its extension and size, then read; a subclass
    sets the accepted extensions, the limit and their messages, and may parse the file in
    ``read`` (an ImportFileError becomes the field's error)."""

    file_label: StrOrPromise = _("Fichier")
    file_help_text: StrOrPromise = ""
    accepted_extensions: tuple[str, ...] = ACCEPTED_EXTENSIONS
    max_bytes = MAX_BYTES
    wrong_type_message: StrOrPromise = _("Envoyez un fichier .xlsx ou .csv.")
    too_large_message: StrOrPromise = _("Le fichier dépasse 10 Mo : découpez-le.")

    fichier = forms.FileField(widget=forms.ClearableFileInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fichier"]
        field.label = self.file_label
        field.help_text = self.file_help_text
        field.widget.attrs["accept"] = ",".join(self.accepted_extensions)

    def read(self, content: bytes, filename: str) -> Any:
        """What the file holds once parsed (``filename`` is lower-cased), ``None`` when it is
        parsed later; raises ImportFileError with a French message when it cannot be used."""
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("fichier")
        if upload is None:
            return cleaned
        name = (upload.name or "").lower()
        if not name.endswith(self.accepted_extensions):
            self.add_error("fichier", self.wrong_type_message)
            return cleaned
        if upload.size and upload.size > self.max_bytes:
            self.add_error("fichier", self.too_large_message)
            return cleaned
        content = upload.read()
        try:
            cleaned["rows"] = self.read(content, name)
        except ImportFileError as error:
            self.add_error("fichier", str(error))
            return cleaned
        cleaned["content"] = content
        cleaned["filename"] = upload.name
        return cleaned


class UploadedTableForm(UploadedFileForm):
    file_label: StrOrPromise = _("Fichier (.xlsx ou .csv)")

    def read(self, content: bytes, filename: str) -> Any:
        """The parsed rows of the file (``filename`` is lower-cased); raises ImportFileError
        with a French message when the file as a whole cannot be used."""
        raise NotImplementedError
