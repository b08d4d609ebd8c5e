package dev.edgeinfer.producer.source;

/**
 * One image of a source cannot be published as it is: the file is unreadable, not a PNG or JPEG, has the wrong size,
 * or carries a label that is not a class. The publisher reports it and skips it, or stops under {@code --strict}.
 */
public final class BadImageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String where;

    /**
     * @param where  the file name or data set record, as the user would look for it
     * @param reason what is wrong with it
     */
    public BadImageException(String where, String reason) {
        this(where, reason, null);
    }

    public BadImageException(String where, String reason, Throwable cause) {
        super(where + ": " + reason, cause);
        this.where = where;
    }

    /** The file name or data set record the problem is about. */
    public String where() {
        return where;
    }
}
