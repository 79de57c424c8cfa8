from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cpts.services.demo import demo_summary_lines, seed_demo


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration (CPTS du Cœur d'Hérault, son territoire et cinq "
        "comptes). Idempotent : le relancer ne change rien."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_demo(log=self.stdout.write)
        if result.changes:
            self.stdout.write("")
        lines = demo_summary_lines(result)
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
