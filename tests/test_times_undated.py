"""Dating reports that carry no date: the reference-event catalogue and the year inference.

The texts are modelled on the seed reports (gold.json dates them by the events they name:
003 by the Sept 30 air strikes, 004 by the Deir al-Zor siege being lifted, 000 by the
St. Petersburg metro bombing), run through the real pipeline.
"""

from __future__ import annotations

import pytest

from triangulate.errors import ConfigError
from triangulate.extract.context import context
from triangulate.extract.times.reference import ReferenceCatalogue


def times(nlp, text: str, published: str = "") -> dict[str, tuple[str, str, str]]:
    doc = nlp.make_doc(text)
    ctx = context(doc)
    ctx.doc_id, ctx.published = 1, published
    ctx.published_precision = "day" if published else ""
    ctx.published_source = "metadata" if published else "unknown"
    doc = nlp(doc)
    return {
        m.text: (m.value, m.precision, m.attrs["anchor_source"])
        for m in context(doc).mentions
        if m.kind == "time"
    }


def test_a_named_event_gives_the_year_and_the_inferred_month(nlp):
    found = times(
        nlp,
        "The video, released today, shows two captured men. It was dated October 3. "
        "Amaq said late last month the militants captured two Russians. "
        "The Syrian army reached Deir al-Zor city in August, breaking an Islamic State siege "
        "of an enclave there that had lasted three years.",
    )
    assert found["October 3"][:2] == ("2017-10-03", "day")
    assert found["August"][:2] == ("2017-08", "month")
    assert found["late last month"] == ("2017-09", "month", "inferred")
    assert found["today"][:2] == ("2017-10", "month")


def test_the_event_outranks_an_older_explicit_year(nlp):
    found = times(
        nlp,
        "A video circulated on social media on December 2 shows a beheading. "
        "He said he had been in Syria since August 2014. "
        "It is the first since Russia began hitting the group with air strikes in Syria on September 30. "
        "In January, the group released another video.",
    )
    assert found["December 2"][0] == "2015-12-02"
    assert found["September 30"][0] == "2015-09-30"
    assert found["January"][0] == "2015-01"


def test_a_named_event_dated_last_week_gives_the_report_week(nlp):
    found = times(
        nlp,
        "Islamic State released a video on Wednesday. Russia on Sept. 30 launched airstrikes in Syria. "
        "Russia's Syria operation took a blow last week, when Turkey shot down a Russian warplane.",
    )
    assert found["last week"][:2] == ("2015-W48", "week")
    assert found["Wednesday"] == ("2015-12-02", "day", "inferred"), (
        "that week's Wednesday: the one before is 'last week'"
    )
    assert found["Sept. 30"][0] == "2015-09-30"


def test_a_yearless_month_falls_before_the_report_month(nlp):
    found = times(
        nlp,
        "Released on May 8, the video shows a captain captured in September. "
        "A commander was killed in a July 2016 U.S. air strike. "
        "Militants set off a bomb in a St. Petersburg subway on April 3, killing 15.",
    )
    assert found["May 8"][0] == "2017-05-08"
    assert found["April 3"][0] == "2017-04-03"
    assert found["September"][0] == "2016-09"


def test_a_sentence_dated_away_from_the_event_does_not_name_it(nlp):
    found = times(
        nlp,
        "Protesters marched on June 4. Militants set off a bomb in a St. Petersburg subway "
        "in 2011, a court heard.",
    )
    assert found["June 4"][0] == "XXXX-06-04"


def test_a_dated_report_ignores_the_catalogue(nlp):
    found = times(
        nlp,
        "The army reached Deir al-Zor city in August, breaking a siege. It happened on October 3.",
        published="2019-11-20",
    )
    assert found["October 3"][:2] == ("2019-10-03", "day")
    assert found["August"][0] == "2019-08"


def test_a_report_without_clues_keeps_its_dates_yearless(nlp):
    found = times(nlp, "Gunmen attacked a convoy near Kestrel on March 14, officials said late last month.")
    assert found["March 14"][0] == "XXXX-03-14"
    assert found["late last month"][1] == "unknown"


def test_a_user_catalogue_adds_and_replaces_events(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(
        "- id: kestrel-dam-collapse\n  date: 2031-04\n  match: [[kestrel], [dam], [collapse]]\n"
        "- id: paris-attacks\n  date: 2015-11-13\n  match: [[bataclan]]\n",
        encoding="utf-8",
    )
    catalogue = ReferenceCatalogue.load(path)
    text = "Since the Kestrel dam collapsed, few returned. Survivors of the Bataclan spoke."
    hits = catalogue.find(text, [(0, 46), (47, len(text))])
    assert [(h.event.id, h.event.precision) for h in hits] == [
        ("kestrel-dam-collapse", "month"),
        ("paris-attacks", "day"),
    ]
    assert len(catalogue.events) == len(ReferenceCatalogue.load().events) + 1


@pytest.mark.parametrize(
    "body,reason",
    [
        ("- id: x\n  date: 2015-13-01\n  match: [[a]]\n", "has date"),
        ("- id: x\n  date: 2015-10-01\n  match: a\n", "needs match"),
        ("- what: nameless\n", "has no id"),
        ("id: x\n", "expected a list"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_user_catalogue_is_a_one_line_config_error(tmp_path, body, reason):
    path = tmp_path / "events.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason) as err:
        ReferenceCatalogue.load(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value).strip()


def test_a_missing_user_catalogue_names_the_setting(tmp_path):
    with pytest.raises(ConfigError) as err:
        ReferenceCatalogue.load(tmp_path / "absent.yaml")
    assert "reference_events_file" in err.value.hint
