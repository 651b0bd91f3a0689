package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a grant allows on a repository, spelled as the registry's rules and tokens spell it. */
public enum AccessAction {
    PULL("pull"), PUSH("push"), DELETE("delete"), ALL("*");

    private final String value;

    AccessAction(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }
}
