package io.regfleet.operator.rbac;

/** One thing RBAC grants: a verb on a resource (or subresource, {@code registries/status}) of an API group. */
public record Permission(String group, String resource, String verb) {
    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }
}
