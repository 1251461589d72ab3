package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MiniLM artifact is optional in eimf-llm: without it on the class path, constructing the encoder must
 * say which artifact to add. The encoder is loaded here through a class loader that sees the test class path
 * minus that artifact.
 */
class MiniLmMissingTest {

    private static final String MODEL_CLASS =
            "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";

    private static List<URL> classPathWithout(String jarNamePart) throws Exception {
        // Surefire puts the test class path in this property (java.class.path may be its manifest-only jar).
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).getFileName().toString().contains(jarNamePart)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls;
    }

    @Test
    void missingModelArtifactIsNamed() throws Exception {
        List<URL> urls = classPathWithout("langchain4j-embeddings");
        assertTrue(urls.stream().anyMatch(u -> u.toString().contains("classes")), "eimf-llm's classes: " + urls);
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> encoder = Class.forName(MiniLmTextEncoder.class.getName(), false, loader);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> encoder.getConstructor().newInstance());
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(cause.getMessage().contains(MiniLmTextEncoder.ARTIFACT), cause.getMessage());
            assertInstanceOf(NoClassDefFoundError.class, cause.getCause());
        }
    }

    @Test
    void theFilteredClassPathLacksOnlyTheModel() throws Exception {
        // The control: the class path copied the same way, artifact included, has the model class; the
        // filtered one lacks it but still has LangChain4j's core. (Not instantiated here: the ONNX and
        // tokenizer natives can be loaded by one class loader per JVM, and MiniLmTextEncoderTest's is first.)
        try (URLClassLoader all = new URLClassLoader(classPathWithout("\u0000").toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
             URLClassLoader filtered = new URLClassLoader(classPathWithout("langchain4j-embeddings").toArray(URL[]::new),
                     ClassLoader.getPlatformClassLoader())) {
            Class.forName(MODEL_CLASS, false, all);
            assertThrows(ClassNotFoundException.class, () -> Class.forName(MODEL_CLASS, false, filtered));
            Class.forName("dev.langchain4j.model.embedding.EmbeddingModel", false, filtered);
        }
    }
}
