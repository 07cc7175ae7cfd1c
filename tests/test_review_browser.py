"""Review by claim in a real headless Chromium (issue 28 item 6): `newsalign serve --review` in
a subprocess and Debian's chromium driven by selenium through Debian's chromedriver (paths
given, nothing downloaded). A member unticked and a candidate ticked are, after Submit, the
claim's members in the database and on the page; Undo gives the claim its members back. The
fixture stops the server and the browser, children included, whatever happens, and checks
that no chromium or chromedriver process of it survives."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from newsalign.corpus import store
from newsalign.corpus.review import claims as reviewer
from tests.helpers import QUIET_CHROMIUM, SEEDS, Served, copy_db, fetch

pytestmark = pytest.mark.slow

pytest.importorskip("datasette")
pytest.importorskip("selenium")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (make system-packages)",
        allow_module_level=True,
    )


def _processes_with(marker: str) -> list[int]:
    """Processes whose command line names `marker` (this run's own profile folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
    return found


@contextlib.contextmanager
def _chromium(profile: Path):
    """A headless Chromium under selenium; the driver and every browser process in its own
    process group, killed on the way out."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        *QUIET_CHROMIUM,
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=str(CHROMEDRIVER), popen_kw={"start_new_session": True})
    driver = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(120)
        yield driver
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.quit()
        process = getattr(service, "process", None)
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for pid in _processes_with(str(profile)):  # a browser process that left the group
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _processes_with(str(profile)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _processes_with(str(profile)), "a chromium process survived"


@pytest.fixture(scope="session")
def review_site(built, tmp_path_factory):
    """(server, browser, database): `serve --review` on a copy of the aligned seeds, and a
    headless Chromium; both stopped, children included, at the end of the session."""
    folder = tmp_path_factory.mktemp("review-site")
    db = copy_db(
        built("seeds-aligned", lambda _: [["ingest", str(SEEDS)], ["align"]]), folder / "corpus.db"
    )
    server = Served(db, "--review")
    try:
        server.wait_ready(timeout=60)
        with _chromium(folder / "chromium-profile") as browser:
            yield server, browser, db
    finally:
        server.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, 0)
            pytest.fail("a process of serve survived")


def _press(browser, button: str) -> str:
    """Click a form's button and wait for the next page (the POST answers with a redirect that
    can take seconds under load); the page's message."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, button).click()
    wait = WebDriverWait(browser, 120)
    wait.until(ec.staleness_of(page))
    return wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".message-info"))).text


def _members_on_page(browser) -> set[int]:
    from selenium.webdriver.common.by import By

    rows = browser.find_elements(By.CSS_SELECTOR, "#members tr[data-sentence]")
    return {int(r.get_attribute("data-sentence")) for r in rows}


def _members_in_db(db: Path, claim: int) -> set[int]:
    return {
        r[0]
        for r in fetch(db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ?", [claim])
    }


def _screen(db: Path):
    opened = store.open_readonly(db)
    try:
        return reviewer.screens(opened, limit=1)[0]
    finally:
        opened.close()


def _claim_of_label(db: Path, label: int) -> int:
    return fetch(db, "SELECT id FROM clusters WHERE label_segment_id = ? ORDER BY id", [label])[0][
        0
    ]


def test_a_screen_ticked_in_the_browser_changes_the_claim_and_undo_restores_it(
    review_site,
) -> None:
    from selenium.webdriver.common.by import By

    server, browser, db = review_site
    screen = _screen(db)
    outlet = {s.id: s.outlet for s in screen.sentences}
    assert len(screen.members) >= 1 and screen.candidates
    dropped = screen.members[0]
    added = next(c for c in screen.candidates if outlet[c] != outlet[screen.label])
    before = _members_in_db(db, screen.claim)
    assert dropped in before and added not in before

    browser.get(f"{server.base}/-/review/claim/{screen.claim}")
    assert _members_on_page(browser) == before
    browser.find_element(By.ID, f"yes-{dropped}").click()  # untick a member
    browser.find_element(By.ID, f"yes-{added}").click()  # tick a candidate
    assert "answered" in _press(browser, "submit")
    claim = _claim_of_label(db, screen.label)
    after = _members_in_db(db, claim)
    assert added in after and dropped not in after
    assert _members_on_page(browser) == after
    judged = [a for (a,) in fetch(db, "SELECT asserts FROM review_answers")]
    assert len(judged) == len(screen.members) + len(screen.candidates)  # one per sentence shown
    assert judged.count(1) == len(screen.members)  # the members kept and the one added

    assert "undone" in _press(browser, "undo-button")
    restored = _members_in_db(db, _claim_of_label(db, screen.label))
    assert restored == before and _members_on_page(browser) == before
    assert fetch(db, "SELECT count(*) FROM review_screens WHERE undone_at IS NULL") == [(0,)]
