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
from numba import njit

from .citizens import HISTORY_MASK, top_role_of
from .kinds import Role
from .threads import run as run_split
from .threads import uniform

if TYPE_CHECKING:
    from .model import SamenModel


@njit(inline="always")
def volunteering_logit(i, peer_share, place, locality, edu_coef, education, age_coef, age, motivation, mot_ref,
                       trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn):
    """The volunteering logit of citizen ``i`` (one formula for every kernel that needs it)."""
    x = (place[locality[i]] + edu_coef[education[i]] + age_coef[age[i]] + b_mot * (motivation[i] - mot_ref)
         + b_trust * (trust_others[i] - trust_ref) + b_burn * burnout[i])
    if peer_share >= threshold[i]:
        x += b_peer
    return x


@njit(cache=True)
def _logit_kernel(who, peer_share, probability, place, locality, edu_coef, education, age_coef, age, motivation,
                  mot_ref, trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn):
    """The logit of citizens ``who``, or (``probability``) their probability."""
    out = np.empty(len(who))
    for j in range(len(who)):
        i = who[j]
        x = volunteering_logit(i, peer_share[j], place, locality, edu_coef, education, age_coef, age, motivation,
                               mot_ref, trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn)
        out[j] = 1.0 / (1.0 + np.exp(-x)) if probability else x
    return out


@njit(cache=True, nogil=True)
def _participation_kernel(indptr, indices, u_ties, u_draw, history, adult, role, volunteer, place, locality,
                          edu_coef, education, age_coef, age, motivation, mot_ref, trust_others, trust_ref, threshold,
                          burnout, b_mot, b_trust, b_peer, b_burn, history_mask, first_tie, new_history, lo, hi):
    """Citizens ``lo:hi`` in one pass: sample ``k`` ties, their active share, the logit, the draw.

    A citizen with a role of ``volunteer`` or above in any collective is active without the draw.

    Each citizen's values are written once and read only the quarter's earlier state, so the
    citizens can be split over threads (model/threads.py) without changing a bit.
    """
    k = u_ties.shape[1]
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        start, deg = indptr[i], indptr[i + 1] - indptr[i]
        share = 0.0
        first = -1
        if deg > 0:
            active_ties = 0
            for j in range(k):
                pick = min(int(u_ties[i, j] * deg), deg - 1)  # float32 u * deg can round up to deg
                tie = indices[start + pick]
                if j == 0:
                    first = tie
                active_ties += history[tie] & 1
            share = active_ties / k
        x = volunteering_logit(i, share, place, locality, edu_coef, education, age_coef, age, motivation, mot_ref,
                               trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn)
        active = adult[i] and (top_role_of(role, i) >= volunteer or u_draw[i] < 1.0 / (1.0 + np.exp(-x)))
        new_history[i] = ((history[i] << 1) | active) & history_mask
        first_tie[i] = first


def logit_inputs(m: "SamenModel") -> tuple:
    """The arguments of the volunteering logit, after the citizen sample's arrays."""
    p, c = m.p, m.citizens
    place = p.participation_intercept + p.beta_infrastructure * m.reach.meeting_effect
    return (place, c.locality, np.array([p.beta_education_low, 0.0, p.beta_education_high]), c.education,
            np.array([0.0, p.beta_age_young, 0.0, p.beta_age_old]), c.age, c.motivation, m.reference.motivation,
            c.trust_others, m.reference.trust_others, c.threshold, c.burnout, p.beta_motivation,
            p.beta_trust_others, p.beta_peer, p.beta_burnout)


def participation_logit(m: "SamenModel", peer_share: np.ndarray) -> np.ndarray:
    """Quarterly volunteering logit per citizen, given the active share of their sampled ties.

    The logit (ODD 7.5) is ``intercept + beta_infrastructure * meeting effect + education and
    age coefficients + beta_motivation * (motivation - start mean) + beta_trust_others * (trust
    in others - start mean) + beta_burnout * burnout``, plus ``beta_peer`` when the active share
    of a citizen's sampled ties reaches their threshold.
    """
    return _logit_kernel(np.arange(m.citizens.n), np.asarray(peer_share, dtype=np.float64), False,
                         *logit_inputs(m))


def propensity(m: "SamenModel", who: np.ndarray | None = None) -> np.ndarray:
    """Probability of volunteering without peer pressure.

    Probability of volunteering this quarter without peer pressure (the resources part), of the
    citizens ``who`` (default all).
    """
    who = np.arange(m.citizens.n) if who is None else np.asarray(who)
    return _logit_kernel(who, np.zeros(len(who)), True, *logit_inputs(m))


def decide_participation(m: "SamenModel") -> None:
    """Who volunteers this quarter: the logit draw, or a volunteer or board role in a collective.

    Each citizen samples ``peer_sample`` ties (the first also carries this quarter's social
    influence, trust.py); the random numbers come from the model's generator.
    """
    c, k, net = m.citizens, m.p.peer_sample, m.network
    u_ties = uniform(m.rng, (c.n, k), np.float32)
    u_draw = uniform(m.rng, c.n)
    first_tie = np.empty(c.n, dtype=np.int32)
    history = np.empty_like(c.active_history)
    run_split(_participation_kernel, c.n, net.indptr, net.indices, u_ties, u_draw, c.active_history, c.adult, c.role,
              np.uint8(Role.VOLUNTEER), *logit_inputs(m), HISTORY_MASK, first_tie, history)
    c.active_history = history
    m.sampled_tie = first_tie


def _place_meeting(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Per locality: the meeting rate of an inactive citizen and the bridging share of meetings."""
    p, effect = m.p, m.reach.meeting_effect
    rate = p.meeting_rate * (1 + p.meeting_place_meeting_boost * effect)
    share = p.bridging_share_base + (p.bridging_share_meeting_place - p.bridging_share_base) * effect
    return rate, share


def meeting_rates(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Expected new weak ties per quarter and the bridging share of them, per citizen."""
    p, c = m.p, m.citizens
    rate, share = _place_meeting(m)
    rate = rate[c.locality] * (1 + p.active_meeting_boost * c.active_now)
    return rate.astype(np.float32), share[c.locality].astype(np.float32)


def meet(m: "SamenModel") -> None:
    """Weak ties come from meetings and lapse at ``weak_tie_decay`` (expected values).

    In one pass over citizens: the rates of :func:`meeting_rates`, computed as numpy computes
    them, and the ties updated in float32.
    """
    p, c = m.p, m.citizens
    place_rate, share = _place_meeting(m)
    run_split(_meet_kernel, c.n, c.locality, c.active_history, place_rate, share, p.active_meeting_boost,
              np.float32(1 - p.weak_tie_decay), c.weak_ties, c.weak_bridging)


@njit(cache=True, nogil=True)
def _meet_kernel(locality, history, place_rate, share, active_boost, keep, weak_ties, weak_bridging, lo,
                 hi):  # pragma: no cover - compiled
    """Decay the weak ties of citizens ``lo:hi`` by ``keep`` and add the quarter's (float32, in place)."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        here = locality[i]
        rate = np.float32(place_rate[here] * (1.0 + active_boost * (history[i] & 1)))
        weak_ties[i] = weak_ties[i] * keep + rate
        weak_bridging[i] = weak_bridging[i] * keep + rate * np.float32(share[here])


def settle_weak_ties(m: "SamenModel") -> None:
    """Set weak ties to the rest point of today's meeting rates (set-up)."""
    c, d = m.citizens, m.p.weak_tie_decay
    rate, share = meeting_rates(m)
    c.weak_ties[:] = rate / d
    c.weak_bridging[:] = rate * share / d


@njit(inline="always")
def bridging_of(degree, strong_bridging, weak_ties, weak_bridging):
    """Share of one citizen's strong and weak ties that bridge (0 without ties)."""
    ties = degree + weak_ties
    return (strong_bridging + weak_bridging) / ties if ties > 0 else 0.0


@njit(cache=True)
def _bridging_kernel(degree, strong_bridging, weak_ties, weak_bridging):
    out = np.empty(len(degree), dtype=np.float32)
    for i in range(len(degree)):
        out[i] = bridging_of(degree[i], strong_bridging[i], weak_ties[i], weak_bridging[i])
    return out


def bridging_share(m: "SamenModel") -> np.ndarray:
    """Share of each citizen's strong and weak ties that bridge (0-1)."""
    c = m.citizens
    return _bridging_kernel(m.degree, m.strong_bridging, c.weak_ties, c.weak_bridging)
