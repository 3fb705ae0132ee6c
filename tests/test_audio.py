"""Audio embedders on generated signals: loading policy, grouping, bad input."""

import numpy as np
import pytest
import soundfile as sf
from sklearn.base import clone

from embedkit import (InputError, LogMelEmbedder, MFCCEmbedder, SpeakerEmbedder,
                      TimeNormalizedMFCCEmbedder, get_embedder, load_audio, model_info)

RATE = 16000


def tone(freq, seconds=0.5, rate=RATE, amplitude=0.5):
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def chirp(f0, f1, seconds=0.6, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t**2 / (2 * seconds))
    return (0.5 * np.sin(phase)).astype(np.float32)


def cosine(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


@pytest.fixture
def wav(tmp_path):
    def write(name, samples, rate=RATE, subtype="PCM_16"):
        path = tmp_path / name
        sf.write(path, samples, rate, subtype=subtype)
        return str(path)
    return write


@pytest.fixture(scope="module")
def speaker():
    return SpeakerEmbedder(cache=False)


ALL_SIGNAL = [MFCCEmbedder, LogMelEmbedder, TimeNormalizedMFCCEmbedder]


# --- what the vectors capture ---------------------------------------------------
def test_tones_group_by_pitch_not_loudness_or_length(wav):
    paths = [wav("low_a.wav", tone(220, 0.5, amplitude=0.5)), wav("low_b.wav", tone(220, 0.8, amplitude=0.3)),
             wav("high_a.wav", tone(1760, 0.5, amplitude=0.5)), wav("high_b.wav", tone(1760, 0.8, amplitude=0.3))]
    X = MFCCEmbedder(cache=False).transform(paths)
    distances = np.linalg.norm(X[:, None] - X[None], axis=2) + np.eye(4) * 1e9
    assert distances.argmin(axis=1).tolist() == [1, 0, 3, 2]


def test_time_normalized_mfcc_keeps_the_order_that_pooling_loses():
    up, down = (chirp(300, 3000), RATE), (chirp(3000, 300), RATE)
    pooled = MFCCEmbedder(cache=False).transform([up, down])
    ordered = TimeNormalizedMFCCEmbedder(cache=False).transform([up, down])
    assert cosine(*pooled) > 0.98
    assert cosine(*ordered) < 0.5


def test_time_normalized_mfcc_ignores_silence_around_a_sound():
    sound = chirp(300, 3000) * np.hanning(int(0.6 * RATE)).astype(np.float32)  # soft on/offset
    padded = [(sound, RATE), (np.concatenate([np.zeros(8000, np.float32), sound, np.zeros(3000, np.float32)]), RATE)]
    assert cosine(*TimeNormalizedMFCCEmbedder(cache=False).transform(padded)) > 0.95
    assert cosine(*TimeNormalizedMFCCEmbedder(trim_db=None, cache=False).transform(padded)) < 0.5


# --- loading policy ----------------------------------------------------------------
@pytest.mark.parametrize("embedder_class", ALL_SIGNAL)
def test_stereo_file_equals_its_mono_mix(wav, embedder_class):
    left, right = tone(300), tone(1200)
    stereo = wav("stereo.wav", np.stack([left, right], axis=1), subtype="FLOAT")
    mono = wav("mono.wav", (left + right) / 2, subtype="FLOAT")
    a, b = embedder_class(cache=False).transform([stereo, mono])
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-3)


def test_channels_first_and_channels_last_arrays_are_the_same_clip():
    stereo = np.stack([tone(300), tone(1200)])
    a, b = MFCCEmbedder(cache=False).transform([(stereo, RATE), (stereo.T, RATE)])
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)  # other memory layouts may take other kernels


@pytest.mark.parametrize("embedder_class", ALL_SIGNAL)
def test_8k_16k_and_48k_clips_give_the_same_shape_and_similar_vectors(wav, embedder_class):
    paths = [wav(f"tone_{rate}.wav", tone(440, rate=rate), rate=rate) for rate in (8000, 16000, 48000)]
    X = embedder_class(cache=False).transform(paths)
    assert X.shape[0] == 3 and np.isfinite(X).all()
    assert cosine(X[1], X[2]) > 0.99 and cosine(X[0], X[1]) > 0.9


def test_load_audio_resamples_and_mixes_down(wav):
    path = wav("stereo48.wav", np.stack([tone(440, 1.0, 48000)] * 2, axis=1), rate=48000)
    y, rate = load_audio(path, sample_rate=16000)
    assert rate == 16000 and y.shape == (16000,) and y.dtype == np.float32
    native, native_rate = load_audio(path, sample_rate=None, max_seconds=0.25)
    assert native_rate == 48000 and native.shape == (12000,)


def test_integer_arrays_are_scaled_like_the_file_reader():
    y = tone(440)
    pcm = np.round(y * 32767).astype(np.int16)
    a, b = MFCCEmbedder(cache=False).transform([(y, RATE), (pcm, RATE)])
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-2)


def test_too_loud_float_audio_is_scaled_to_full_scale_and_clipped_audio_still_embeds(wav):
    y = tone(440, amplitude=1.0)
    loud, normal = MFCCEmbedder(cache=False).transform([(3 * y, RATE), (y, RATE)])
    np.testing.assert_allclose(loud, normal, rtol=1e-5, atol=1e-4)
    clipped = wav("clipped.wav", np.clip(4 * tone(220), -1, 1))  # flat tops at full scale
    X = MFCCEmbedder(cache=False).transform([clipped, (tone(220), RATE), (tone(1760), RATE)])
    assert np.isfinite(X).all()
    assert np.linalg.norm(X[0] - X[1]) < np.linalg.norm(X[0] - X[2])


@pytest.mark.parametrize("embedder_class", ALL_SIGNAL + [SpeakerEmbedder])
def test_silent_clips_warn_and_all_get_the_same_finite_vector(embedder_class):
    with pytest.warns(UserWarning, match="silent") as caught:
        X = embedder_class(cache=False).transform([(np.zeros(8000), RATE), (np.zeros(20000), 8000)])
    assert [str(w.message)[:6] for w in caught] == ["Item 0", "Item 1"]
    assert np.isfinite(X).all()
    np.testing.assert_allclose(X[0], X[1], atol=1e-3)  # float32 round-off only


@pytest.mark.parametrize("embedder_class", ALL_SIGNAL)
def test_very_short_clip_is_padded_with_silence(embedder_class):
    click = tone(1000, seconds=0.005)  # 80 samples, shorter than one 512-sample window
    padded = np.pad(click, (0, 512 - len(click)))
    a, b = embedder_class(cache=False).transform([(click, RATE), (padded, RATE)])
    assert np.isfinite(a).all()
    np.testing.assert_allclose(a, b, atol=1e-4)


def test_long_clips_are_cut_at_max_seconds():
    long = np.concatenate([tone(300, 1.0), tone(3000, 1.0)])
    cut, first = MFCCEmbedder(max_seconds=1.0, cache=False).transform([(long, RATE), (tone(300, 1.0), RATE)])
    np.testing.assert_allclose(cut, first, atol=1e-4)


# --- bad input ----------------------------------------------------------------------
@pytest.fixture
def bad_files(tmp_path, wav):
    good = wav("good.wav", tone(440))
    data = (tmp_path / "good.wav").read_bytes()
    files = {"truncated_header.wav": data[:30], "truncated_data.wav": data[: len(data) // 2],
             "notes.wav": b"This is a text file, not audio.\n", "empty.wav": b"",
             "garbled.wav": data[:8] + b"XXXXXXXX" + data[16:]}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return good, {name: str(tmp_path / name) for name in files}


@pytest.mark.parametrize("name", ["truncated_header.wav", "truncated_data.wav", "notes.wav",
                                  "empty.wav", "garbled.wav"])
def test_corrupted_and_non_audio_files_are_rejected_naming_the_file(bad_files, name, monkeypatch):
    good, bad = bad_files

    def must_not_run(*args):
        raise AssertionError("a batch ran before every item was checked")

    monkeypatch.setattr(MFCCEmbedder, "_embed_batch", must_not_run)
    with pytest.raises(InputError, match=f"Item 1 .*{name}"):
        MFCCEmbedder(cache=False).transform([good, bad[name]])


def test_speaker_embedder_rejects_bad_files_before_loading_the_model(bad_files, monkeypatch):
    _, bad = bad_files
    monkeypatch.setattr(SpeakerEmbedder, "_load_model", lambda self: pytest.fail("model loaded"))
    with pytest.raises(InputError, match="notes.wav"):
        SpeakerEmbedder(cache=False).transform([bad["notes.wav"]])


@pytest.mark.parametrize("bad, message", [
    ([42], "got a int"),
    ([np.zeros(100)], "bare array has no sample rate"),
    ([(np.zeros(100), 0)], "sample rate"),
    ([(np.zeros(100), 16000.5)], "sample rate"),
    ([(np.zeros(100), True)], "sample rate"),
    ([(np.zeros(100), 16000, "x")], "2 parts|3 parts"),
    ([(np.array(["a", "b"]), 16000)], "real numbers"),
    ([(np.full(100, np.nan), 16000)], "NaN"),
    ([(np.zeros((20, 100)), 16000)], "channels"),
    ([(np.zeros(0), 16000)], "no samples"),
    (["/no/such/file.wav"], "missing"),
])
def test_wrong_types_and_values_are_rejected(bad, message):
    with pytest.raises(InputError, match=message):
        MFCCEmbedder(cache=False).transform(bad)


def test_a_folder_is_not_a_clip(tmp_path):
    with pytest.raises(InputError, match="folder"):
        load_audio(tmp_path)


@pytest.mark.parametrize("settings, message", [
    ({"sample_rate": 100}, "sample_rate"), ({"max_seconds": 0}, "max_seconds"),
    ({"max_seconds": "10"}, "max_seconds"), ({"threads": 0}, "threads"), ({"threads": 1.5}, "threads"),
])
def test_bad_settings_are_rejected_before_any_work(settings, message, monkeypatch):
    monkeypatch.setattr(SpeakerEmbedder, "_load_model", lambda self: pytest.fail("model loaded"))
    for embedder_class in (MFCCEmbedder, SpeakerEmbedder):
        if "sample_rate" in settings and embedder_class is SpeakerEmbedder:
            continue  # fixed at 16 kHz by the model
        with pytest.raises(InputError, match=message):
            embedder_class(cache=False, **settings).transform([(tone(440), RATE)])


def test_bad_steps_are_rejected():
    with pytest.raises(InputError, match="n_steps"):
        TimeNormalizedMFCCEmbedder(n_steps=0, cache=False).transform([(tone(440), RATE)])


# --- scikit-learn contract, cache and registry ---------------------------------
def test_cache_follows_file_content_not_file_name(wav, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDKIT_CACHE", str(tmp_path / "cache"))
    path = wav("clip.wav", tone(220))
    first = MFCCEmbedder().transform([path])
    wav("clip.wav", tone(1760))  # same name, new sound
    second = MFCCEmbedder().transform([path])
    assert not np.allclose(first, second)
    np.testing.assert_array_equal(MFCCEmbedder().transform([path]), second)


def test_embedders_follow_the_scikit_learn_contract():
    embedder = TimeNormalizedMFCCEmbedder(n_steps=8, cache=False)
    copy = clone(embedder)
    assert copy.get_params() == embedder.get_params() and copy.n_steps == 8
    assert copy.fit([(tone(440), RATE)]) is copy


@pytest.mark.parametrize("name", ["mfcc-stats", "logmel-stats", "mfcc-time-normalized", "resemblyzer"])
def test_registered_audio_models_have_the_dimensions_they_claim(name):
    info = model_info(name)
    assert info["modality"] == "audio" and info["runs_offline_here"]
    X = get_embedder(name, cache=False).transform([(tone(440, 1.0), RATE)])
    assert X.shape == (1, info["dim"])


# --- the pretrained speaker model ---------------------------------------------------
def test_speaker_vectors_are_unit_length_deterministic_and_restore_torch_threads(speaker, capsys):
    import torch

    threads = torch.get_num_threads()
    noise = (np.random.default_rng(0).normal(0, 0.1, 24000).astype(np.float32), RATE)
    a = speaker.transform([noise, (tone(200, 1.5), 8000)])
    b = SpeakerEmbedder(cache=False, batch_size=1).transform([noise])
    assert a.shape == (2, 256)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(a[0], b[0], atol=1e-5)
    assert torch.get_num_threads() == threads
    assert "offline package resemblyzer" in speaker.loaded_from_
