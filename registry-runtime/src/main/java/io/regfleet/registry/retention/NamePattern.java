package io.regfleet.registry.retention;

import java.util.regex.Pattern;

/**
 * A glob over repository names or tags: {@code *} matches any run of characters but {@code /}, {@code **} any run
 * at all, {@code ?} one character but {@code /}; everything else matches itself.
 */
public record NamePattern(String glob, Pattern regex) {
    public static NamePattern of(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("a name pattern cannot be empty");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (ch == '*') {
                regex.append("[^/]*");
            } else if (ch == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return new NamePattern(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
