"""Conversion of a Hugging Face Marian folder to CTranslate2."""

from __future__ import annotations

import logging
from pathlib import Path

from service.errors import ModelInvalid
from service.extras import require_transformers

CT2_QUANTIZATION = "int8"
CT2_FORMAT = f"ct2-{CT2_QUANTIZATION}"


def convert_to_ct2(hf_dir: Path, out_dir: Path, quantization: str = CT2_QUANTIZATION) -> None:
    """Write the CTranslate2 model for ``hf_dir`` into ``out_dir`` (replacing what is there)."""
    require_transformers("converting a model to CTranslate2")
    import ctranslate2
    import transformers

    # The converter loads the model through transformers, which logs a weight-loading bar.
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    try:
        converter = ctranslate2.converters.TransformersConverter(str(hf_dir))
        converter.convert(str(out_dir), quantization=quantization, force=True)
    except (ValueError, OSError, KeyError, RuntimeError) as exc:
        logging.getLogger(__name__).debug("conversion failed", exc_info=True)
        raise ModelInvalid(f"CTranslate2 could not convert {hf_dir}: {exc}") from None
    finally:
        transformers.logging.set_verbosity(verbosity)
        transformers.logging.enable_progress_bar()
