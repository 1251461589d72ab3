package dev.eimf.testkit;

import dev.eimf.esim.LlmClient;

/** A lambda that answers every prompt with two interests meets the LLM-client contract. */
class LambdaLlmClientContractTest extends LlmClientContract {
    static final String ANSWER = "{\"interests\":[{\"name\":\"Science fiction\",\"description\":\"space and robots\","
            + "\"evidence\":[1,2]},{\"name\":\"Romance\",\"description\":\"love stories\",\"evidence\":[3]}]}";

    @Override
    protected LlmClient client() {
        return request -> new LlmClient.ChatResponse(ANSWER, 10, 20);
    }
}
