package dev.eimf.testkit;

import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.TextEncoder;

/** The offline hashing encoder meets the text-encoder contract. */
class HashingTextEncoderContractTest extends TextEncoderContract {
    @Override
    protected TextEncoder encoder() {
        return new HashingTextEncoder(64, true);
    }
}
