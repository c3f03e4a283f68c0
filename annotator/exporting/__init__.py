"""Training-set export: selection, verification, leakage-free splits, writers, manifest.

Entry point: `annotator.exporting.service.export_dataset(db, options)`. No Qt here.
"""
