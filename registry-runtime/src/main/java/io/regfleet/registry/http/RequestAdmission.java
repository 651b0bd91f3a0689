package io.regfleet.registry.http;

/**
 * Decides whether a request may start now. The governance layer bounds requests that need the database; a request
 * refused here is answered 503 with Retry-After instead of queueing without bound.
 */
public interface RequestAdmission {

    /** A slot held while the request runs; closing it frees the slot. */
    interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    /** A ticket, or null when the request must be shed. */
    Ticket tryAdmit(Endpoint endpoint);
}
