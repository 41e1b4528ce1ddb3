"""The event date resolved against the day a message was received (comms.triage.extract_dates)."""

import datetime as dt

import pytest

from comms.triage.extract_dates import event_date
from comms.triage.inputs import messages_from_json
from comms.triage.pipeline import triage

FRIDAY = dt.date(2026, 12, 4)
SATURDAY = dt.date(2026, 12, 5)


def on(text: str, received: dt.date = FRIDAY, **options) -> str | None:
    found = event_date(text, received=received, **options)
    return found.isoformat() if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Saturday", "2026-12-05"),  # the coming one, not the one after
        ("Saturday night", "2026-12-05"),
        ("this coming Friday", "2026-12-11"),  # never the day received
        ("the 14th", "2026-12-14"),
        ("the 3rd", "2027-01-03"),  # past this month's 3rd: next month's
        ("June 14", "2027-06-14"),
        ("June 14th, 2027", "2027-06-14"),
        ("14 June", "2027-06-14"),
        ("the 14th of June", "2027-06-14"),
        ("June the 14th", "2027-06-14"),
        ("June fourteenth", "2027-06-14"),
        ("the twenty-first of June", "2027-06-21"),
        ("Sat 6th June", "2027-06-06"),
        ("Saturday, June 13", "2027-06-13"),
        ("Jun. 13th", "2027-06-13"),
        ("14/06", "2027-06-14"),  # 14 cannot be a month
        ("6/14", "2027-06-14"),
        ("6/14/27", "2027-06-14"),
        ("14.06.2027", "2027-06-14"),
        ("6-14-2027", "2027-06-14"),
        ("2027-06-14", "2027-06-14"),
        ("June 14, 2025", "2025-06-14"),  # a year written is a year meant
        ("Saterday Febuary 13", "2027-02-13"),  # typos are repaired first (by the pipeline; see below)
        ("tomorrow", "2026-12-05"),
        ("tonight", "2026-12-04"),
        ("this weekend", "2026-12-05"),
        ("next weekend", "2026-12-12"),
        ("Saturday the 14th", "2027-08-14"),  # the next 14th that is a Saturday
    ],
)
def test_dates_resolve_against_the_day_received(text, expected):
    from comms.triage.spelling import fix_spelling

    assert on(fix_spelling(text)) == expected


def test_next_saturday_written_on_a_saturday_is_a_week_later_and_this_saturday_is_that_day():
    assert on("next Saturday", SATURDAY) == "2026-12-12"
    assert on("Saturday", SATURDAY) == "2026-12-12"
    assert on("this Saturday", SATURDAY) == "2026-12-05"


def test_the_year_rolls_over():
    received = dt.date(2026, 12, 20)

    assert on("January 10", received) == "2027-01-10"
    assert on("the 5th", received) == "2027-01-05"
    assert on("1/2", received) == "2027-01-02"
    assert on("Dec 31", received) == "2026-12-31"
    assert on("Dec 19", received) == "2027-12-19"


def test_a_month_and_day_may_be_the_day_received_but_a_day_alone_is_the_next_one():
    assert on("December 4", FRIDAY) == "2026-12-04"
    assert on("the 4th", FRIDAY) == "2027-01-04"


def test_29_february_waits_for_a_leap_year_and_does_not_exist_in_2027():
    assert on("Feb 29", dt.date(2027, 3, 1)) == "2028-02-29"
    assert on("2/29", dt.date(2026, 1, 10)) == "2028-02-29"
    assert on("29 February 2027") is None
    assert on("2/29/2028") == "2028-02-29"
    assert on("the 29th", dt.date(2027, 1, 30)) == "2027-03-29"  # February 2027 has no 29th
    assert on("the 31st", dt.date(2026, 4, 5)) == "2026-05-31"


def test_numeric_dates_are_month_first_unless_day_first_and_unambiguous_either_way():
    assert on("6/7") == "2027-06-07"
    assert on("6/7", day_first=True) == "2027-07-06"
    assert on("13/6") == "2027-06-13"
    assert on("6/13", day_first=True) == "2027-06-13"
    assert on("07.06.2027", day_first=True) == "2027-06-07"


@pytest.mark.parametrize(
    "text",
    ["7-11pm", "120-150 people", "3/4 of the guests", "open 24/7", "the 25th anniversary", "June 2027", "$14.06"],
)
def test_times_ranges_fractions_and_money_are_not_dates(text):
    assert on(text) is None


def test_of_several_dates_the_one_that_is_not_a_deadline_or_an_absence_wins():
    assert on("We're away until the 3rd, the wedding is on the 14th of June") == "2027-06-14"
    assert on("Please reply by Friday. Our party is on Jan 9") == "2027-01-09"
    assert on("I'm out of office till the 10th of December. Wedding: 5/22/2027") == "2027-05-22"
    assert on("Please reply by Friday") is None
    assert on("Can we move it from June 14 to June 21?") == "2027-06-21"
    assert on("We're booked for June 14th and want an extra hour") == "2027-06-14"


def test_a_thanks_or_complaint_looks_back():
    assert on("You killed it on Saturday!", FRIDAY, past=True) == "2026-11-28"
    assert on("our wedding on November 21 was a disaster", FRIDAY, past=True) == "2026-11-21"
    assert on("last Saturday", FRIDAY) == "2026-11-28"
    assert on("last night", FRIDAY) == "2026-12-03"


def test_the_day_received_is_the_senders_own_calendar_day():
    """23:30 in New York is already tomorrow in UTC; "tomorrow" is New York's tomorrow."""
    [late] = messages_from_json(
        '[{"from": "a", "subject": "", "body": "are you free tomorrow for a birthday?", '
        '"received_at": "2026-12-04T23:30:00-05:00"}]'
    )

    assert triage(late).event_date == dt.date(2026, 12, 5)
