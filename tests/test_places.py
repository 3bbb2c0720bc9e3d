"""Offline gazetteer and joint toponym resolution: name keys, the seed reports' places, robustness, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from triangulate.extract.places import (
    FILE_NAME,
    Gazetteer,
    Place,
    cache_dir,
    country_for_demonym,
    name_key,
    resolve_toponyms,
)

# The toponyms of the five seed reports, in document order (see ../shared/seeds).
SEED_DOCS = {
    "000": ["Russia", "Kazakhstan", "Syria", "St. Petersburg", "Syria", "Iraq"],
    "001": ["Moscow", "Syria", "Chechnya", "Turkey", "Sharm al-Sheikh", "Egypt", "Paris", "Iraq", "Moscow"],
    "002": ["Moscow", "Chechnya", "Raqqa", "Syria", "Turkey", "Sharm al-Sheikh", "Egypt", "Iraq"],
    "003": ["Chechnya", "Syria", "Raqqa", "Syria"],
    "004": ["Deir al-Zor", "Syria", "Deir al-Zor province", "Iraq", "Deir al-Zor"],
}


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """One gazetteer per test session, built into a temporary cache folder (about 10-20 s)."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIANGULATE_CACHE", str(folder))
        assert cache_dir() == folder
        return Gazetteer.load()


def _resolve(gazetteer: Gazetteer, names: list[str], **kw: object) -> dict[str, Place | None]:
    return dict(zip(names, resolve_toponyms(names, gazetteer, **kw), strict=True))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir al-Zor", "Deir ez-Zor"),
        ("Dayr az-Zor", "Dayr al Zor"),
        ("Sharm al-Sheikh", "Sharm el-Sheikh"),
        ("St. Petersburg", "Saint Petersburg"),
        ("St.-Petersburg", "St Petersburg"),
        ("Ste. Anne", "Sainte-Anne"),
        ("Mt. Everest", "Mount Everest"),
        ("the Hague", "Hague"),
        ("São Paulo", "Sao Paulo"),
        ("Raqa", "Raqqa"),
        ("Russia's", "Russia"),
        ("Deir al-Zor province", "Deir ez-Zor"),
        ("Donetsk Oblast", "Donetsk"),
        ("Nineveh Governorate", "Nineveh"),
        ("Ar-Raqqah", "Ar Raqqah"),
    ],
)
def test_name_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a).loose == name_key(b).loose


def test_feature_suffix_is_remembered_as_a_hint() -> None:
    assert name_key("Deir ez-Zor province").hint == "admin1"
    assert name_key("Kansas City").hint == "city"
    assert name_key("Rapides Parish").hint == "admin2"
    assert name_key("Deir ez-Zor").hint == ""


def test_demonyms_are_not_toponyms(gazetteer: Gazetteer) -> None:
    assert (
        country_for_demonym("Syrian"),
        country_for_demonym("Russians"),
        country_for_demonym("Iraqis"),
    ) == ("SY", "RU", "IQ")
    assert country_for_demonym("Chechen") == "RU"
    assert country_for_demonym("Martian") == ""
    assert gazetteer.candidates("Syrian") == []


def test_gazetteer_file_is_versioned_small_and_in_the_cache(gazetteer: Gazetteer) -> None:
    assert gazetteer.path.name == FILE_NAME == "gazetteer-v2.sqlite"
    assert gazetteer.path.parent == cache_dir() or gazetteer.path.exists()
    assert gazetteer.path.stat().st_size < 60_000_000
    assert not [p for p in gazetteer.path.parent.iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize("doc", sorted(SEED_DOCS))
def test_seed_places_resolve_with_coordinates(gazetteer: Gazetteer, doc: str) -> None:
    places = resolve_toponyms(SEED_DOCS[doc], gazetteer)
    for name, place in zip(SEED_DOCS[doc], places, strict=True):
        assert place is not None, name
        assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180
        assert (place.latitude, place.longitude) != (0.0, 0.0), name


def test_seed_acceptance(gazetteer: Gazetteer) -> None:
    got = _resolve(gazetteer, SEED_DOCS["002"] + SEED_DOCS["004"])
    raqqa = got["Raqqa"]
    assert raqqa and raqqa.country_code == "SY" and "Raqqah" in raqqa.admin1
    deir = got["Deir al-Zor"]
    assert deir and (deir.country_code, deir.admin1, deir.precision) == ("SY", "Deir ez-Zor", "city")
    province = got["Deir al-Zor province"]
    assert province and (province.country_code, province.precision, province.name) == (
        "SY",
        "admin1",
        "Deir ez-Zor",
    )
    sharm = got["Sharm al-Sheikh"]
    assert sharm and (sharm.country_code, sharm.admin1, sharm.name) == (
        "EG",
        "South Sinai",
        "Sharm el-Sheikh",
    )
    chechnya = got["Chechnya"]
    assert chechnya and (chechnya.country_code, chechnya.precision) == ("RU", "admin1")
    moscow = got["Moscow"]
    assert moscow and (moscow.country_code, moscow.precision, moscow.geonameid) == ("RU", "city", 524901)
    for name, code in (("Syria", "SY"), ("Iraq", "IQ"), ("Turkey", "TR"), ("Egypt", "EG")):
        place = got[name]
        assert place and (place.country_code, place.precision) == (code, "country"), name


def test_kazakhstan_and_st_petersburg_with_russia(gazetteer: Gazetteer) -> None:
    got = _resolve(gazetteer, SEED_DOCS["000"])
    kz = got["Kazakhstan"]
    assert kz and (kz.country_code, kz.precision, kz.country) == ("KZ", "country", "Kazakhstan")
    spb = got["St. Petersburg"]
    assert spb and (spb.country_code, spb.name, spb.admin1, spb.precision) == (
        "RU",
        "Saint Petersburg",
        "St.-Petersburg",
        "city",
    )


def test_paris_by_population_context_and_state(gazetteer: Gazetteer) -> None:
    assert (resolve_toponyms(["Paris"], gazetteer)[0] or _none()).country_code == "FR"
    assert (resolve_toponyms(["Paris", "France"], gazetteer)[0] or _none()).country_code == "FR"
    assert (
        resolve_toponyms(["Paris"], gazetteer, context_countries={"FR"})[0] or _none()
    ).country_code == "FR"
    texas = resolve_toponyms(["Paris", "Texas"], gazetteer)[0]
    assert texas and (texas.country_code, texas.admin1) == ("US", "Texas")


def test_feature_kind_and_document_context(gazetteer: Gazetteer) -> None:
    assert (resolve_toponyms(["Georgia", "Tbilisi"], gazetteer)[0] or _none()).country_code == "GE"
    assert (resolve_toponyms(["Georgia"], gazetteer)[0] or _none()).precision == "country"
    us = resolve_toponyms(["Atlanta", "Georgia", "Savannah"], gazetteer)[1]
    assert us and (us.country_code, us.precision) == ("US", "admin1")
    assert (
        resolve_toponyms(["St. Petersburg", "Tampa", "Florida"], gazetteer)[0] or _none()
    ).country_code == "US"


def test_aliases_and_fuzzy_fallback(gazetteer: Gazetteer) -> None:
    got = _resolve(
        gazetteer,
        [
            "Kiev",
            "Crimea",
            "Donbas",
            "Gaza",
            "Aleppo",
            "Halab",
            "Mosul",
            "Idlib",
            "Kurdistan",
            "Sinai",
            "Rakka",
            "Bengazi",
        ],
    )
    assert {k: (v.country_code if v else None) for k, v in got.items()} == {
        "Kiev": "UA",
        "Crimea": "UA",
        "Donbas": "UA",
        "Gaza": "PS",
        "Aleppo": "SY",
        "Halab": "SY",
        "Mosul": "IQ",
        "Idlib": "SY",
        "Kurdistan": "IQ",
        "Sinai": "EG",
        "Rakka": "SY",
        "Bengazi": "LY",
    }
    assert got["Kiev"] and got["Kiev"].name == "Kyiv" and got["Kiev"].precision == "city"
    assert got["Bengazi"] and got["Bengazi"].name == "Benghazi"


def test_one_bad_toponym_never_empties_the_others(gazetteer: Gazetteer) -> None:
    names = ["Syria", "Qwxzzyq Plorb", "", "   ", "Raqqa", "!!!"]
    places = resolve_toponyms(names, gazetteer)
    assert [p is None for p in places] == [False, True, True, True, False, True]
    assert resolve_toponyms([], gazetteer) == []
    assert gazetteer.candidates("Qwxzzyq Plorb") == []


def test_resolution_is_fast(gazetteer: Gazetteer) -> None:
    docs = list(SEED_DOCS.values()) + [
        [
            "Springfield",
            "Washington",
            "Henry County",
            "Paris",
            "Tennessee",
            "Columbus",
            "Ohio",
            "Franklin County",
            "Dublin",
            "London",
            "Ontario",
        ]
    ]
    for doc in docs:  # warm the per-key cache, as a long-running pipeline would be
        resolve_toponyms(doc, gazetteer)
    started = time.perf_counter()
    count = 0
    for _ in range(20):
        for doc in docs:
            resolve_toponyms(doc, gazetteer)
            count += len(doc)
    per_toponym_ms = 1000 * (time.perf_counter() - started) / count
    assert per_toponym_ms < 1.0, per_toponym_ms


def test_load_from_an_explicit_path(gazetteer: Gazetteer, tmp_path: Path) -> None:
    again = Gazetteer.load(gazetteer.path)
    assert again.path == gazetteer.path
    assert (again.country("SY") or _none()).name == "Syria"


def _none() -> Place:
    raise AssertionError("expected a place")


def test_indonesian_provinces_answer_to_their_english_names(gazetteer: Gazetteer) -> None:
    for name, admin1 in (
        ("North Maluku", "Maluku Utara"),
        ("West Sulawesi", "Sulawesi Barat"),
        ("West Papua", "West Papua"),
    ):
        place = gazetteer.matches(name)[0].place
        assert (place.country_code, place.admin1) == ("ID", admin1), name


def test_a_new_gazetteer_version_removes_the_old_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRIANGULATE_CACHE", str(tmp_path))
    (tmp_path / "gazetteer-v1.sqlite").write_bytes(b"old")
    Gazetteer.load()
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_a_city_by_its_own_name_before_one_that_once_bore_it(gazetteer: Gazetteer) -> None:
    """'Philadelphia' is the Pennsylvania city, not Amman (Philadelphia as an alternate, ancient name)."""
    city = resolve_toponyms(["Philadelphia"], gazetteer)[0]
    assert city and (city.country_code, city.admin1) == ("US", "Pennsylvania")


def test_a_tiny_unit_does_not_outrank_a_large_city_of_its_name(gazetteer: Gazetteer) -> None:
    """Charlotte parish (Saint Vincent) is an admin1 unit, but Charlotte, North Carolina is the reading."""
    city = resolve_toponyms(["Charlotte"], gazetteer)[0]
    assert city and (city.admin1, city.precision) == ("North Carolina", "city")


def test_a_compass_word_inside_a_name_is_not_a_region(gazetteer: Gazetteer) -> None:
    city = resolve_toponyms(["Southwest Baltimore"], gazetteer)[0]
    assert city and (city.name, city.admin1) == ("Baltimore", "Maryland")


def test_a_part_of_a_city_named_by_its_direction_is_not_resolved(gazetteer: Gazetteer) -> None:
    """'South Side' is an alternate name of Eltingville, New York, in GeoNames; in a report it is a part of the
    city the report is about, so it is left unresolved rather than moved to New York."""
    picks = resolve_toponyms(["South Side", "Chicago", "Near West Side", "Southend"], gazetteer)
    assert picks[0] is None and picks[2] is None
    assert picks[1] and picks[1].admin1 == "Illinois"
    assert picks[3] and picks[3].country_code == "GB"
