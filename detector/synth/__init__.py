"""synth: labelled copies of corpus posts (verbatim, spun, partial, quoted, syndicated) for tests and training."""
