"""The models run their matrix products on numpy's OpenBLAS, on one thread (see
intents.components.use_numpy_matmul): the loaded pipeline's models hold those ops, and what
they say is what the BLIS-backed ops would have said."""

from __future__ import annotations

import numpy as np
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from intents.parser import Parser


def _trained_models(parser: Parser) -> list:
    return [proc.model for _, proc in parser.nlp.pipeline if hasattr(proc, "model")] + [
        parser._ner.model  # noqa: SLF001 - the recogniser is run apart from the pipeline
    ]


def test_loaded_models_use_numpy_matmul(parser: Parser) -> None:
    models = _trained_models(parser)
    assert len(models) >= 2
    for model in models:
        for node in model.walk():
            assert isinstance(node.ops, NumpyOps)
            assert node.ops.use_blis is False, node.name


def test_openblas_held_to_one_thread(parser: Parser) -> None:
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "numpy reports no BLAS library"
    assert all(pool["num_threads"] == 1 for pool in blas)


def test_products_agree_with_blis() -> None:
    rng = np.random.default_rng(3)
    x = rng.random((300, 192), dtype=np.float32)
    y = rng.random((128, 192), dtype=np.float32)
    ours = NumpyOps(use_blis=False).gemm(x, y, trans2=True)
    blis = NumpyOps(use_blis=True).gemm(x, y, trans2=True)
    assert np.allclose(ours, blis, rtol=1e-5, atol=1e-4)
