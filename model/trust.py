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
from numba import njit

from .kinds import QUARTERS_PER_YEAR
from .participation import bridging_of
from .threads import run as run_split

if TYPE_CHECKING:
    from .model import SamenModel


@dataclass(frozen=True)
class TrustEvent:
    """A dated national event in the national trust signal.

    A dated national event that moves the national trust signal by ``size`` at ``year``, fading
    with a time constant of ``quarters`` (e.g. the spring 2020 rally: +0.14).
    """

    year: float
    size: float
    quarters: float
    name: str = ""


def _collective_flags(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Per collective row, plus a spare False row that ``member_of == -1`` reads: heard, turned down."""
    t = m.collective_table
    return np.append(t.view("heard"), False), np.append(t.view("denied"), False)


@njit(inline="always")
def _voice(i, member_of, heard, denied, base, education, municipality, resp, resp_ref, resident_voice,
           heard_voice, denial_loss):
    is_heard = False
    is_denied = False
    for k in range(member_of.shape[1]):
        is_heard |= heard[member_of[i, k]]
        is_denied |= denied[member_of[i, k]]
    mun = municipality[i]
    v = base[education[i]] + resident_voice * (resp[mun] - resp_ref[mun])
    if is_heard:
        v += heard_voice * resp[mun]
    if is_denied:
        v -= denial_loss
    return min(max(v, 0.0), 1.0)


@njit(cache=True)
def _voice_kernel(member_of, heard, denied, base, education, municipality, resp, resp_ref, resident_voice,
                  heard_voice, denial_loss):
    out = np.empty(len(education))
    for i in range(len(education)):
        out[i] = _voice(i, member_of, heard, denied, base, education, municipality, resp, resp_ref,
                        resident_voice, heard_voice, denial_loss)
    return out


@njit(cache=True, nogil=True)
def _signals_kernel(member_of, heard, denied, base, education, municipality, resp, resp_ref, resident_voice,
                    heard_voice, denial_loss, voice_weight, locality, local_place, spillover, national_now,
                    degree, strong_bridging, weak_ties, weak_bridging, history, bridging_weight, activity_weight,
                    disposition_local, disposition_national, disposition_others, local, national, others,
                    lo, hi):  # pragma: no cover - compiled
    """The three signals (float32) of citizens ``lo:hi``, plus the dispositions if given (empty: none).

    With dispositions these are the targets trust moves to, added in float32 as numpy adds
    two float32 arrays, without the signals' own arrays. Written into ``local``, ``national``
    and ``others``, citizen by citizen (model/threads.py may split the range).
    """
    targets = len(disposition_local) > 0
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        felt = voice_weight * _voice(i, member_of, heard, denied, base, education, municipality, resp, resp_ref,
                                     resident_voice, heard_voice, denial_loss)
        place = local_place[locality[i]]
        bridging = bridging_of(degree[i], strong_bridging[i], weak_ties[i], weak_bridging[i])
        signal_local = np.float32(place + felt)
        signal_national = np.float32(spillover * place + felt + national_now)
        signal_others = np.float32(bridging_weight * bridging + activity_weight * (history[i] & 1))
        if targets:
            local[i] = disposition_local[i] + signal_local
            national[i] = disposition_national[i] + signal_national
            others[i] = disposition_others[i] + signal_others
        else:
            local[i], national[i], others[i] = signal_local, signal_national, signal_others


def remember_events(m: "SamenModel") -> None:
    """Remember this quarter's closures and openings.

    Closures and openings this quarter enter their locality's memory, which fades (a local,
    symbolic loss: Bolet 2021 measures it per district; Christiaanse: the social and emotional
    value of a facility).
    """
    keep = 1 - m.p.event_memory_decay
    m.closure_memory = m.closure_memory * keep + m.closures_now
    m.opening_memory = m.opening_memory * keep + m.openings_now


def national_events(m: "SamenModel") -> float:
    """The sum of the dated national events' effects now.

    An event acts from its date on, fading with its time constant; events dated before step 0
    are ignored (the start is the same for every scenario, and trust starts at rest).
    """
    now, start = m.year, m.p.start_year
    return float(sum(e.size * np.exp(-(now - e.year) * QUARTERS_PER_YEAR / e.quarters)
                     for e in m.events if start <= e.year <= now))


def voice(m: "SamenModel") -> np.ndarray:
    """Felt voice (0-1) per citizen.

    Education's share, plus what the municipality's responsiveness adds beyond today's for every
    resident (``resident_voice``), plus a hearing for one's collective weighted by that
    responsiveness (``heard_voice``), minus a turned-down application (``denial_voice_loss``).
    """
    return _voice_kernel(*_voice_inputs(m))


def _voice_inputs(m: "SamenModel") -> tuple:
    p, c = m.p, m.citizens
    heard, denied = _collective_flags(m)
    return (c.member_of, heard, denied, np.array([p.voice_low, p.voice_middle, p.voice_high]), c.education,
            c.municipality, m.responsiveness(), m.reference.responsiveness, p.resident_voice, p.heard_voice,
            p.denial_voice_loss)


def trust_signals(m: "SamenModel", with_events: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signals (without disposition) for local government, national government and other people.

    Local: ``performance_weight * access - closure_trust_loss * closure memory +
    opening_trust_gain * opening memory + voice_weight * voice``; national: the local experience
    times ``national_spillover``, voice, ``national_performance_weight`` times the change of
    national access since the start, and the dated events; others: ``bridging_weight`` times the
    bridging share of one's ties plus ``participation_trust_weight`` when active this quarter.
    """
    none = np.zeros(0, dtype=np.float32)
    return _signals(m, with_events, none, none, none)


def trust_targets(m: "SamenModel") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What trust moves towards this quarter: each citizen's disposition plus their signal (float32)."""
    c = m.citizens
    return _signals(m, True, c.disposition_local, c.disposition_national, c.disposition_others)


def _signals(m: "SamenModel", with_events: bool, disposition_local: np.ndarray, disposition_national: np.ndarray,
             disposition_others: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`trust_signals`, plus the dispositions when they are not empty (the targets)."""
    p, c = m.p, m.citizens
    local_place = (p.performance_weight * m.reach.access - p.closure_trust_loss * m.closure_memory
                   + p.opening_trust_gain * m.opening_memory)
    national_now = (p.national_performance_weight * (m.national_access() - m.reference.access)
                    + (national_events(m) if with_events else 0.0))
    out = np.empty((3, c.n), dtype=np.float32)  # local, national, others
    run_split(_signals_kernel, c.n, *_voice_inputs(m), p.voice_weight, c.locality, local_place, p.national_spillover,
              national_now, m.degree, m.strong_bridging, c.weak_ties, c.weak_bridging, c.active_history,
              p.bridging_weight, p.participation_trust_weight, disposition_local, disposition_national,
              disposition_others, *out)
    return out[0], out[1], out[2]


def _expected_influence(m: "SamenModel", trust: np.ndarray) -> np.ndarray:
    """Expected influence per quarter of one tie drawn at random.

    The mean over one's ties of the assimilative and repulsive pulls (0 without ties).
    """
    p, net = m.p, m.network
    return _expected_influence_kernel(net.indptr, net.indices, trust, p.influence_rate, p.confidence_bound,
                                      p.repulsion_rate, p.repulsion_bound)


@njit(cache=True)
def _expected_influence_kernel(indptr, indices, trust, rate, bound, repulsion,
                               repulsion_bound):  # pragma: no cover - compiled
    """Per citizen, the mean pull of their ties (:func:`_expected_influence`), in one pass.

    A tie pulls ``(rate [|d| < bound] - repulsion [|d| > repulsion_bound]) * d``, with ``d``
    the tie's trust less one's own (float64); the ties are summed in their stored order, so
    the sums are those of ``np.bincount`` over the edge list.
    """
    n = len(indptr) - 1
    out = np.zeros(n)
    for i in range(n):
        start, end = indptr[i], indptr[i + 1]
        if end == start:
            continue
        own = np.float64(trust[i])
        total = 0.0
        for e in range(start, end):
            diff = np.float64(trust[indices[e]]) - own
            near = 1.0 if abs(diff) < bound else 0.0
            far = 1.0 if abs(diff) > repulsion_bound else 0.0
            weight = rate * near - repulsion * far
            total += weight * diff
        out[i] = total / (end - start)
    return out


def set_dispositions(m: "SamenModel") -> None:
    """Make today's trust the rest point of today's signals and expected influence (step 0).

    At rest ``rate * (target - T) + influence = 0``, so the target is ``T - influence / rate``
    (for government trust the rate is the one of the direction the target lies in) and the
    disposition is the target less the signal.
    """
    p, c = m.p, m.citizens
    local, national, others = trust_signals(m, with_events=False)  # events act only in steps
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


@njit(inline="always")
def _moved(x, target, up, down):
    """Move towards the target at ``up`` when it lies above, ``down`` when below; clip to [0, 1]."""
    gap = target - x
    return min(max(x + (up if gap > 0 else down) * gap, 0.0), 1.0)


@njit(cache=True)
def _asymmetric_step(trust, target, up, down):  # pragma: no cover - compiled
    """:func:`_moved` for every citizen (float32), as ``update_trust`` moves them."""
    out = np.empty(len(trust), dtype=np.float32)
    for i in range(len(trust)):
        out[i] = _moved(trust[i], target[i], up, down)
    return out


@njit(inline="always")
def _influenced(x, x_tie, rate, bound, repulsion, repulsion_bound):
    diff = x_tie - x
    if abs(diff) < bound:
        x += rate * diff
    if abs(diff) > repulsion_bound:
        x -= repulsion * diff
    return min(max(x, 0.0), 1.0)


@njit(cache=True)
def _influence_kernel(trust, tie, rate, bound, repulsion, repulsion_bound):
    out = np.empty_like(trust)
    for i in range(len(trust)):
        t = tie[i]
        out[i] = trust[i] if t < 0 else _influenced(trust[i], trust[t], rate, bound, repulsion, repulsion_bound)
    return out


def _influence(m: "SamenModel", trust: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """One round of social influence from each citizen's tie ``tie`` (-1: none).

    Assimilative within ``confidence_bound`` (move ``influence_rate`` of the difference towards
    the tie), repulsive beyond ``repulsion_bound`` (move ``repulsion_rate`` of it away); Flache et
    al. 2017, Deffuant et al. 2000.
    """
    p = m.p
    return _influence_kernel(trust, tie, p.influence_rate, p.confidence_bound, p.repulsion_rate, p.repulsion_bound)


@njit(cache=True, nogil=True)
def _move_kernel(trust_local, trust_national, trust_others, target_local, target_national, target_others, up, down,
                 others_rate, moved, lo, hi):  # pragma: no cover - compiled
    """Citizens ``lo:hi``: each trust moved towards its target, into ``moved`` (3, n)."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        moved[0, i] = _moved(trust_local[i], target_local[i], up, down)
        moved[1, i] = _moved(trust_national[i], target_national[i], up, down)
        moved[2, i] = _moved(trust_others[i], target_others[i], others_rate, others_rate)


@njit(cache=True, nogil=True)
def _tie_influence_kernel(moved, tie, rate, bound, repulsion, repulsion_bound, trust_local, trust_national,
                          trust_others, lo, hi):  # pragma: no cover - compiled
    """Citizens ``lo:hi``: their moved trust, then one tie's influence (its trust after this quarter's move)."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        t = tie[i]
        if t < 0:
            trust_local[i], trust_national[i], trust_others[i] = moved[0, i], moved[1, i], moved[2, i]
        else:
            trust_local[i] = _influenced(moved[0, i], moved[0, t], rate, bound, repulsion, repulsion_bound)
            trust_national[i] = _influenced(moved[1, i], moved[1, t], rate, bound, repulsion, repulsion_bound)
            trust_others[i] = _influenced(moved[2, i], moved[2, t], rate, bound, repulsion, repulsion_bound)


def update_trust(m: "SamenModel") -> None:
    """Trust moves towards its target, then the tie sampled this quarter influences it.

    Trust in government moves up at ``trust_up_rate`` and down ``trust_down_ratio`` times faster
    (:func:`_moved`); trust in others at ``trust_others_rate``; influence as :func:`_influence`.
    """
    p, c = m.p, m.citizens
    local, national, others = trust_targets(m)
    # two passes, each split over threads: a tie's influence is its trust after this quarter's move
    moved = np.empty((3, c.n), dtype=np.float32)
    run_split(_move_kernel, c.n, c.trust_local, c.trust_national, c.trust_others, local, national, others,
              p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio), p.trust_others_rate, moved)
    run_split(_tie_influence_kernel, c.n, moved, m.sampled_tie, p.influence_rate, p.confidence_bound,
              p.repulsion_rate, p.repulsion_bound, c.trust_local, c.trust_national, c.trust_others)
