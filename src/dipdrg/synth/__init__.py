"""synth layer: the synthetic demo region with ground truth.

``dipdrg.synth.region.generate_region(out_dir, seed, ...)`` writes hospitals, settlement lists,
labels, code lists and a manifest; ``dipdrg synth OUT --seed N`` is its command.
"""
