"""The throw-away environment of the benchmark and its measurements.

The developer's database is never touched: the default connection is pointed at a new database
(a temporary SQLite file, or ``test_<name>_bench`` on PostgreSQL) created with Django's test
database machinery, migrated, and destroyed at the end; media files go to a temporary folder.

Each page is requested once to warm up, then ``runs`` times timed with its SQL queries counted,
then once more under tracemalloc for the peak memory (tracing slows Python down, so it is kept
out of the timed runs). Jobs are measured the same way, one new document per run.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.translation import gettext as _

from cpts.bench.dataset import COORDINATOR_EMAIL, seed_scale
from cpts.bench.targets import COMMANDS, JOBS, PAGES, BenchCommand, BenchJob, BenchPage
from cpts.models import GeneratedDocument, User
from cpts.services.documents import run_document
from cpts.services.territory import load_communes


@dataclass(frozen=True)
class Measurement:
    category: str  # "page", "job" or "command"
    name: str
    scale: int
    status: str  # HTTP status of a page, final status of a job, "ok" or the error of a command
    median_ms: float
    queries: int  # the largest count over the timed runs
    peak_kib: float
    size_kib: float | None = None  # size of the file a job produced

    @property
    def failed(self) -> bool:
        if self.category == "page":
            return not self.status.isdigit() or int(self.status) >= 400
        if self.category == "command":
            return self.status != "ok"
        return self.status != GeneratedDocument.Status.DONE

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@contextmanager
def throwaway_database(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """Point ``alias`` at a new, migrated database for the duration of the block, then
    destroy it and point back at the original one. Yields the throw-away database name."""
    connection = connections[alias]
    original_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    saved_test_name = test_settings.get("NAME")
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="maillage-bench-db-")
        test_settings["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"test_{original_name}_bench"
    if str(test_settings["NAME"]) == str(original_name):
        raise ImproperlyConfigured("The benchmark database must differ from the main database.")
    try:
        name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield name
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
    finally:
        if saved_test_name is None:
            test_settings.pop("NAME", None)
        else:
            test_settings["NAME"] = saved_test_name
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def throwaway_environment() -> Iterator[None]:
    """A throw-away database and media folder, production-like settings for the pages
    (DEBUG off), e-mails kept in memory, and the test client's host allowed."""
    media = tempfile.mkdtemp(prefix="maillage-bench-media-")
    overrides = override_settings(
        MEDIA_ROOT=media,
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR=False,
    )
    # WeasyPrint logs each layout step at INFO: silence that chatter during the measures.
    chatty = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [logger.level for logger in chatty]
    for logger in chatty:
        logger.setLevel(logging.WARNING)
    try:
        with overrides, throwaway_database():
            yield
    finally:
        for logger, level in zip(chatty, levels, strict=True):
            logger.setLevel(level)
        shutil.rmtree(media, ignore_errors=True)


def _peak_kib(action: Callable[[], object]) -> float:
    """Peak memory allocated by Python while ``action`` runs, in KiB."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return max(peak - baseline, 0) / 1024


def _fetch(client: Client, url: str, headers: dict[str, str]) -> Any:
    """GET the page and read its whole body (a streamed export is produced while read)."""
    response: Any = client.get(url, headers=headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def measure_page(client: Client, page: BenchPage, scale: int, runs: int) -> Measurement:
    url = page.url()
    headers = {"HX-Request": "true"} if page.htmx else {}
    _fetch(client, url, headers)  # warm-up: templates compiled, caches filled
    durations: list[float] = []
    counts: list[int] = []
    status = 0
    for _run in range(runs):
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
            start = time.perf_counter()
            response = _fetch(client, url, headers)
            durations.append(time.perf_counter() - start)
        counts.append(len(queries))
        status = response.status_code
    peak = _peak_kib(lambda: _fetch(client, url, headers))
    return Measurement(
        category="page",
        name=page.name,
        scale=scale,
        status=str(status),
        median_ms=statistics.median(durations) * 1000,
        queries=max(counts),
        peak_kib=peak,
    )


def measure_command(command: BenchCommand, scale: int, runs: int) -> Measurement:
    arguments = command.arguments()

    def run() -> None:
        call_command(*arguments, stdout=StringIO(), stderr=StringIO())

    try:
        run()  # warm-up; a command that fails is reported, not raised
    except (CommandError, SystemExit) as error:
        return Measurement(
            category="command",
            name=command.name,
            scale=scale,
            status=str(error) or "erreur",
            median_ms=0,
            queries=0,
            peak_kib=0,
        )
    durations: list[float] = []
    counts: list[int] = []
    for _run in range(runs):
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
            start = time.perf_counter()
            run()
            durations.append(time.perf_counter() - start)
        counts.append(len(queries))
    return Measurement(
        category="command",
        name=command.name,
        scale=scale,
        status="ok",
        median_ms=statistics.median(durations) * 1000,
        queries=max(counts),
        peak_kib=_peak_kib(run),
    )


def measure_job(job: BenchJob, requested_by: User, scale: int, runs: int) -> Measurement:
    if job.prepare is not None:
        job.prepare()

    def new_document() -> GeneratedDocument:
        return GeneratedDocument.objects.create(
            kind=job.kind, parameters=dict(job.parameters), requested_by=requested_by
        )

    run_document(new_document().pk)  # warm-up
    durations: list[float] = []
    counts: list[int] = []
    status, size = "", None
    for _run in range(runs):
        document = new_document()
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
            start = time.perf_counter()
            status = run_document(document.pk)
            durations.append(time.perf_counter() - start)
        counts.append(len(queries))
        document.refresh_from_db()
        size = document.file.size / 1024 if document.file else None
    traced = new_document()
    peak = _peak_kib(lambda: run_document(traced.pk))
    return Measurement(
        category="job",
        name=job.name,
        scale=scale,
        status=str(status),
        median_ms=statistics.median(durations) * 1000,
        queries=max(counts),
        peak_kib=peak,
        size_kib=size,
    )


def _client_of(page: BenchPage, coordinator_client: Client) -> Client:
    """The coordinator's client, or a client logged in as the page's ``user``."""
    if not page.user:
        return coordinator_client
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=page.user))
    return client


def _selected(name: str, only: tuple[str, ...]) -> bool:
    return not only or any(part in name for part in only)


def run_bench(
    scales: list[int],
    runs: int,
    log: Callable[[str], None] = lambda message: None,
    only: tuple[str, ...] = (),
) -> list[Measurement]:
    """Measure every page of ``PAGES``, job of ``JOBS`` and command of ``COMMANDS`` (or those
    whose name contains one of ``only``) at each scale, smallest first, on a throw-away
    database."""
    pages = [page for page in PAGES if _selected(page.name, only)]
    jobs = [job for job in JOBS if _selected(job.name, only)]
    commands = [command for command in COMMANDS if _selected(command.name, only)]
    results: list[Measurement] = []
    with throwaway_environment():
        log(_("Base de mesure créée ; chargement du référentiel des communes…"))
        load_communes()
        client = Client(raise_request_exception=False)
        for scale in sorted(set(scales)):
            counts = seed_scale(scale)
            log(
                _(
                    "Échelle %(scale)s : %(communes)s communes, %(documents)s documents, "
                    "%(users)s comptes générés, %(invitations)s invitations ; mesures…"
                )
                % {"scale": scale, **asdict(counts)}
            )
            coordinator = User.objects.get(email=COORDINATOR_EMAIL)
            client.force_login(coordinator)
            results += [measure_page(_client_of(page, client), page, scale, runs) for page in pages]
            results += [measure_job(job, coordinator, scale, runs) for job in jobs]
            results += [measure_command(command, scale, runs) for command in commands]
    return results
