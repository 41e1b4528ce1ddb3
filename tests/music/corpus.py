"""A corpus of rendered multi-instrument tracks with known tempo, key and first downbeat, made by code: each song
is written as a Standard MIDI file (drums per genre, bass, chords and a melody in the key), rendered by FluidSynth
with Debian's General MIDI sound font and encoded by ffmpeg. Used by benchmarks/analysis.py (a whole corpus) and
by the tests (a few short clips). Everything comes from a seed, so a corpus can be made again exactly.

    songs = corpus_songs(seed=1, count=48)          # what to render, with the truth
    render(songs[0], Path("song.mp3"), seconds=40)  # MIDI -> FluidSynth -> ffmpeg
"""

import random
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CORPUS_VERSION = 1  # bump when a change to this module changes what a seed renders
SOUND_FONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
TICKS = 480  # per beat
STEP = TICKS // 4  # a 16th note
PITCH_CLASSES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11]
MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10]
KICK, RIM, SNARE, CLAP, HAT, OPEN_HAT, CRASH, RIDE, SHAKER = 36, 37, 38, 39, 42, 46, 49, 51, 70

# Per genre: tempi it is played at (the hard ones for octave errors first: 64, 87, 128, 174, ...); the drum bar as
# {drum: [(16th step, velocity), ...]}; the bass rhythm as [(step, length in 16ths, scale degree above the chord
# root, octave)]; when the chords sound [(step, length)]; General MIDI programs for chords, bass and melody; and
# the melody's note lengths in 16ths.
GENRES = {
    "house": {
        "tempi": [128, 118, 120, 122, 124, 125, 126],
        "drums": {
            KICK: [(0, 120), (4, 118), (8, 120), (12, 118)],
            CLAP: [(4, 100), (12, 100)],
            OPEN_HAT: [(2, 80), (6, 80), (10, 80), (14, 80)],
            HAT: [(s, 45) for s in range(1, 16, 2)],
        },
        "bass": [(2, 2, 0, 0), (6, 2, 0, 0), (10, 2, 0, 1), (14, 2, 0, 0)],
        "chords": [(0, 3), (3, 3), (6, 4), (12, 4)],
        "programs": ([4, 89, 0], [38, 39], [80, 81, 11]),
        "melody": [2, 4],
    },
    "techno": {
        "tempi": [128, 140, 125, 130, 132, 135, 138],
        "drums": {
            KICK: [(0, 124), (4, 122), (8, 124), (12, 122)],
            HAT: [(s, 70 if s % 4 == 2 else 40) for s in range(16)],
            OPEN_HAT: [(2, 70), (6, 70), (10, 70), (14, 70)],
            CLAP: [(4, 85), (12, 85)],
            RIM: [(7, 60), (13, 55)],
        },
        "bass": [(s, 1, 0, 0) for s in range(16) if s % 4 != 0],
        "chords": [(0, 16)],
        "programs": ([90, 89, 81], [38, 39], [81, 80]),
        "melody": [1, 2, 2],
    },
    "hiphop": {
        "tempi": [87, 80, 84, 86, 88, 90, 92, 95],
        "drums": {
            KICK: [(0, 120), (7, 90), (10, 110)],
            SNARE: [(4, 118), (12, 118)],
            HAT: [(s, 75 if s % 4 == 0 else 55) for s in range(0, 16, 2)],
        },
        "bass": [(0, 6, 0, 0), (7, 2, 0, 0), (10, 4, 4, 0), (14, 2, 0, 0)],
        "chords": [(0, 16)],
        "programs": ([4, 0, 11], [33, 34, 38], [73, 11, 4]),
        "melody": [2, 4, 4],
    },
    "dnb": {
        "tempi": [174, 160, 165, 170, 172, 174, 175, 176],
        "drums": {
            KICK: [(0, 124), (10, 118)],
            SNARE: [(4, 122), (12, 122)],
            HAT: [(s, 70 if s % 4 == 2 else 50) for s in range(0, 16, 2)],
            RIDE: [(s, 45) for s in range(0, 16, 4)],
        },
        "bass": [(0, 8, 0, 0), (10, 6, 0, 0)],
        "chords": [(0, 32)],
        "programs": ([89, 48, 91], [38, 39, 87], [81, 80, 73]),
        "melody": [4, 8],
    },
    "pop": {
        "tempi": [96, 124, 100, 104, 108, 112, 116, 120],
        "drums": {
            KICK: [(0, 118), (6, 90), (8, 115)],
            SNARE: [(4, 115), (12, 115)],
            HAT: [(s, 70 if s % 4 == 0 else 55) for s in range(0, 16, 2)],
        },
        "bass": [(s, 2, 0, 0) for s in range(0, 16, 2)],
        "chords": [(0, 4), (4, 4), (8, 4), (12, 4)],
        "programs": ([0, 25, 4], [33, 34], [80, 54, 73]),
        "melody": [2, 2, 4],
    },
    "reggaeton": {
        "tempi": [88, 100, 90, 92, 94, 95, 96, 98],
        "drums": {
            KICK: [(0, 120), (4, 118), (8, 120), (12, 118)],
            SNARE: [(3, 105), (6, 100), (11, 105), (14, 100)],
            HAT: [(s, 55) for s in range(0, 16, 2)],
        },
        "bass": [(0, 3, 0, 0), (3, 3, 0, 0), (6, 2, 4, 0), (8, 3, 0, 0), (11, 3, 0, 0), (14, 2, 4, 0)],
        "chords": [(0, 3), (3, 3), (6, 2), (8, 3), (11, 3), (14, 2)],
        "programs": ([0, 24, 4], [38, 33], [80, 81, 73]),
        "melody": [2, 2, 4],
    },
    "ballad": {
        "tempi": [64, 78, 64, 66, 68, 70, 72, 75],
        "drums": {
            KICK: [(0, 95), (8, 85)],
            RIM: [(4, 90), (12, 90)],
            HAT: [(s, 50) for s in range(0, 16, 2)],
            SHAKER: [(s, 35) for s in range(1, 16, 2)],
        },
        "bass": [(0, 8, 0, 0), (8, 8, 4, 0)],
        "chords": [(s, 2) for s in range(0, 16, 2)],
        "programs": ([0, 48, 4], [32, 33], [73, 40, 68]),
        "melody": [4, 4, 8, 2],
    },
    "funk": {
        "tempi": [96, 112, 98, 100, 104, 106, 108, 110],
        "drums": {
            KICK: [(0, 120), (3, 85), (10, 110)],
            SNARE: [(4, 118), (12, 118), (7, 40), (9, 35), (15, 40)],
            HAT: [(s, 70 if s % 2 == 0 else 45) for s in range(16)],
        },
        "bass": [(0, 2, 0, 0), (3, 1, 0, 1), (6, 2, 4, 0), (7, 1, 0, 1), (10, 2, 0, 0), (14, 1, 6, 0)],
        "chords": [(2, 1), (5, 1), (7, 1), (10, 1), (13, 1)],
        "programs": ([16, 27, 4], [36, 33], [61, 56, 65]),
        "melody": [1, 2, 2, 4],
    },
}
# Chord roots as scale degrees, one a bar (two a chord at a fast tempo), starting and ending on the tonic so the
# key is the key; a minor key's V is major (its raised seventh).
PROGRESSIONS = {
    "major": [[0, 4, 5, 3], [0, 3, 4, 0], [0, 5, 3, 4], [0, 3, 0, 4], [0, 1, 4, 0]],
    "minor": [[0, 5, 3, 4], [0, 3, 4, 0], [0, 6, 5, 4], [0, 3, 6, 4], [0, 5, 2, 4]],
}


@dataclass(frozen=True)
class Song:
    """What to render and the truth about it: tempo (BPM), key ("F# minor"), and where the first downbeat is."""

    name: str
    genre: str
    bpm: float
    tonic: int  # pitch class, 0 = C
    mode: str  # "major" or "minor"
    seed: int
    lead_in_ms: int  # silence before the first downbeat

    @property
    def key(self) -> str:
        return f"{PITCH_CLASSES[self.tonic]} {self.mode}"


def corpus_songs(*, seed: int, count: int = 48) -> list[Song]:
    """`count` songs, the genres in turn, every key in turn (all 24 once `count` reaches 24), tempi each genre is
    played at; the same seed gives the same corpus."""
    chooser = random.Random(seed)
    keys = [(tonic, mode) for tonic in range(12) for mode in ("major", "minor")]
    chooser.shuffle(keys)
    genres = list(GENRES)
    songs = []
    for number in range(count):
        genre = genres[number % len(genres)]
        tempi = GENRES[genre]["tempi"]
        # each genre's first two songs get its first two tempi (the hard ones for octave errors), the rest are drawn
        bpm = tempi[number // len(genres)] if number < 2 * len(genres) else chooser.choice(tempi)
        tonic, mode = keys[number % len(keys)]
        song_seed = chooser.randrange(1 << 30)
        lead_in = chooser.randrange(0, 400)
        name = f"{number:03d}-{genre}-{bpm}-{PITCH_CLASSES[tonic].replace('#', 's')}{mode[:3]}"
        songs.append(Song(name, genre, float(bpm), tonic, mode, song_seed, lead_in))
    return songs


def render(song: Song, path: Path, *, seconds: float = 40.0) -> Path:
    """The song as audio at `path` (its extension chooses the format: .mp3, .wav, ...), `seconds` long."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="djbiz-song-") as scratch:
        midi, wav = Path(scratch) / "song.mid", Path(scratch) / "song.wav"
        midi.write_bytes(midi_file(song, seconds=seconds + 2))
        subprocess.run(
            ["fluidsynth", "-ni", "-q", "-g", "0.5", "-r", "44100", "-F", str(wav), str(SOUND_FONT), str(midi)],
            check=True,
            capture_output=True,
        )
        command = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-t", str(seconds)]
        if path.suffix == ".mp3":
            command += ["-codec:a", "libmp3lame", "-b:a", "192k"]
        subprocess.run([*command, str(path)], check=True)
    return path


def render_corpus(songs: list[Song], directory: Path, *, seconds: float = 40.0) -> list[Path]:
    """Each song as an MP3 in `directory`, rendered once (a file already there is kept)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for song in songs:
        path = directory / f"{song.name}.mp3"
        if not path.exists():
            partial = path.with_suffix(".part.mp3")
            render(song, partial, seconds=seconds)
            shutil.move(partial, path)
        paths.append(path)
    return paths


def midi_file(song: Song, *, seconds: float) -> bytes:
    """A Standard MIDI file (format 0) of the song: drums on channel 10, bass, chords and melody in the key."""
    chooser = random.Random(song.seed)
    style = GENRES[song.genre]
    scale = MAJOR_SCALE if song.mode == "major" else MINOR_SCALE
    chord_program, bass_program, melody_program = (chooser.choice(options) for options in style["programs"])
    progression = chooser.choice(PROGRESSIONS[song.mode])
    bars_per_chord = 2 if song.bpm >= 150 else 1
    bars = int(seconds * song.bpm / 240) + 1
    intro = 2 if song.bpm < 100 else 4  # drums and bass only, as a DJ's intro
    start = round(song.lead_in_ms / 1000 * song.bpm / 60 * TICKS)
    notes: list[tuple[int, int, int, int, int]] = []  # (tick, length, channel, note, velocity)

    def humanize(tick: int) -> int:
        return max(0, tick + chooser.randint(-6, 6))

    for bar in range(bars):
        at = start + bar * 16 * STEP
        degree = progression[(bar // bars_per_chord) % len(progression)]
        root, chord = _chord(song.tonic, scale, degree, minor_dominant=song.mode == "minor" and degree == 4)
        for drum, hits in style["drums"].items():
            for step, velocity in hits:
                swing = STEP // 3 if song.genre == "hiphop" and step % 4 == 2 else 0
                notes.append((humanize(at + step * STEP + swing), STEP, 9, drum, _vary(chooser, velocity)))
        if bar % 8 == 0:
            notes.append((at, 4 * STEP, 9, CRASH, 90))
        for step, length, above, octave in style["bass"]:
            pitch = 36 + (root + _interval(scale, degree, above) - 36) % 12 + 12 * octave
            notes.append((humanize(at + step * STEP), length * STEP - 10, 1, pitch, _vary(chooser, 100)))
        if bar < intro:
            continue
        for step, length in style["chords"]:
            if step < 16:  # a chord longer than the bar is struck once
                for pitch in chord:
                    notes.append((humanize(at + step * STEP), length * STEP - 10, 0, pitch, _vary(chooser, 70)))
        if bar < bars - 2:
            notes.extend(_melody_bar(chooser, song, scale, chord, at, style["melody"]))
    return _smf(song.bpm, [(0, chord_program), (1, bass_program), (2, melody_program)], notes)


def _vary(chooser: random.Random, velocity: int) -> int:
    return max(1, min(127, velocity + chooser.randint(-8, 8)))


def _interval(scale: list[int], degree: int, above: int) -> int:
    """Semitones from the chord root (scale degree `degree`) to the scale note `above` degrees higher."""
    return (scale[(degree + above) % 7] - scale[degree]) % 12


def _chord(tonic: int, scale: list[int], degree: int, *, minor_dominant: bool) -> tuple[int, list[int]]:
    """The triad on a scale degree, voiced around middle C: (root pitch class, MIDI notes)."""
    root = (tonic + scale[degree]) % 12
    intervals = [0, _interval(scale, degree, 2), _interval(scale, degree, 4)]
    if minor_dominant:
        intervals[1] = 4  # the raised seventh of the minor key
    pitches = sorted(55 + (root + interval - 55) % 12 for interval in intervals)
    return root, pitches


def _melody_bar(chooser, song: Song, scale: list[int], chord: list[int], at: int, lengths: list[int]):
    """A bar of melody: scale notes above the chords, mostly chord tones on the beats, a rest now and then."""
    notes, step = [], 0
    chord_classes = {pitch % 12 for pitch in chord}
    scale_notes = [pitch for pitch in range(67, 86) if (pitch - song.tonic) % 12 in scale]
    while step < 16:
        length = min(chooser.choice(lengths), 16 - step)
        if chooser.random() < 0.8:
            candidates = scale_notes
            if step % 4 == 0:
                candidates = [pitch for pitch in scale_notes if pitch % 12 in chord_classes]
            pitch = chooser.choice(candidates)
            notes.append((max(0, at + step * STEP + chooser.randint(-6, 6)), length * STEP - 20, 2, pitch, 85))
        step += length
    return notes


def _smf(bpm: float, programs: list[tuple[int, int]], notes: list[tuple[int, int, int, int, int]]) -> bytes:
    """Format-0 Standard MIDI file bytes: the tempo, programs, then the notes' on and off events in time order."""
    events = [(0, 0, bytes([0xFF, 0x51, 0x03]) + round(60_000_000 / bpm).to_bytes(3, "big"))]
    events += [(0, 1, bytes([0xC0 | channel, program])) for channel, program in programs]
    for tick, length, channel, note, velocity in notes:
        events.append((tick, 3, bytes([0x90 | channel, note, velocity])))
        events.append((tick + max(length, 1), 2, bytes([0x80 | channel, note, 0])))  # offs before ons at a tick
    events.sort(key=lambda event: (event[0], event[1]))
    track, previous = bytearray(), 0
    for tick, _, data in events:
        track += _variable_length(tick - previous) + data
        previous = tick
    track += b"\x00\xff\x2f\x00"
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, TICKS) + b"MTrk" + struct.pack(">I", len(track)) + bytes(track)


def _variable_length(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))
