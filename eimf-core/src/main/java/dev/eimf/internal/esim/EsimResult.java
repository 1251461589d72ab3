package dev.eimf.internal.esim;

import java.util.List;

/**
 * The outcome of {@link EsimRunner#run}.
 *
 * @param users one result per input user, in input order
 * @param stats counts and timing
 */
public record EsimResult(List<UserInterests> users, EsimStats stats) {
    public EsimResult {
        users = List.copyOf(users);
    }
}
