import pytest

from meetings.advice import advice_phrases, reads_as_advice


@pytest.mark.parametrize(
    "text",
    [
        "You should talk to your bank.",
        "you need to hire faster",
        "Have you tried raising prices?",
        "If I were you I'd fire them.",
        "My advice: slow down.",
        "I would call the customer today.",
        "Tu devrais changer de banque.",
        "Vous devriez en parler à votre associé.",
        "Mon conseil : attendez.",
        "À ta place, je partirais.",
        "As-tu essayé de relancer le client ?",
        "Il faudrait que tu recrutes.",
        "You shouldn\u2019t sign that.",
    ],
)
def test_advice_is_noticed(text):
    assert reads_as_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "When this happened to us, we renegotiated the contract.",
        "A friend of mine had the same issue; she waited six months and it worked out.",
        "Quand cela nous est arrivé, nous avons changé de banque.",
        "",
    ],
)
def test_stories_are_left_alone(text):
    assert not reads_as_advice(text)


def test_the_phrases_found_are_listed_in_order():
    assert advice_phrases("Have you tried this? You should.") == ["have you tried", "you should"]
