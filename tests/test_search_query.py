"""The search box language: every input parses, and to what."""

import pytest

from rectrack.lib.search_query import MAX_QUERY_LENGTH, MAX_TERMS, And, Not, Or, Phrase, Word, parse_search_query


def test_words_are_all_required():
    parsed = parse_search_query("torture prison")
    assert parsed.include == And((Word("torture"), Word("prison")))
    assert parsed.exclude is None


def test_quoted_text_is_a_phrase():
    assert parse_search_query('"right to education"').include == Phrase(("right", "to", "education"))


def test_or_and_grouping():
    parsed = parse_search_query("(roma OR sinti) housing")
    assert parsed.include == And((Or((Word("roma"), Word("sinti"))), Word("housing")))


def test_not_and_minus_exclude_words():
    assert parse_search_query("women NOT violence").exclude == Word("violence")
    parsed = parse_search_query("women -violence")
    assert parsed.include == Word("women")
    assert parsed.exclude == Word("violence")


def test_a_negation_alone_is_an_exclusion_only():
    parsed = parse_search_query("NOT torture")
    assert parsed.include is None
    assert parsed.exclude == Word("torture")
    assert not parsed.is_empty


def test_trailing_star_is_a_prefix():
    assert parse_search_query("discrimin*").include == Word("discrimin", prefix=True)


def test_hyphenated_words_are_a_phrase():
    assert parse_search_query("non-discrimination").include == Phrase(("non", "discrimination"))


def test_lower_case_operators_are_words():
    assert parse_search_query("freedom and justice").include == And((Word("freedom"), Word("and"), Word("justice")))


def test_operators_inside_quotes_are_words():
    assert parse_search_query('"NOT OR AND"').include == Phrase(("not", "or", "and"))


def test_a_not_inside_an_or_is_dropped_with_a_note():
    parsed = parse_search_query("torture OR NOT prison")
    assert parsed.include == Word("torture")
    assert any("NOT" in note for note in parsed.notes)


def test_words_in_any_script():
    parsed = parse_search_query("الاستعراض Examen périodique")
    assert parsed.include == And((Word("الاستعراض"), Word("examen"), Word("périodique")))


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "(((roma",
        "roma)))",
        "AND",
        "OR OR OR",
        "NOT",
        "- - -",
        "*",
        '""',
        "()",
        "NEAR(torture prison, 3)",
        "text:torture",
        "^torture",
        "torture AND",
        "OR torture",
        "'; DROP TABLE recommendations_recommendation; --",
        "\x00\x01 null bytes",
        "(" * 500,
        "NOT " * 200 + "torture",
        "x" * 10_000,
        "word " * 2_000,
    ],
)
def test_any_input_parses_without_error(text):
    parsed = parse_search_query(text)
    assert isinstance(parsed.notes, list)
    assert parsed.raw == text.strip()[:MAX_QUERY_LENGTH]


def test_operators_alone_leave_nothing_to_search_and_say_so():
    parsed = parse_search_query("AND OR NOT")
    assert parsed.is_empty
    assert parsed.notes == ["Your search has no words to look for, so all recommendations are shown."]


def test_long_input_is_shortened_with_a_note():
    parsed = parse_search_query("torture " * 2_000)
    assert len(parsed.raw) == MAX_QUERY_LENGTH
    assert any("shortened" in note for note in parsed.notes)


def test_too_many_words_keeps_the_first_ones_with_a_note():
    parsed = parse_search_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 10)))
    assert len(parsed.include.children) == MAX_TERMS
    assert any(str(MAX_TERMS) in note for note in parsed.notes)


def test_deep_brackets_are_flattened():
    parsed = parse_search_query("(" * 50 + "roma" + ")" * 50)
    assert parsed.include == Word("roma")


def test_empty_search():
    parsed = parse_search_query("   ")
    assert parsed.is_empty
    assert parsed.notes == []


def test_not_of_not_cancels_out():
    assert parse_search_query("NOT NOT torture").include == Word("torture")


def test_exclusion_inside_a_group_keeps_its_positive_partner():
    parsed = parse_search_query("(women NOT violence) OR girls")
    assert parsed.include == Or((And((Word("women"), Not(Word("violence")))), Word("girls")))
