"""The production topology for real (issue 13): images built here, every container started
with podman, driven through the gateway only, then containers killed one by one.

``deploy/containers/stack.sh up`` builds the images (docker-compose.ci.yml: Debian packages,
PyPI, npm, Maven Central; no public registry) and starts docker-compose.yml's services in
dependency order until every health check is green. Then, through the gateway, with tokens of
Keycloak's realm (password grant for the realm's demo users; trustees and the credential
authority are added through Keycloak's admin API): a unit's self-assessment with evidence,
consolidation, caucus review, recognition, publication, the board showing them; an election
opened and a vote cast in Chromium on the voter page, then tallied. Finally the main process
of the assessment relay, the reporting consumer, the assessment API and Kafka is killed
(SIGKILL, as a crash or the OOM killer would: podman 4.3 treats ``podman kill`` as a stop by
the user and does not restart), more commands go in meanwhile, each container comes back by
its restart policy, and the store, Kafka and the read model agree: nothing lost, nothing
doubled. ``make test-stack``; ``CONGVU_STACK_KEEP=1`` leaves the stack running afterwards,
``CONGVU_STACK_REUSE=1`` runs against the running one.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from ballot.harness import ElectionDriver, Trustee, election_request
from e2e.deploy.stack_helpers import (
    REPO,
    STACK,
    Stack,
    container,
    healthy,
    podman,
    read_env,
    restart_count,
    state,
    wait_for,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("CONGVU_STACK_TESTS") != "1",
        reason="stack tier: make test-stack (or CONGVU_STACK_TESTS=1)",
    ),
]

DEMO_USERS = {
    "snv.tonghop": ("home_affairs", "SNV"),
    "snv.vanthu": ("unit_officer", "SNV"),
    "bcsd.thuky": ("party_caucus", "UBND-TINH"),
    "chu-tich": ("chairman", "UBND-TINH"),
    "kiemtoan": ("auditor", None),
    "to-chuc-phieu": ("ballot_organiser", "SNV"),
}
EXTRA_USERS = {
    "ci.trustee1": ("trustee", "SNV"),
    "ci.trustee2": ("trustee", "SNV"),
    "ci.trustee3": ("trustee", "SNV"),
    "ci.ca": ("credential_authority", "SNV"),
}
GROUPS = {
    code: {
        "results": f"Kết quả nhóm {code}: hoàn thành 100% chỉ tiêu, 12 đề án đúng hạn, "
        "không có hồ sơ trễ hạn trong năm.",
        "limitations": "Một số báo cáo còn chậm.",
        "evidence": [
            {"name": f"{code}.pdf", "sha256": f"{i:x}" * 64, "size": 1234}
            for i in (len(code) % 15 + 1,)
        ],
    }
    for code in ("tham_muu", "nhiem_vu", "ky_luat")
}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    if shutil.which("podman") is None:
        pytest.fail("podman is not installed: deploy/local/packages.sh --stack (as root)")
    t0 = time.monotonic()
    if os.environ.get("CONGVU_STACK_REUSE") == "1":  # while developing: the running stack
        subprocess.run([str(STACK), "wait"], check=True, timeout=600)
    else:
        subprocess.run([str(STACK), "down"], check=False, timeout=600)  # fresh each time
        subprocess.run([str(STACK), "up"], check=True, timeout=3600)
    print(f"\nstack: built and healthy in {time.monotonic() - t0:.0f} s")
    env = read_env()
    # the gateway is docker-compose.yml's own proxy (nginx, deploy/nginx/congvu.conf.template)
    ports = podman("port", container("proxy")).splitlines()
    gateway = "http://" + ports[0].split("->", 1)[1].strip()
    s = Stack(env, gateway, f"http://localhost:{env['HOST_KEYCLOAK_PORT']}")
    try:
        for name, (role, unit) in {**DEMO_USERS, **EXTRA_USERS}.items():
            s.ensure_user(name, role, unit)
        yield s
    finally:
        if os.environ.get("CONGVU_STACK_KEEP") != "1":
            subprocess.run([str(STACK), "down"], check=False, timeout=600)


def post(http: httpx.Client, s: Stack, user: str, url: str, body: dict[str, Any]) -> Any:
    r = http.post(url, json=body, headers=s.headers(user))
    assert r.status_code in (200, 201), f"{url}: {r.status_code} {r.text[:500]}"
    return r.json()


def assess(http: httpx.Client, s: Stack, cycle: str, unit: str, year: int) -> None:
    base = f"/v1/cycles/{cycle}/units/{unit}"
    post(
        http,
        s,
        "snv.vanthu",
        f"{base}/self-assessment",
        {"groups": GROUPS, "proposed_level": "hoan_thanh_tot"},
    )
    post(
        http,
        s,
        "snv.tonghop",
        f"{base}/consolidation",
        {"summary": "Đạt yêu cầu", "proposed_level": "hoan_thanh_tot"},
    )
    post(http, s, "bcsd.thuky", f"{base}/caucus-review", {"comment": "Nhất trí"})
    post(
        http,
        s,
        "chu-tich",
        f"{base}/recognition",
        {
            "decision_number": "12/QĐ-UBND",
            # the caucus reviewed it just now (real clock): the decision is dated today
            "decision_date": datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat(),
            "signer": "Chủ tịch UBND tỉnh",
            "level": "hoan_thanh_tot",
        },
    )
    post(http, s, "snv.tonghop", f"{base}/publication", {})


def board(http: httpx.Client, s: Stack, cycle: str) -> dict[str, Any]:
    r = http.get(f"/v1/reports/cycles/{cycle}/board", headers=s.headers("kiemtoan"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def agree(s: Stack) -> dict[str, int]:
    """Store, Kafka and read model agree: every event once on the topic, every projected
    aggregate at the store's latest version."""
    store = s.store_versions()
    ids = s.kafka_event_ids()
    assert len(ids) == len(set(ids)), "an event was published twice"
    total = sum(store.values())
    assert len(ids) == total, f"{total} events in the store, {len(ids)} on Kafka"
    projected = s.read_model_versions()
    behind = {k: (v, store.get(k)) for k, v in projected.items() if store.get(k) != v}
    assert not behind, f"read model differs from the store: {behind}"
    return {"events": total, "projected": len(projected)}


@pytest.mark.timeout(3600)
def test_the_stack_end_to_end_then_containers_killed(stack: Stack, browser: Any) -> None:
    s = stack
    with httpx.Client(base_url=s.gateway, timeout=30) as http:
        for path in ("/v1/health", "/v1/reports/health", "/v1/ballot/health"):
            assert http.get(path).status_code == 200, path
        # ------------------------------------------------- assessment, through the gateway
        created = http.post(
            "/v1/units",
            json={"code": "SNV", "name": "Sở Nội vụ", "kind": "department"},
            headers=s.headers("snv.tonghop"),
        )
        if created.status_code == 409 and os.environ.get("CONGVU_STACK_REUSE") == "1":
            with s.pg("reporting") as conn:  # a second run against the same stack
                row = conn.execute("SELECT unit_id FROM rm_unit WHERE code = 'SNV'").fetchone()
            unit = {"id": row[0] if row else ""}
        else:
            assert created.status_code == 201, created.text
            unit = created.json()
        year = 2025 if os.environ.get("CONGVU_STACK_REUSE") != "1" else random.randint(2000, 2024)
        cycle = post(
            http,
            s,
            "snv.tonghop",
            "/v1/cycles",
            {"year": year, "plan_reference": f"KH {year}", "unit_ids": [unit["id"]]},
        )
        assess(http, s, cycle["id"], unit["id"], year)
        row = wait_for(
            "the board to show the recognition and publication",
            lambda: [
                r
                for r in board(http, s, cycle["id"])["items"]
                if r["recognised_level"] == "hoan_thanh_tot"
            ],
        )[0]
        assert row["unit_code"] == "SNV"
        refused = http.get(f"/v1/reports/cycles/{cycle['id']}/board")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
        first = wait_for("the read model to catch up", lambda: agree(s))

        # ------------------------------------------------------ a vote on the voter page
        trustees = [Trustee.generate(i) for i in (1, 2, 3)]
        who = {"ballot_organiser": "to-chuc-phieu", "credential_authority": "ci.ca"}
        turn = iter(range(10**6))

        def ballot_headers(role: str) -> dict[str, str]:
            if role == "trustee":  # the harness posts for each trustee in roster order
                return s.headers(f"ci.trustee{next(turn) % 3 + 1}")
            return s.headers(who[role])

        driver = ElectionDriver(http, ballot_headers, trustees)
        driver.setup_open(
            election_request(
                trustees,
                summoned=3,
                threshold=2,
                min_ballots=1,
                opens_at=datetime.now(UTC) - timedelta(minutes=1),
            ),
            voters=3,
        )
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{s.gateway}/bo-phieu/{driver.election_id}")
        page.wait_for_selector("html[data-crypto-ready='yes']", timeout=30_000)
        page.fill("#ma", driver.codes[0])
        page.locator("fieldset#q0").locator("label.muc").nth(0).click()
        page.click("#gui")  # encrypt: the browser shows the tracker, then cast (not audit) it
        try:  # the browser proves and signs; slow when the machine is loaded
            page.wait_for_selector("#xac-nhan:not([hidden])", timeout=120_000)
            page.click("#bo")
            page.wait_for_selector("#bien-nhan:not([hidden])", timeout=120_000)
        except Exception as exc:
            shot = REPO / "var" / "containers" / "voter-page-failure.png"
            page.screenshot(path=str(shot), full_page=True)
            texts = {
                sel: page.locator(sel).inner_text() for sel in ("#loi", "#ma-loi", "#trang-thai")
            }
            raise AssertionError(
                f"no receipt ({exc}); page says {texts}; {errors}; {shot}"
            ) from exc
        tracker = page.locator("#ma-theo-doi").get_attribute("data-tracker")
        context.close()
        assert tracker and len(tracker) == 64 and not errors, errors
        trackers = http.get(driver.url("/trackers/") + tracker)
        assert trackers.status_code == 200, trackers.text
        for code, choice in ((driver.codes[1], 0), (driver.codes[2], 1)):  # the other voters
            cast = driver.cast(driver.make_ballot(code, [choice]))
            assert cast.status_code in (200, 201), cast.text
        driver.organiser("close")  # early: every code has voted
        turn = iter(range(10**6))
        driver.decrypt([1, 2])
        result = http.get(driver.url("/result"))
        assert result.status_code == 200, result.text
        # the browser's vote and the first harness vote for level 0, the other for level 1
        assert result.json()["counts"] == [[2, 1, 0, 0]], result.json()

        # ------------------------------------------- kill containers, keep commanding
        units, tag = [], f"{random.randrange(16**4):04X}"
        for n, service in enumerate(
            ("assessment-relay", "reporting-consumer", "kafka", "assessment-api")
        ):
            before, restarts = state(service), restart_count(service)
            assert before["Running"], service
            subprocess.run(["kill", "-KILL", str(before["Pid"])], check=True)
            # (the restart policy acts within a second: no point waiting to see it down)
            if service != "assessment-api":
                # commands keep coming in while it is down (the API writes the store only)
                u = post(
                    http,
                    s,
                    "snv.tonghop",
                    "/v1/units",
                    {"code": f"SO{n}{tag}", "name": f"Sở thử {n}", "kind": "department"},
                )
                units.append(u["id"])
            wait_for(
                f"{service} to be restarted by its policy and healthy",
                lambda svc=service, pid=before["Pid"]: (
                    state(svc)["Pid"] not in (0, pid) and healthy(svc)
                ),
                timeout=300,
            )
            assert restart_count(service) == restarts + 1, service
        wait_for(
            "the gateway to reach the restarted API",
            lambda: http.get("/v1/health").status_code == 200,
            120,
        )
        cycle2 = post(
            http,
            s,
            "snv.tonghop",
            "/v1/cycles",
            {"year": 2026, "plan_reference": "KH 2026", "unit_ids": units},
        )
        for n, u in enumerate(units):
            post(
                http,
                s,
                "snv.tonghop",
                f"/v1/units/{u}/rename",
                {"name": f"Sở thử {n} (đổi tên)", "effective_date": "2026-07-01"},
            )
        last = wait_for(
            "store, Kafka and read model to agree after the kills", lambda: agree(s), timeout=300
        )
        assert last["events"] > first["events"]
        rows = wait_for(
            "the new board",
            lambda: (b := board(http, s, cycle2["id"]))["total"] == len(units) and b,
        )["items"]
        assert {r["unit_id"] for r in rows} == set(units)
        print(f"\nstack: {last['events']} events, {last['projected']} aggregates projected")


def test_services_connect_as_least_privilege_roles_and_history_is_append_only(
    stack: Stack,
) -> None:
    """Issue 15 in the compose topology: no service connects as the superuser; the assessment
    services' role can read and append events but not change or remove them; the owner is
    stopped by the triggers; an auditor outside the stack, given the tag key, passes the store
    and names a row inserted by SQL."""
    s, env = stack, stack.env
    with s.pg("postgres") as conn:
        rows = conn.execute(
            "SELECT a.usename, a.datname, r.rolsuper FROM pg_stat_activity a"
            " JOIN pg_roles r ON r.rolname = a.usename"
            " WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()"
            " AND a.datname IN ('assessment', 'reporting', 'ballot')"
        ).fetchall()
    seen = {(user, db) for user, db, _ in rows}
    assert not [r for r in rows if r[2]], f"a service connects as a superuser: {rows}"
    assert {("assessment_app", "assessment"), ("reporting_app", "reporting")} <= seen, seen
    assert ("ballot_app", "ballot") in seen, seen

    app = s.pg("assessment", "assessment_app", env["DB_ASSESSMENT_APP_PASSWORD"])
    with app:
        count = app.execute("SELECT count(*) FROM assessment_events").fetchone()
        assert count and count[0] > 0
        for statement in (
            "UPDATE assessment_events SET state = state",
            "DELETE FROM assessment_events",
            "TRUNCATE assessment_events",
            "DELETE FROM audit_chain",
            "CREATE TABLE sneaky (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
            app.rollback()
    owner = s.pg("assessment", "assessment_owner", env["DB_ASSESSMENT_OWNER_PASSWORD"])
    with owner:
        for statement in ("UPDATE assessment_events SET state = state", "DELETE FROM audit_chain"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                owner.execute(statement)
            owner.rollback()

    # the auditor's check from outside: the store, the signed checkpoints and every tag
    url = (
        f"postgresql://assessment_app:{env['DB_ASSESSMENT_APP_PASSWORD']}"
        f"@127.0.0.1:{env['HOST_POSTGRES_PORT']}/assessment"
    )
    audit = [
        str(REPO / ".venv" / "bin" / "audit"), "verify", "--store", "--database-url", url,
        "--public-key", env["AUDIT_PUBLIC_KEY_PATH"], "--tag-key-file", env["EVENT_TAG_KEY_PATH"],
        "--json",
    ]  # fmt: skip

    def verify() -> tuple[int, dict[str, Any]]:
        proc = subprocess.run(audit, capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        return proc.returncode, json.loads(proc.stdout)

    rc, report = verify()
    assert rc == 0 and report["ok"] and report["checkpoints_checked"] > 0, report
    with psycopg.connect(url) as conn:  # an operator's forged row, with INSERT granted
        topic, state = conn.execute(
            "SELECT topic, state FROM assessment_events ORDER BY notification_id LIMIT 1"
        ).fetchone() or ("", b"")
        forged = conn.execute(
            "INSERT INTO assessment_events (originator_id, originator_version, topic, state)"
            " VALUES (%s, 1, %s, %s) RETURNING notification_id",
            (uuid.uuid4(), topic, bytes(state).replace(b"SNV", b"XXX")),
        ).fetchone()
    assert forged is not None
    rc, report = verify()
    assert rc == 1 and report["findings"][0]["kind"] == "wrong_tag", report
    assert report["findings"][0]["position"] == forged[0], report
