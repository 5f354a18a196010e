"""Citizens' participation and meeting, vectorised over all citizens at once (ODD 7.5-7.7).

- ``decide_participation``: volunteering this quarter, a logit in education, age,
  motivation, trust in others, meeting places in reach, and a Granovetter (1978) peer
  threshold over sampled ties, lowered by burnout (SCP 2014, Burgermacht op eigen kracht?,
  Tabel 3.1, for the education and age coefficients); a volunteer or board role in a
  collective makes one active as well.
- ``meet``: weak ties from meeting; meeting places in reach raise the meeting rate and the
  share of meetings with people unlike oneself (bridging; Klinenberg 2018).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import HISTORY_MASK
from .kinds import Role

if TYPE_CHECKING:
    from .model import SamenModel


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def participation_logit(m: "SamenModel", peer_share: np.ndarray) -> np.ndarray:
    """Quarterly volunteering logit per citizen (ODD 7.5).

    Motivation and trust in others are centred at their means at the start, so the intercept is
    the logit of an average person.
    """
    p, c = m.p, m.citizens
    edu = np.array([p.beta_education_low, 0.0, p.beta_education_high], dtype=np.float32)[c.education]
    age = np.array([0.0, p.beta_age_young, 0.0, p.beta_age_old], dtype=np.float32)[c.age]
    # the meeting-place term is the same for a whole locality (float32 keeps the sum float32)
    place = (np.float32(p.participation_intercept)
             + (p.beta_infrastructure * m.reach.meeting_effect).astype(np.float32))
    return (place[c.locality] + edu + age
            + np.float32(p.beta_motivation) * (c.motivation - m.reference.motivation)
            + np.float32(p.beta_trust_others) * (c.trust_others - m.reference.trust_others)
            + np.float32(p.beta_peer) * (peer_share >= c.threshold)
            + np.float32(p.beta_burnout) * c.burnout)


def propensity(m: "SamenModel") -> np.ndarray:
    """Probability of volunteering this quarter without peer pressure (the resources part)."""
    return _sigmoid(participation_logit(m, np.zeros(m.citizens.n, dtype=np.float32)))


def decide_participation(m: "SamenModel") -> None:
    """Who volunteers this quarter: the logit draw, or a volunteer or board role in a collective."""
    c, k = m.citizens, m.p.peer_sample
    ties = m.network.random_neighbour(m.rng, k)  # all -1 for citizens without ties
    m.sampled_ties = ties  # this quarter's contacts: the first also carries social influence
    active_tie = c.active_now[np.maximum(ties, 0)]
    active_ties = active_tie.sum(axis=1, dtype=np.int8)
    peer_share = np.where(ties[:, 0] >= 0, active_ties / np.float32(k), np.float32(0))
    draw = m.rng.random(c.n) < _sigmoid(participation_logit(m, peer_share))
    role = m.top_role() >= Role.VOLUNTEER
    active = c.adult & (draw | role)
    c.active_history = ((c.active_history << 1) | active).astype(np.uint8) & HISTORY_MASK


def meeting_rates(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Expected new weak ties per quarter and the bridging share of them, per citizen."""
    p, c = m.p, m.citizens
    effect = m.reach.meeting_effect[c.locality]
    rate = (p.meeting_rate * (1 + p.meeting_place_meeting_boost * effect)
            * (1 + p.active_meeting_boost * c.active_now))
    share = p.bridging_share_base + (p.bridging_share_meeting_place - p.bridging_share_base) * effect
    return rate.astype(np.float32), share.astype(np.float32)


def meet(m: "SamenModel") -> None:
    """Weak ties come from meetings and lapse at ``weak_tie_decay`` (expected values)."""
    c, d = m.citizens, m.p.weak_tie_decay
    rate, share = meeting_rates(m)
    c.weak_ties *= 1 - d
    c.weak_bridging *= 1 - d
    c.weak_ties += rate
    c.weak_bridging += rate * share


def settle_weak_ties(m: "SamenModel") -> None:
    """Set weak ties to the rest point of today's meeting rates (set-up)."""
    c, d = m.citizens, m.p.weak_tie_decay
    rate, share = meeting_rates(m)
    c.weak_ties[:] = rate / d
    c.weak_bridging[:] = rate * share / d


def bridging_share(m: "SamenModel") -> np.ndarray:
    """Share of a citizen's strong and weak ties that bridge (0-1)."""
    c = m.citizens
    total = m.degree + c.weak_ties
    bridges = m.strong_bridging + c.weak_bridging
    return np.divide(bridges, total, out=np.zeros(c.n, dtype=np.float32), where=total > 0)
