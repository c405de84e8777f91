package dev.smtpprobe.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file the user names with a size cap. The cap is checked on the bytes read, not on the size the file
 * system reports: a device such as {@code /dev/zero} or a pipe reports 0 and never ends.
 */
final class BoundedFiles {

    private BoundedFiles() {
    }

    /**
     * The whole content of {@code file}, at most {@code maxBytes} long; reading stops one byte past the cap.
     *
     * @throws IllegalArgumentException naming {@code argument} and the file when it cannot be read or holds more than
     *                                  {@code maxBytes} bytes
     */
    public static byte[] read(Path file, int maxBytes, String argument) {
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(maxBytes + 1);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(argument + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
        }
        Arguments.requireArgument(content.length <= maxBytes, "%s: %s is larger than %s (an endless device or an"
                + " oversized file); give a file of at most that size", argument, file, describe(maxBytes));
        return content;
    }

    private static String describe(int bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
