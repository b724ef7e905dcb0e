"""The middle layer of the data half: each domain's Dagster definitions in one package.

`assets/<domain>/assets.py` holds the assets and their checks, `automation.py` the jobs, sensors and
schedules, and `__init__.py` exports `definitions(settings)`. These packages import only the bottom
layer (`pipelines.platform`, the domain libraries under `pipelines/`, `contracts`, `vocabulary`);
`pipelines/definitions.py` lists them explicitly.
"""
