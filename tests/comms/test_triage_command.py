"""`manage.py triage_messages --json FILE`: the output contract, bad input, and no database.

None of these tests has the django_db mark, so pytest-django refuses any database query they make: the
command passing here is the proof that the pipeline runs without the database."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comms.triage.pipeline import CONTRACT_KEYS

ROOT = Path(__file__).resolve().parents[2]
INTENTS = {"inquiry", "availability", "pricing", "change_request", "complaint", "thanks", "other"}
EVENT_TYPES = {"wedding", "corporate", "birthday", "school", "club", "private_party", "other", None}

MESSAGES = [
    {
        "from": "Jane Doe <jane@example.com>",
        "subject": "Wedding 6/14?",
        "body": "Hi! We're getting married Saturday June 14th at Rosewood Manor, about 150 guests. "
        "Are you available, and what would it cost?\n\nBest,\nJane\n(555) 123-4567",
        "received_at": "2026-12-04T10:00:00-05:00",
    },
    {
        "from": "+15551234567",
        "subject": "",
        "body": "hi r u free 6/14 for a bday? ~40 ppl",
        "received_at": "2026-12-04",
    },
    {
        "from": "Sam <sam@example.com>",
        "subject": "Re: our party",
        "body": "The DJ showed up an hour late and was rude to my mother. Really disappointed.\n\n"
        "On Sat, Nov 28, 2026 at 9:00 AM DJ Dana <dana@example.com> wrote:\n> See you on the 28th!",
        "received_at": "2026-12-04T10:00:00Z",
    },
]


def write(tmp_path, data) -> str:
    path = tmp_path / "messages.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(tmp_path, data, *options) -> list[dict]:
    path = write(tmp_path, data)
    from io import StringIO

    out = StringIO()
    call_command("triage_messages", "--json", path, *options, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_json_object_per_message_with_exactly_the_contract_keys(tmp_path):
    results = run(tmp_path, MESSAGES)

    assert len(results) == len(MESSAGES)
    for result in results:
        assert tuple(result) == CONTRACT_KEYS
        assert result["intent"] in INTENTS
        assert result["sentiment"] in {"positive", "neutral", "negative"}
        assert result["urgency"] in {"high", "normal", "low"}
        assert result["event_type"] in EVENT_TYPES
        assert result["event_date"] is None or len(result["event_date"]) == 10
        assert result["guest_count"] is None or isinstance(result["guest_count"], int)
        assert result["venue"] is None or isinstance(result["venue"], str)
        assert isinstance(result["draft"], str) and result["draft"]


def test_the_facts_of_each_message_come_out(tmp_path):
    wedding, sms, complaint = run(tmp_path, MESSAGES)

    assert wedding | {"draft": ""} == {
        "intent": "inquiry",
        "sentiment": "neutral",
        "urgency": "normal",
        "event_date": "2027-06-14",
        "event_type": "wedding",
        "guest_count": 150,
        "venue": "Rosewood Manor",
        "draft": "",
    }
    assert wedding["draft"].startswith("Hi Jane,")
    assert "Monday, June 14, 2027" in wedding["draft"]
    assert sms | {"draft": ""} == {
        "intent": "availability",
        "sentiment": "positive",
        "urgency": "normal",
        "event_date": "2027-06-14",
        "event_type": "birthday",
        "guest_count": 40,
        "venue": None,
        "draft": "",
    }
    assert "Could you tell me the venue?" in sms["draft"]
    assert (complaint["intent"], complaint["sentiment"], complaint["urgency"]) == ("complaint", "negative", "high")
    assert complaint["event_date"] is None  # the date is in the quoted reply only


def test_drafts_are_signed_with_the_business_name_when_given(tmp_path):
    [result] = run(tmp_path, MESSAGES[:1], "--business-name", "Dana Beats")

    assert result["draft"].endswith("Best wishes,\nDana Beats")
    assert run(tmp_path, MESSAGES[:1])[0]["draft"].endswith("\n\nBest wishes")


def test_day_first_reads_ambiguous_numeric_dates_as_day_month(tmp_path):
    message = MESSAGES[1] | {"body": "are you free 6/7 for a birthday?"}

    assert run(tmp_path, [message])[0]["event_date"] == "2027-06-07"
    assert run(tmp_path, [message], "--day-first")[0]["event_date"] == "2027-07-06"


def test_an_empty_list_prints_nothing(tmp_path):
    assert run(tmp_path, []) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"from": "a"}, "expected a JSON list of messages, got dict"),
        ([MESSAGES[0], "hello"], "item 2: expected an object"),
        ([MESSAGES[0], {"from": "a", "subject": "b", "body": "c"}], "item 2: missing 'received_at'"),
        ([{"from": "a", "body": "c", "received_at": "2026-12-04"}], "item 1: missing 'subject'"),
        ([MESSAGES[0] | {"received_at": "next tuesday"}], "item 1: 'received_at' 'next tuesday' is not an ISO 8601"),
        ([MESSAGES[0] | {"received_at": 1733300000}], "item 1: 'received_at' must be an ISO 8601 date-time string"),
        ([MESSAGES[0], MESSAGES[1] | {"body": None}], "item 2: 'body' must be a string"),
    ],
)
def test_bad_input_is_one_readable_line_naming_the_item(tmp_path, data, message):
    with pytest.raises(CommandError, match="^" + str(tmp_path).replace("\\", "\\\\") + ".*") as raised:
        run(tmp_path, data)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nothing\.json: No such file or directory"):
        call_command("triage_messages", "--json", str(tmp_path / "nothing.json"))


def test_from_the_shell_bad_input_exits_non_zero_with_one_line_and_no_traceback(tmp_path):
    path = write(tmp_path, [MESSAGES[0], {"from": "a"}])
    env = {**os.environ, "DJANGO_ENV": "test"}

    bad = subprocess.run(
        [sys.executable, "manage.py", "triage_messages", "--json", path],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert bad.returncode != 0
    assert bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        f"CommandError: {path}: item 2: missing 'subject', 'body', 'received_at'"
    ]


def test_nothing_touches_the_network(tmp_path, monkeypatch):
    """VADER's package carries its lexicons; a remote one would need a socket."""

    def no_network(*args, **kwargs):
        raise AssertionError("the triage pipeline opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    assert [result["intent"] for result in run(tmp_path, MESSAGES)] == ["inquiry", "availability", "complaint"]
