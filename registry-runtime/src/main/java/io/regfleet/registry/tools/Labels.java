package io.regfleet.registry.tools;

import java.util.Locale;

/** How reports name the constants of their kinds: lower case, words joined by dashes ({@code BLOB_SIZE}: {@code blob-size}). */
public final class Labels {
    private Labels() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
