"""Import and export of the canonical Salescope bundle (see the bundle spec, docs/ or shared/spec/bundle.md).

- `importer.import_bundle(path, progress=None)`: a folder or a .zip; reads (`reader`), checks every field rule
  (`parse`, `fields`, `schema`), then references and cross-file rules against the bundle and the database
  (`validate`, `lookups`); raises `errors.BundleInvalid` listing every problem and writes nothing, or writes
  everything in one transaction with bulk operations (`load`, `upsert`, `stage_history`, `fastinsert`).
- `exporter.export_bundle(dir, progress=None)`: every stored record, canonical values, deterministic order.
- `writer.write_bundle(dir, records, manifest)`: write a bundle from Python dicts (tests, generators).
- `compare.bundle_differences(a, b)`: compare two bundles as sets of normalised records (round trips).
- Commands: `salescope import BUNDLE` (import_bundle) and `salescope export DIR` (export_bundle).
"""
