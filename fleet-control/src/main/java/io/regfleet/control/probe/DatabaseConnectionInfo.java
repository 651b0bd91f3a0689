package io.regfleet.control.probe;

/** How to reach the fleet's database, as read from the user's Secret; {@code sslMode} spelled as libpq spells it. */
public record DatabaseConnectionInfo(String host, int port, String database, String user, String password, String sslMode) {
    @Override
    public String toString() {
        return "DatabaseConnectionInfo[" + user + "@" + host + ":" + port + "/" + database + ", sslmode " + sslMode + "]";
    }
}
