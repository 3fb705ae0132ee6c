"""Who is speaking: a pretrained speaker-embedding model, offline.

resemblyzer's voice encoder (a 3-layer LSTM trained with the GE2E loss to tell
thousands of speakers apart) turns a clip of speech into a 256-d unit vector, a
*d-vector*. Clips go through the same preparation as every audio embedder
(:mod:`embedkit.audio`: decode, mono, length, resampling to 16 kHz), then the
model's own steps. Its weights ship inside the ``resemblyzer`` wheel.

>>> import numpy as np
>>> from embedkit import SpeakerEmbedder
>>> noise = (np.random.default_rng(0).normal(0, 0.1, 16000), 16000)
>>> SpeakerEmbedder(cache=False).transform([noise]).shape
(1, 256)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from embedkit.audio import AudioEmbedder
from embedkit.errors import require

__all__ = ["SpeakerEmbedder"]


class SpeakerEmbedder(AudioEmbedder):
    """Who is speaking: resemblyzer's pretrained 256-d speaker vectors (d-vectors).

    A 3-layer LSTM trained to tell thousands of speakers apart (GE2E loss), run
    over 1.6 s windows of the clip and averaged; vectors have unit length. The
    weights ship inside the ``resemblyzer`` wheel: it runs offline. Before the
    model, clips are resampled to its fixed 16 kHz, raised to -30 dBFS if
    quieter, and long pauses are cut by a voice detector (webrtcvad); a clip
    where no voice is detected is embedded whole. Parameters as in
    :class:`~embedkit.audio.MFCCEmbedder`, without ``sample_rate``.
    """

    def __init__(self, max_seconds: float | None = 30.0, threads: int | None = 1,
                 batch_size: int = 32, cache: bool = True, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.max_seconds = max_seconds
        self.threads = threads

    sample_rate = 16000  # fixed by the model; a class attribute, not a parameter

    def _load_model(self) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # its scipy import path; harmless
            resemblyzer = require("resemblyzer", "audio", "SpeakerEmbedder")
        import torch

        torch.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # torch.load's weights_only notice
            model = resemblyzer.VoiceEncoder(device="cpu", verbose=False)
        self._say_loaded_from("the offline package resemblyzer (pretrained.pt inside the wheel)")
        return model

    def _embed_clip(self, model: Any, y: np.ndarray) -> np.ndarray:
        from resemblyzer import audio as voice

        if np.sqrt(np.mean(y**2)) > 0:  # resemblyzer's own step divides by the level
            y = voice.normalize_volume(y, voice.audio_norm_target_dBFS, increase_only=True)
        y = np.clip(y, -1.0, 1.0)  # its voice detector converts to 16-bit
        voiced = voice.trim_long_silences(y)
        if len(voiced) >= self._frame()[0]:
            y = voiced
        return model.embed_utterance(y)
