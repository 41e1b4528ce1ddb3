"""The Camelot wheel: codes read loosely, and the keys a track mixes into harmonically."""

import pytest

from music import camelot


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("8A", ["8A", "7A", "9A", "8B"]),
        ("8b", ["8B", "7B", "9B", "8A"]),
        ("1A", ["1A", "12A", "2A", "1B"]),  # round the wheel: 12 and 1 are neighbours
        ("12B", ["12B", "11B", "1B", "12A"]),
        (" 05a ", ["5A", "4A", "6A", "5B"]),
    ],
)
def test_compatible_keys_are_itself_its_neighbours_and_its_relative(code, expected):
    assert camelot.compatible(code) == expected


@pytest.mark.parametrize("code", ["", "13A", "0B", "8C", "A minor", "8", None])
def test_anything_else_is_not_a_camelot_code(code):
    assert camelot.normalize(code) is None
    assert camelot.compatible(code) == []


def test_the_wheel_has_24_codes_each_with_four_compatible_keys():
    assert len(set(camelot.CODES)) == 24
    for code in camelot.CODES:
        assert len(set(camelot.compatible(code))) == 4
        for other in camelot.compatible(code):  # compatibility is symmetric
            assert code in camelot.compatible(other)


def test_each_code_names_its_key():
    assert (camelot.KEYS["8A"], camelot.KEYS["8B"], camelot.KEYS["1A"], camelot.KEYS["12B"]) == (
        "A minor",
        "C major",
        "Ab minor",
        "E major",
    )
    assert set(camelot.KEYS) == set(camelot.CODES)
