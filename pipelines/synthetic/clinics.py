"""Synthetic clinics: the businesses the synthetic dialer calls (med spas, aesthetic clinics,
dentists, plastic surgeons) with a city, state, IANA timezone, one fictional 555-01xx phone each,
a website and two mailboxes (a generic ``info@``-style inbox and a named person's direct one).

Clinic *i* depends only on (seed, i) — plus, for its phone, on the clinics before it (numbers are
handed out in order so no two clinics share one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.synthetic.geography import CITIES, FICTIONAL_SUFFIXES, all_area_codes, fictional_e164
from pipelines.synthetic.rng import entity_rng
from vocabulary.phones import is_fictional

VERTICALS: tuple[str, ...] = ("med_spa", "aesthetic", "dental", "plastic_surgery")
_VERTICAL_WEIGHTS = (40, 20, 25, 15)

CATEGORIES: dict[str, tuple[str, ...]] = {
    "med_spa": ("Med Spa", "Medical Spa", "Medspa & Laser Clinic"),
    "aesthetic": ("Aesthetic Clinic", "Skin Care Clinic", "Cosmetic Injectables"),
    "dental": ("Dentist", "Cosmetic Dentist", "Dental Clinic"),
    "plastic_surgery": ("Plastic Surgeon", "Plastic Surgery Clinic", "Cosmetic Surgery Center"),
}

_GLOW_WORDS = (
    "Glow",
    "Radiance",
    "Luxe",
    "Serenity",
    "Velvet",
    "Bloom",
    "Aura",
    "Lumiere",
    "Pure",
    "Halo",
    "Solstice",
    "Ivy",
    "Sage",
    "Opal",
    "Willow",
    "Azure",
    "Crystal",
    "Juniper",
    "Silk",
    "Elixir",
    "Revive",
    "Nova",
    "Belle",
    "Vita",
)
_PLACES = (
    "Lakeside",
    "Northside",
    "Riverbend",
    "Oak Hill",
    "Summit",
    "Harbor",
    "Cedar Park",
    "Westlake",
    "Highland",
    "Bayview",
    "Sunset",
    "Parkview",
    "Midtown",
    "Uptown",
    "Magnolia",
    "Crestview",
    "Maple Grove",
    "Stonebridge",
)
SURNAMES = (
    "Alvarez",
    "Bennett",
    "Carter",
    "Delgado",
    "Ellison",
    "Foster",
    "Garcia",
    "Hayes",
    "Ibarra",
    "Jensen",
    "Kim",
    "Lawson",
    "Moreno",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quinn",
    "Reyes",
    "Shah",
    "Thornton",
    "Underwood",
    "Vasquez",
    "Whitaker",
    "Young",
    "Zhang",
    "Brooks",
    "Chen",
    "Dawson",
    "Morgan",
    "Russo",
)
FIRST_NAMES = (
    "Jane",
    "Maria",
    "Olivia",
    "Sophia",
    "Emma",
    "Ava",
    "Mia",
    "Priya",
    "Grace",
    "Chloe",
    "Nina",
    "Rachel",
    "Laura",
    "Hannah",
    "Aisha",
    "Daniel",
    "Michael",
    "David",
    "James",
    "Kevin",
    "Ryan",
    "Marcus",
    "Sam",
    "Tyler",
    "Erin",
    "Kara",
    "Tessa",
    "Lena",
    "Jordan",
    "Alex",
)
_NAME_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    # (first part source, suffix)
    "med_spa": (("glow", "Med Spa"), ("glow", "Medical Spa"), ("glow", "Skin and Laser"), ("place", "Med Spa")),
    "aesthetic": (("glow", "Aesthetics"), ("glow", "Skin Clinic"), ("surname", "Aesthetics"), ("place", "Skin Studio")),
    "dental": (
        ("surname", "Dental"),
        ("place", "Smile Studio"),
        ("surname", "Family Dentistry"),
        ("place", "Dental Arts"),
    ),
    "plastic_surgery": (
        ("surname", "Plastic Surgery"),
        ("place", "Cosmetic Surgery"),
        ("surname", "Aesthetic Surgery"),
    ),
}
_TITLES = ("office manager", "practice manager", "owner", "front desk lead", "clinic director")
GENERIC_LOCALS = ("info", "hello", "frontdesk", "contact", "office")
_TLDS = ("com", "com", "com", "com", "com", "com", "com", "com", "net", "co")


@dataclass(frozen=True, slots=True)
class Clinic:
    clinic_no: int  # 1-based position in the world
    clinic_id: str
    lead_id: str  # stable id carried by the lead record and every call's metadata
    name: str
    vertical: str  # med_spa | aesthetic | dental | plastic_surgery
    category: str  # the free-text category a lead file would carry
    city: str
    state: str
    timezone: str  # IANA
    phone: str  # E.164, fictional NANP 555-01xx
    domain: str  # glowmedspa.com
    domain_words: tuple[str, ...]  # ("glow", "med", "spa"): how a person says the domain
    website: str
    generic_email: str  # info@glowmedspa.com
    direct_email: str  # jane.doe@glowmedspa.com
    contact_first: str
    contact_last: str
    contact_title: str


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def _direct_local(rng, first: str, last: str, vertical: str) -> str:
    f, ln = first.lower(), last.lower()
    options = [f, f"{f}.{ln}", f"{f[0]}{ln}", f"{f}_{ln}"]
    if vertical in ("dental", "plastic_surgery"):
        options.append(f"dr{ln}")
    return rng.choice(options)


def generate_clinics(seed: int, n_clinics: int) -> list[Clinic]:
    """The first ``n_clinics`` clinics of world ``seed`` (a prefix of any larger world)."""
    codes = all_area_codes()
    suffix_pools = {
        code: entity_rng(seed, "phones", code).sample(FICTIONAL_SUFFIXES, len(FICTIONAL_SUFFIXES)) for code in codes
    }
    used_names: set[str] = set()
    used_domains: set[str] = set()
    clinics: list[Clinic] = []
    for no in range(1, n_clinics + 1):
        rng = entity_rng(seed, "clinic", no)
        vertical = rng.choices(VERTICALS, weights=_VERTICAL_WEIGHTS)[0]
        city = rng.choice(CITIES)
        source, suffix = rng.choice(_NAME_PATTERNS[vertical])
        head = {"glow": _GLOW_WORDS, "place": _PLACES, "surname": SURNAMES}[source]
        name = f"{rng.choice(head)} {suffix}"
        if name in used_names:
            name = f"{name} of {city.name}"
        if name in used_names:
            name = f"{name} {no}"
        used_names.add(name)

        domain_words = tuple(_words(name))
        tld = rng.choice(_TLDS)
        domain = "".join(domain_words) + "." + tld
        if domain in used_domains:
            domain_words = domain_words + (str(no),)
            domain = "".join(domain_words) + "." + tld
        used_domains.add(domain)
        website = rng.choice((f"https://www.{domain}", f"https://{domain}", f"www.{domain}", f"http://{domain}/"))

        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        title = rng.choice(_TITLES)
        generic = f"{rng.choice(GENERIC_LOCALS)}@{domain}"
        direct = f"{_direct_local(rng, first, last, vertical)}@{domain}"

        phone = _allocate_phone(city.area_codes, codes, suffix_pools)
        assert is_fictional(phone), phone  # nothing synthetic may ever be a diallable number
        clinics.append(
            Clinic(
                clinic_no=no,
                clinic_id=f"clinic_syn_{seed}_{no:05d}",
                lead_id=f"lead_syn_{seed}_{no:05d}",
                name=name,
                vertical=vertical,
                category=rng.choice(CATEGORIES[vertical]),
                city=city.name,
                state=city.state,
                timezone=city.timezone,
                phone=phone,
                domain=domain,
                domain_words=domain_words,
                website=website,
                generic_email=generic,
                direct_email=direct,
                contact_first=first,
                contact_last=last,
                contact_title=title,
            )
        )
    return clinics


def _allocate_phone(preferred: tuple[str, ...], all_codes: tuple[str, ...], pools: dict[str, list[str]]) -> str:
    for code in preferred + all_codes:
        pool = pools[code]
        if pool:
            return fictional_e164(code, pool.pop())
    raise RuntimeError("fictional phone numbers exhausted (SyntheticConfig caps n_clinics)")
