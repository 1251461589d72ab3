package dev.eimf.llm;

import java.io.IOException;

/**
 * A call to a language-model server failed for good (after the client's own retries, or at once for
 * errors a retry cannot fix). The message says what happened and how many attempts were made; it never
 * contains the API key.
 */
public class LlmException extends IOException {

    /** Why a call failed. */
    public enum Reason {
        /** 401 or 403: the API key is missing, wrong or lacks permission. */
        AUTHENTICATION,
        /** 404: unknown model or wrong base URL. */
        NOT_FOUND,
        /** 400 or 422: the server rejected the request (context too long, bad parameter, ...). */
        BAD_REQUEST,
        /** Any other 4xx that is not retried. */
        CLIENT_ERROR,
        /** 429 after all retries. */
        RATE_LIMITED,
        /** 408 or 5xx after all retries. */
        SERVER_ERROR,
        /** Connection failure, reset or timeout after all retries. */
        IO,
        /** A 2xx reply whose body was not the expected JSON, after the allowed retries. */
        MALFORMED_RESPONSE,
        /** The calling thread was interrupted while waiting to retry. */
        INTERRUPTED
    }

    private final Reason reason;
    private final int statusCode;
    private final int attempts;
    private final String serverMessage;

    /**
     * @param message       the whole message, already redacted
     * @param reason        the failure class
     * @param statusCode    the last HTTP status, or -1 when no response was received
     * @param attempts      HTTP attempts made, the first included
     * @param serverMessage the server's {@code error.message} (redacted), or null
     * @param cause         the underlying exception, or null
     */
    public LlmException(String message, Reason reason, int statusCode, int attempts, String serverMessage,
                        Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.statusCode = statusCode;
        this.attempts = attempts;
        this.serverMessage = serverMessage;
    }

    /** Why the call failed. */
    public Reason reason() { return reason; }

    /** The last HTTP status code, or -1 when the last attempt got no response. */
    public int statusCode() { return statusCode; }

    /** HTTP attempts made, the first included. */
    public int attempts() { return attempts; }

    /** The server's own error message ({@code error.message} of the body), or null. */
    public String serverMessage() { return serverMessage; }

    /** Whether more retries could have helped (rate limits, server errors, I/O, malformed replies). */
    public boolean isTransient() {
        return reason == Reason.RATE_LIMITED || reason == Reason.SERVER_ERROR || reason == Reason.IO
                || reason == Reason.MALFORMED_RESPONSE;
    }
}
