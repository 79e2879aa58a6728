"""What hangs off a selection round in the apps above it, listed on the round's overview: the
meetings that carry the round and its workshop. Selection imports nothing of those apps (the
layers, tests/test_layers.py), so each says what it has for a round here when it starts
(meetings/apps.py), and the overview asks them all for the reader."""

from dataclasses import dataclass

_PROVIDERS = []


@dataclass(frozen=True)
class RoundLink:
    kind: str
    title: str
    url: str
    when: str = ""  # its date or dates, as the reader reads them


def provide(provider):
    """Registers `provider(user, round)`, which returns the RoundLinks the user may follow."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def links_for(user, round):
    return [link for provider in _PROVIDERS for link in provider(user, round)]
