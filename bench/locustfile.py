"""The load scenario (locust), driven by ``bench/bench_load.py``, which prepares the instance
and writes the plan this file reads (``BENCH_LOAD_PLAN``: accounts, their ids, API tokens).

- ``OfficerUser``: signs in through the form and browses the pages in ``PAGES``.
- ``VendorUser``: uploads its subcontracts' PDFs through the API and follows their analysis.
- ``BareUser``: a bare Flask page on the same gunicorn settings (the baseline).

The pages officers open are listed in ``bench/load_pages.py``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pyotp
from load_pages import PAGES
from locust import HttpUser, between, task
from locust.clients import HttpSession

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_PLAN: dict[str, Any] | None = None
_OFFICERS = itertools.count()
_VENDORS = itertools.count()


def plan() -> dict[str, Any]:
    global _PLAN
    if _PLAN is None:
        _PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text(encoding="utf-8"))
    return _PLAN


def sign_in(client: HttpSession, email: str, password: str, totp_secret: str = "") -> None:
    """Sign in as a browser does: the form's CSRF token, the password, then the code of the
    account's authenticator (computed from its secret, which the runner put in the plan)."""
    form = client.get("/auth/login", name="sign-in form")
    match = _CSRF.search(form.text)
    if match is None:
        raise RuntimeError("no CSRF token on the sign-in form")
    with client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": match.group(1)},
        name="sign-in",
        catch_response=True,
    ) as response:
        if response.status_code != 200 or "/auth/login" in response.url:
            response.failure(f"sign-in as {email} failed ({response.status_code})")
            return
        page, url = response.text, response.url
    if "/auth/second-factor" not in url:
        return
    # A code is good once: if this step's code was used (by the runner's probe), the next
    # step's code is taken; the portal accepts one step either side of now.
    for attempt in range(2):
        token = _CSRF.search(page)
        code = pyotp.TOTP(totp_secret).at(time.time() + 30 * attempt)
        with client.post(
            "/auth/second-factor",
            data={"code": code, "csrf_token": token.group(1) if token else ""},
            name="sign-in second factor",
            catch_response=True,
        ) as response:
            if "/auth/second-factor" not in response.url:
                return
            page = response.text
            if attempt == 0:
                response.success()  # refused as already used: try the next step's code
            else:
                response.failure(f"second factor for {email} refused")


class OfficerUser(HttpUser):
    """A municipal officer browsing the chain, reviews, inspections, ledger and reports."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        accounts = plan()["officers"]
        self.account = accounts[next(_OFFICERS) % len(accounts)]
        self.pages = [page for page in PAGES if page.name in self.account["pages"]]
        sign_in(
            self.client,
            self.account["email"],
            plan()["password"],
            self.account.get("totp_secret", ""),
        )

    @task
    def browse(self) -> None:
        page = random.choices(self.pages, weights=[p.weight for p in self.pages])[0]  # noqa: S311
        path = page.path.format(
            outsourcing=random.choice(self.account["outsourcings"]),  # noqa: S311
            document=random.choice(self.account["documents"] or [0]),  # noqa: S311
        )
        self.client.get(path, name=page.name)


class VendorUser(HttpUser):
    """A contractor's user uploading the subcontracts it signed (the API, with a token)."""

    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        accounts = plan()["vendors"]
        self.account = accounts[next(_VENDORS) % len(accounts)]
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"
        self.pdf = Path(plan()["pdf"]).read_bytes()
        self.uploaded: list[int] = []

    @task
    def upload(self) -> None:
        # A unique trailer per upload: the portal refuses the same file twice for a node.
        data = self.pdf + f"\n% bench {uuid.uuid4().hex}\n".encode()
        target = random.choice(self.account["targets"])  # noqa: S311
        with self.client.post(
            f"/api/v1/outsourcings/{target}/documents",
            files={"file": ("再委託契約書.pdf", data, "application/pdf")},
            name="upload (API)",
            catch_response=True,
        ) as response:
            if response.status_code != 202:
                response.failure(f"upload answered {response.status_code}: {response.text[:200]}")
                return
            self.uploaded.append(response.json()["id"])

    @task
    def follow(self) -> None:
        if self.uploaded:
            document = random.choice(self.uploaded)  # noqa: S311
            self.client.get(f"/api/v1/documents/{document}", name="document status (API)")

    @task
    def tree(self) -> None:
        self.client.get("/api/v1/outsourcings?limit=100", name="outsourcings (API)")


class BareUser(HttpUser):
    """The same think time against a bare Flask page on the same gunicorn settings."""

    wait_time = between(1, 3)

    @task
    def bare(self) -> None:
        self.client.get("/", name="bare flask")
