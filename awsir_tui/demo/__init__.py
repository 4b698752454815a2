"""The embedded demo account: moto's server, what moto lacks, and Bob's company's incident.

- ``server``: ``DemoServer`` (moto in-process on a free loopback port) and ``run_forever``
  (``awsir-tui demo-server``).
- ``gateway``: WSGI layer in front of moto: LookupEvents, per-region pacing, denied regions,
  and DescribeRegions as ``regions`` answers it (a commercial account's regions).
- ``lookup`` / ``throttle``: LookupEvents over in-memory records with AWS's rules.
- ``scenario``: seeds the story and names its ``Facts``; ``company`` is the static data,
  ``seed_iam``/``seed_ec2`` create resources, ``attack``/``background`` write CloudTrail
  records (built by ``records``, keys from ``sessions``), ``archive`` puts them in S3.
- ``moto_state``: the two places that reach into moto's state directly, and why.
"""
