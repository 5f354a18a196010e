"""Trust in local and national government and in other people (ODD 7.14).

Trust at the start is drawn from surveys (by education: CBS, OECD; by province: Kieskompas
2023). Each trust then moves towards a **target**: ``disposition + signal``. The signal is
what the model's mechanisms move:

- local government: access to services in reach (performance; Van de Walle & Bouckaert 2003),
  felt voice (OECD 2024: those with a say trust 47 pp more), and the memory of closures
  (Bolet 2021, CPS 54(9): +4.3 pp radical-right support per pub closure) and of openings in
  one's locality;
- national government: its own performance (national access against the start), voice,
  dated national events given with the scenario (a crisis rally, a scandal), and a share of
  the local experience;
- other people: the bridging share of one's ties, which meeting places raise (Growiec,
  Growiec & Kaminski 2020, JASSS 23(2):8), and being active in the community.

Trust in government rises towards a better target at ``trust_up_rate`` and falls towards a
worse one ``trust_down_ratio`` times faster (Slovic 1993, Risk Analysis 13(6)); trust in
others moves slowly (``trust_others_rate``). Then social influence from one tie sampled each
quarter (Flache et al. 2017, JASSS 20(4):2): assimilative within ``confidence_bound``
(Deffuant et al. 2000), repulsive beyond ``repulsion_bound`` when ``repulsion_rate`` > 0.

The model does not explain why the Dutch trust as much as they do, only how mechanisms
change it. So the **dispositions** are solved once, at step 0 (after the spin-up, before the
scenario's levers act, so the same for every scenario): each person's surveyed trust is the
rest point of their step-0 signals and of the expected influence of their ties. From then on
trust moves only when signals or ties' trust move: levers act through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .citizens import (
    any_per_citizen,
)
from .kinds import QUARTERS_PER_YEAR
from .participation import bridging_share

if TYPE_CHECKING:
    from .model import SamenModel


@dataclass(frozen=True)
class TrustEvent:
    """A dated national event that moves the national trust signal by ``size`` at ``year``,
    fading with a time constant of ``quarters`` (e.g. the spring 2020 rally: +0.14).
    """

    year: float
    size: float
    quarters: float
    name: str = ""


def membership_voice(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Per citizen: member of a collective heard this year; member of one turned down."""
    c, t = m.citizens, m.collective_table
    heard = np.append(t.view("heard") & t.view("active"), False)  # member_of == -1 reads the spare
    denied = np.append(t.view("denied") & t.view("active"), False)
    return any_per_citizen(heard[c.member_of]), any_per_citizen(denied[c.member_of])


def voice(m: "SamenModel") -> np.ndarray:
    """Felt voice (0-1).

    Education's share, plus what the municipality's responsiveness adds beyond today's for every
    resident, plus a hearing for one's collective weighted by that responsiveness, minus a
    turned-down application.
    """
    p, c = m.p, m.citizens
    heard, denied = membership_voice(m)
    base = np.array([p.voice_low, p.voice_middle, p.voice_high], dtype=np.float32)[c.education]
    resp = m.responsiveness()
    council = (p.resident_voice * (resp - m.reference.responsiveness)).astype(np.float32)[c.municipality]
    return np.clip(base + council + p.heard_voice * resp.astype(np.float32)[c.municipality] * heard
                   - p.denial_voice_loss * denied, 0, 1)


def remember_events(m: "SamenModel") -> None:
    """Closures and openings this quarter enter their locality's memory, which fades (a local,
    symbolic loss: Bolet 2021 measures it per district; Christiaanse: the social and emotional
    value of a facility).
    """
    keep = 1 - m.p.event_memory_decay
    m.closure_memory = m.closure_memory * keep + m.closures_now
    m.opening_memory = m.opening_memory * keep + m.openings_now


def national_events(m: "SamenModel") -> float:
    """The sum of the dated national events' effects now."""
    now = m.year
    return float(sum(e.size * np.exp(-(now - e.year) * QUARTERS_PER_YEAR / e.quarters)
                     for e in m.events if now >= e.year))


def trust_signals(m: "SamenModel") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signals (without intercept and disposition) for local government, national government
    and other people, per citizen.
    """
    p, c = m.p, m.citizens
    local_place = (p.performance_weight * m.reach.access - p.closure_trust_loss * m.closure_memory
                   + p.opening_trust_gain * m.opening_memory)
    felt = p.voice_weight * voice(m)
    local = local_place.astype(np.float32)[c.locality] + felt
    national_now = (p.national_performance_weight * (m.national_access() - m.reference.access)
                    + national_events(m))
    national = (p.national_spillover * local_place).astype(np.float32)[c.locality] + felt + np.float32(national_now)
    others = p.bridging_weight * bridging_share(m) + p.participation_trust_weight * c.active_now
    return local.astype(np.float32), national.astype(np.float32), others.astype(np.float32)


def _expected_influence(m: "SamenModel", trust: np.ndarray) -> np.ndarray:
    """Expected influence per quarter of one tie drawn at random.

    The mean over one's ties of the assimilative and repulsive pulls (0 without ties).
    """
    p, net = m.p, m.network
    src = np.repeat(np.arange(len(trust)), net.degree)
    diff = trust[net.indices].astype(np.float64) - trust[src]
    pull = (p.influence_rate * (np.abs(diff) < p.confidence_bound)
            - p.repulsion_rate * (np.abs(diff) > p.repulsion_bound)) * diff
    total = np.bincount(src, weights=pull, minlength=len(trust))
    return np.divide(total, net.degree, out=np.zeros(len(trust)), where=net.degree > 0)


def set_dispositions(m: "SamenModel") -> None:
    """Make today's trust the rest point of today's signals and expected influence (step 0).

    At rest ``rate * (target - T) + influence = 0``, so the target is ``T - influence / rate``
    (for government trust the rate is the one of the direction the target lies in) and the
    disposition is the target less the signal.
    """
    p, c = m.p, m.citizens
    local, national, others = trust_signals(m)
    up, down = p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio)
    for name, level, signal in (("local", c.trust_local, local), ("national", c.trust_national, national),
                                ("others", c.trust_others, others)):
        pull = _expected_influence(m, level)
        if name == "others":
            rate = np.full(len(level), p.trust_others_rate)
        else:
            rate = np.where(pull < 0, up, down)  # the target lies on the side opposite the pull
        gap = np.divide(-pull, rate, out=np.zeros(len(level)), where=rate > 0)
        setattr(c, f"disposition_{name}", (level + gap - signal).astype(np.float32))


def _asymmetric_step(trust: np.ndarray, target: np.ndarray, up: float, down: float) -> np.ndarray:
    gap = target - trust
    return np.clip(trust + np.where(gap > 0, up, down) * gap, 0, 1).astype(np.float32)


def _influence(m: "SamenModel", trust: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """One round of social influence from tie ``tie`` (-1.

    None): assimilative within the confidence bound, repulsive beyond the repulsion bound
    (Flache et al. 2017).
    """
    p = m.p
    has = tie >= 0
    diff = np.where(has, trust[np.maximum(tie, 0)] - trust, 0)
    close = np.abs(diff) < p.confidence_bound
    far = np.abs(diff) > p.repulsion_bound
    moved = trust + p.influence_rate * close * diff - p.repulsion_rate * far * diff
    return np.clip(moved, 0, 1).astype(np.float32)


def update_trust(m: "SamenModel") -> None:
    """Trust moves towards its target (asymmetric for government), then social influence."""
    p, c = m.p, m.citizens
    local, national, others = trust_signals(m)
    target_local = c.disposition_local + local
    target_nat = c.disposition_national + national
    target_oth = c.disposition_others + others
    up, down = p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio)
    tie = m.sampled_ties[:, 0]  # the first contact sampled this quarter (participation.py)
    c.trust_local = _influence(m, _asymmetric_step(c.trust_local, target_local, up, down), tie)
    c.trust_national = _influence(m, _asymmetric_step(c.trust_national, target_nat, up, down), tie)
    rate = p.trust_others_rate
    moved = np.clip(c.trust_others + rate * (target_oth - c.trust_others), 0, 1).astype(np.float32)
    c.trust_others = _influence(m, moved, tie)
