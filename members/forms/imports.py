"""The upload form of the member import: the file is read (and its header checked) by the
shared upload form, so that an unreadable file comes back as a French error on the field."""

from __future__ import annotations

import tablib
from django.utils.translation import gettext_lazy as _

from cpts.forms.imports import UploadedTableForm
from members.importing import read_member_file


class MemberImportForm(UploadedTableForm):
    file_label = _("Fichier des membres (.xlsx ou .csv)")
    file_help_text = _(
        "Classeur Excel (.xlsx) ou fichier CSV séparé par des points-virgules ou des "
        "virgules, en UTF-8 ou Windows-1252. Première ligne : les noms de colonnes du modèle."
    )

    def read(self, content: bytes, filename: str) -> tablib.Dataset:
        return read_member_file(content, filename)
