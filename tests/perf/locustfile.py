"""The people of `make load` (tests/perf/load.py runs this file with locust, headless).

Three kinds of users log in with real accounts of the invented world and work through the
pages the way a browser would: every form is read from the page that shows it (its CSRF token
and the values it holds), filled in and posted; after a successful post the redirect is
followed and its message checked; the panels a page loads with HTMX once it is there are
loaded too.

- coordinators browse the lists, the pipeline board and the profiles of their city;
- youth workers log contact moments and plan intakes for their own young people;
- employer contacts open the candidates shared with their company and answer them.

The ids to visit come from a plan that load.py writes (LOAD_PLAN, JSON); each request's time,
status and user kind go to LOAD_RESULTS (JSON) when locust quits, for load.py to report. A page
is named by its URL pattern (`GET /youth/<id>/`), never by an id. Only stdlib and locust here:
importing this file patches the standard library for gevent, so nothing else imports it.
"""

import datetime as dt
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

from tests.html_forms import Form, form_on

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
RESULTS = Path(os.environ["LOAD_RESULTS"])
HTMX_HEADERS = {"HX-Request": "true"}
LOGIN = "POST /accounts/login/"
WAIT = [float(seconds) for seconds in os.environ.get("LOAD_WAIT", "5,15").split(",")]

# --- Page names: the URL pattern, without ids ------------------------------------------------

TOKEN = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=/|$)")
NUMBER = re.compile(r"/\d+(?=/|$)")


def page_name(url: str) -> str:
    """`/youth/12/?tab=x` -> `/youth/<id>/?tab`: ids and tokens out, query keys kept."""
    parts = urlsplit(url)
    path = NUMBER.sub("/<id>", TOKEN.sub("/<token>", parts.path))
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{path}?{'&'.join(keys)}" if keys else path


# --- What is measured --------------------------------------------------------------------------

# Per page: [seconds since the start when the request began, milliseconds it took].
times: dict[str, list[list[float]]] = defaultdict(list)
failures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
by_kind: dict[str, int] = defaultdict(int)
logged_in: list[float] = []  # seconds since the start when each login was answered
START = time.time()


@events.request.add_listener
def record(request_type, name, response_time, response, exception, context, **_kwargs):
    page = f"{request_type} {name}"
    now = time.time() - START
    times[page].append([round(now - response_time / 1000, 3), response_time])
    by_kind[context.get("kind", "?")] += 1
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        failures[page]["5xx"] += 1
    elif exception is not None:
        failures[page]["other"] += 1
    if page == LOGIN and status == 302:
        logged_in.append(now)


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    RESULTS.write_text(
        json.dumps(
            {
                "times": times,
                "failures": failures,
                "by_kind": by_kind,
                "logged_in": logged_in,
                "errors": [
                    {"page": f"{error.method} {error.name}", "error": str(error.error)}
                    for error in environment.stats.errors.values()
                ][:50],
            }
        )
    )


# --- The users -------------------------------------------------------------------------------


class Person(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(*WAIT)  # seconds a person reads a page before the next click

    def context(self):
        return {"kind": self.kind}

    def on_start(self):
        accounts = PLAN[self.kind]
        self.account = random.choices(accounts, weights=[a["weight"] for a in accounts])[0]
        page = self.open("/accounts/login/")
        form = page and form_on(page.text, has="username")
        if form is None:
            return  # every page after this answers with the login page: counted as errors
        form.fields |= {"username": self.account["username"], "password": PLAN["password"]}
        self.send("/accounts/login/", form, then=None)

    def open(self, url: str, *, htmx: bool = False):
        """A page, as a click opens it; then the panels it loads. None when it failed."""
        headers = HTMX_HEADERS if htmx else None
        with self.client.get(
            url, name=page_name(url), headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if not self.judge(response, expected=200):
                return None
        if not htmx:
            for panel in re.findall(r'hx-get="([^"]+)" hx-trigger="load"', response.text):
                self.open(panel.replace("&amp;", "&"), htmx=True)
        return response

    def send(self, url: str, form: Form, *, then: str | None = "alert-success"):
        """Post a form; a redirect is success, followed like a browser does, and the page it
        leads to must say so (`then`: the mark of a success message) or the post failed."""
        with self.client.post(
            url, data=form.fields, name=page_name(url), allow_redirects=False, catch_response=True
        ) as response:
            if not self.judge(response, expected=302):
                return None
            landing = self.open(response.headers["Location"])
            if then and landing is not None and then not in landing.text:
                response.failure("the form was not accepted")
        return landing

    @staticmethod
    def judge(response, *, expected: int) -> bool:
        status = response.status_code
        if status == expected:
            response.success()
            return True
        if status >= 500:
            response.failure(f"server error {status}")
        else:
            response.failure(f"HTTP {status}")
        return False

    def one(self, key: str):
        return random.choice(self.account[key])


class Coordinator(Person):
    kind = "coordinator"
    weight = 5

    @task(3)
    def youth_list(self):
        self.open("/youth/")

    @task(1)
    def youth_search(self):
        self.open(f"/youth/?q={random.choice('abdeghjklmnprstvw')}")

    @task(3)
    def youth_profile(self):
        self.open(f"/youth/{self.one('youth')}/")

    @task(2)
    def employer_list(self):
        self.open("/employers/")

    @task(2)
    def pipeline_board(self):
        self.open("/employers/pipeline/")

    @task(2)
    def employer_profile(self):
        self.open(f"/employers/{self.one('employers')}/")

    @task(1)
    def opening_list(self):
        self.open("/employers/openings/")

    @task(1)
    def opening(self):
        self.open(f"/employers/openings/{self.one('openings')}/")

    @task(2)
    def placement_list(self):
        self.open("/matching/placements/")

    @task(1)
    def placement(self):
        self.open(f"/matching/placements/{self.one('placements')}/")

    @task(2)
    def intake_list(self):
        self.open("/intake/")

    @task(1)
    def intake(self):
        self.open(f"/intake/{self.one('intakes')}/")

    @task(1)
    def matching(self):
        self.open("/matching/")

    @task(1)
    def start_page(self):
        self.open("/")

    @task(1)
    def dashboard(self):
        self.open("/dashboard/")

    @task(1)
    def caseload(self):
        self.open("/youth/caseload/")

    @task(1)
    def buddy_pairs(self):
        self.open("/buddy/")

    @task(1)
    def cohorts(self):
        self.open("/prep/")


def today() -> dt.date:
    """The platform's date (Dutch local time): a contact logged today is not in its future."""
    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


CONTACT_KINDS = ["in_person", "phone", "message", "home_visit"]
PLACES = ["Jongerencentrum", "Wijkteam", "Op de werkvloer"]


class YouthWorker(Person):
    kind = "youth_worker"
    weight = 3

    @task(1)
    def caseload(self):
        self.open("/youth/caseload/")

    @task(1)
    def intake_list(self):
        self.open("/intake/")

    @task(3)
    def log_a_contact(self):
        youth = self.one("youth")
        page = self.open(f"/youth/{youth}/")
        form = page and form_on(page.text, action=f"/youth/{youth}/contacts/new/")
        if form is None:
            return
        form.fields |= {
            "kind": random.choice(CONTACT_KINDS),
            "date": today().isoformat(),
            "summary": "Gebeld over de start; afspraak voor volgende week.",
        }
        self.send(form.action, form)

    @task(2)
    def plan_an_intake(self):
        url = f"/intake/new/?youth={self.one('youth')}"
        page = self.open(url)
        form = page and form_on(page.text, has="place")
        if form is None:
            return
        day = today() + dt.timedelta(days=random.randint(2, 30))
        form.fields |= {"date": day.isoformat(), "time": "10:30", "place": random.choice(PLACES)}
        self.send(form.action or url, form)


class EmployerContact(Person):
    kind = "employer"
    weight = 2

    @task(1)
    def portal(self):
        self.open("/portal/")

    @task(2)
    def candidates(self):
        self.open("/portal/candidates/")

    @task(3)
    def answer_a_candidate(self):
        token = self.one("tokens")
        page = self.open(f"/portal/candidates/{token}/")
        form = page and form_on(page.text, action=f"/portal/candidates/{token}/answer/")
        if form is None:
            return
        if random.random() < 0.6:
            form.fields |= {"answer": "interested", "reason": ""}
        else:
            form.fields |= {"answer": "not_now", "reason": "Nu geen plek in het team."}
        self.send(form.action, form)
