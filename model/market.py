"""Market firms: shops and GP practices that close outlets when local revenue falls below viability.

Rule (ODD 7.4): facility f in locality v stays open while
``revenue = residents_v * spend_per_resident * local_share_f >= threshold_f``. The local
purchase share drifts down by ``market_drift`` a year (mobility, scale, online shopping;
GP practices drift at a third of that rate), so small places lose facilities first
(Locatus via Trouw 2023: small supermarkets in small places fell from 605 in 2008 to 299
in 2023; Christiaanse, RUG: scale and mobility, not shrinkage, close facilities). A
failing outlet may be kept open for a year by the national market subsidy; otherwise its
firm closes it, and residents may rescue it as a collective (collectives.py).

Each firm is a Mesa agent owning one sector in one region; it reviews its own outlets.
The drift of purchase shares is consumers' behaviour, not a firm's decision, and runs over
all facilities at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .kinds import FacilityType, Provider

if TYPE_CHECKING:
    from .model import SamenModel

#: Yearly spending per resident in the sector (EUR) and median viability threshold (EUR/yr).
#: Shop: about EUR 2,400 on groceries per resident (assumption); a practitioner's "je kunt
#: niet draaien op een omzet van maar 20.000 euro per week" (Omroep Brabant 2024) gives a
#: threshold near EUR 1.0M/yr. GP: about EUR 150 per registered patient per year and 2,100
#: patients per practice (assumption).
SPEND = {FacilityType.SHOP: 2_400.0, FacilityType.GP: 150.0}
THRESHOLD = {FacilityType.SHOP: 1_000_000.0, FacilityType.GP: 2_100 * 150.0}
DRIFT_FACTOR = {FacilityType.SHOP: 1.0, FacilityType.GP: 1 / 3}
#: Starting local purchase share by locality kind (neighbourhood, town, village): assumption.
START_LOCAL_SHARE = np.array([0.85, 0.75, 0.40])


class Firm(mesa.Agent):
    """A market firm: one sector (SHOP or GP) in one region, running outlets in its localities."""

    def __init__(self, model: "SamenModel", index: int, sector: FacilityType, region: int) -> None:
        """A firm of ``sector`` in ``region``; ``index`` is its number in ``model.firms``."""
        super().__init__(model)
        self.index = index
        self.sector = sector
        self.region = region

    @property
    def outlets(self) -> np.ndarray:
        """Ids of the open facilities this firm runs."""
        f = self.model.facilities
        return np.flatnonzero(f.view("open") & (f.view("provider") == Provider.MARKET)
                              & (f.view("firm") == self.index))

    def unviable_outlets(self) -> np.ndarray:
        """Outlets whose revenue is below their threshold and that no subsidy year still covers."""
        m, f = self.model, self.model.facilities
        ids = self.outlets
        ids = ids[f.funded_until[ids] <= m.quarter]
        return ids[market_revenue(m, ids) < f.threshold[ids]]


def market_revenue(m: "SamenModel", fid: np.ndarray) -> np.ndarray:
    """Yearly revenue of market-type facilities (EUR)."""
    f = m.facilities
    return f.revenue_base[fid] * f.local_share[fid]


def drift_local_share(m: "SamenModel") -> None:
    """Local purchase shares fall a quarter's worth of ``market_drift``, with noise."""
    f = m.facilities
    n = f.n
    ftype = f.view("type")
    for sector, factor in DRIFT_FACTOR.items():
        sel = ftype == sector
        k = int(sel.sum())
        if k:
            shock = m.rng.normal(0, 0.01, k)
            f.local_share[:n][sel] *= (1 - m.p.market_drift * factor) ** 0.25 * np.exp(shock)


def close_unviable_facilities(m: "SamenModel") -> None:
    """Firms report their unviable outlets.

    The national subsidy keeps the cheapest rescues open for a year while it lasts; the firms
    close the rest.
    """
    failing = np.sort(np.concatenate([firm.unviable_outlets() for firm in m.firms]))
    if len(failing) == 0:
        return
    f = m.facilities
    gap = f.threshold[failing] - market_revenue(m, failing)
    order = np.argsort(gap, kind="stable")  # the cheapest rescues first
    kept = m.national.pay_market_subsidy(gap[order])
    f.funded_until[failing[order][kept]] = m.quarter + 4
    m.close_facility(failing[order][~kept])


def initial_market_facilities(m: "SamenModel") -> dict:
    """Columns for the market facilities standing at the start.

    Every locality where the sector is viable today (threshold heterogeneity: lognormal, sigma
    0.35, assumption).
    """
    loc = m.localities
    cols = {k: [] for k in ("type", "locality", "firm", "revenue_base", "local_share", "threshold", "cost")}
    for sector in (FacilityType.SHOP, FacilityType.GP):
        base = loc.residents * SPEND[sector]
        share = START_LOCAL_SHARE[loc.kind] * m.rng.lognormal(0, 0.15, loc.n)
        threshold = THRESHOLD[sector] * m.rng.lognormal(0, 0.35, loc.n)
        # larger places hold several outlets; one outlet per locality stands for the sector
        viable = base * share >= threshold
        idx = np.flatnonzero(viable)
        cols["type"].append(np.full(len(idx), sector))
        cols["locality"].append(idx)
        cols["firm"].append(m.firm_index[sector][loc.region[idx]])
        cols["revenue_base"].append(base[idx])
        cols["local_share"].append(share[idx])
        cols["threshold"].append(threshold[idx])
        cols["cost"].append(threshold[idx])
    return {k: np.concatenate(v) for k, v in cols.items()}
