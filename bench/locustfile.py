"""Readers and writers for ``bench/loadtest.py`` (which starts gunicorn, runs
locust twice and checks the database afterwards).

Readers browse the read pages with a session made for them; writers change
action statuses and section bodies through the API, each change sent with
``If-Match`` naming the version just read. A 412 or 409 is the expected
refusal when another writer got there first; every accepted write is recorded
so that the orchestrator can prove none was lost.
"""

import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["LOADTEST_SETUP"]).read_text())
ACCEPTED: list[dict] = []
REFUSED = {"412": 0, "409": 0}


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set("sessionid", random.choice(SETUP["sessions"]))

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def meeting_list(self):
        self.client.get(SETUP["meeting_list"], name="meeting list")

    @task(4)
    def meeting(self):
        self.client.get(
            f"/meetings/{random.choice(SETUP['meetings'])}/", name="meeting page"
        )

    @task(2)
    def search(self):
        words = random.choice(SETUP["searches"])
        self.client.get("/search/", params={"q": words}, name="search")

    @task(2)
    def actions(self):
        self.client.get("/actions/?status=open", name="action register")

    @task(1)
    def api_meetings(self):
        self.client.get("/api/meetings/", name="API meeting list")


class Writer(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {SETUP['token']}"

    @task
    def change_action_status(self):
        status = random.choice(["open", "in_progress"])
        self.change("actions", random.choice(SETUP["actions"]), {"status": status})

    @task
    def change_section_body(self):
        marker = uuid.uuid4().hex
        body = f"Load test edit {marker}: the cryostat was refilled."
        self.change("sections", random.choice(SETUP["sections"]), {"body": body})

    def change(self, kind: str, pk: int, data: dict) -> None:
        url = f"/api/{kind}/{pk}/"
        read = self.client.get(url, name=f"API {kind} read")
        if read.status_code != 200:
            return
        with self.client.patch(
            url,
            json=data,
            headers={"If-Match": read.headers["ETag"]},
            name=f"API {kind} write",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                version = int(response.headers["ETag"].strip('"'))
                ACCEPTED.append({"kind": kind, "pk": pk, "version": version, **data})
            elif response.status_code in (409, 412):
                REFUSED[str(response.status_code)] += 1
                response.success()


@events.test_stop.add_listener
def save_writes(environment, **kwargs):
    if os.environ.get("LOADTEST_WRITES"):
        with open(os.environ["LOADTEST_WRITES"], "w") as out:
            json.dump({"accepted": ACCEPTED, "refused": REFUSED}, out)
