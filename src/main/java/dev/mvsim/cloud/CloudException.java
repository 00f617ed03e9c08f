package dev.mvsim.cloud;

/**
 * A request to the simulated cloud that cannot be carried out. Each subclass maps to one HTTP
 * status of the REST API. Messages name the parameter and the rule, never a secret's value.
 */
public abstract class CloudException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected CloudException(String message) {
        super(message, null, false, false);
    }

    /** A parameter is missing or breaks a rule. The REST API returns 400 with code 20001. */
    public static final class InvalidParameter extends CloudException {
        private static final long serialVersionUID = 1L;

        private final String parameter;

        public InvalidParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        /** Returns the REST name of the offending parameter, such as {@code Key} or {@code PageSize}. */
        public String parameter() {
            return parameter;
        }
    }

    /** The account, device or item does not exist or belongs to another account. The REST API returns 404. */
    public static final class NotFound extends CloudException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message);
        }
    }

    /** An item with that key, or a device with that unique name, exists already. The REST API returns 409. */
    public static final class Conflict extends CloudException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message);
        }
    }
}
