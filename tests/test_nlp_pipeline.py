"""The English pipeline is the pinned spaCy model, loaded once per process."""
from __future__ import annotations

from pledgewatch.nlp.pipeline import MODEL_VERSION, load_parser, load_splitter


def test_model_version_and_labels():
    nlp = load_parser()
    assert nlp.meta["version"] == "3.8.0" == MODEL_VERSION
    assert nlp.meta["lang"] == "en"
    assert {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"} <= \
        set(nlp.pipe_names)
    assert {"PERSON", "GPE", "NORP", "ORG", "DATE", "CARDINAL"} <= set(nlp.get_pipe("ner").labels)
    assert {"nsubj", "dobj", "neg", "xcomp", "ccomp", "advcl", "relcl", "conj"} <= \
        set(nlp.get_pipe("parser").labels)
    assert {"MD", "VB", "NNP"} <= set(nlp.get_pipe("tagger").labels)


def test_pipelines_are_built_once():
    assert load_parser() is load_parser()
    assert load_splitter() is load_splitter()
