"""Builds MarianMT folders in the exact layout of ``Helsinki-NLP/opus-mt-en-es`` on the hub.

Weights are random (speed and plumbing do not depend on their values); the SentencePiece
models are trained on the repo's seed texts, so tokenization behaves like a real model's.
Tiny by default for tests; ``full_size=True`` gives the real architecture for benchmarks.
"""

from __future__ import annotations

import io
import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

EOS_ID = 0
UNK_ID = 1
FULL_VOCAB_SIZE = 65001  # opus-mt-en-es: 65000 pieces + <pad>
# Written into generation_config.json by ``fixed_length`` models: random weights repeat
# themselves, and without this every output would look degenerate to the service and be retried.
FIXED_LENGTH_NO_REPEAT_NGRAM = 2

# A little Spanish for the Spanish SentencePiece model (the seeds are English).
SPANISH_SAMPLE = """\
El gobierno anunció hoy un nuevo plan para mejorar la seguridad en la frontera.
Los ministros se reunieron durante varias horas para discutir la cooperación económica.
La economía creció un tres por ciento durante el último trimestre, según los datos oficiales.
Miles de personas salieron a las calles para celebrar la victoria del equipo nacional.
El presidente afirmó que las inversiones en infraestructura crearán miles de empleos.
Las autoridades sanitarias recomendaron a la población vacunarse antes del invierno.
Según los expertos, el cambio climático afectará a la agricultura en los próximos años.
La empresa presentó sus resultados anuales y anunció un aumento de los beneficios.
Los estudiantes protestaron contra el aumento de las tasas universitarias.
El acuerdo comercial firmado ayer permitirá reducir los aranceles sobre los productos.
La policía detuvo a tres sospechosos relacionados con una red de tráfico de personas.
Las lluvias torrenciales provocaron inundaciones en varias ciudades del norte del país.
El nuevo hospital atenderá a más de cien mil pacientes cada año, explicó la directora.
La reunión de los líderes regionales terminó sin un acuerdo sobre la migración.
Guatemala y Estados Unidos firmaron un acuerdo sobre los vuelos de deportación.
El secretario de Estado visitó la capital y habló con el presidente sobre la seguridad.
Los migrantes que llegan a la frontera esperan durante semanas una respuesta.
Guatemala se comprometió a aumentar de forma significativa los vuelos de deportación.
El presidente Bernardo Arévalo anunció un aumento del cuarenta por ciento en esos vuelos.
Los vuelos llevarán a ciudadanos guatemaltecos y a migrantes de otros países.
Arévalo subrayó que Guatemala toma medidas para gestionar los flujos migratorios.
El gobierno creará una nueva fuerza de tarea para proteger la frontera con México.
La fuerza de tarea contará con policías y soldados que vigilarán los pasos fronterizos.
Según el ministro, el plan busca reducir el tráfico de drogas y de personas en la región.
Los dos gobiernos también firmaron un acuerdo para que Guatemala reciba a solicitantes de asilo.
Las organizaciones de derechos humanos criticaron el acuerdo por falta de garantías.
El secretario dijo que la cooperación con Guatemala es un modelo para toda la región.
La visita forma parte de una gira por los países de América Central y el Caribe.
Los analistas creen que el acuerdo tendrá un costo político para el presidente.
La mayoría de los migrantes que salen del país buscan trabajo en los Estados Unidos.
Las remesas que envían a sus familias representan una parte importante de la economía.
El Congreso debe aprobar el presupuesto para la nueva fuerza de tarea antes de fin de año.
Por la tarde, el presidente se reunió con los alcaldes de las ciudades de la frontera.
Los alcaldes pidieron más recursos para atender a las personas que regresan al país.
La oposición acusó al gobierno de ceder ante las presiones de Washington.
El gobierno respondió que el acuerdo protege los intereses de los guatemaltecos.
En los próximos meses se abrirán centros de atención para los migrantes deportados.
"""


def seed_lines(lang: str) -> list[str]:
    """Training text for one language: the seeds in it (``*.<lang>.txt``), plus a sample."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob(f"*.{lang}.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    if lang == "es":
        lines += SPANISH_SAMPLE.splitlines() * 4
    return [line.strip() for line in lines if line.strip()]


@lru_cache(maxsize=8)
def _trained_spm(lang: str, vocab_size: int) -> bytes:
    """A SentencePiece unigram model for ``lang``; cached, training is the slow part."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(seed_lines(lang)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _vocab(spm_models: list[bytes], size: int | None) -> dict[str, int]:
    """vocab.json as Opus-MT ships it: </s>=0, <unk>=1, the pieces, <pad> last, no gaps."""
    import sentencepiece as spm

    vocab = {"</s>": EOS_ID, "<unk>": UNK_ID}
    for blob in spm_models:
        proc = spm.SentencePieceProcessor(model_proto=blob)
        for i in range(proc.get_piece_size()):
            if not (proc.is_control(i) or proc.is_unknown(i)):
                vocab.setdefault(proc.id_to_piece(i), len(vocab))
    if size is not None:
        filler = 0
        while len(vocab) < size - 1:  # the real vocab size, for speed measurements
            vocab[f"<unused_{filler}>"] = len(vocab)
            filler += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def marian_config(
    source: str, target: str, vocab_size: int, *, full_size: bool, init_std: float
) -> dict[str, Any]:
    """config.json with every field opus-mt-en-es sets (MarianConfig defaults differ)."""
    pad = vocab_size - 1
    d_model, layers, heads, ffn = (512, 6, 8, 2048) if full_size else (32, 2, 4, 64)
    return {
        "_name_or_path": f"/tmp/Helsinki-NLP/opus-mt-{source}-{target}",
        "activation_dropout": 0.0,
        "activation_function": "swish",
        "architectures": ["MarianMTModel"],
        "attention_dropout": 0.0,
        "bos_token_id": EOS_ID,
        "d_model": d_model,
        "decoder_attention_heads": heads,
        "decoder_ffn_dim": ffn,
        "decoder_layerdrop": 0.0,
        "decoder_layers": layers,
        "decoder_start_token_id": pad,
        "decoder_vocab_size": vocab_size,
        "dropout": 0.1,
        "encoder_attention_heads": heads,
        "encoder_ffn_dim": ffn,
        "encoder_layerdrop": 0.0,
        "encoder_layers": layers,
        "eos_token_id": EOS_ID,
        "forced_eos_token_id": EOS_ID,
        "init_std": init_std,
        "is_encoder_decoder": True,
        "max_position_embeddings": 512,
        "model_type": "marian",
        "normalize_before": False,
        "normalize_embedding": False,
        "num_hidden_layers": layers,
        "pad_token_id": pad,
        "scale_embedding": True,
        "share_encoder_decoder_embeddings": True,
        "static_position_embeddings": True,
        "tie_word_embeddings": True,
        "use_cache": True,
        "vocab_size": vocab_size,
    }


def generation_config(vocab_size: int, *, fixed_length: bool = False) -> dict[str, Any]:
    """generation_config.json as the hub ships it for Opus-MT (plus no-repeat for benchmarks)."""
    pad = vocab_size - 1
    extra = {"no_repeat_ngram_size": FIXED_LENGTH_NO_REPEAT_NGRAM} if fixed_length else {}
    return {
        "bad_words_ids": [[pad]],
        "bos_token_id": EOS_ID,
        "decoder_start_token_id": pad,
        "eos_token_id": EOS_ID,
        "forced_eos_token_id": EOS_ID,
        "max_length": 512,
        "num_beams": 4,
        "pad_token_id": pad,
        "renormalize_logits": True,
        **extra,
    }


def build_marian(
    directory: Path,
    source: str = "en",
    target: str = "es",
    *,
    full_size: bool = False,
    weights: Literal["bin", "safetensors"] = "bin",
    seed: int = 0,
    fixed_length: bool = False,
) -> Path:
    """Write a random Marian model folder in the hub's layout; returns ``directory``.

    ``fixed_length`` biases the output layer against ``</s>``, ``<unk>`` and the filler tokens
    of a full-size vocab, so decoding always runs to its maximum length and emits real pieces:
    benchmarks use it to force a fixed output length through any code path. It also writes
    ``no_repeat_ngram_size`` into generation_config.json, so the service decodes without the
    loops random weights make and its degenerate-output check retries nothing.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import MarianConfig, MarianMTModel

    directory.mkdir(parents=True, exist_ok=True)
    spm_size = 8000 if full_size else 400
    source_spm, target_spm = _trained_spm(source, spm_size), _trained_spm(target, spm_size)
    vocab = _vocab([source_spm, target_spm], FULL_VOCAB_SIZE if full_size else None)
    first_filler = vocab.get("<unused_0>", len(vocab) - 1)
    config = marian_config(
        source, target, len(vocab), full_size=full_size, init_std=0.02 if full_size else 0.3
    )

    (directory / "source.spm").write_bytes(source_spm)
    (directory / "target.spm").write_bytes(target_spm)
    _write_json(directory / "vocab.json", vocab)
    _write_json(directory / "config.json", config)
    _write_json(
        directory / "generation_config.json",
        generation_config(len(vocab), fixed_length=fixed_length),
    )
    _write_json(
        directory / "tokenizer_config.json",
        {
            "source_lang": source,
            "target_lang": target,
            "model_max_length": 512,
            "separate_vocabs": False,
            "eos_token": "</s>",
            "unk_token": "<unk>",
            "pad_token": "<pad>",
            "tokenizer_class": "MarianTokenizer",
        },
    )

    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**config)).eval()
    with torch.no_grad():
        if fixed_length:
            model.final_logits_bias[0, [EOS_ID, UNK_ID]] = -1e4
            model.final_logits_bias[0, first_filler:] = -1e4
    # The hub's layout: one tensor per name; tied embeddings saved once, as the hub has them.
    state = {
        name: tensor.contiguous()
        for name, tensor in model.state_dict().items()
        if name not in ("lm_head.weight", "model.encoder.embed_tokens.weight")
        and "embed_positions" not in name
    }
    state["model.decoder.embed_tokens.weight"] = state["model.shared.weight"]
    if weights == "bin":
        torch.save(state, directory / "pytorch_model.bin")
    else:
        save_file(
            {name: t.clone() for name, t in state.items()},
            directory / "model.safetensors",
            metadata={"format": "pt"},
        )
    return directory


def copy_model(source: Path, destination: Path) -> Path:
    """A writable copy of a built model folder (tests that break files use one)."""
    shutil.copytree(source, destination)
    return destination


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
