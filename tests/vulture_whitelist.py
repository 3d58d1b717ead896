"""Names vulture finds unused (`make lint`) that are used where it cannot look: Jinja templates, other libraries'
hooks, tests and benchmarks, a string of code. Each entry says where; anything else vulture names is dead code.

Rule functions (@rule_type: looked up by the rule's type in rules.yaml) and MkDocs hooks (on_*) are left out by
[tool.vulture] in pyproject.toml.
"""

_ = object()

# Read by the Jinja templates (generator/site/templates/*.j2).
_.branch_yaml  # _cases.md.j2
_.fills  # _cases_reading.md.j2
_.members_exempted  # branch.md.j2
_.of  # _cases.md.j2: run.standards.cases.of(rule.id)
_.attention  # home.md.j2
_.bars  # units.md.j2, statistics.md.j2: charts.bars(...)
_.boundary  # _cases.md.j2
_.branches_judged  # statistics.md.j2
_.branches_passed  # statistics.md.j2
_.by_category  # statistics.md.j2, home.md.j2
_.by_type  # home.md.j2
_.confidence  # standards.md.j2: a process's 可信度
_.contested  # statistics.md.j2
_.expect  # _cases.md.j2
_.funnel  # statistics.md.j2
_.in_git  # changes.md.j2
_.majority  # statistics.md.j2
_.people_judged  # statistics.md.j2
_.people_met  # statistics.md.j2
_.previous_branches  # changes.md.j2
_.show_officer_names  # branch.md.j2: org.show_officer_names
_.stage_days  # statistics.md.j2
_.warned  # statistics.md.j2
_.with_votes  # statistics.md.j2

# Other libraries read them.
_.foreign_keys  # frictionless.Schema (bench_scale: the baseline leaves foreign keys out)
_.ignore_aliases  # yaml.SafeDumper (demo college: no anchors in generated YAML)
_.initialized  # jieba's tokenizer (mkdocs_plugin: reload its dictionary)
_.max_redirections  # urllib.request.HTTPRedirectHandler (federation fetch)

# Tests and benchmarks call them; some benchmarks by name in the code of a fresh process.
_.fresh  # tests/test_validation_cache.py: how many branches a check validated afresh
_.plain_frictionless  # bench_scale.report: measure("bench_scale.plain_frictionless(...)")
_.render_site  # tests/test_statistics.py and others
_.verified_as_harvested  # bench_federation.report_portal, in a fresh process
_.write_case  # tests/test_cases.py
