"""Function words: the English words an article spinner leaves alone.

Spinners swap content words (nouns, verbs, adjectives) for synonyms and keep
the grammatical skeleton, because changing it would break the sentence. These
words, plus numbers and capitalized names, are the "immutables" of DSpin
(Zhang et al., NDSS 2014) that the spin-resistant fingerprint is built on.
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS"]

FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a about above across after again against all almost along already also although always am among an and
    another any anybody anyone anything anyway anywhere are aren't around as at be because been before
    behind being below beneath beside besides between beyond both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't done down during each either else enough even ever every
    everybody everyone everything everywhere few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll
    i'm i've if in inside into is isn't it it's its itself just least less let let's like many may me
    might mine more most much must mustn't my myself near neither never no nobody none nor not nothing
    now nowhere of off often on once one only onto or other others otherwise our ours ourselves out
    outside over own per perhaps quite rather same several shall shan't she she'd she'll she's should
    shouldn't since so some somebody someone something sometimes somewhere still such than that that's
    the their theirs them themselves then there there's therefore these they they'd they'll they're
    they've this those though through throughout thus till to together too toward towards under unless
    until up upon us very via was wasn't we we'd we'll we're we've were weren't what what's whatever
    when when's whenever where where's whereas wherever whether which while who who's whoever whole whom
    whose why why's will with within without won't would wouldn't yet you you'd you'll you're you've
    your yours yourself yourselves
    """.split()
)
