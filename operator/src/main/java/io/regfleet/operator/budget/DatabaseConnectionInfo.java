package io.regfleet.operator.budget;

import io.regfleet.operator.api.v1alpha1.SslMode;

/** How to reach the fleet's database, as read from the user's Secret. */
public record DatabaseConnectionInfo(String host, int port, String database, String user, String password, SslMode sslMode) {
    @Override
    public String toString() {
        return "DatabaseConnectionInfo[" + user + "@" + host + ":" + port + "/" + database + ", sslmode " + sslMode.value() + "]";
    }
}
