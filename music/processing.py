"""Audio processing with ffmpeg: loudness normalization (EBU R128 loudnorm, two passes), fades, and crossfades
between two tracks. Files in, files out; the library's use cases (music/processing_services.py) decide which
files and where the results go.

ffmpeg is run with fixed argument lists and every file given as a `file:` URL, so a file name can be neither an
option nor another protocol."""

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from music.errors import MusicError

# ReplayGain 2.0 plays every track as loud as -18 LUFS: a track's gain is the reference minus its loudness.
REPLAYGAIN_REFERENCE_LUFS = -18.0
# loudnorm's loudness range target is 1-20 LU in the ffmpeg Debian ships; a target below the music's own range
# would compress it, so the target follows the music (within what the filter takes).
_LRA_DEFAULT, _LRA_MAX = 11.0, 20.0
_CROSSFADE_RATE = 44100
# Encoder settings per library format for the normalized copy: it keeps the original's format, at a quality
# that does not audibly add to the first encoding's loss.
_ENCODERS: dict[str, tuple[str, list[str]]] = {
    "mp3": ("mp3", ["-c:a", "libmp3lame", "-b:a", "320k"]),
    "m4a": ("m4a", ["-c:a", "aac", "-b:a", "256k"]),
    "mp4": ("m4a", ["-c:a", "aac", "-b:a", "256k"]),
    "aac": ("m4a", ["-c:a", "aac", "-b:a", "256k"]),
    "ogg": ("ogg", ["-c:a", "libvorbis", "-q:a", "6"]),
    "oga": ("ogg", ["-c:a", "libvorbis", "-q:a", "6"]),
    "opus": ("opus", ["-c:a", "libopus", "-b:a", "160k"]),
    "flac": ("flac", ["-c:a", "flac"]),
    "wav": ("wav", ["-c:a", "pcm_s16le"]),
    "aif": ("aiff", ["-c:a", "pcm_s16be"]),
    "aiff": ("aiff", ["-c:a", "pcm_s16be"]),
}
_LOUDNORM_JSON = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)
_NUMBER = r"(-?\d+(?:\.\d+)?|-inf)"
_EBUR128 = {
    "I": re.compile(rf"I:\s+{_NUMBER} LUFS"),
    "threshold": re.compile(rf"Threshold:\s+{_NUMBER} LUFS"),  # the first: the integrated loudness's gate
    "LRA": re.compile(rf"LRA:\s+{_NUMBER} LU\b"),
    "peak": re.compile(rf"Peak:\s+{_NUMBER} dBFS"),
}
_SILENCE_LUFS = -70.0  # EBU R128's absolute gate: nothing louder was heard


class ProcessingError(MusicError):
    code = "processing_failed"


@dataclass(frozen=True)
class AudioInfo:
    duration: float  # seconds
    sample_rate: int


@dataclass(frozen=True)
class Loudness:
    """What loudnorm's second pass needs to normalize linearly."""

    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU
    threshold: float  # LUFS


@dataclass(frozen=True)
class Segment:
    """A stretch of a file: from `start` seconds, `length` seconds long, played `gain_db` louder."""

    path: Path
    start: float
    length: float
    gain_db: float = 0.0


def replaygain_db(integrated_lufs: float) -> float:
    """The ReplayGain 2.0 track gain of a track measured at `integrated_lufs`."""
    return round(REPLAYGAIN_REFERENCE_LUFS - integrated_lufs, 2)


def output_extension(file_format: str) -> str:
    """The extension (and format) of the normalized copy of a file in `file_format`: the same where ffmpeg can
    write it, FLAC otherwise."""
    return _ENCODERS.get(file_format.lower(), _ENCODERS["flac"])[0]


def probe(path: Path) -> AudioInfo:
    """Duration and sample rate of the file's first audio stream. Raises ProcessingError for a file without
    one."""
    command = ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "format=duration"]
    command += ["-show_entries", "stream=sample_rate", "-of", "json", f"file:{path.resolve()}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (fixed arguments)
    try:
        found = json.loads(result.stdout or "{}")
        return AudioInfo(float(found["format"]["duration"]), int(found["streams"][0]["sample_rate"]))
    except (KeyError, IndexError, ValueError) as error:
        raise ProcessingError(f"{path.name} has no audio ffmpeg can read.") from error


def measure_loudness(path: Path) -> Loudness:
    """EBU R128 measurement of the whole file by ffmpeg's ebur128 meter (true peak by oversampling): all that
    loudnorm's linear pass needs, four times faster than loudnorm's own measuring pass, which runs at 192 kHz."""
    stderr = _ffmpeg(["-i", f"file:{path.resolve()}", "-af", "ebur128=peak=true", "-f", "null", "-"], what=path.name)
    summary = stderr.rpartition("Summary:")[2]
    integrated, threshold, lra, peak = (_EBUR128[name].search(summary) for name in ("I", "threshold", "LRA", "peak"))
    if not (integrated and threshold and lra and peak):
        raise ProcessingError(f"ffmpeg measured no loudness in {path.name}.")
    if peak.group(1) == "-inf" or float(integrated.group(1)) <= _SILENCE_LUFS:
        raise ProcessingError(f"{path.name} is silent: there is no loudness to normalize.")
    return Loudness(
        integrated=float(integrated.group(1)),
        true_peak=float(peak.group(1)),
        lra=float(lra.group(1)),
        threshold=float(threshold.group(1)),
    )


def normalize(
    path: Path,
    destination: Path,
    *,
    measured: Loudness,
    target_lufs: float,
    true_peak: float,
    fade_in: float = 0.0,
    fade_out: float = 0.0,
) -> str:
    """Write `path` normalized to `target_lufs` (true peak at most `true_peak` dBTP) to `destination`, whose
    extension picks the format, with optional fades (seconds). Returns loudnorm's normalization type: "linear"
    (one gain for the whole track, the music untouched) where the gain keeps the peaks under the ceiling,
    "dynamic" (loudnorm's limiter and compressor) where it would not."""
    info = probe(path)
    lra = min(max(_LRA_DEFAULT, measured.lra), _LRA_MAX)
    linear = measured.true_peak + target_lufs - measured.integrated <= true_peak and measured.lra <= lra
    # Dynamic mode needs the gain loudnorm's own measuring pass predicts for after its limiter (slow: 192 kHz).
    offset = 0.0 if linear else _loudnorm_offset(path, target_lufs=target_lufs, true_peak=true_peak, lra=lra)
    # loudnorm reads a measured range of 0 as "not measured" and goes dynamic: a steady track's 0 LU is passed as
    # the smallest range it takes.
    measured_lra = max(measured.lra, 0.01)
    filters = [
        f"loudnorm=I={target_lufs}:TP={true_peak}:LRA={lra}:measured_I={measured.integrated}"
        f":measured_TP={measured.true_peak}:measured_LRA={measured_lra}:measured_thresh={measured.threshold}"
        f":offset={offset}:linear=true:print_format=json",
        # Dynamic mode limits at 192 kHz; going back to the original rate can push sharp peaks over the ceiling
        # again, so a sample-peak limiter (no delay) holds them. In linear mode it has nothing to do.
        f"aresample={info.sample_rate}",
        f"alimiter=limit={10 ** (true_peak / 20):.4f}:level=false:latency=true",
    ]
    fade_in, fade_out = min(fade_in, info.duration / 2), min(fade_out, info.duration / 2)
    if fade_in > 0:
        filters.append(f"afade=t=in:st=0:d={fade_in:.3f}")
    if fade_out > 0:
        filters.append(f"afade=t=out:st={info.duration - fade_out:.3f}:d={fade_out:.3f}")
    encoder = _ENCODERS.get(destination.suffix.lstrip(".").lower(), _ENCODERS["flac"])[1]
    command = ["-i", f"file:{path.resolve()}", "-map", "0:a:0", "-map_metadata", "0", "-af", ",".join(filters)]
    command += [*encoder, "-y", f"file:{destination.resolve()}"]
    stderr = _ffmpeg(command, what=path.name)
    return _loudnorm_report(stderr, what=path.name).get("normalization_type", "dynamic")


def crossfade(first: Segment, second: Segment, destination: Path, *, seconds: float) -> None:
    """An MP3 of `first` fading into `second`: the last `seconds` of the first segment overlap the first
    `seconds` of the second (equal-power curves), each segment at its own gain, a limiter against clipping."""
    command: list[str] = []
    for segment in (first, second):
        command += ["-ss", f"{segment.start:.3f}", "-t", f"{segment.length:.3f}"]
        command += ["-i", f"file:{segment.path.resolve()}"]
    shape = f"aformat=sample_fmts=fltp:sample_rates={_CROSSFADE_RATE}:channel_layouts=stereo"
    graph = (
        f"[0:a]{shape},volume={first.gain_db:.2f}dB[a];[1:a]{shape},volume={second.gain_db:.2f}dB[b];"
        f"[a][b]acrossfade=d={seconds:.3f}:c1=qsin:c2=qsin,alimiter=limit=0.89:level=false[out]"
    )
    command += ["-filter_complex", graph, "-map", "[out]", "-c:a", "libmp3lame", "-b:a", "192k"]
    command += ["-y", f"file:{destination.resolve()}"]
    _ffmpeg(command, what=f"{first.path.name} and {second.path.name}")


def _loudnorm_offset(path: Path, *, target_lufs: float, true_peak: float, lra: float) -> float:
    loudnorm = f"loudnorm=I={target_lufs}:TP={true_peak}:LRA={lra}:print_format=json"
    stderr = _ffmpeg(["-i", f"file:{path.resolve()}", "-af", loudnorm, "-f", "null", "-"], what=path.name)
    return float(_loudnorm_report(stderr, what=path.name)["target_offset"])


def _ffmpeg(arguments: list[str], *, what: str) -> str:
    """Run ffmpeg; its log (stderr) when it succeeds, ProcessingError naming `what` when it does not."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "info", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (fixed arguments)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ProcessingError(f"ffmpeg could not process {what}: {last[:200]}")
    return result.stderr


def _loudnorm_report(stderr: str, *, what: str) -> dict[str, str]:
    match = _LOUDNORM_JSON.search(stderr)
    if match is None:
        raise ProcessingError(f"ffmpeg measured no loudness in {what}.")
    return json.loads(match.group(0))
