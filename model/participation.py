"""Citizens' participation and meeting, vectorised over all citizens at once.

- ``decide_participation``: volunteering this quarter (ODD 7.5), a logit in education,
  age, motivation, trust in others, a local meeting place, and a Granovetter (1978) peer
  threshold over sampled ties; burnout lowers it (SCP 2014, Burgermacht op eigen kracht?,
  Tabel 3.1, for the education and age coefficients).
- ``meet``: weak ties from meeting (ODD 7.6); meeting places raise the meeting rate and the
  share of meetings with people unlike oneself (bridging; Klinenberg 2018).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import any_per_citizen
from .collectives import VOLUNTEERING_KIND

if TYPE_CHECKING:
    from .model import SamenModel

PEER_SAMPLE = 3  # ties sampled per quarter to judge the active share around one


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def participation_logit(m: "SamenModel", peer_share: np.ndarray) -> np.ndarray:
    """Quarterly volunteering logit per citizen (M1)."""
    p, c = m.p, m.citizens
    edu = np.array([p.beta_education_low, 0.0, p.beta_education_high], dtype=np.float32)[c.education]
    age = np.array([0.0, p.beta_age_young, 0.0, p.beta_age_old], dtype=np.float32)[c.age]
    # the meeting-place term is the same for a whole locality (float32 keeps the sum float32)
    place = np.float32(p.participation_intercept) + np.where(
        m.meeting_places_per_locality() > 0, p.beta_infrastructure, 0.0).astype(np.float32)
    return (place[c.locality] + edu + age
            + np.float32(p.beta_motivation) * (c.motivation - np.float32(0.4))
            + np.float32(p.beta_trust_others) * (c.trust_others - np.float32(0.6))
            + np.float32(p.beta_peer) * (peer_share >= c.threshold)
            - np.float32(3.0) * c.burnout)


def decide_participation(m: "SamenModel") -> None:
    """Who volunteers this quarter: the logit draw, or a role in a volunteering collective."""
    c = m.citizens
    ties = m.network.random_neighbour(m.rng, PEER_SAMPLE)  # all -1 for citizens without ties
    active_tie = c.active_now[np.maximum(ties, 0)]
    active_ties = sum(active_tie[:, j].astype(np.int8) for j in range(PEER_SAMPLE))
    peer_share = np.where(ties[:, 0] >= 0, active_ties / np.float32(PEER_SAMPLE), np.float32(0))
    draw = m.rng.random(c.n) < _sigmoid(participation_logit(m, peer_share))
    role = any_per_citizen((c.member_of >= 0) & VOLUNTEERING_KIND) & (c.motivation > 0.3)
    role |= c.leader_of >= 0
    active = c.adult & (draw | role)
    c.active_history = ((c.active_history << 1) | active).astype(np.uint8) & 0xF


def meeting_rates(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Expected new weak ties per quarter and the bridging share of them, per citizen."""
    p, c = m.p, m.citizens
    has_mp = (m.meeting_places_per_locality() > 0)[c.locality]
    rate = p.meeting_rate * (1 + p.meeting_place_meeting_boost * has_mp) * (0.5 + c.active_now)
    share = np.where(has_mp, p.bridging_share_meeting_place, p.bridging_share_base)
    return rate.astype(np.float32), share.astype(np.float32)


def meet(m: "SamenModel") -> None:
    """Weak ties come from meetings and lapse at ``weak_tie_decay`` (expected values)."""
    c, d = m.citizens, m.p.weak_tie_decay
    rate, share = meeting_rates(m)
    c.weak_ties *= 1 - d
    c.weak_bridging *= 1 - d
    c.weak_ties += rate
    c.weak_bridging += rate * share


def bridging_share(m: "SamenModel") -> np.ndarray:
    """Share of a citizen's strong and weak ties that bridge (0-1)."""
    c = m.citizens
    total = m.degree + c.weak_ties
    bridges = m.strong_bridging + c.weak_bridging
    return np.divide(bridges, total, out=np.zeros(c.n, dtype=np.float32), where=total > 0)
