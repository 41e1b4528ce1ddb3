"""Use cases of wanted lists: a Spotify playlist read into rows the DJ works through, each matched to the library
track that is it, or given a link to download it from (music.downloads.wanted_track_source)."""

import re

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from djbiz.text import fold_song_text
from music import spotify
from music.errors import MusicError
from music.models import Track, WantedList, WantedTrack
from music.selectors import tracks_matching

DURATION_TOLERANCE_MS = 4000
# "Song - Remastered 2011", "Song - Radio Edit": Spotify's suffixes that a file's title tag often lacks.
_SUFFIX = re.compile(r"\s+-\s+[^-]*$")


def wanted_list_import(*, url: str, user: User | None) -> WantedList:
    """Read a Spotify playlist into a new wanted list, each track matched against the library."""
    spotify_id = spotify.playlist_id(url)
    if spotify_id is None:
        raise MusicError("That is not a Spotify playlist link (open.spotify.com/playlist/…).", code="invalid")
    playlist = spotify.playlist_read(spotify_id)
    with transaction.atomic():
        wanted_list = WantedList.objects.create(
            url=url.strip(), spotify_id=spotify_id, name=playlist.name, requested_by=user
        )
        WantedTrack.objects.bulk_create(
            WantedTrack(
                wanted_list=wanted_list,
                position=position,
                title=track.title,
                artist=", ".join(track.artists)[:200],
                album=track.album,
                duration_ms=track.duration_ms,
                spotify_id=track.spotify_id,
                track=library_match(title=track.title, artists=track.artists, duration_ms=track.duration_ms),
            )
            for position, track in enumerate(playlist.tracks)
        )
    return wanted_list


def wanted_list_recheck(wanted_list: WantedList) -> int:
    """Match the rows the library did not have against it again (tracks added since); how many were found."""
    found = 0
    for row in wanted_list.tracks.filter(track=None):
        track = library_match(title=row.title, artists=row.artist.split(", "), duration_ms=row.duration_ms)
        if track is not None:
            found += WantedTrack.objects.filter(pk=row.pk, track=None).update(track=track, updated_at=timezone.now())
    return found


def library_match(*, title: str, artists: list[str], duration_ms: int | None) -> Track | None:
    """The library track that is this song: the same folded title (Spotify's " - Remastered" suffixes aside), one
    of the artists in its artist, and a duration within a few seconds when both are known."""
    titles = {fold_song_text(title), fold_song_text(_SUFFIX.sub("", title))} - {""}
    folded_artists = [fold_song_text(artist) for artist in artists if fold_song_text(artist)]
    for wanted_title in titles:
        for track in tracks_matching(Track.objects.all(), wanted_title):
            if fold_song_text(track.title) not in titles:
                continue
            track_artist = fold_song_text(track.artist)
            if folded_artists and not any(artist in track_artist for artist in folded_artists if track_artist):
                continue
            if duration_ms and track.duration_ms and abs(duration_ms - track.duration_ms) > DURATION_TOLERANCE_MS:
                continue
            return track
    return None
