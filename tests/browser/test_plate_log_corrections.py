"""In the browser, as a user: a misread corrected, the reads as CSV, a part of a plate searched."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from custom_components.lpr_camera.lpr.matching import normalise
from simulator.harness import Browser

PANEL = "/lpr-plates"
READ_ROW = "[data-testid=read-row]"
# The demo's camera reads one of its six plates (simulator/reads.py) every 2 s: each in a minute.
READ_TIMEOUT = 60
MISREAD = "WOB ZK 512"
RIGHT = "WOB ZK 612"
# The demo's plates with 1234 in them, and those with AB.
WITH_1234 = {"AB1234", "MS12345", "부산 02가 1234", "KA 01 AB 1234"}
WITH_AB = {"AB1234", "KA 01 AB 1234"}


def shown_plates(browser: Browser) -> list[str]:
    """The plates the Reads view lists, top first: each read's corrected plate, else as read."""
    return browser.attributes(READ_ROW, "data-plate")


def row_plates(browser: Browser, read_id: str) -> list[str]:
    """The plates the list shows for one read: the one it goes by, and what the camera read."""
    plates: list[str] = browser.run(
        "const row = matching(`[data-testid=read-row][data-read-id='${arguments[0]}']`)[0];"
        "return row ? [...row.querySelectorAll('.plate-text, .read-as')]"
        "  .map((e) => e.textContent) : [];",
        read_id,
    )
    return plates


def search(browser: Browser, text: str) -> None:
    browser.type("[data-testid=reads-search]", text)


def wait_for_plates(browser: Browser, plates: set[str], what: str) -> None:
    """Until the Reads view lists the reads of these plates, and of no other."""
    browser.wait_until(
        lambda: set(shown_plates(browser)) == plates,
        f"the reads of {sorted(plates)} (and only those) for {what}",
        timeout=READ_TIMEOUT,
    )


def test_a_misread_is_corrected_and_its_rule_removed(browser: Browser) -> None:
    """The admin corrects a read; both plates show; its rule corrects the next read, then goes."""
    browser.open(PANEL)
    search(browser, "WOB")
    browser.wait_until(
        lambda: MISREAD in shown_plates(browser), f"a read of {MISREAD}", timeout=READ_TIMEOUT
    )
    read_id, camera = browser.run(
        "const row = matching(`[data-testid=read-row][data-plate='${arguments[0]}']`)[0];"
        "return [row.dataset.readId, row.querySelector('.camera').textContent];",
        MISREAD,
    )
    browser.click(f"{READ_ROW}[data-read-id='{read_id}']")
    browser.click("[data-testid=correct-plate]")
    browser.type("[data-testid=correction-plate]", RIGHT)
    browser.click("[data-testid=correction-remember]")
    browser.click("[data-testid=correction-save]")

    browser.wait_for_text(
        f"Corrected to {RIGHT}. {camera}'s later reads of {MISREAD} are corrected too."
    )
    heading = browser.find("#read-dialog-title").text
    assert heading.split("\n") == [RIGHT, f"read as {MISREAD}"]
    assert browser.find("[data-field=corrected_plate]").text == RIGHT
    browser.click("[data-testid=dialog-close]")

    # The list shows both: the plate the site goes by, and what the camera read.
    assert row_plates(browser, read_id) == [RIGHT, f"read as {MISREAD}"]
    # The camera's next read of the misread plate is corrected as it comes.
    browser.wait_until(
        lambda: any(
            int(later) > int(read_id)
            and row_plates(browser, later) == [RIGHT, f"read as {MISREAD}"]
            for later in browser.attributes(f"{READ_ROW}.live", "data-read-id")
        ),
        f"a new read of {MISREAD} shown as {RIGHT}",
        timeout=READ_TIMEOUT,
    )

    browser.click("[data-testid=reads-rules]")
    rule = browser.find("[data-testid=rule-row]", normalise(MISREAD))
    assert rule.text.split("\n")[:3] == [camera, normalise(MISREAD), RIGHT]
    browser.click("[data-testid=rule-remove]")
    browser.wait_until(
        lambda: not browser.find_all("[data-testid=rule-row]", normalise(MISREAD)),
        "the rule gone from the list",
    )
    browser.find("[data-testid=rules-status]", "No correction rules yet")
    browser.click("[data-testid=rules-close]")
    rules = browser.call_ws({"type": "lpr_camera/rules/list"})["rules"]
    assert not [rule for rule in rules if rule["read_plate"] == normalise(MISREAD)]


def test_the_reads_the_filters_show_download_as_csv(browser: Browser) -> None:
    """Download CSV saves the filtered reads: those the list shows, in its order."""
    browser.open(PANEL)
    browser.find(READ_ROW, timeout=30)
    search(browser, "AB")
    browser.wait_until(lambda: shown_plates(browser), "a read of a plate with AB", READ_TIMEOUT)
    # A period that has ended (the last ten minutes until now): the list and the file hold the same.
    browser.run(
        "const local = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000)"
        "  .toISOString().slice(0, 19);"
        "const now = Date.now();"
        "const period = matching('[data-testid=reads-period]')[0];"
        "period.value = 'custom'; period.dispatchEvent(new Event('change'));"
        "setValue(matching('[data-testid=reads-period-start]')[0], local(now - 600000));"
        "setValue(matching('[data-testid=reads-period-end]')[0], local(now));"
    )
    browser.wait_until(
        lambda: (
            browser.find("[data-testid=reads-status]").text.startswith("Reads shown")
            and not browser.find_all("[data-testid=load-more]")
        ),
        "every read of the period listed",
        timeout=30,
    )
    listed = shown_plates(browser)
    assert listed
    assert set(listed) <= WITH_AB

    browser.click("[data-testid=reads-download]")
    rows = downloaded_csv(browser.downloads)
    assert [row["corrected_plate"] or row["plate"] for row in rows] == listed
    assert all(row["time"][-6] in "+-" for row in rows)  # ISO 8601 with the zone


def downloaded_csv(folder: Path, timeout: float = 30) -> list[dict[str, str]]:
    """The rows of the one CSV file the browser saved in folder, once it is complete."""
    deadline = time.monotonic() + timeout
    while True:
        files = list(folder.glob("*.csv")) if folder.is_dir() else []
        partial = list(folder.glob("*.crdownload")) if folder.is_dir() else []
        if files and not partial:
            break
        assert time.monotonic() < deadline, f"no CSV file downloaded into {folder}"
        time.sleep(0.2)
    [file] = files
    assert file.name.startswith("lpr_camera_reads_")
    with file.open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def test_a_part_of_a_plate_finds_every_plate_containing_it(browser: Browser) -> None:
    """4711, 1234, AB: the plates with it; a whole plate with a slip: its plate, marked similar."""
    browser.open(PANEL)
    browser.find(READ_ROW, timeout=30)
    for part, plates in (("4711", {"B-XY 4711"}), ("1234", WITH_1234), ("ab", WITH_AB)):
        search(browser, part)

        # Only plates with it (another test's camera reads one too), and more than one where
        # several have it. Not every one of them: the first page (50 reads) may lack one.
        def only_plates_with_it(part: str = part, plates: set[str] = plates) -> bool:
            shown = set(shown_plates(browser))
            with_it = all(normalise(part) in normalise(plate) for plate in shown)
            return with_it and len(shown) >= min(2, len(plates))

        browser.wait_until(
            only_plates_with_it,
            f"reads of {sorted(plates)} alone, of two at least, for the search {part!r}",
            timeout=READ_TIMEOUT,
        )
    # Searched on the server as reads come: the new reads at the top are of those plates alone.
    newest = max(int(read_id) for read_id in browser.attributes(READ_ROW, "data-read-id"))
    browser.wait_until(
        lambda: any(
            int(read_id) > newest
            for read_id in browser.attributes(f"{READ_ROW}.live", "data-read-id")
        ),
        "a new read of a plate with AB",
        timeout=READ_TIMEOUT,
    )
    assert set(shown_plates(browser)) <= WITH_AB
    assert not browser.find_all("[data-testid=found-similar]")

    search(browser, "AB 1284")  # 8 for 3: no plate contains it, AB1234 is within the tolerance
    wait_for_plates(browser, {"AB1234"}, "the search for a similar plate")
    rows = browser.find_all(READ_ROW)
    assert len(browser.find_all(f"{READ_ROW} [data-testid=found-similar]")) == len(rows)
    browser.find(f"{READ_ROW} [data-testid=found-similar]", "Similar")
