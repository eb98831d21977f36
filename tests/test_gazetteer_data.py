"""Checks on the country/IGO gazetteer data file (lexicons/countries.yaml).

The gazetteer is plain data; these tests keep it consistent: known keys, valid ISO codes, every
UN member present, and no surface string that could resolve to two different actors.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

DATA = Path(__file__).parents[1] / "src/pledgewatch/lexicons/countries.yaml"

ALLOWED_KEYS = {"code", "kind", "name", "aliases", "demonyms", "capitals", "institutions", "ambiguous"}
REQUIRED_KEYS = {"code", "kind", "name"}
STRING_LISTS = ("aliases", "demonyms", "capitals", "institutions")

# The 193 UN member states, written out (pycountry also lists territories, so it cannot be used).
UN_MEMBERS = frozenset(
    """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
    BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI
    CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI
    FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN
    IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
    LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
    NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
    MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
    ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA
    UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
    """.split()
)
EXTRA_STATES = frozenset({"VAT", "PSE", "XKX", "TWN"})
REQUIRED_IGOS = frozenset({"NATO", "EU", "UN", "OSCE", "G7", "AU"})


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, list) and data
    return data


@pytest.fixture(scope="module")
def index(entries) -> dict[str, set[str]]:
    """Map every surface string (case-sensitive) to the set of codes that list it."""
    idx: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for key in STRING_LISTS:
            for s in e.get(key, []):
                idx[s].add(e["code"])
    return idx


def _lookup(entries, key: str, text: str) -> set[str]:
    return {e["code"] for e in entries if text in e.get(key, [])}


def test_un_member_list_is_complete():
    assert len(UN_MEMBERS) == 193


def test_keys_and_kinds(entries):
    for e in entries:
        assert isinstance(e, dict), e
        assert REQUIRED_KEYS <= e.keys(), e
        assert e.keys() <= ALLOWED_KEYS, (e["code"], e.keys() - ALLOWED_KEYS)
        assert e["kind"] in {"state", "igo"}, e["code"]
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] != ""
        for key in (*STRING_LISTS, "ambiguous"):
            if key in e:
                values = e[key]
                assert isinstance(values, list) and values, (e["code"], key)  # omit empty keys
                assert all(isinstance(v, str) and v and v.strip() == v for v in values), (e["code"], key)
                assert len(values) == len(set(values)), (e["code"], key, "duplicate")


def test_codes_unique(entries):
    codes = [e["code"] for e in entries]
    assert len(codes) == len(set(codes))


def test_state_codes_are_iso(entries):
    for e in entries:
        if e["kind"] == "state" and e["code"] != "XKX":
            assert pycountry.countries.get(alpha_3=e["code"]) is not None, e["code"]


def test_all_un_members_and_extras_present(entries):
    states = {e["code"] for e in entries if e["kind"] == "state"}
    assert UN_MEMBERS - states == set()
    assert EXTRA_STATES - states == set()
    assert states - UN_MEMBERS - EXTRA_STATES == set()


def test_igos_present(entries):
    igos = {e["code"] for e in entries if e["kind"] == "igo"}
    assert REQUIRED_IGOS <= igos
    for e in entries:
        if e["kind"] == "igo":
            assert "demonyms" not in e and "capitals" not in e, e["code"]


def test_name_is_an_alias(entries):
    for e in entries:
        assert e["name"] in e.get("aliases", []), e["code"]


def test_no_string_maps_to_two_codes(index):
    clashes = {s: sorted(codes) for s, codes in index.items() if len(codes) > 1}
    assert clashes == {}


def test_ambiguous_strings_are_listed_in_entry(entries):
    for e in entries:
        own = {s for key in STRING_LISTS for s in e.get(key, [])}
        assert set(e.get("ambiguous", [])) <= own, e["code"]


def test_no_possessives_or_lowercase_generics(index):
    for s in index:
        for apos in ("'s", "\u2019s"):
            if s.endswith(apos):
                assert s[: -len(apos)] not in index, f"possessive listed: {s!r}"
        assert not s[0].islower() or s.startswith("the "), f"lower-case entry: {s!r}"


def test_brussels_is_belgium_only(entries, index):
    assert index["Brussels"] == {"BEL"}
    eu = next(e for e in entries if e["code"] == "EU")
    assert {"European Union", "EU", "E.U."} <= set(eu["aliases"])


def test_colliding_demonyms_left_out(index):
    for s in ("Congolese", "Guinean", "Korean", "Koreans", "Dominican"):
        assert s not in index, s


@pytest.mark.parametrize(
    ("key", "text", "code"),
    [
        ("aliases", "UK", "GBR"),
        ("aliases", "U.S.", "USA"),
        ("aliases", "Britain", "GBR"),
        ("demonyms", "Romanian", "ROU"),
        ("aliases", "Türkiye", "TUR"),
        ("aliases", "Turkey", "TUR"),
        ("aliases", "Czechia", "CZE"),
        ("aliases", "Czech Republic", "CZE"),
        ("capitals", "Kyiv", "UKR"),
        ("capitals", "Kiev", "UKR"),
        ("institutions", "Number 10", "GBR"),
        ("institutions", "Kremlin", "RUS"),
        ("aliases", "South Korea", "KOR"),
        ("aliases", "North Korea", "PRK"),
        ("demonyms", "American", "USA"),
        ("aliases", "Holland", "NLD"),
        ("aliases", "Ivory Coast", "CIV"),
        ("aliases", "Cote d'Ivoire", "CIV"),
        ("aliases", "Swaziland", "SWZ"),
        ("aliases", "Burma", "MMR"),
        ("capitals", "The Hague", "NLD"),
        ("aliases", "European Union", "EU"),
        ("aliases", "U.N.", "UN"),
    ],
)
def test_spot_checks(entries, key, text, code):
    assert _lookup(entries, key, text) == {code}


def test_ambiguous_marks(entries):
    geo = next(e for e in entries if e["code"] == "GEO")
    assert {"Georgia", "Georgian"} <= set(geo["ambiguous"])
    jor = next(e for e in entries if e["code"] == "JOR")
    assert "Jordan" in jor["ambiguous"]
