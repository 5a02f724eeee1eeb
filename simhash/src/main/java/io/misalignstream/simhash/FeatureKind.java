package io.misalignstream.simhash;

/** What a SimHash feature is: a run of n words, or of n characters, of the normalised text. */
public enum FeatureKind {
    WORD, CHAR
}
