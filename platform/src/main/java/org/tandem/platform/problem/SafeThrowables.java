package org.tandem.platform.problem;

/**
 * Describes an exception for the log without its messages. Messages of database and parsing errors can
 * quote the data that caused them, and logs must never carry personal data (docs/design.md §4.11).
 */
public final class SafeThrowables {

    private static final int MAX_FRAMES = 12;

    private SafeThrowables() {}

    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable current = e;
        int depth = 0;
        while (current != null && depth < 8) {
            sb.append(depth == 0 ? "" : " <- caused by ")
                    .append(current.getClass().getName());
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                if (frames[i].getClassName().startsWith("org.tandem.") || i < 3) {
                    sb.append("\n\tat ").append(frames[i]);
                }
            }
            current = current.getCause() == current ? null : current.getCause();
            depth++;
        }
        return sb.toString();
    }
}
