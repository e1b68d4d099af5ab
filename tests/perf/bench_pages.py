"""`make bench-pages`: how fast the pages answer at ten times the demo's size.

It builds an invented world (tests/perf/matching_world.py and tests/perf/pages_world.py) in a
private database on the configured server, never in the developer's own (see
`bench_matching.private_database`), and drops it at the end unless --keep. Then, through the
test client, as an admin and as a coordinator, it times every main list page, the detail pages,
the start page and the dashboard: median and p95 over --runs requests and the query count. In
the same run it times the Django admin changelist of the same model and a bare 50-row ListView
of the same rows (written here), and prints the ratios against the targets of issue 15. It never
fails on a missed target: it measures and prints.
"""

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin as django_admin
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.views.generic import ListView

from buddy.models import Mentor, Pair
from employers.models import Employer, Opening
from intake.models import IntakeMeeting
from matching.models import Placement, Share
from prep_programme.models import Cohort, Participant
from restart_platform.accounts.models import City
from youth.models import YoungPerson

from .bench_matching import _server_version, private_database
from .pages_world import PagesWorld, build_pages_world

SECTIONS = ("Page benchmark", "Data", "List pages", "Other pages", "Targets of issue 15")
LIST_TARGET_ADMIN = 2.0  # at least twice as fast as the admin changelist
LIST_TARGET_BARE = 2.0  # within twice the bare ListView
OTHER_TARGET = 0.100  # seconds, median, for detail pages, the start page and the dashboard
BARE_PAGE = 50
COORDINATOR_CITY = "rotterdam"
WORLD_SIZES = ("youth", "openings", "intakes", "shares", "placements", "pairs", "participants")


# --- The bare ListView: the floor a purpose-built list is measured against ------------------------

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='nl'><head><title>{{ title }}</title></head><body><main>"
    "<h1>{{ title }}</h1><table><tbody>{% for object in object_list %}"
    "<tr><td><a href='?id={{ object.pk }}'>{{ object }}</a></td></tr>{% endfor %}"
    "</tbody></table>{% if page_obj.has_next %}<a href='?page={{ page_obj.next_page_number }}'>"
    "&raquo;</a>{% endif %}</main></body></html>"
)


# Our base layout with nothing in it: the menu, the notification bell, the language switch and the
# messages every page of ours carries. Printed beside the bare ListView, it shows how much of the
# gap to that floor is the layout itself rather than the list.
LAYOUT_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Leeg{% endblock %}'
)


def layout_alone(request):
    return HttpResponse(LAYOUT_TEMPLATE.render({}, request))


class BareListView(ListView):
    paginate_by = BARE_PAGE

    def render_to_response(self, context, **response_kwargs):
        context["title"] = self.model._meta.verbose_name_plural
        return HttpResponse(BARE_TEMPLATE.render(context, self.request))


BARE_LISTS: dict[str, QuerySet] = {
    "youngperson": YoungPerson.objects.order_by("last_name", "pk"),
    "employer": Employer.objects.order_by("name", "pk"),
    "opening": Opening.objects.order_by("-pk"),
    "intakemeeting": IntakeMeeting.objects.order_by("-starts_at", "pk"),
    "placement": Placement.objects.order_by("-start_date", "pk"),
    "share": Share.objects.order_by("-shared_at", "pk"),
    "pair": Pair.objects.order_by("-proposed_at", "pk"),
    "mentor": Mentor.objects.order_by("name", "pk"),
    "cohort": Cohort.objects.order_by("-starts_on", "pk"),
    "participant": Participant.objects.select_related("youth", "cohort").order_by("pk"),
}

# The benchmark's own URLconf: the project's, plus the bare lists.
urlpatterns = [
    path(
        f"__bench__/{key}/",
        BareListView.as_view(queryset=queryset, model=queryset.model),
        name=f"bench_{key}",
    )
    for key, queryset in BARE_LISTS.items()
] + [
    path("__bench__/layout/", layout_alone, name="bench_layout"),
    path("", include("restart_platform.urls")),
]


# --- What is measured -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    model: type[Model] | None = None  # the model of a list page: admin changelist and bare list
    target: Callable[[PagesWorld, City], Model] | None = None  # the object of a detail page

    @property
    def is_list(self) -> bool:
        return self.model is not None


def _in_city(queryset: QuerySet, city: City, lookup: str) -> Model:
    """A record in the coordinator's city with the most related rows nearby: the middle one by
    id, so neither the newest nor the oldest."""
    rows = queryset.filter(**{lookup: city}).order_by("pk")
    return rows[rows.count() // 2]


PAGES = [
    Page("young people", "youth:youth_list", YoungPerson),
    Page("employers", "employers:employer_list", Employer),
    Page("openings", "employers:opening_list", Opening),
    Page("intakes", "intake:intake_list", IntakeMeeting),
    Page("placements", "matching:placement_list", Placement),
    Page("buddy pairs", "buddy:pair_list", Pair),
    Page("mentors", "buddy:mentor_list", Mentor),
    Page("cohorts", "prep_programme:cohort_list", Cohort),
    Page("participants", "prep_programme:participant_list", Participant),
    # Lists of their own shape, measured against the same model's changelist and bare list.
    Page("caseload", "dashboard:caseload", YoungPerson),
    Page("pipeline", "employers:employer_pipeline", Employer),
    Page("matching", "matching:matching_home"),
    Page("start page", "dashboard:home"),
    Page("dashboard", "dashboard:kpis"),
    Page("fidelity", "dashboard:fidelity"),
    Page(
        "young person",
        "youth:youth_detail",
        target=lambda w, city: _in_city(
            YoungPerson.objects.filter(placements__isnull=False), city, "city"
        ),
    ),
    Page(
        "employer",
        "employers:employer_detail",
        target=lambda w, city: _in_city(Employer.objects.all(), city, "city"),
    ),
    Page(
        "opening",
        "employers:opening_detail",
        target=lambda w, city: _in_city(Opening.objects.all(), city, "employer__city"),
    ),
    Page(
        "intake",
        "intake:intake_detail",
        target=lambda w, city: _in_city(
            IntakeMeeting.objects.filter(record__isnull=False), city, "youth__city"
        ),
    ),
    Page(
        "placement",
        "matching:placement_detail",
        target=lambda w, city: _in_city(Placement.objects.all(), city, "opening__employer__city"),
    ),
    Page(
        "buddy pair",
        "buddy:pair_detail",
        target=lambda w, city: _in_city(
            Pair.objects.filter(status=Pair.Status.ACTIVE), city, "mentor__employer__city"
        ),
    ),
    Page(
        "cohort",
        "prep_programme:cohort_detail",
        target=lambda w, city: _in_city(Cohort.objects.all(), city, "city"),
    ),
    Page(
        "participant",
        "prep_programme:participant_detail",
        target=lambda w, city: _in_city(Participant.objects.all(), city, "cohort__city"),
    ),
]


@dataclass
class Timing:
    times: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 200

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(client: Client, url: str, runs: int) -> Timing:
    return measure_together({"page": (client, url)}, runs)["page"]


def measure_together(requests: dict[str, tuple[Client, str]], runs: int) -> dict[str, Timing]:
    """Two requests of each to warm up, then `runs` rounds that time each request once, in
    turn; the queries of one more of each are counted.

    In turn, not one page's requests after the other's: this machine's speed drifts by 10 to
    30% within minutes, and a page timed a minute after its admin changelist would carry that
    drift into their ratio."""
    timings = {key: Timing() for key in requests}
    for key, (client, url) in requests.items():
        for _ in range(2):
            timings[key].status = client.get(url).status_code
    answering = {key: request for key, request in requests.items() if timings[key].status == 200}
    for _ in range(runs):
        for key, (client, url) in answering.items():
            started = time.perf_counter()
            client.get(url)
            timings[key].times.append(time.perf_counter() - started)
    for key, (client, url) in answering.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings[key].queries = len(queries)
    return timings


class Command(BaseCommand):
    help = (
        "Time the main pages at ten times the demo's size in a private database, next to the "
        "Django admin changelist and a bare ListView of the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--youth", type=int, default=10_000, help="young people (10,000)")
        parser.add_argument("--openings", type=int, default=3_000, help="openings (3,000)")
        parser.add_argument("--intakes", type=int, default=20_000, help="intake meetings (20,000)")
        parser.add_argument("--shares", type=int, default=6_000, help="shared profiles (6,000)")
        parser.add_argument("--placements", type=int, default=3_000, help="placements (3,000)")
        parser.add_argument("--pairs", type=int, default=1_500, help="buddy pairs (1,500)")
        parser.add_argument(
            "--participants", type=int, default=1_000, help="programme participants (1,000)"
        )
        parser.add_argument("--runs", type=int, default=20, help="timed requests per page (20)")
        parser.add_argument("--seed", type=int, default=1, help="of the invented data (1)")
        parser.add_argument("--only", default="", help="only pages whose label contains this")
        parser.add_argument("--keep", action="store_true", help="keep the private database")

    def handle(self, *args, runs, keep, only, seed, **sizes):
        if runs < 5 or sizes["youth"] < 10 or sizes["openings"] < 10:
            raise CommandError("--runs must be at least 5; --youth and --openings at least 10.")
        settings = {
            "DEBUG": False,  # no query log: timed as production runs
            "ALLOWED_HOSTS": ["testserver"],
            "ROOT_URLCONF": __name__,
        }
        with private_database(keep=keep) as name, override_settings(**settings):
            self.report(name=name, runs=runs, only=only, seed=seed, sizes=sizes)
            self.stdout.write("")
            verb = "Kept" if keep else "Dropped"
            self.stdout.write(f"{verb} the private database {name}.")

    def report(self, *, name, runs, only, seed, sizes):
        self.heading(SECTIONS[0])
        self.line(f"database     {connection.display_name} {_server_version()}, private: {name}")
        self.line(
            f"machine      {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
            f"start; Python {platform.python_version()}"
        )
        started = time.perf_counter()
        world = build_pages_world(seed=seed, **{kind: sizes[kind] for kind in WORLD_SIZES})
        base = world.base
        self.heading(SECTIONS[1])
        self.line(f"built in {time.perf_counter() - started:.0f} s (seed {seed}):")
        self.line(", ".join(f"{count:,} {kind}" for kind, count in world.counts.items()))
        city = City.objects.get(slug=COORDINATOR_CITY)
        clients = {"admin": Client(), "coordinator": Client()}
        clients["admin"].force_login(base.admin)
        clients["coordinator"].force_login(world.coordinators[city.pk])
        pages = [page for page in PAGES if only.lower() in page.label.lower()]
        results = []
        self.heading(SECTIONS[2])
        layout = {
            role: measure(client, reverse("bench_layout"), runs) for role, client in clients.items()
        }
        self.line(
            "our layout alone (base.html, nothing in it): "
            + ", ".join(f"{_ms(timing.median)} as {role}" for role, timing in layout.items())
        )
        self.table_header(lists=True)
        for page in (page for page in pages if page.is_list):
            results += self.list_page(page, clients, runs)
        self.heading(SECTIONS[3])
        self.table_header(lists=False)
        for page in (page for page in pages if not page.is_list):
            results += self.other_page(page, world, city, clients, runs)
        self.targets(results)

    # --- Sections ---------------------------------------------------------------------------

    def list_page(self, page: Page, clients, runs) -> list[tuple]:
        try:
            url = reverse(page.url_name)
        except NoReverseMatch:
            self.line(f"{page.label:<14} not in this version ({page.url_name})")
            return []
        meta = page.model._meta
        requests = {role: (client, url) for role, client in clients.items()}
        requests["bare"] = (clients["admin"], reverse(f"bench_{meta.model_name}"))
        if page.model in django_admin.site._registry:
            changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            requests["admin changelist"] = (clients["admin"], changelist)
        timings = measure_together(requests, runs)
        admin_timing, bare = timings.get("admin changelist"), timings["bare"]
        results = []
        for role in clients:
            ours = timings[role]
            self.row_list(page.label, role, ours, admin_timing, bare)
            if ours.times:
                results.append(("list", page.label, role, ours, admin_timing, bare))
        return results

    def other_page(self, page: Page, world, city, clients, runs) -> list[tuple]:
        args = [page.target(world, city).pk] if page.target else []
        try:
            url = reverse(page.url_name, args=args)
        except NoReverseMatch:
            self.line(f"{page.label:<14} not in this version ({page.url_name})")
            return []
        timings = measure_together({role: (client, url) for role, client in clients.items()}, runs)
        results = []
        for role, ours in timings.items():
            self.row_other(page.label, role, ours)
            if ours.times:
                results.append(("other", page.label, role, ours, None, None))
        return results

    def targets(self, results) -> None:
        self.heading(SECTIONS[4])
        met = missed = 0
        for kind, label, role, ours, admin_timing, bare in results:
            checks = []
            if kind == "list":
                if admin_timing and admin_timing.times:
                    ratio = admin_timing.median / ours.median
                    checks.append(
                        (f"{ratio:.1f}x faster than the admin", ratio >= LIST_TARGET_ADMIN)
                    )
                ratio = ours.median / bare.median
                checks.append((f"{ratio:.1f}x the bare ListView", ratio <= LIST_TARGET_BARE))
            else:
                checks.append((f"median {_ms(ours.median)}", ours.median < OTHER_TARGET))
            for text, ok in checks:
                met, missed = met + ok, missed + (not ok)
                self.line(f"{'met    ' if ok else 'NOT met'}  {label} ({role}): {text}")
        self.line(f"{met} met, {missed} not met")

    # --- Printing ---------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        self.stdout.write(f"\n{text}\n{'-' * len(text)}")

    def line(self, text: str) -> None:
        self.stdout.write(f"  {text}")

    def table_header(self, *, lists: bool) -> None:
        columns = "page           role         median     p95  queries"
        if lists:
            columns += "   admin  adm/ours    bare  ours/bare"
        self.line(columns)

    def row_list(self, label, role, ours: Timing, admin_timing: Timing | None, bare: Timing):
        if not ours.times:
            self.line(f"{label:<14} {role:<11} HTTP {ours.status}")
            return
        admin_text = (
            f"{_ms(admin_timing.median):>7} {admin_timing.median / ours.median:>8.1f}"
            if admin_timing and admin_timing.times
            else f"{'-':>7} {'-':>8}"
        )
        self.line(
            f"{label:<14} {role:<11} {_ms(ours.median):>7} {_ms(ours.p95):>7} {ours.queries:>8}"
            f" {admin_text} {_ms(bare.median):>7} {ours.median / bare.median:>10.1f}"
        )

    def row_other(self, label, role, ours: Timing):
        if not ours.times:
            self.line(f"{label:<14} {role:<11} HTTP {ours.status}")
            return
        self.line(
            f"{label:<14} {role:<11} {_ms(ours.median):>7} {_ms(ours.p95):>7} {ours.queries:>8}"
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
