package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReconcileError's message: one short human line, never the stack traces JOSDK puts in its aggregated exceptions. */
class FailureMessageTest {

    @Test
    void theApiServersRefusalIsQuotedFromTheWorkflowsAggregate() {
        var forbidden = new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("jobs.batch is forbidden: cannot patch resource \"jobs\"").build());
        var aggregate = new AggregatedOperatorException("Exception(s) during workflow execution.",
                Map.of("schema-migration", new IllegalStateException("wrapped", forbidden)));
        assertTrue(aggregate.getMessage().contains("\tat "), "JOSDK's own message holds the stack traces");
        assertEquals("the API server answered 403: jobs.batch is forbidden: cannot patch resource \"jobs\" (grant it to the "
                + "operator's ServiceAccount: config/rbac/role.yaml)", FailureMessage.of(aggregate));
    }

    @Test
    void otherFailuresGiveTheirFirstLineCapped() {
        assertEquals("boom", FailureMessage.of(new IllegalStateException("boom\n\tat somewhere(Somewhere.java:1)")));
        String longText = "x".repeat(1000);
        String capped = FailureMessage.of(new IllegalStateException(longText));
        assertEquals(FailureMessage.MAX_LENGTH, capped.length());
        assertTrue(capped.endsWith("..."));
        assertEquals("NullPointerException", FailureMessage.of(new NullPointerException()));
        assertFalse(FailureMessage.of(new RuntimeException(new IllegalArgumentException("bad\nline"))).contains("\n"));
    }
}
