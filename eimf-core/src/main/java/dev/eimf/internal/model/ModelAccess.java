package dev.eimf.internal.model;

import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.model.InterestModel;
import java.util.Optional;

/**
 * The engine's way into {@link InterestModel}, whose constructor is private so that no engine type shows
 * in the public API: the model class hands its accessor over when it is initialised.
 */
public final class ModelAccess {
    /** What the engine may do with a model. */
    public interface Access {
        /** A model over saved weights, optional semantics, with its provenance in the metadata. */
        InterestModel create(SavedModel saved, Optional<Semantics> semantics);

        /** The weights behind a model. */
        SavedModel saved(InterestModel model);

        /** The semantics behind a model. */
        Optional<Semantics> semantics(InterestModel model);
    }

    private static volatile Access access;

    private ModelAccess() {
    }

    /** Called once, by {@link InterestModel}'s initialiser. */
    public static void set(Access a) {
        if (access != null) throw new IllegalStateException("model access already set");
        access = a;
    }

    /** The accessor, initialising {@link InterestModel} first if needed. */
    public static Access get() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(InterestModel.class.getName(), true, InterestModel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
