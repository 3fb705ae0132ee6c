"""Audio embeddings: from a waveform to one vector per clip.

Every audio embedder takes a list of clips, each a file path (WAV, FLAC,
OGG, MP3: whatever libsndfile decodes) or a ``(samples, sample_rate)`` tuple,
and prepares each clip the same documented way before embedding it:

1. **decode** with soundfile; a missing, empty, truncated or non-audio file is
   rejected with an :class:`~embedkit.errors.InputError` naming the file,
   before any clip is embedded. The on-disk cache is keyed by the file's bytes:
   a renamed file is still a cache hit, an edited one is not;
2. **mono mix-down**: the channels are averaged (a 2-D array's shorter axis is
   its channels); integer arrays are scaled to [-1, 1]; a float array that
   goes beyond +-1 is scaled down to peak 1 (its shape is kept);
3. **length**: clips longer than ``max_seconds`` are cut, keeping the start;
   clips shorter than one analysis window (32 ms at 16 kHz) are padded with
   silence at the end, so a click still gets a vector;
4. **resampling** to the embedder's ``sample_rate`` (16 kHz by default) with
   librosa, so 8 kHz and 48 kHz clips give vectors of the same shape. An 8 kHz
   clip has nothing above 4 kHz: its upper mel bands stay empty.

A silent clip is not an error: it is embedded, with a warning, and gets the
vector of silence (the floor of the log scale), the same for every all-zero
clip, so silent clips land together on a map. No vector is ever NaN.

Speed: ``threads=1`` (the default) runs the numeric libraries (BLAS, torch)
on one thread while embedding. Each clip is a small computation, and on a
small shared machine extra threads mostly wait for each other: one thread
measured several times faster here (``benchmarks/bench_audio.py``).
``threads=None`` leaves the libraries' own settings alone.

The embedders: :class:`MFCCEmbedder` and :class:`LogMelEmbedder` (statistics
pooling: mean and standard deviation of each coefficient over time, so any
clip length gives one fixed-size vector, but word order is lost),
:class:`TimeNormalizedMFCCEmbedder` (silence trimmed, MFCC frames stretched to
a fixed number of time steps: keeps the order of sounds, for spoken words)
and, in :mod:`embedkit.speaker`, :class:`~embedkit.speaker.SpeakerEmbedder`
(resemblyzer's pretrained d-vectors: who speaks).

>>> import numpy as np
>>> from embedkit import MFCCEmbedder
>>> t = np.arange(8000) / 8000
>>> clips = [(np.sin(2 * np.pi * 440 * t), 8000), (np.sin(2 * np.pi * 880 * t), 8000)]
>>> MFCCEmbedder(cache=False).transform(clips).shape
(2, 40)
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from embedkit.cache import content_hash
from embedkit.embedder import Embedder
from embedkit.errors import InputError, require
from embedkit.threads import check_threads, limited_threads
from embedkit.validation import check_int

__all__ = ["load_audio", "AudioEmbedder", "MFCCEmbedder", "LogMelEmbedder", "TimeNormalizedMFCCEmbedder"]

#: Below this peak amplitude (-80 dBFS) a clip counts as silent.
SILENCE_PEAK = 1e-4


def _label(item: Any, index: int | None) -> str:
    where = "" if index is None else f"Item {index} "
    if isinstance(item, (str, os.PathLike)):
        return f"{where}({os.fspath(item)})".strip()
    return f"{where}(an array)".strip()


def _decode_file(path: Path, label: str) -> tuple[np.ndarray, int, bytes]:
    """Read and decode one file: (samples x channels float32, rate, raw bytes)."""
    soundfile = require("soundfile", "audio", "Reading audio files")
    if not path.is_file():
        what = "a folder" if path.is_dir() else "missing"
        raise InputError(f"{label}: the file is {what}. Pass the path of an audio file.")
    raw = path.read_bytes()
    try:
        samples, rate = soundfile.read(io.BytesIO(raw), dtype="float32", always_2d=True)
    except (soundfile.SoundFileError, RuntimeError, TypeError) as error:
        reason = getattr(error, "error_string", None) or str(error)  # libsndfile's own words
        raise InputError(
            f"{label}: not a readable audio file ({reason}). It may be corrupted, cut short, "
            "or not audio at all (check its format); re-export it as WAV or FLAC."
        ) from None
    declared = _declared_wav_frames(raw)
    if declared is not None and declared > len(samples):
        raise InputError(
            f"{label}: the WAV file is truncated: its header promises {declared} samples but "
            f"it holds {len(samples)}. Re-copy or re-export the file."
        )
    return samples, int(rate), raw


def _declared_wav_frames(raw: bytes) -> int | None:
    """Frames a PCM WAV header promises (None when not a PCM WAV the stdlib reads)."""
    if raw[:4] != b"RIFF":
        return None
    try:
        with wave.open(io.BytesIO(raw)) as reader:
            return reader.getnframes()
    except (wave.Error, EOFError):
        return None


def _array_samples(item: tuple, label: str) -> tuple[np.ndarray, int]:
    """Check a (samples, rate) tuple; return (samples x channels float, rate)."""
    if len(item) != 2:
        raise InputError(f"{label}: an audio tuple must be (samples, sample_rate), got {len(item)} parts.")
    samples, rate = item
    if isinstance(rate, bool) or not isinstance(rate, (int, np.integer, float)) or rate != int(rate) or rate <= 0:
        raise InputError(f"{label}: the sample rate must be a positive whole number of Hz, got {rate!r}.")
    array = np.asarray(samples)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.number)) or np.iscomplexobj(array):
        raise InputError(f"{label}: samples must be real numbers, got dtype {array.dtype}.")
    if np.issubdtype(array.dtype, np.integer):
        # PCM integers: full scale of the type maps to +-1, as soundfile does.
        array = array.astype(np.float32) / float(np.iinfo(array.dtype).max + 1)
    array = array.astype(np.float32)
    if array.ndim == 1:
        array = array[:, None]
    elif array.ndim == 2:
        if min(array.shape) > 8:
            raise InputError(
                f"{label}: a 2-D array of shape {array.shape} does not look like channels x samples. "
                "Pass a 1-D array (mono) or (channels, samples) with at most 8 channels."
            )
        if array.shape[0] < array.shape[1]:
            array = array.T  # (channels, samples) as librosa uses -> samples x channels
    else:
        raise InputError(f"{label}: samples must be 1-D or 2-D, got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise InputError(f"{label}: the samples hold NaN or infinite values. Fix or drop the clip.")
    return array, int(rate)


def _read(item: Any, label: str) -> tuple[np.ndarray, int, Any]:
    """Decode, validate and mix down one clip: (mono float32, rate, fingerprint)."""
    if isinstance(item, (str, os.PathLike)):
        samples, rate, raw = _decode_file(Path(item), label)
        fingerprint = ("file", hashlib.sha256(raw).hexdigest())
    elif isinstance(item, tuple):
        samples, rate = _array_samples(item, label)
        fingerprint = ("array", content_hash(samples, rate))
    elif isinstance(item, np.ndarray):
        raise InputError(
            f"{label}: a bare array has no sample rate. Pass a (samples, sample_rate) tuple, "
            "e.g. [(y, 16000)]."
        )
    else:
        raise InputError(
            f"{label}: got a {type(item).__name__}; an audio clip is a file path or a "
            "(samples, sample_rate) tuple."
        )
    if samples.shape[0] == 0:
        raise InputError(f"{label}: the clip holds no samples. Drop it, or check how it was exported.")
    mono = samples.mean(axis=1)  # averaging keeps a centred source at its level
    peak = float(np.abs(mono).max())
    if peak > 1.0:
        mono = mono / peak  # beyond full scale: keep the shape, avoid wrap-around in 16-bit tools
    return np.ascontiguousarray(mono, dtype=np.float32), rate, fingerprint


def load_audio(item: Any, sample_rate: int | None = 16000, max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """Load one clip as the embedders see it: mono float32 at ``sample_rate``.

    ``item`` is a path or a ``(samples, sample_rate)`` tuple; ``sample_rate=None``
    keeps the clip's own rate; ``max_seconds`` cuts long clips (keeps the start).

    >>> import numpy as np
    >>> stereo_8k = (np.zeros((2, 800)), 8000)
    >>> y, sr = load_audio(stereo_8k)
    >>> y.shape, sr
    ((1600,), 16000)
    """
    mono, rate, _ = _read(item, _label(item, None))
    return _resample_and_cut(mono, rate, sample_rate, max_seconds)


def _resample_and_cut(mono: np.ndarray, rate: int, target: int | None, max_seconds: float | None) -> tuple[np.ndarray, int]:
    if max_seconds is not None:
        mono = mono[: max(1, int(round(max_seconds * rate)))]
    if target is not None and target != rate:
        librosa = require("librosa", "audio", "Resampling audio")
        mono = librosa.resample(mono, orig_sr=rate, target_sr=target).astype(np.float32)
        rate = target
    return mono, rate


@dataclass(frozen=True)
class _Clip:
    """A checked clip: what to read, how to name it, and its content identity."""

    item: Any
    label: str
    fingerprint: Any


class AudioEmbedder(Embedder):
    """Base of the audio embedders: checking, loading, resampling, padding.

    Subclasses implement ``_embed_clip(model, y)`` for one prepared clip.
    """

    modality: ClassVar[str] = "audio"
    # Settings that change speed, not vectors: left out of the cache key.
    _not_identity: ClassVar[tuple[str, ...]] = ("batch_size", "cache", "progress", "threads")

    def _model_identity(self) -> tuple:
        params = {k: v for k, v in self.get_params().items() if k not in self._not_identity}
        return ("audio", type(self).__qualname__, tuple(sorted(params.items())))

    def _load_model(self) -> Any:
        return None  # computed features: nothing to load

    def _target_rate(self) -> int:
        return check_int(self.sample_rate, "sample_rate (Hz)", minimum=4000)

    def _check_params(self) -> None:
        super()._check_params()
        self._target_rate()
        seconds, threads = self.max_seconds, self.threads
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0):
            raise InputError(f"max_seconds must be a positive number of seconds or None, got {seconds!r}.")
        check_threads(threads)

    def _frame(self) -> tuple[int, int]:
        """(n_fft, hop): a ~25 ms window rounded up to a power of two, 10 ms hop."""
        rate = self._target_rate()
        return int(2 ** np.ceil(np.log2(0.025 * rate))), rate // 100

    def _check_item(self, item: Any, index: int) -> _Clip:
        label = _label(item, index)
        mono, _, fingerprint = _read(item, label)
        if float(np.abs(mono).max()) < SILENCE_PEAK:
            warnings.warn(
                f"{label} is silent (peak below -80 dBFS): it gets the vector of silence, "
                "shared by all silent clips.", stacklevel=5,  # the caller of transform()
            )
        return _Clip(item, label, fingerprint)

    def _fingerprint(self, clip: _Clip) -> Any:
        return clip.fingerprint

    def _prepare(self, clip: _Clip) -> np.ndarray:
        mono, rate, _ = _read(clip.item, clip.label)
        y, _ = _resample_and_cut(mono, rate, self._target_rate(), self.max_seconds)
        n_fft = self._frame()[0]
        if len(y) < n_fft:
            y = np.pad(y, (0, n_fft - len(y)))  # silence after a very short clip
        return y

    def _embed_batch(self, model: Any, batch: list[_Clip]) -> np.ndarray:
        # Per-clip matrices are small: extra threads only fight over the cores.
        with limited_threads(self.threads):
            return np.stack([self._embed_clip(model, self._prepare(clip)) for clip in batch])

    def _embed_clip(self, model: Any, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _stats(frames: np.ndarray) -> np.ndarray:
    """Statistics pooling: per-row mean, then per-row standard deviation over time."""
    return np.concatenate([frames.mean(axis=1), frames.std(axis=1)])


class MFCCEmbedder(AudioEmbedder):
    """MFCC statistics: mean and standard deviation of ``n_mfcc`` coefficients (2 x n_mfcc).

    MFCCs summarise the spectral envelope (timbre) of each 10 ms frame; pooling
    over time forgets the order of sounds but makes one vector of any clip.

    >>> import numpy as np
    >>> MFCCEmbedder(n_mfcc=13, cache=False).transform([(np.ones(400) * 0.1, 16000)]).shape
    (1, 26)
    """

    def __init__(self, n_mfcc: int = 20, n_mels: int = 40, sample_rate: int = 16000,
                 max_seconds: float | None = 30.0, threads: int | None = 1, batch_size: int = 32,
                 cache: bool = True, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.n_mfcc = n_mfcc
        self.n_mels = n_mels
        self.sample_rate = sample_rate
        self.max_seconds = max_seconds
        self.threads = threads

    def _mfcc(self, y: np.ndarray) -> np.ndarray:
        librosa = require("librosa", "audio", type(self).__name__)
        n_fft, hop = self._frame()
        return librosa.feature.mfcc(y=y, sr=self._target_rate(), n_mfcc=self.n_mfcc, n_fft=n_fft,
                                    hop_length=hop, n_mels=self.n_mels)

    def _embed_clip(self, model: Any, y: np.ndarray) -> np.ndarray:
        return _stats(self._mfcc(y))


class LogMelEmbedder(AudioEmbedder):
    """Log-mel statistics: mean and standard deviation of each mel band in dB (2 x n_mels).

    Absolute decibels (reference 1.0), so loudness is part of the vector.

    >>> import numpy as np
    >>> LogMelEmbedder(cache=False).transform([(np.ones(400) * 0.1, 16000)]).shape
    (1, 128)
    """

    def __init__(self, n_mels: int = 64, sample_rate: int = 16000, max_seconds: float | None = 30.0,
                 threads: int | None = 1, batch_size: int = 32, cache: bool = True,
                 progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.n_mels = n_mels
        self.sample_rate = sample_rate
        self.max_seconds = max_seconds
        self.threads = threads

    def _embed_clip(self, model: Any, y: np.ndarray) -> np.ndarray:
        librosa = require("librosa", "audio", type(self).__name__)
        n_fft, hop = self._frame()
        mel = librosa.feature.melspectrogram(y=y, sr=self._target_rate(), n_fft=n_fft,
                                             hop_length=hop, n_mels=self.n_mels)
        return _stats(librosa.power_to_db(mel, ref=1.0))


class TimeNormalizedMFCCEmbedder(MFCCEmbedder):
    """MFCC frames stretched to ``n_steps`` time steps and flattened (n_mfcc x n_steps).

    Leading and trailing silence quieter than ``trim_db`` below the peak is cut
    first (``trim_db=None`` keeps it), so a word spoken fast or slow, early or
    late in the clip, lines up with itself: the vector keeps the *order* of
    sounds, which statistics pooling loses. ``mean_normalize`` subtracts each
    coefficient's mean over time (cepstral mean normalisation), which removes
    much of the voice and the microphone and keeps what is said.

    >>> import numpy as np
    >>> TimeNormalizedMFCCEmbedder(cache=False).transform([(np.ones(4000) * 0.1, 16000)]).shape
    (1, 208)
    """

    def __init__(self, n_mfcc: int = 13, n_steps: int = 16, trim_db: float | None = 30.0,
                 mean_normalize: bool = True, n_mels: int = 40, sample_rate: int = 16000,
                 max_seconds: float | None = 30.0, threads: int | None = 1, batch_size: int = 32,
                 cache: bool = True, progress: bool | None = None):
        super().__init__(n_mfcc=n_mfcc, n_mels=n_mels, sample_rate=sample_rate, max_seconds=max_seconds,
                         threads=threads, batch_size=batch_size, cache=cache, progress=progress)
        self.n_steps = n_steps
        self.trim_db = trim_db
        self.mean_normalize = mean_normalize

    def _check_params(self) -> None:
        super()._check_params()
        check_int(self.n_steps, "n_steps")

    def _embed_clip(self, model: Any, y: np.ndarray) -> np.ndarray:
        if self.trim_db is not None:
            librosa = require("librosa", "audio", type(self).__name__)
            n_fft, hop = self._frame()
            trimmed, _ = librosa.effects.trim(y, top_db=self.trim_db, frame_length=n_fft, hop_length=hop)
            y = trimmed if len(trimmed) >= self._frame()[0] else y  # nothing left: keep the clip
        mfcc = self._mfcc(y)
        if self.mean_normalize:
            mfcc = mfcc - mfcc.mean(axis=1, keepdims=True)
        old = np.linspace(0.0, 1.0, mfcc.shape[1])
        new = np.linspace(0.0, 1.0, self.n_steps)
        return np.stack([np.interp(new, old, row) for row in mfcc]).ravel()
