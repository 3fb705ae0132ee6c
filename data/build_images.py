"""Image data sets: emoji and clipart (see build.py)."""
import hashlib
import io
import random
import re
import warnings
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from build_common import fresh_dir, write_csv

EMOJI_TEST = Path("/usr/share/unicode/emoji/emoji-test.txt")
EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
CLIPART = Path("/usr/share/openclipart/png")
EMOJI_SKIP = {"middle finger"}  # a rude gesture has no place in a workshop set


def save_png(im, path):
    """Lossless PNG, squeezed by oxipng (~10% smaller than Pillow's optimize=True):
    1,170 emoji files add up, and the data must stay small."""
    import oxipng
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    # keep the colour type (RGBA stays RGBA, RGB stays RGB): only the compression changes
    path.write_bytes(oxipng.optimize_from_memory(
        buf.getvalue(), level=2, strip=oxipng.StripChunks.all(), color_type_reduction=False,
        bit_depth_reduction=False, palette_reduction=False, grayscale_reduction=False))


def read_emoji_test():
    """Single-code-point, fully-qualified emoji with their group and subgroup."""
    group = subgroup = None
    for line in EMOJI_TEST.read_text(encoding="utf-8").splitlines():
        if line.startswith("# group:"):
            group = line.split(":", 1)[1].strip()
        elif line.startswith("# subgroup:"):
            subgroup = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            cps, rest = line.split(";", 1)
            status, comment = rest.split("#", 1)
            if status.strip() == "fully-qualified" and len(cps.split()) == 1:
                # comment looks like " 😀 E1.0 grinning face"
                name = comment.strip().split(" ", 2)[2]
                yield {"codepoint": "U+" + cps.strip(), "char": chr(int(cps, 16)),
                       "name": name, "group": group, "subgroup": subgroup}


def build_emoji():
    """Render each emoji from Noto Color Emoji (a bitmap font: size 109 only) at 64x64."""
    out = fresh_dir("emoji")
    font = ImageFont.truetype(EMOJI_FONT, 109)
    rows = []
    for e in read_emoji_test():
        # glyphs are 136x128: draw on a 136x136 square, 4 px down, so every emoji
        # keeps its size relative to the others (no crop-to-content)
        im = Image.new("RGBA", (136, 136), (0, 0, 0, 0))
        ImageDraw.Draw(im).text((0, 4), e["char"], font=font, embedded_color=True)
        if im.getchannel("A").getextrema()[1] == 0:
            continue  # the font has no glyph for it: blank
        if e["name"] in EMOJI_SKIP:
            continue
        rel = f"img/{len(rows) + 1:04d}.png"
        save_png(im.resize((64, 64), Image.LANCZOS), out / rel)
        rows.append({**e, "path": rel})
    write_csv(out / "items.csv", rows, ["path", "name", "group", "subgroup", "codepoint"])
    return {
        "modality": "image", "table": "emoji/items.csv", "item_column": "path",
        "label_columns": ["group", "subgroup", "name"], "n_items": len(rows),
        "description": (f"{len(rows)} emoji as 64x64 colour pictures with their Unicode name, "
                        "group (such as 'Animals & Nature') and subgroup: a clean image set "
                        "whose labels come in two levels of detail."),
        "source": ("Noto Color Emoji font (Debian fonts-noto-color-emoji, Google) rendered with "
                   "Pillow; names and groups from emoji-test.txt (Debian unicode-data, "
                   "Unicode 15.0)"),
        "licence": ("Noto Emoji: font OFL-1.1, images Apache-2.0; emoji-test.txt: "
                    "Unicode License (data files)"),
    }


# ------------------------------------------------------------------- clip art

# category -> (folder under /usr/share/openclipart/png, include subfolders,
#              file names to leave out: not of the category, not a picture of one
#              thing, fan art, or a crude name)
CLIPART_CATS = {
    "mammal": ("animals/mammals", True, "emule|mhooo|shaezy|skoynk|squeek|mechorse|vgcats"),
    "bird": ("animals/birds", False, "tux|manager|contour_bat|ralf_ark|mirjam|simbolo|wing_|"
                                     + "duck_yellow_ii|turkey_on"),
    "insect": ("animals/bugs", False, "lumaca|snail|c_rollandin|insetto|ragn|spider|virus|"
                                      + "mostri|punaisa"),
    "fruit": ("food/fruit", False, "juice|champignon|gumnut|kallisti|eris|fruitcollection|core|"
                                   + "candied|wedge|pie_|tote|tile_|tree_|turkey|applf|"
                                   + "lime_half_jarno"),
    "flower": ("plants/flowers", False, "cactus|tree|mirjam"),
    "vehicle": ("transportation/vehicles", False, "crossroads|curve|cycle_lane|cycle_route|"
                + "parking|quay|lighthouse|road_runner|symbol|autos|blueprint|bluepr|wing_"),
    "house": ("buildings/homes", False, "lighthouse"),
    "musical instrument": ("recreation/music", False, "record|singing|bach|beethov|handel|"
                           + "clef|croche|note|boombox|jukebox|gramophone|headphones|jazz|"
                           + "microphone|piano_keys|piano_theory|quaver|staff|vinyl|sixteenth|"
                           + "mute"),
}
PER_CATEGORY = 30
# File names are "<subject>_<author>_<nn>", often Italian or French. These
# prefixes get a hand-written English name; the rest are cleaned by rule.
RENAME = [
    (r"le_mie_tigri", "tigers"), (r"gattina", "kitten"), (r"gatto_nero", "black cat"),
    (r"gatto", "cat"), (r"cavallo|horse_\d", "horse"), (r"bobi|dog_\d\d_drawn", "dog"),
    (r"elefante", "elephant"), (r"sleeping_bear", "sleeping bear"), (r"bluewhale", "blue whale"),
    (r"sheep-md", "sheep"), (r"toro_al_tramonto", "bull at sunset"), (r"vacca", "cow"),
    (r"stambecco", "ibex"), (r"elephant_outline", "elephant outline"), (r"b_w_tiger", "tiger"),
    (r"simple_stylized_wolf|stylized_wolf", "wolf head"), (r"sleeping_cat", "sleeping cat"),
    (r"beagle", "beagle"), (r"black_lab", "black labrador"),
    (r"cat_scrathing", "cat and scratching post"),
    (r"aquila|acquila", "eagle"), (r"bird_of_peace|dove", "dove"), (r"cigni", "swans"),
    (r"cigno_di_notte", "swan at night"), (r"cigno", "swan"), (r"cormorant", "cormorant"),
    (r"puffin", "puffin"), (r"gallo", "rooster"), (r"gufo", "owl"), (r"jonathon_s_duck", "duck"),
    (r"stormo", "flock of birds"), (r"uccello", "bird"), (r"duck_yellow", "yellow duck"),
    (r"tacchino", "turkey"), (r"flamand", "flamingo"), (r"butterfly|farfalla_", "butterfly"),
    (r"quattro_farfalle", "butterflies"), (r"mante|mantide", "praying mantis"),
    (r"moschito|zanzara|mosquito", "mosquito"), (r"grass_hopper|cavalletta", "grasshopper"),
    (r"coccinell", "ladybird"), (r"formic", "ant"), (r"libellul", "dragonfly"),
    (r"abeille|bee\d", "bee"), (r"pasteque|watermelon", "watermelon"), (r"la_prugna|prune", "plum"),
    (r"rondelle", "orange slice"), (r"pesca", "peach"), (r"pera_", "pear"), (r"melon", "melon"),
    (r"slate-apple", "apple"), (r"mazzo_di_fiori", "bunch of flowers"),
    (r"simple_five", "daffodil"),
    (r"flowerandpot", "flower in a pot"), (r"funnyflower", "cartoon flower"), (r"fiore", "flower"),
    (r"sun_flower", "sunflower"), (r"lotas", "lotus"), (r"\d*_?chevrolet|redcar|skoda", "car"),
    (r"4wd", "four-wheel drive car"), (r"m1_abrams", "tank"), (r"the_mad_little_ship", "ship"),
    (r"vtt", "mountain bike"), (r"plane_silhouet", "plane silhouette"), (r"bicicletta", "bicycle"),
    (r"blazer|hummer", "off-road car"), (r"trattore", "tractor"), (r"ambulans", "ambulance"),
    (r"abitazione_villa", "villa"), (r"casa_dei_sogni", "dream house"),
    (r"casa_in_campagna", "country house"), (r"casa_plurifamigliare", "apartment house"),
    (r"casa_verde", "green house"), (r"chalet", "mountain chalet"), (r"pinkhome", "pink house"),
    (r"lowtec", "low-tech house"), (r"home", "house"), (r"africandrum", "african drum"),
    (r"bass_guitar", "bass guitar"), (r"derbouk", "darbuka"), (r"djambf", "djembe"),
    (r"tpt_|trumpet_b_flat", "trumpet"), (r"trumpet_pocket", "pocket trumpet"),
    (r"trumpet_herald", "herald trumpet"), (r"violin", "violin"), (r"harp", "harp"),
    (r"cello", "cello"), (r"guitar_profile|guitar_", "guitar"), (r"war_drum", "war drum"),
]
AUTHOR_TOKENS = {
    "architetto", "ganson", "nicu", "jarno", "gerald", "benji", "mo", "peterm", "jean",
    "jean-victor", "jonathan", "mike", "dan", "leif", "linda", "susan", "matt", "matthew", "ralf",
    "marcelo", "enrique", "alejandro", "mateya", "k", "james", "tanguy", "kurt", "charles", "rory",
    "david", "ghuul", "thom", "leigh", "juliane", "daniel", "janet", "tess", "raphael", "dave",
    "yogesh", "patricia", "lumen", "indana", "steffen", "philippe", "andrea", "terry", "geraint",
    "jurgen", "utrescu", "orlando", "shandy", "graig", "fco", "mimooh", "michael", "jon",
    "gabrielle", "christoph", "romus", "martin", "etienne", "fudriot"}
ITALIAN = {"antilope": "antelope", "canguro": "kangaroo", "coniglio": "rabbit", "orso": "bear",
           "ours": "bear", "leone": "lion", "tigre": "tiger", "topo": "mouse", "pecora": "sheep",
           "gabbiano": "seagull", "pollo": "chicken", "porcinet": "piglet"}


def clipart_name(stem):
    """'antilope_architetto_fran_01' -> 'antelope'; 'green_pear_01' -> 'green pear'."""
    for pattern, name in RENAME:
        if re.match(pattern, stem.lower()):
            return name
    words = []
    for tok in re.split(r"[_\s]+", stem.lower()):
        tok = re.sub(r"\d+$", "", tok.strip(".-"))
        if tok in AUTHOR_TOKENS and words:
            break  # the rest is the artist's name
        if tok and tok not in {"bw", "md", "r", "simple", "a", "an", "another"}:
            words.append(ITALIAN.get(tok, tok).replace("-", " "))
    return " ".join(dict.fromkeys(words)) or stem


def load_clipart(path):
    """Flatten onto white and fit into 128x128 (aspect kept, white padding); None if unusable."""
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # those are skipped below
    try:
        with Image.open(path) as im:
            # tiny icons upscale into mush; a few 10000+ px posters take minutes to decode
            if min(im.size) < 48 or im.width * im.height > 25_000_000:
                return None
            im.load()
            rgba = im.convert("RGBA")
    except Exception:  # noqa: BLE001 - broken files are skipped
        return None
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    flat = flat.convert("RGB")
    # crop the empty margin many drawings have, so the subject fills the frame
    box = ImageOps.invert(flat.convert("L")).point(lambda v: 255 if v > 8 else 0).getbbox()
    if box is None:
        return None  # blank
    flat = flat.crop(box)
    scale = 128 / max(flat.size)
    size = (max(1, round(flat.width * scale)), max(1, round(flat.height * scale)))
    flat = flat.resize(size, Image.LANCZOS)
    canvas = Image.new("RGB", (128, 128), (255, 255, 255))
    canvas.paste(flat, ((128 - size[0]) // 2, (128 - size[1]) // 2))
    darkest = canvas.convert("L").getextrema()[0]
    return canvas if darkest < 200 else None  # almost all white: nothing to see


def build_clipart():
    """8 categories x 30 public-domain clip-art images, seeded sample."""
    out = fresh_dir("clipart")
    rng = random.Random(0)
    rows, seen = [], set()
    for cat, (folder, recursive, exclude) in CLIPART_CATS.items():
        files = sorted((CLIPART / folder).glob("**/*.png" if recursive else "*.png"))
        files = [f for f in files if not re.search(exclude, f.name)]
        rng.shuffle(files)
        taken = 0
        for f in files:
            real = f.resolve()
            # "_bw" files are grey copies of a colour picture that is also there
            if real in seen or (f.stem.replace("_bw", "") != f.stem
                                and any(g.stem == f.stem.replace("_bw", "") for g in files)):
                continue
            img = load_clipart(f)
            if img is None:
                continue
            digest = hashlib.sha256(img.tobytes()).hexdigest()
            if digest in seen:
                continue  # same picture under two names
            seen.update({real, digest})
            taken += 1
            rel = f"img/{cat.replace(' ', '_')}_{taken:02d}.png"
            save_png(img, out / rel)
            rows.append({"path": rel, "category": cat, "name": clipart_name(f.stem),
                         "source_file": f.relative_to(CLIPART).as_posix()})
            if taken == PER_CATEGORY:
                break
        assert taken == PER_CATEGORY, (cat, taken)
    write_csv(out / "items.csv", rows, ["path", "category", "name", "source_file"])
    return {
        "modality": "image", "table": "clipart/items.csv", "item_column": "path",
        "label_columns": ["category", "name"], "n_items": len(rows),
        "description": ("240 public-domain clip-art drawings (128x128, white background), 30 "
                        "each of 8 everyday categories such as mammal, fruit, vehicle and "
                        "musical instrument: "
                        "for image embeddings from a pretrained CNN."),
        "source": ("Open Clip Art Library via Debian openclipart-png (/usr/share/openclipart/png), "
                   "category = folder; flattened on white and resized with Pillow"),
        "licence": "Public domain (Creative Commons Public Domain Dedication)",
    }
