"""Reading regions: the shipped provinces, a user's file, and every way a file can be bad."""

from __future__ import annotations

import pytest

from experiments.errors import SamenError
from experiments.regions import default_regions_text, load_regions


def test_shipped_provinces():
    regions = load_regions()
    assert regions.n == 12
    assert int(regions.municipalities.sum()) == 342
    assert 17_000_000 < int(regions.population.sum()) < 19_000_000
    assert "Utrecht" in regions.names


def test_user_file_with_required_columns_only(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("province,population_2024,municipalities_2024\nNorth,50000,2\nSouth,80000,3\n")
    regions = load_regions(path)
    assert regions.names == ("North", "South")
    assert list(regions.municipalities) == [2, 3]


def test_user_copy_of_shipped_file(tmp_path):
    path = tmp_path / "copy.csv"
    path.write_text(default_regions_text(), encoding="utf-8")
    assert load_regions(path).names == load_regions().names


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "does not exist"),
        ("", "is empty"),
        ("province,population_2024\nA,1\n", "missing column(s)"),
        ("province,population_2024,municipalities_2024\nA,-5,1\n", "population_2024"),
        ("province,population_2024,municipalities_2024\nA,10,1\nA,20,1\n", "unique"),
        ('province,population_2024,municipalities_2024\n"A,10,1\n', "regions file"),
    ],
)
def test_bad_files_raise_one_line_naming_the_file(tmp_path, content, needle):
    path = tmp_path / "regions.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SamenError) as info:
        load_regions(path)
    message = str(info.value)
    assert "regions.csv" in message and needle in message
    assert "\n" not in message


def test_directory_is_refused(tmp_path):
    with pytest.raises(SamenError, match="is a directory"):
        load_regions(tmp_path)
