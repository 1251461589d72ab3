package dev.eimf.examples.app;

import dev.eimf.esim.TextEncoder;
import dev.eimf.testkit.TextEncoderContract;

/** The shop's own text encoder meets the text-encoder contract. */
class WordTextEncoderContractTest extends TextEncoderContract {
    @Override
    protected TextEncoder encoder() {
        return new WordTextEncoder(32);
    }
}
