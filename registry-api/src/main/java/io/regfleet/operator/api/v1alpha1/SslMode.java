package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** PostgreSQL sslmode values, spelled as libpq spells them. */
public enum SslMode {
    DISABLE("disable"), ALLOW("allow"), PREFER("prefer"), REQUIRE("require"), VERIFY_CA("verify-ca"), VERIFY_FULL("verify-full");

    private final String value;

    SslMode(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }
}
