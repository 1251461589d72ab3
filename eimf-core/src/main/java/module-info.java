/**
 * EIMF-Java's core: data, training, evaluation and serving of multi-interest recommendation models.
 *
 * <p>Exported, the API: {@link dev.eimf.data} (interaction data, loaders, preprocessing),
 * {@link dev.eimf.eval} (splits, metrics, baselines), {@link dev.eimf.esim} (explicit interests: the LLM and
 * text-encoder interfaces and the extractors), {@link dev.eimf.backbone} (backbones of your own),
 * {@link dev.eimf.train} (the trainer) and {@link dev.eimf.model} (the trained model and serving). The
 * engine (kernels, encoders, optimisers, model files) is in {@code dev.eimf.internal.*}, which is not
 * exported and may change in any release.
 *
 * <p>This descriptor states and compiles the boundary. ND4J 1.0.0-M2.1's own descriptor names a package
 * its jar lacks, so the JVM refuses ND4J on the module path: run EIMF-Java on the class path.
 */
module dev.eimf.core {
    exports dev.eimf.data;
    exports dev.eimf.eval;
    exports dev.eimf.esim;
    exports dev.eimf.backbone;
    exports dev.eimf.train;
    exports dev.eimf.model;

    requires nd4j.api;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    requires commons.math3;
    requires com.google.gson;
    requires org.slf4j;
    requires org.apache.lucene.core;
    requires static jdk.incubator.vector;
    requires jdk.management;
}
