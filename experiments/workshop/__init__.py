"""The workshop dashboard (``samen workshop``): scenario cards, levers, live charts, a map,
a village view and rounds, served by Solara in Dutch or English.

- :mod:`.cards`: scenario cards (``experiments/workshops/*.toml``);
- :mod:`.levers`: lever widgets described from ``model.parameters.PARAMS``;
- :mod:`.live`: the running model and its baseline reference;
- :mod:`.figures`: charts, province map, village view, round comparison;
- :mod:`.rounds`: rounds, submissions, comparison and ranking, persisted as JSON;
- :mod:`.app`: the Solara page; :mod:`.server`: starting it.

The model never imports this package.
"""
