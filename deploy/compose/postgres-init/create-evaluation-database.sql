-- The evaluator's store: a database of its own, beside the sampler's dataset (database misalign).
CREATE DATABASE misalign_evaluation OWNER misalign;
