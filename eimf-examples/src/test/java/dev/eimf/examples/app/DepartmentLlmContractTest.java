package dev.eimf.examples.app;

import dev.eimf.esim.LlmClient;
import dev.eimf.testkit.LlmClientContract;

/** The shop's lambda LLM meets the LLM-client contract. */
class DepartmentLlmContractTest extends LlmClientContract {
    @Override
    protected LlmClient client() {
        return ShopApp.departmentLlm();
    }
}
