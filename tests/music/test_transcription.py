"""The approximate transcription gives a note's overtones back to the note: the key's profile fit then sees the
notes played, not the harmonics' fifths and major thirds."""

import numpy as np

from music import dsp, transcription

RATE, FRAME = dsp.KEY_RATE, dsp.KEY_FRAME


def rich_tones(midi_notes: list[int], *, seconds: float = 2.0) -> np.ndarray:
    """Notes with eight overtones each, fading like a bright synthesizer's (0.8 per overtone)."""
    time = np.arange(int(seconds * RATE)) / RATE
    signal = np.zeros_like(time)
    for note in midi_notes:
        fundamental = 440.0 * 2 ** ((note - 69) / 12)
        for overtone in range(1, 9):
            if fundamental * overtone < RATE / 2:
                signal += 0.8 ** (overtone - 1) * np.sin(2 * np.pi * fundamental * overtone * time)
    return signal


def spectrum_of(signal: np.ndarray) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(signal, FRAME)[:: FRAME // 4]
    return np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1))


def pitch_classes_of(midi_notes: list[int]) -> np.ndarray:
    energies = transcription.note_energies(spectrum_of(rich_tones(midi_notes)), frame=FRAME, sample_rate=RATE)
    classes = transcription.pitch_classes(energies.sum(axis=0))
    return classes / classes.sum()


def test_a_single_note_is_heard_as_that_note_not_its_overtones():
    energies = transcription.note_energies(spectrum_of(rich_tones([57])), frame=FRAME, sample_rate=RATE).sum(0)
    assert transcription.NOTES[np.argmax(energies)] == 57  # A3
    assert energies[transcription.NOTES == 57][0] > 0.5 * energies.sum()
    classes = pitch_classes_of([57])
    assert classes[9] > 0.7  # summed by pitch class, the raw spectrum gives A 0.6
    assert classes[4] < 0.12  # and its fifth overtones, E, 0.23


def test_a_minor_chord_keeps_its_minor_third_above_the_major_third_its_overtones_sound():
    classes = pitch_classes_of([57, 60, 64])  # A minor: A3 C4 E4; the A's fifth overtone is a C#
    assert classes[0] > 5 * classes[1]  # C, not C#
    assert {int(i) for i in np.argsort(classes)[-3:]} == {9, 0, 4}


def test_silence_has_no_notes():
    silent = np.zeros((4, FRAME // 2 + 1))
    assert not transcription.note_energies(silent, frame=FRAME, sample_rate=RATE).any()


def test_the_key_of_a_minor_cadence_in_rich_tones_is_minor():
    chords = [[57, 60, 64], [62, 65, 69], [64, 68, 71], [57, 60, 64]]  # i iv V i in A minor
    song = np.concatenate([rich_tones([chord[0] - 24, *chord], seconds=1.0) for chord in chords * 4])
    assert dsp.key(song.astype(np.float32), RATE) == (9, "minor")
