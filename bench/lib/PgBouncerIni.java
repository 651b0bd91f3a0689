import io.regfleet.control.pooler.PgBouncerSettings;

import java.time.Duration;

/**
 * pgbouncer.ini as the operator renders it (fleet-control's PgBouncerSettings), for bench/pgbouncer.sh: PgBouncer on
 * 127.0.0.1:LISTEN_PORT in front of the embedded PostgreSQL's database regfleet on POSTGRES_PORT, as its superuser.
 * usage: java -cp fleet-control/target/classes bench/lib/PgBouncerIni.java LISTEN_PORT POSTGRES_PORT SERVER_CONNECTIONS AUTH_FILE
 */
public class PgBouncerIni {
    public static void main(String[] args) {
        var server = new PgBouncerSettings.Server("127.0.0.1", Integer.parseInt(args[1]), "regfleet", "postgres", null, null);
        System.out.print(new PgBouncerSettings("127.0.0.1", Integer.parseInt(args[0]), server, Integer.parseInt(args[2]), 500, 0,
                new PgBouncerSettings.ServerTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(1))).ini(args[3]));
    }
}
