/**
 * Contract tests (JUnit 5) that a user's backbone, LLM client or text encoder extends to check itself:
 * {@link dev.eimf.testkit.BackboneContract}, {@link dev.eimf.testkit.LlmClientContract},
 * {@link dev.eimf.testkit.TextEncoderContract}. Add {@code dev.eimf:eimf-testkit} with test scope.
 */
module dev.eimf.testkit {
    exports dev.eimf.testkit;
    // JUnit instantiates the contracts' subclasses and reads the test methods reflectively.
    opens dev.eimf.testkit to org.junit.platform.commons;

    requires transitive dev.eimf.core;
    requires transitive org.junit.jupiter.api;
}
