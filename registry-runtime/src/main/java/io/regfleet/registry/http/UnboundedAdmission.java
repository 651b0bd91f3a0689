package io.regfleet.registry.http;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Admits everything: the default until a governing admission is configured. */
@DefaultBean
@ApplicationScoped
public class UnboundedAdmission implements RequestAdmission {
    private static final Ticket NOTHING_HELD = () -> {
    };

    @Override
    public Ticket tryAdmit(Endpoint endpoint) {
        return NOTHING_HELD;
    }
}
