"""ACLED and UCDP, out and in: Tadmur's claims and swings in the conflict-data world's columns.

- :mod:`engine.interop.acled`: export believed claims or swings as ACLED rows; read an
  ACLED file's territory-change events back as claims of claimant ``acled``.
- :mod:`engine.interop.ucdp`: export the same as UCDP GED rows (date intervals); read them back.
- :mod:`engine.interop.actors`, :mod:`engine.interop.places`: the two vocabularies' actors,
  and a site's admin names, coordinates and precision codes.

Nothing here touches the network or ships either dataset's data.
"""
