"""Social infrastructure with dose and reach (reach.py): the two-step floating catchment of
meeting places, its saturating effect, and access to services within the municipality.

Most tests use a hand-built world of three localities in two municipalities, so that the
expected numbers can be worked out by hand; the last ones act on a small model.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from experiments.api import build_model
from model import Parameters
from model.facilities import Facilities
from model.kinds import ACCESS_TYPES, FacilityType, LocalityKind, Provider
from model.reach import compute_reach, in_reach

#: Round values, independent of the defaults' calibration.
P = Parameters(meeting_place_capacity=1500.0, meeting_reach_discount=0.1, meeting_place_saturation=0.3,
               service_reach_discount=0.5)
#: A village (1,200) and a town (10,000) in municipality 0; a city neighbourhood (8,000) in 1.
VILLAGE, TOWN, CITY = 0, 1, 2


def world(places: dict[int, int], services: dict[FacilityType, list[int]] | None = None) -> SimpleNamespace:
    """The state compute_reach reads: parameters, localities, open facilities, municipalities."""
    f = Facilities(capacity=16)
    for where, count in places.items():
        if count:
            f.add(type=np.full(count, FacilityType.MEETING, dtype=np.uint8), locality=np.full(count, where),
                  provider=np.full(count, Provider.MUNICIPALITY, dtype=np.uint8), cost=np.zeros(count))
    for ftype, localities in (services or {}).items():
        f.add(type=np.full(len(localities), ftype, dtype=np.uint8), locality=np.array(localities),
              provider=np.full(len(localities), Provider.MARKET, dtype=np.uint8), cost=np.zeros(len(localities)))
    localities = SimpleNamespace(n=3, residents=np.array([1_200, 10_000, 8_000]), municipality=np.array([0, 0, 1]))
    return SimpleNamespace(p=P, localities=localities, facilities=f, municipal=SimpleNamespace(n=2))


def test_in_reach_adds_the_discounted_rest_of_the_municipality():
    values = np.array([1.0, 10.0, 100.0, 1000.0])
    municipality = np.array([0, 0, 0, 1])
    np.testing.assert_allclose(in_reach(values, municipality, 2, 0.1),
                               [1 + 0.1 * 110, 10 + 0.1 * 101, 100 + 0.1 * 11, 1000])
    np.testing.assert_allclose(in_reach(values, municipality, 2, 0.0), values)


def test_two_step_catchment_by_hand():
    r = compute_reach(world({TOWN: 2, CITY: 9}))
    demand = np.array([1_200 + 0.1 * 10_000, 10_000 + 0.1 * 1_200, 8_000])
    share = np.array([0.0, 2 * 1500 / demand[1], 9 * 1500 / demand[2]])
    expected = np.array([share[0] + 0.1 * share[1], share[1] + 0.1 * share[0], share[2]])
    np.testing.assert_allclose(r.meeting_reach, expected)
    np.testing.assert_allclose(r.meeting_effect, 1 - np.exp(-expected / 0.3))
    np.testing.assert_array_equal(r.meeting_places, [0, 2, 9])
    # capacity is shared, not multiplied: residents x reach adds up to the places' capacity
    residents = np.array([1_200, 10_000, 8_000])
    assert (residents * r.meeting_reach).sum() == pytest.approx(11 * 1500)


def test_a_first_place_in_a_village_does_more_than_a_tenth_in_a_city_neighbourhood():
    before = compute_reach(world({TOWN: 2, CITY: 9})).meeting_effect
    village = compute_reach(world({VILLAGE: 1, TOWN: 2, CITY: 9})).meeting_effect
    city = compute_reach(world({TOWN: 2, CITY: 10})).meeting_effect
    gain_village = village[VILLAGE] - before[VILLAGE]
    gain_city = city[CITY] - before[CITY]
    assert gain_village > 0.5
    assert 0 < gain_city < gain_village / 10
    # the village's place also reaches the town a little (its residents share it)
    assert village[TOWN] > before[TOWN]


def test_the_effect_saturates_with_dose():
    effects = [compute_reach(world({CITY: k})).meeting_effect[CITY] for k in range(8)]
    gains = np.diff(effects)
    assert effects[0] == 0.0
    assert (gains > 0).all() and (np.diff(gains) < 0).all()  # each further place adds less
    assert effects[-1] < 1.0


def test_access_counts_a_service_elsewhere_in_the_municipality_at_the_discount():
    r = compute_reach(world({}, {FacilityType.SHOP: [TOWN], FacilityType.GP: [VILLAGE, CITY],
                                 FacilityType.CARE: [TOWN], FacilityType.TRANSPORT: []}))
    shop, gp, care, bus = (ACCESS_TYPES.index(t) for t in (FacilityType.SHOP, FacilityType.GP,
                                                           FacilityType.CARE, FacilityType.TRANSPORT))
    np.testing.assert_allclose(r.access_by_type[:, shop], [0.5, 1.0, 0.0])  # in the town; none in municipality 1
    np.testing.assert_allclose(r.access_by_type[:, gp], [1.0, 0.5, 1.0])
    np.testing.assert_allclose(r.access_by_type[:, care], [0.5, 1.0, 0.0])
    np.testing.assert_allclose(r.access_by_type[:, bus], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(r.access, r.access_by_type.mean(axis=1))
    np.testing.assert_allclose(r.access, [0.5, 0.625, 0.25])


def test_a_closed_facility_no_longer_counts():
    w = world({VILLAGE: 1}, {FacilityType.SHOP: [VILLAGE, TOWN]})
    w.facilities.open[0] = False  # the village's meeting place
    w.facilities.open[1] = False  # the village's shop
    r = compute_reach(w)
    assert r.meeting_places[VILLAGE] == 0 and r.meeting_effect[VILLAGE] == 0.0
    assert r.access_by_type[VILLAGE, ACCESS_TYPES.index(FacilityType.SHOP)] == 0.5


def test_closing_a_localitys_services_in_a_model_lowers_its_access_by_what_stands_elsewhere():
    m = build_model("baseline", {"population_scale": 3000, "spinup_quarters": 0}, 3)
    loc, f = m.localities, m.facilities
    before = compute_reach(m)
    shop = ACCESS_TYPES.index(FacilityType.SHOP)
    here = before.access_by_type[:, shop] == 1.0
    shops_in_muni = np.bincount(loc.municipality, weights=here, minlength=m.municipal.n)[loc.municipality]
    # a village whose municipality has shops elsewhere, and one whose shop is the municipality's only one
    candidates = {"elsewhere": here & (shops_in_muni >= 2), "alone": here & (shops_in_muni == 1)}
    chosen = {}
    for case, sel in candidates.items():
        villages = np.flatnonzero(sel & (loc.kind == LocalityKind.VILLAGE))
        chosen[case] = int(villages[0] if len(villages) else np.flatnonzero(sel)[0])
    for where in chosen.values():
        shops = np.flatnonzero(f.view("open") & (f.view("type") == FacilityType.SHOP) & (f.view("locality") == where))
        m.close_facility(shops)
    after = compute_reach(m)
    drop = before.access - after.access
    assert drop[chosen["elsewhere"]] == pytest.approx((1 - m.p.service_reach_discount) / len(ACCESS_TYPES))
    assert drop[chosen["alone"]] == pytest.approx(1 / len(ACCESS_TYPES))
    others = np.ones(loc.n, dtype=bool)
    others[list(chosen.values())] = False
    same_muni = np.isin(loc.municipality, loc.municipality[chosen["alone"]]) & others
    # the neighbours of the municipality's only shop lose their discounted access to it
    assert np.allclose(drop[same_muni], m.p.service_reach_discount / len(ACCESS_TYPES))
    # elsewhere a shop remains in the municipality: its other localities keep their access
    rest = others & ~same_muni
    np.testing.assert_array_equal(after.access[rest], before.access[rest])
