"""Small helpers shared by the data-set builders (see build.py)."""
import csv
import io
import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path(__file__).resolve().parent


def fresh_dir(name):
    """Empty data/<name>/ so files from an older build never linger."""
    out = DATA / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def csv_bytes(rows, columns):
    """CSV text as bytes: UTF-8, header row, '\\n' line ends (diff-friendly)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r[c] for c in columns})
    return buf.getvalue().encode("utf-8")


def write_csv(path, rows, columns):
    path.write_bytes(csv_bytes(rows, columns))


def write_csv_gz(path, rows, columns):
    """Standard gzip file written by zopfli (smaller than zlib's best). Its header has
    mtime=0 and no file name, so equal input always gives equal bytes."""
    import zopfli.gzip
    path.write_bytes(zopfli.gzip.compress(csv_bytes(rows, columns), numiterations=5))


def write_wav(path, samples, rate):
    """Float samples in [-1, 1] -> mono 16-bit PCM WAV."""
    x = np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0)
    pcm = np.round(x * 32767).astype(np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), pcm, rate, subtype="PCM_16", format="WAV")
    return len(pcm) / rate


def trim_silence(x, rate, threshold_db=-40.0, pad_s=0.05):
    """Cut leading/trailing parts quieter than threshold_db below the peak."""
    if len(x) == 0:
        return x
    env = np.abs(x)
    thr = env.max() * 10 ** (threshold_db / 20)
    idx = np.flatnonzero(env > thr)
    if len(idx) == 0:
        return x
    pad = int(pad_s * rate)
    return x[max(idx[0] - pad, 0): idx[-1] + pad + 1]


def fade(x, rate, ms=5.0):
    """Short linear fade in/out to avoid clicks at cut points."""
    n = min(int(rate * ms / 1000), len(x) // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n)
        x = x.copy()
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x
