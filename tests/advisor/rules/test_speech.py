"""speech.*."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, fired_for, without


def test_speech_synthesis_uses_adam() -> None:
    result = advice(domain="speech")
    assert result.best().optimizer.value == "adam"
    assert "speech.synthesis_adam" in fired_for(result, "adam")
    assert (
        cand(without("speech.synthesis_adam", domain="speech"), "adam").score < result.best().score
    )
