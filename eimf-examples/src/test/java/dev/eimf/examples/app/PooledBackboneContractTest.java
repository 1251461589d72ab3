package dev.eimf.examples.app;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.BackboneFactory;
import dev.eimf.testkit.BackboneContract;

/** The shop's own backbone meets the backbone contract. */
class PooledBackboneContractTest extends BackboneContract {
    @Override
    protected BackboneFactory factory() {
        return PooledBackbone.FACTORY;
    }

    @Override
    protected BackboneConfig config() {
        return BackboneConfig.builder(PooledBackbone.NAME).dim(6).interests(2).maxLen(5).build();
    }
}
