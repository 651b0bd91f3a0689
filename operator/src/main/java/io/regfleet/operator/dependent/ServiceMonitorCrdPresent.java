package io.regfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/** Activation condition: the ServiceMonitor dependent (and its informer) exist only where the CRD is installed. */
public class ServiceMonitorCrdPresent extends CrdPresent<ServiceMonitor> {
    public static final String CRD = "servicemonitors.monitoring.coreos.com";

    public ServiceMonitorCrdPresent() {
        super(CRD);
    }
}
