package io.regfleet.control.probe;

/**
 * How to reach the fleet's database, as read from the user's Secret; {@code sslMode} spelled as libpq spells it.
 *
 * @param sslRootCert a file with the CA certificate(s) that verify the server (sslmode verify-ca, verify-full); null:
 *                    the driver's default (~/.postgresql/root.crt)
 */
public record DatabaseConnectionInfo(String host, int port, String database, String user, String password, String sslMode,
                                     String sslRootCert) {

    public DatabaseConnectionInfo(String host, int port, String database, String user, String password, String sslMode) {
        this(host, port, database, user, password, sslMode, null);
    }

    @Override
    public String toString() {
        return "DatabaseConnectionInfo[" + user + "@" + host + ":" + port + "/" + database + ", sslmode " + sslMode
                + (sslRootCert == null ? "" : ", sslrootcert " + sslRootCert) + "]";
    }
}
