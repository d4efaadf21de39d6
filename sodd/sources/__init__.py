"""Data-source clients: the only code in sodd that touches the network or foreign file formats.

One module per provider (``pxweb``/``scb``, ``scb_geo``, ``boverket``, ``kronofogden``,
``kolada``, ``socialstyrelsen``, ``local``), each with a ``fetch_*`` returning raw bytes
and a pure ``parse_*`` returning a tidy frame in the observations contract
(:data:`sodd.schema.OBSERVATION_COLUMNS`). They share :mod:`sodd.sources.http` for
timeouts and retries. Base URLs come from settings so a loopback server can stand in.
"""
