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

from .kinds import QUARTERS_PER_YEAR, FacilityType, Provider

if TYPE_CHECKING:
    from .model import SamenModel

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
    """Yearly turnover of market-type facilities (EUR)."""
    f = m.facilities
    return f.revenue_base[fid] * f.local_share[fid]


def gross_margin(m: "SamenModel", fid: np.ndarray) -> np.ndarray:
    """Yearly turnover less the goods sold (EUR).

    What pays a market facility's running cost (``cost``) - a shop keeps ``retail_gross_margin``
    of its turnover, a GP practice all of it.
    """
    share = np.where(m.facilities.type[fid] == FacilityType.SHOP, m.p.retail_gross_margin, 1.0)
    return market_revenue(m, fid) * share


def drift_local_share(m: "SamenModel") -> None:
    """Local purchase shares drift down.

    Local purchase shares fall a quarter's worth of ``market_drift`` (GP practices at
    ``gp_drift_factor`` of it), with noise.
    """
    p, f = m.p, m.facilities
    n = f.n
    ftype = f.view("type")
    for sector, factor in ((FacilityType.SHOP, 1.0), (FacilityType.GP, p.gp_drift_factor)):
        sel = ftype == sector
        k = int(sel.sum())
        if k:
            shock = m.rng.normal(0, p.market_noise_sd, k)
            f.local_share[:n][sel] *= (1 - p.market_drift * factor) ** (1 / QUARTERS_PER_YEAR) * np.exp(shock)


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
    f.funded_until[failing[order][kept]] = m.quarter + QUARTERS_PER_YEAR
    m.close_facility(failing[order][~kept])


def initial_market_facilities(m: "SamenModel") -> dict:
    """Columns for the market facilities standing at the start.

    Every locality where the sector is viable today (local shares and thresholds vary log-
    normally).
    """
    p, loc = m.p, m.localities
    start_share = np.array([p.local_share_neighbourhood, p.local_share_town, p.local_share_village])
    sectors = ((FacilityType.SHOP, p.shop_spend_eur, p.shop_threshold_eur, p.retail_gross_margin),
               (FacilityType.GP, p.gp_spend_eur, p.gp_threshold_eur, 1.0))
    cols = {k: [] for k in ("type", "locality", "firm", "revenue_base", "local_share", "threshold", "cost")}
    for sector, spend, median_threshold, margin in sectors:
        base = loc.residents * spend
        share = start_share[loc.kind] * m.rng.lognormal(0, p.local_share_spread, loc.n)
        threshold = median_threshold * m.rng.lognormal(0, p.threshold_spread, loc.n)
        # larger places hold several outlets; one outlet per locality stands for the sector
        viable = base * share >= threshold
        idx = np.flatnonzero(viable)
        cols["type"].append(np.full(len(idx), sector))
        cols["locality"].append(idx)
        cols["firm"].append(m.firm_index[sector][loc.region[idx]])
        cols["revenue_base"].append(base[idx])
        cols["local_share"].append(share[idx])
        cols["threshold"].append(threshold[idx])
        cols["cost"].append(threshold[idx] * margin)  # running cost besides goods
    return {k: np.concatenate(v) for k, v in cols.items()}
