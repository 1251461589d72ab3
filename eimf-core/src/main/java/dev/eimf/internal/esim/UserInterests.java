package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.Extraction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One typical user's explicit interests as produced (or reused) by {@link EsimRunner}.
 *
 * @param userId    the user
 * @param key       the store key of the extraction
 * @param status    OK when {@code interests} (and, with an encoder, {@code vectors}) are usable
 * @param reason    why it failed, or a note; {@code ""} when there is nothing to say
 * @param interests the interests (empty on failure)
 * @param vectors   one vector per interest from the runner's text encoder; empty on failure or without encoder
 * @param cached    true when the extraction came from the store instead of the extractor
 */
public record UserInterests(String userId, StoreKey key, Extraction.Status status, String reason,
                            List<ExplicitInterest> interests, List<float[]> vectors, boolean cached) {
    public UserInterests {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        interests = List.copyOf(interests);
        List<float[]> copy = new ArrayList<>(vectors.size());
        for (float[] v : vectors) copy.add(v.clone());
        vectors = List.copyOf(copy);
    }

    /** True when the interests are usable. */
    public boolean ok() {
        return status == Extraction.Status.OK;
    }
}
