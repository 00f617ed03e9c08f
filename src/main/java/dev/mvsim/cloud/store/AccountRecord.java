package dev.mvsim.cloud.store;

import java.util.Objects;

/** An account: its SID ({@code AC} + 32 hex digits) and the auth token that authenticates it. */
public record AccountRecord(String sid, String authToken) {

    public AccountRecord {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(authToken, "authToken");
    }

    /** Shows the SID only: the auth token is a credential. */
    @Override
    public String toString() {
        return "AccountRecord[sid=" + sid + "]";
    }
}
