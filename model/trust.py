"""Trust in local and national government and in other people (ODD 7.14).

Trust in government moves asymmetrically towards a signal of access, voice, a tie's trust
and closures (Slovic 1993: bad news weighs more than good); trust in other people moves
slowly towards a signal of bridging contact and participation (Growiec, Growiec &
Kaminski 2020, JASSS 23(2):8).

Each trust variable has a personal, fixed disposition (set at the start so that the
initial state is a rest point): signals move trust only through *changes* in access,
voice, contact and closures, never through a drift built into the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import any_per_citizen
from .participation import bridging_share

if TYPE_CHECKING:
    from .model import SamenModel

BASE_VOICE = np.array([0.25, 0.35, 0.45], dtype=np.float32)  # felt voice by education (assumption)


ENGAGED_VOICE = 0.4  # extra voice for members of a collective that is heard (assumption)


NATIONAL_SHARE = 0.5  # national trust reacts to local signals at half the local weight (assumption)


def heard(m: "SamenModel") -> np.ndarray:
    """Per citizen: member of a collective that the municipality heard this year."""
    c, t = m.citizens, m.collective_table
    heard_or_none = np.append(t.view("heard"), False)  # member_of == -1 reads the spare False
    return any_per_citizen(heard_or_none[c.member_of])


def voice(m: "SamenModel", is_heard: np.ndarray | None = None) -> np.ndarray:
    """Felt voice (0-1).

    Education's share plus a hearing for one's collective, weighted by the municipality's
    responsiveness (M5).
    """
    c = m.citizens
    is_heard = heard(m) if is_heard is None else is_heard
    resp = (ENGAGED_VOICE * m.municipal.responsiveness).astype(np.float32)[c.municipality]
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
    """Asymmetric trust updating (Slovic 1993) and slow trust in others (Growiec et al. 2020)."""
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
