"""``render_report aci --contract-year N --output FILE.pdf`` and ``render_report ag --year YYYY
--output FILE.pdf``: the activity reports without the web interface (same rendering as the
job pipeline). Exit code 1 for parameters naming nothing, 2 for a usage error (argparse)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cpts.command_files import write_output
from cpts.services.documents import DocumentError
from reports.rendering import ACI, AG, render_report


class Command(BaseCommand):
    help = _(
        "Génère le rapport d'activité ACI d'une année du contrat, ou celui de l'AG d'une année."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[ACI, AG], help=_("aci ou ag"))
        parser.add_argument("--contract-year", type=int, help=_("année du contrat (rapport ACI)"))
        parser.add_argument("--year", type=int, help=_("année civile (rapport de l'AG)"))
        parser.add_argument("--output", required=True, help=_("fichier PDF à écrire"))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == ACI:
            if options["contract_year"] is None:
                raise CommandError(_("Le rapport ACI demande --contract-year N."), returncode=2)
            parameters: dict[str, Any] = {"contract_year": options["contract_year"]}
        else:
            if options["year"] is None:
                raise CommandError(_("Le rapport de l'AG demande --year AAAA."), returncode=2)
            parameters = {"year": options["year"]}
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(
                _("Le dossier de %(path)s n'existe pas.") % {"path": path}, returncode=1
            )
        try:
            rendered = render_report(kind, parameters)
        except DocumentError as error:
            raise CommandError(str(error), returncode=1) from error
        write_output(path, rendered.content)
        self.stderr.write(
            _("Rapport écrit dans %(path)s (%(size)s Ko).")
            % {"path": path, "size": len(rendered.content) // 1024}
        )
