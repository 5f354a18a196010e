"""Citizens' behaviour, vectorised over all citizens at once.

- ``decide_participation``: volunteering this quarter (domain.md M1), a logit in
  education, age, motivation, trust in others, a local meeting place, and a Granovetter
  peer threshold over sampled ties; burnout lowers it.
- ``meet``: weak ties from meeting (M6); meeting places raise the meeting rate and the
  share of meetings with people unlike oneself (bridging).
- ``update_trust``: trust in local and national government moves asymmetrically towards a
  signal of access, voice, a tie's trust and closures (M5); trust in other people moves
  slowly towards a signal of bridging contact and participation (M6).
- ``update_burnout``: load above capacity raises burnout, voice relieves it (M4).

Each trust variable has a personal, fixed disposition (set at the start so that the
initial state is a rest point): signals move trust only through *changes* in access,
voice, contact and closures, never through a drift built into the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .collectives import VOLUNTEERING_KIND
from .population import AgeBand, Education, any_per_citizen

if TYPE_CHECKING:
    from .model import SamenModel

PEER_SAMPLE = 3  # ties sampled per quarter to judge the active share around one
BASE_VOICE = np.array([0.25, 0.35, 0.45], dtype=np.float32)  # felt voice by education (assumption)
ENGAGED_VOICE = 0.4  # extra voice for members of a collective that is heard (assumption)
NATIONAL_SHARE = 0.5  # national trust reacts to local signals at half the local weight (assumption)


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
    c, net = m.citizens, m.network
    total = m.degree + c.weak_ties
    bridges = m.strong_bridging + c.weak_bridging
    return np.divide(bridges, total, out=np.zeros(c.n, dtype=np.float32), where=total > 0)


def heard(m: "SamenModel") -> np.ndarray:
    """Per citizen: member of a collective that the municipality heard this year."""
    c, t = m.citizens, m.collective_table
    heard_or_none = np.append(t.view("heard"), False)  # member_of == -1 reads the spare False
    return any_per_citizen(heard_or_none[c.member_of])


def voice(m: "SamenModel", is_heard: np.ndarray | None = None) -> np.ndarray:
    """Felt voice (0-1): education's share plus a hearing for one's collective, weighted by
    the municipality's responsiveness (M5)."""
    c = m.citizens
    is_heard = heard(m) if is_heard is None else is_heard
    resp = (ENGAGED_VOICE * m.responsiveness).astype(np.float32)[c.municipality]
    return np.clip(BASE_VOICE[c.education] + is_heard * resp, 0, 1)


def trust_signals(m: "SamenModel", is_heard: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signals (without disposition) for local government, national government and others."""
    p, c = m.p, m.citizens
    # access and closures are the same for everyone in a locality: combine them per locality
    access = m.locality_access.mean(axis=1)
    shock = m.closures_now > 0
    local_place = (p.performance_weight * access - p.closure_shock * shock).astype(np.float32)
    local = local_place[c.locality] + np.float32(p.voice_weight) * voice(m, is_heard)
    national = NATIONAL_SHARE * local
    others = p.bridging_weight * bridging_share(m) + 0.1 * c.active_now
    return local.astype(np.float32), national.astype(np.float32), others.astype(np.float32)


def init_dispositions(m: "SamenModel") -> None:
    """Set dispositions so that today's trust is the rest point of today's signals."""
    c, w = m.citizens, m.p.social_weight
    local, national, others = trust_signals(m)
    # solve T = (1 - w)(d + signal) + w * mean(T of ties) for the disposition d
    keep = 1 - w if w < 1 else 1.0
    tie_local, tie_nat = _tie_means(m)
    c.disposition_local = ((c.trust_local - w * tie_local) / keep - local).astype(np.float32)
    c.disposition_national = ((c.trust_national - w * tie_nat) / keep - national).astype(np.float32)
    c.disposition_others = c.trust_others - others


def _tie_means(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Mean trust in local and national government over each citizen's ties."""
    c = m.citizens
    return m.network.mean_over_ties(c.trust_local), m.network.mean_over_ties(c.trust_national)


def _asymmetric_step(trust: np.ndarray, target: np.ndarray, up: float, down: float) -> np.ndarray:
    gap = target - trust
    return np.clip(trust + np.where(gap > 0, up, down) * gap, 0, 1).astype(np.float32)


def update_trust(m: "SamenModel", is_heard: np.ndarray | None = None) -> None:
    """Asymmetric trust updating (Slovic 1993; domain.md M5) and slow trust in others (M6)."""
    p, c = m.p, m.citizens
    local, national, others = trust_signals(m, is_heard)
    w = p.social_weight
    tie_local, tie_nat = _tie_means(m)
    target_local = (1 - w) * (c.disposition_local + local) + w * tie_local
    target_nat = (1 - w) * (c.disposition_national + national) + w * tie_nat
    up, down = p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio)
    c.trust_local = _asymmetric_step(c.trust_local, target_local, up, down)
    c.trust_national = _asymmetric_step(c.trust_national, target_nat, up, down)
    target_oth = c.disposition_others + others
    c.trust_others = np.clip(c.trust_others + p.trust_others_rate * (target_oth - c.trust_others),
                             0, 1).astype(np.float32)


def update_burnout(m: "SamenModel", is_heard: np.ndarray | None = None) -> None:
    """B <- B + a * max(0, load - capacity) - b * B - c * heard (Allen & Mueller 2013; M4).

    Relief needs a hearing that counts: a heard collective in a responsive municipality."""
    p, c = m.p, m.citizens
    is_heard = heard(m) if is_heard is None else is_heard
    leader = c.leader_of >= 0
    capacity = np.where(leader, p.leader_capacity_hours, np.maximum(c.free_time, p.volunteer_hours))
    excess = np.maximum(c.load - capacity, 0)
    relief = p.burnout_voice_relief * (is_heard & (m.responsiveness[c.municipality] > 0))
    c.burnout = np.clip(c.burnout * (1 - p.burnout_recovery) + p.burnout_gain * excess - relief,
                        0, 1).astype(np.float32)


__all__ = ["AgeBand", "Education", "decide_participation", "meet", "update_trust", "update_burnout"]
