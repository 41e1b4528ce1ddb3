"""Crossfade previews: the end of one track (or from its mix-out point) fading into the start of the next (or
from its mix-in point), at most 40 s, made once per pair and settings."""

import os
import time
from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage

from djbiz.schedules import declared_schedules
from music.errors import MusicError
from music.processing_services import SegmentSource, crossfade_plan, crossfade_preview
from music.services import track_import_file
from music.tasks import expire_crossfade_previews, make_crossfade_preview
from tests.music.audio import RATE, write_wav
from tests.music.sound import decode, dominant_hz

pytestmark = pytest.mark.django_db


def tone(hz: float, seconds: float) -> np.ndarray:
    return 0.3 * np.sin(2 * np.pi * hz * np.arange(int(seconds * RATE)) / RATE)


def track_of(path: Path, *parts: np.ndarray, **fields):
    track, _ = track_import_file(write_wav(path, np.concatenate(parts)))
    for name, value in fields.items():
        setattr(track, name, value)
    track.save()
    return track


def source(duration, mix_in=None, mix_out=None):
    return SegmentSource(Path("song.wav"), duration, mix_in, mix_out, 0.0)


def test_without_mix_points_the_end_of_one_fades_into_the_start_of_the_other():
    lead, tail = crossfade_plan(first=source(200), second=source(180), seconds=8)
    assert (lead.start, lead.length) == (180, 20)  # 12 s before the overlap, then the last 8 s
    assert (tail.start, tail.length) == (0, 20)  # the first 8 s overlap, then 12 s more
    assert lead.length + tail.length - 8 <= 40


def test_mix_points_choose_where_the_overlap_is():
    lead, tail = crossfade_plan(first=source(200, mix_out=150), second=source(180, mix_in=30), seconds=16)
    assert (lead.start, lead.length) == (138, 28)
    assert (tail.start, tail.length) == (30, 28)
    assert lead.length + tail.length - 16 == 40


def test_mix_points_without_room_for_the_overlap_are_ignored_and_short_tracks_refused():
    lead, tail = crossfade_plan(first=source(60, mix_out=58), second=source(30, mix_in=25), seconds=8)
    assert (lead.start, tail.start) == (40, 0)
    assert crossfade_plan(first=source(5), second=source(30), seconds=4)[0].start == 0
    with pytest.raises(MusicError, match="shorter than the 8 s crossfade"):
        crossfade_plan(first=source(6), second=source(30), seconds=8)


def test_the_preview_plays_the_first_track_into_the_second(tmp_path):
    first = track_of(tmp_path / "a.wav", tone(440, 30))
    second = track_of(tmp_path / "b.wav", tone(880, 30))
    name = crossfade_preview(first=first, second=second, seconds=4)
    assert name.startswith("previews/crossfade/") and name.endswith(".mp3")
    with default_storage.open(name) as preview:
        (tmp_path / "preview.mp3").write_bytes(preview.read())
    heard = decode(tmp_path / "preview.mp3")
    assert abs(heard.size / RATE - 28) < 0.2  # 12 s + 4 s overlap + 12 s
    assert dominant_hz(heard, 0.5, 10) == pytest.approx(440, abs=3)
    assert dominant_hz(heard, 18, 27) == pytest.approx(880, abs=3)
    middle = np.abs(np.fft.rfft(heard[int(13.5 * RATE) : int(14.5 * RATE)]))
    freqs = np.fft.rfftfreq(RATE, 1 / RATE)
    both = [middle[np.abs(freqs - hz) < 5].max() for hz in (440, 880)]
    assert min(both) > 0.3 * max(both)  # in the overlap both are heard


def test_the_mix_points_are_heard(tmp_path):
    # The first track changes from 330 to 550 Hz at 20 s; its mix-out point is at 15 s. The second is silent
    # for 10 s and comes in at its mix-in point, 10 s.
    first = track_of(tmp_path / "a.wav", tone(330, 20), tone(550, 20), mix_out_ms=15_000)
    second = track_of(tmp_path / "b.wav", np.zeros(10 * RATE), tone(660, 30), mix_in_ms=10_000)
    name = crossfade_preview(first=first, second=second, seconds=4)
    with default_storage.open(name) as preview:
        (tmp_path / "preview.mp3").write_bytes(preview.read())
    heard = decode(tmp_path / "preview.mp3")
    assert dominant_hz(heard, 0.5, 11.5) == pytest.approx(330, abs=3)  # 3-15 s of the first: before its change
    assert dominant_hz(heard, 17, 27) == pytest.approx(660, abs=3)  # the second from its mix-in point: no silence


def test_a_preview_is_made_once_per_pair_and_settings(tmp_path, media_root):
    first = track_of(tmp_path / "a.wav", tone(440, 20))
    second = track_of(tmp_path / "b.wav", tone(880, 20))
    name = crossfade_preview(first=first, second=second, seconds=4)
    made = (media_root / name).stat().st_mtime_ns
    assert make_crossfade_preview(str(first.pk), str(second.pk), 4) == name
    assert (media_root / name).stat().st_mtime_ns == made
    longer = crossfade_preview(first=first, second=second, seconds=6)
    reverse = crossfade_preview(first=second, second=first, seconds=4)
    first.mix_out_ms = 10_000
    first.save()
    moved = crossfade_preview(first=first, second=second, seconds=4)
    assert len({name, longer, reverse, moved}) == 4


def test_bad_requests_are_refused_and_leave_nothing(tmp_path, media_root):
    first = track_of(tmp_path / "a.wav", tone(440, 20))
    short = track_of(tmp_path / "b.wav", tone(880, 3))
    with pytest.raises(MusicError, match="shorter than the 4 s crossfade"):
        crossfade_preview(first=first, second=short, seconds=4)
    with pytest.raises(MusicError, match="two different tracks"):
        crossfade_preview(first=first, second=first, seconds=4)
    with pytest.raises(MusicError, match="1 to 16 seconds"):
        crossfade_preview(first=first, second=short, seconds=30)
    assert not (media_root / "previews").exists()
    assert make_crossfade_preview(str(first.pk), str(short.pk), 4).startswith("failed: ")


def test_previews_older_than_the_setting_are_deleted_daily(tmp_path, media_root, settings):
    assert expire_crossfade_previews() == 0  # none made yet
    first = track_of(tmp_path / "a.wav", tone(440, 20))
    second = track_of(tmp_path / "b.wav", tone(880, 20))
    old = crossfade_preview(first=first, second=second, seconds=4)
    new = crossfade_preview(first=second, second=first, seconds=4)
    ten_days_ago = time.time() - 10 * 24 * 3600
    os.utime(media_root / old, (ten_days_ago, ten_days_ago))
    settings.MUSIC_PREVIEW_DAYS = 7
    assert expire_crossfade_previews() == 1
    assert not default_storage.exists(old) and default_storage.exists(new)
    assert expire_crossfade_previews() == 0
    assert "djbiz:music.expire_previews" in {spec.name for spec in declared_schedules()}
