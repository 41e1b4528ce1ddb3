"""AcoustID: an audio file's Chromaprint fingerprint, made by `fpcalc` (Debian's libchromaprint-tools), and the
MusicBrainz recordings that fingerprint belongs to (pyacoustid's lookup). The API key comes from the
environment (ACOUSTID_API_KEY); the base URL is a setting (tests point it at a fake server)."""

import json
import subprocess
from pathlib import Path

import acoustid
from django.conf import settings

from music.errors import EnrichmentError, MusicError

FPCALC = "fpcalc"  # Debian's libchromaprint-tools
FINGERPRINT_SECONDS = 120  # what AcoustID fingerprints cover
FPCALC_TIMEOUT = 120
MIN_SCORE = 0.8  # AcoustID's match score (0–1) below which a recording is not proposed


def fingerprint(path: Path) -> tuple[float, str]:
    """(duration in seconds, compressed fingerprint) of the first two minutes of an audio file, from `fpcalc`.

    fpcalc is run here rather than through pyacoustid's fingerprint_file(), which cannot pass -ignore-errors: with
    Debian's FFmpeg, fpcalc exits 3 on many MP3 files ("Error decoding audio frame (End of file)") after printing a
    good fingerprint."""
    command = [FPCALC, "-json", "-ignore-errors", "-length", str(FINGERPRINT_SECONDS), str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=FPCALC_TIMEOUT, check=False)  # noqa: S603
        result = json.loads(done.stdout or b"{}")
    except (OSError, subprocess.TimeoutExpired, ValueError) as error:
        raise MusicError(
            f"The audio cannot be fingerprinted ({type(error).__name__}).", code="no_fingerprint"
        ) from error
    if not result.get("fingerprint"):
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"fpcalc exited {done.returncode}"]
        raise MusicError(f"The audio cannot be fingerprinted ({reason[0][:200]}).", code="no_fingerprint")
    return float(result.get("duration") or 0), result["fingerprint"]


def recording_ids(*, fingerprint: str, duration_s: float) -> list[tuple[float, str]]:
    """(score, MusicBrainz recording id) of the recordings AcoustID matches to the fingerprint, best first, those
    scoring under MIN_SCORE left out."""
    acoustid.set_base_url(settings.ACOUSTID_URL)
    try:
        answer = acoustid.lookup(
            settings.ACOUSTID_API_KEY,
            fingerprint,
            duration_s,
            meta=["recordingids"],
            timeout=settings.ENRICHMENT_TIMEOUT,
        )
    except acoustid.WebServiceError as error:
        raise EnrichmentError(f"AcoustID cannot be reached ({error}).") from error
    if answer.get("status") != "ok":
        message = (answer.get("error") or {}).get("message", "unknown error")
        raise EnrichmentError(f"AcoustID refused the lookup: {message}.")
    found = {}
    for result in answer.get("results", []):
        for recording in result.get("recordings", []):
            if result.get("score", 0) >= MIN_SCORE:
                found[recording["id"]] = max(result["score"], found.get(recording["id"], 0))
    return sorted(((score, mbid) for mbid, score in found.items()), reverse=True)
