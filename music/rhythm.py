"""From a beat activation (a value a frame: how likely a beat is there) to what a DJ mixes with: the tempo in the
DJ's BPM range, a beat grid, the first downbeat, and mix-in / mix-out points on phrase boundaries.

The tempo's octave is where beat trackers fail (87 or 174? 64 or 128?): the periodicity alone cannot tell, and a
fixed window cannot either once the range spans more than an octave (a ballad at 64 and house at 128 are both
music a DJ plays). So the choice between a slow tempo S and its double F is made from the drums: a kick on every
half beat of S (four on the floor at F: house, techno) says F; a kick that repeats every two beats of S but hardly
every one, answered by the snare half a beat of S later (a breakbeat at F: drum & bass) says F; anything else
(hip-hop's and a ballad's backbeat, reggaeton's kick on every beat of S) says S. Where only one octave fits in the
DJ's range (MUSIC_BPM_MIN/MAX), that one is taken."""

from dataclasses import dataclass

import numpy as np

from music.dsp import Bands, chromagram

PHRASES = (32, 16, 8)
# Music for DJs starts on a bar: the first beat's phase is favoured by this much (in standard scores of the
# kick-and-harmony evidence) over the other three.
FIRST_BEAT_PRIOR = 1.0  # tuned on seeds 2 and 3: first downbeats right 77-83% without, 94% with


@dataclass(frozen=True)
class Grid:
    bpm: float | None
    beats: tuple[float, ...] = ()  # seconds
    first_downbeat: float | None = None
    mix_in: float | None = None
    mix_out: float | None = None
    downbeat: int = 0  # the index of the first downbeat in beats

    def phrase_starts(self, beats_per_phrase: int = 16) -> list[tuple[float, float]]:
        """(start, end) of the first beat of each phrase, counted from the first downbeat."""
        return [
            (self.beats[index], self.beats[index + 1])
            for index in range(self.downbeat, len(self.beats) - 1, beats_per_phrase)
        ]


def beat_grid(activation: np.ndarray, fps: float, bands: Bands, *, low: float, high: float) -> Grid:
    """The tempo (in [low, high) BPM), its beats, first downbeat and mix points."""
    found = pulse(activation, fps)
    if found is None:
        return Grid(bpm=None)
    candidates = [found / 2**octave for octave in range(-2, 4) if low <= found / 2**octave < high]
    if not candidates:  # a range narrower than an octave: the pulse folded into it
        bpm = found
        while bpm < low:
            bpm *= 2
        while bpm >= high:
            bpm /= 2
    elif len(candidates) == 1:
        bpm = candidates[0]
    else:  # two or three octaves in range: from the fastest down, keep doubling while the drums say so
        bpm = min(candidates)
        while bpm * 2 in candidates and octave_evidence(bpm, bands)["fast"]:
            bpm *= 2
    beats, bpm = place_beats(activation, fps, bpm, bands)
    if beats.size == 0:
        return Grid(bpm=round(float(bpm), 2))
    downbeat = downbeat_index(beats, bands)
    first = round(float(beats[downbeat]), 3)
    mix_in, mix_out = _mix_points(beats, downbeat)
    return Grid(round(float(bpm), 2), tuple(float(beat) for beat in beats), first, mix_in, mix_out, downbeat)


def pulse(activation: np.ndarray, fps: float) -> float | None:
    """BPM of the strongest beat-like periodicity from 60 to 240 BPM, up to an octave: the period whose
    autocorrelation, at one to four periods, is strongest (a beat repeats at each beat to the bar; a dotted
    period, which the off-beats can make as strong as the beat, does not at three of them)."""
    correlation = _autocorrelation(activation)
    if correlation is None:
        return None
    shortest, longest = int(fps * 60 / 240), int(fps * 60 / 60) + 1
    if 4 * longest + 2 >= correlation.size:  # a short clip: slow tempi cannot repeat four times
        longest = (correlation.size - 3) // 4
    if longest <= shortest:
        return None
    lags = np.arange(shortest, longest)
    strength = sum(_near(correlation, multiple * lags) for multiple in (1, 2, 3, 4))
    best = int(lags[np.argmax(strength)])
    lag = _peak_between_frames(correlation, best)
    for beats in (8, 4, 2):  # measure the period over the longest run of beats the correlation still shows
        centre = round(beats * lag)
        if centre + beats < correlation.size - 1:
            window = np.arange(centre - beats, centre + beats + 1)
            lag = _peak_between_frames(correlation, int(window[np.argmax(correlation[window])])) / beats
            break
    return 60 * fps / lag


def octave_evidence(slow: float, bands: Bands) -> dict:
    """Whether the drums say the tempo is 2 × `slow` rather than `slow` (see the module's docstring), with the
    measures it was decided on: how the kick repeats (its autocorrelation at half a beat, a beat and two beats of
    `slow`) and how long after a kick the snare comes (half a beat or a beat). Thresholds set on the tuning
    corpora (seeds 2 and 3), each in the middle of the gap between the genres it tells apart."""
    beat = bands.fps * 60 / slow
    kick = _autocorrelation(bands.kick)
    if kick is None or not bands.snare.any() or 2 * beat + 2 >= kick.size:
        return {"fast": False}
    kick_half, kick_one, kick_two = (float(_near(kick, np.array([lag]))[0]) for lag in (beat / 2, beat, 2 * beat))
    snare_after_half, snare_after_one = (_cross(bands.kick, bands.snare, lag) for lag in (beat / 2, beat))
    four_on_the_floor = kick_half >= 0.4  # the kick repeats every half beat of `slow`: on every beat of F
    # the kick repeats over two beats of `slow` and hardly over one (once a bar of F), and the snare answers it
    # half a beat of `slow` later (on F's next beat): a breakbeat at F (drum & bass). A ballad's snare comes a
    # beat after its kick; hip-hop's and reggaeton's kicks repeat every beat or never two beats apart.
    breakbeat = kick_one < 0.3 * kick_two and snare_after_half > snare_after_one
    return {
        "fast": four_on_the_floor or breakbeat,
        "kick_half": kick_half,
        "kick_one": kick_one,
        "kick_two": kick_two,
        "snare_after_half": snare_after_half,
        "snare_after_one": snare_after_one,
    }


def place_beats(activation: np.ndarray, fps: float, bpm: float, bands: Bands) -> tuple[np.ndarray, float]:
    """A constant-tempo grid (seconds) over where the music sounds, fitted to the activation's peaks; and the
    tempo measured by that fit."""
    beats = _grid(activation, fps, bpm)
    period = 60 / bpm
    # fit a line through the activation's peak near each beat: the tempo to a fraction of a percent
    for _ in range(2):
        found = []
        for index, beat in enumerate(beats):
            first, last = int((beat - period / 6) * fps), int((beat + period / 6) * fps) + 1
            window = activation[max(first, 0) : last]
            if window.size and window.max() > 0:
                found.append((index, (max(first, 0) + int(np.argmax(window))) / fps))
        if len(found) < 4:
            break
        indexes, times = np.array(found).T
        slope, offset = np.polyfit(indexes, times, 1)
        if not 0.97 * period < slope < 1.03 * period:
            break
        period = slope
        beats = offset + period * np.arange(beats.size)
    start, end = _sounding(bands)
    beats = beats[(beats >= start - period / 4) & (beats <= end)]
    return beats, 60 / period


def downbeat_index(beats: np.ndarray, bands: Bands) -> int:
    """The index of the first downbeat among the first four beats: the phase of the bar where the kick is
    heaviest and the harmony changes most, the first beat's phase favoured."""
    frames = np.clip(np.round(beats * bands.fps).astype(int), 0, bands.kick.size - 1)
    kick = _at(bands.kick, frames)
    chroma = chromagram(bands.spectrum)
    change = np.zeros(beats.size)
    for index in range(1, beats.size - 1):
        before = chroma[frames[index - 1] : frames[index]].sum(axis=0)
        after = chroma[frames[index] : frames[index + 1]].sum(axis=0)
        norm = np.linalg.norm(before) * np.linalg.norm(after)
        change[index] = 1 - before @ after / norm if norm else 0
    score = _z(kick) + _z(change)
    phases = [score[phase::4].mean() if score[phase::4].size else -np.inf for phase in range(4)]
    phases[0] += FIRST_BEAT_PRIOR
    return int(np.argmax(phases)) if beats.size >= 4 else 0


def _mix_points(beats: np.ndarray, downbeat: int) -> tuple[float, float | None]:
    """Mix in at the first downbeat; mix out at the start of the last whole phrase (32 beats, or 16 or 8 in a
    short track), counted in phrases from the first downbeat."""
    remaining = beats.size - downbeat
    for phrase in PHRASES:
        if remaining >= 2 * phrase:
            last = downbeat + (remaining - phrase) // phrase * phrase
            return round(float(beats[downbeat]), 3), round(float(beats[last]), 3)
    return round(float(beats[downbeat]), 3), None


def _grid(activation: np.ndarray, fps: float, bpm: float) -> np.ndarray:
    """Beats (seconds) at `bpm` over the whole activation, at the phase where the activation is strongest."""
    period = fps * 60 / bpm
    count = int((activation.size - 1) / period)
    if count < 1:
        return np.zeros(0)
    positive = np.maximum(activation, 0)
    phases = np.arange(0, period, 0.5)
    scores = [_interpolated(positive, phase + period * np.arange(count)).sum() for phase in phases]
    return (phases[int(np.argmax(scores))] + period * np.arange(count)) / fps


def _sounding(bands: Bands) -> tuple[float, float]:
    """From when to when the music sounds (seconds): frames within 40 dB of the loudest."""
    power = (bands.spectrum**2).sum(axis=1)
    loud = np.flatnonzero(power > power.max() * 1e-4) if power.any() else np.zeros(0, dtype=int)
    if loud.size == 0:
        return 0.0, 0.0
    return loud[0] / bands.fps, loud[-1] / bands.fps


def _autocorrelation(values: np.ndarray) -> np.ndarray | None:
    """Autocorrelation of the mean-removed values, 1 at lag 0 (None for a constant signal)."""
    centred = values - values.mean()
    if not centred.any():
        return None
    spectrum = np.fft.rfft(centred, n=2 * centred.size)
    correlation = np.fft.irfft(np.abs(spectrum) ** 2)[: centred.size]
    return correlation / correlation[0]


def _cross(first: np.ndarray, second: np.ndarray, lag: float) -> float:
    """The normalised cross-correlation of `second` `lag` frames after `first` (the largest within a frame)."""
    first, second = first - first.mean(), second - second.mean()
    norm = np.sqrt((first @ first) * (second @ second))
    if not norm:
        return 0.0
    shifts = [shift for shift in (round(lag) - 1, round(lag), round(lag) + 1) if 0 <= shift < first.size]
    return max(float(first[: first.size - shift] @ second[shift:]) for shift in shifts) / norm


def _near(correlation: np.ndarray, lags: np.ndarray) -> np.ndarray:
    """The correlation's largest value within a frame of each (fractional) lag."""
    lags = np.clip(np.round(lags).astype(int), 1, correlation.size - 2)
    return np.maximum(np.maximum(correlation[lags - 1], correlation[lags]), correlation[lags + 1])


def _at(envelope: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """The envelope's largest value within a frame of each frame given."""
    padded = np.pad(envelope, 1)
    frames = np.clip(frames, 0, envelope.size - 1) + 1
    return np.maximum(np.maximum(padded[frames - 1], padded[frames]), padded[frames + 1])


def _interpolated(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    at = at[at <= values.size - 1]
    below = np.floor(at).astype(int)
    above = np.minimum(below + 1, values.size - 1)
    return values[below] + (at - below) * (values[above] - values[below])


def _z(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread else np.zeros_like(values)


def _peak_between_frames(values: np.ndarray, at: int) -> float:
    """The peak of the parabola through values[at - 1 : at + 2], as a fractional index."""
    before, middle, after = values[at - 1], values[at], values[at + 1]
    bend = before - 2 * middle + after
    return at + (0.5 * (before - after) / bend if bend else 0.0)
