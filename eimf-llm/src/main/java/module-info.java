/**
 * EIMF-Java's language-model clients: OpenAI-compatible chat and embeddings over OkHttp, the in-JVM
 * MiniLM text encoder, and adapters over any LangChain4j chat or embedding model. Everything in
 * {@link dev.eimf.llm} implements the interfaces of {@code dev.eimf.esim}.
 *
 * <p>Like the core's, this descriptor states and compiles the boundary; the libraries run on the class path
 * (ND4J's descriptor is not valid at run time). MiniLM and LangChain4j are optional dependencies.
 */
module dev.eimf.llm {
    exports dev.eimf.llm;

    requires transitive dev.eimf.core;
    requires okhttp3;
    requires okio;
    requires kotlin.stdlib;
    requires com.google.gson;
    requires org.slf4j;
    requires static langchain4j.core;
    requires static langchain4j.embeddings;
    requires static langchain4j.embeddings.all.minilm.l6.v2.q;
}
